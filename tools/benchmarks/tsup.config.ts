import { defineConfig } from "tsup";

export default defineConfig({
  // peer.js runs on Node, Deno and Bun; alternatives.js and run.js on Node only; micro/*.js are
  // single-process measurements of one mechanism each, on any runtime.
  entry: ["src/peer.ts", "src/alternatives.ts", "src/run.ts", "src/micro/*.ts"],
  outDir: "dist",
  format: ["esm"],
  sourcemap: true,
  clean: true,
  // Each entry one self-contained file: the runtime registry (bundled) finds the adapters from
  // the checkout.
  splitting: false,
  target: "es2022",
  // The runtime registry is TypeScript source: bundled in.
  noExternal: ["@iceoryx2-js/runtimes"],
  external: [/^@iceoryx2-js\//, "zeromq"],
});
