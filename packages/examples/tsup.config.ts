import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/*/*.ts", "!src/shared/*.ts"],
  outDir: "dist",
  format: ["esm"],
  sourcemap: true,
  clean: true,
  // One file per entry (no shared chunks); the runtime registry (bundled) finds the adapters from
  // the checkout.
  splitting: false,
  target: "es2022",
  external: [/^@iceoryx2-js\//],
  // TypeScript sources (flatc's classes, the runtime registry): bundled into each example.
  noExternal: ["@iceoryx2-js/flatbuffer-schemas", "@iceoryx2-js/runtimes"],
});
