import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/*/*.ts", "!src/shared/*.ts"],
  outDir: "dist",
  format: ["esm"],
  sourcemap: true,
  clean: true,
  // One file per entry (no shared chunks): every entry sits two folders below the package, which
  // is what shared/adapter.ts resolves the Deno and Bun adapters from.
  splitting: false,
  target: "es2022",
  external: [/^@iceoryx2-js\//],
  // TypeScript source (flatc's classes): bundled into each example.
  noExternal: ["@iceoryx2-js/flatbuffer-schemas"],
});
