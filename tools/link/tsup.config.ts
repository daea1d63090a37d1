import { defineConfig } from "tsup";

export default defineConfig({
  // The processes the test and the measurement start on the simulated hosts.
  entry: ["src/peer.ts", "src/measure.ts"],
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
