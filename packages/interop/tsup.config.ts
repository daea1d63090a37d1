import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/peer.ts"],
  outDir: "dist",
  format: ["esm"],
  sourcemap: true,
  clean: true,
  // One self-contained file one folder below the package, like src/: runtime.ts resolves the
  // Deno and Bun adapters relative to it.
  splitting: false,
  target: "es2022",
  external: [/^@iceoryx2-js\//],
  // TypeScript source (flatc's classes): bundled into the peer.
  noExternal: ["@iceoryx2-js/flatbuffer-schemas"],
});
