import { defineConfig } from "tsup";

export default defineConfig({
  // Every process the suites start; shared modules are bundled into each.
  entry: ["src/*.ts", "!src/runtime.ts", "!src/*-cases.ts", "!src/shared-*.ts"],
  outDir: "dist",
  format: ["esm"],
  sourcemap: true,
  clean: true,
  // Self-contained files one folder below the package, like src/: runtime.ts resolves the Deno
  // and Bun adapters relative to it.
  splitting: false,
  target: "es2022",
  external: [/^@iceoryx2-js\//],
});
