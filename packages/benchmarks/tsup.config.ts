import { defineConfig } from "tsup";

export default defineConfig({
  // peer.js runs on Node, Deno and Bun; alternatives.js and run.js on Node only.
  entry: ["src/peer.ts", "src/alternatives.ts", "src/run.ts"],
  outDir: "dist",
  format: ["esm"],
  sourcemap: true,
  clean: true,
  // Each entry one self-contained file one folder below the package, like src/: runtime.ts
  // resolves the Deno and Bun adapters relative to it.
  splitting: false,
  target: "es2022",
  external: [/^@iceoryx2-js\//, "zeromq"],
});
