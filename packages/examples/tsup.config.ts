import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/node/*.ts"],
  outDir: "dist/node",
  format: ["esm"],
  sourcemap: true,
  clean: true,
  target: "es2022",
  external: [/^@iceoryx2-js\//],
});
