import { defineConfig } from "tsup";

export default defineConfig({
  // Every process the suites start; shared modules are bundled into each.
  entry: ["src/*.ts", "!src/*-cases.ts", "!src/shared-*.ts"],
  outDir: "dist",
  format: ["esm"],
  sourcemap: true,
  clean: true,
  // Self-contained files: the runtime registry (bundled) finds the adapters from the checkout.
  splitting: false,
  target: "es2022",
  // The runtime registry is TypeScript source: bundled in.
  noExternal: ["@iceoryx2-js/runtimes"],
  external: [/^@iceoryx2-js\//],
});
