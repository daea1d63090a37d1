import { existsSync } from "node:fs";
import { defineConfig } from "tsup";

/**
 * The build every published TS package shares: ESM + .d.ts from src/index.ts (the public API)
 * and, where a package has one, src/internal.ts (its `./internal` subpath for this project's
 * adapters and tools); both share chunks, so module state exists once.
 */
export const libraryBuild = defineConfig({
  entry: ["src/index.ts", ...(existsSync("src/internal.ts") ? ["src/internal.ts"] : [])],
  format: ["esm"],
  dts: true,
  sourcemap: true,
  clean: true,
  // Classes print under their own names (`Ok`, `Iox2Error`), not the bundler's `_Ok`.
  keepNames: true,
  target: "es2022",
});
