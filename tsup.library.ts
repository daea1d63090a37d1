import { defineConfig } from "tsup";

/** The build every published TS package shares: ESM + .d.ts from src/index.ts. */
export const libraryBuild = defineConfig({
  entry: ["src/index.ts"],
  format: ["esm"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "es2022",
});
