import { existsSync } from "node:fs";
import { defineConfig } from "tsup";

/**
 * The build every published TS package shares: ESM + .d.ts from src/index.ts (the public API)
 * and, where a package has them, src/runtime.ts (core-api's `./runtime` subpath: the seam the
 * runtime adapters implement) and src/internal.ts (the `./internal` subpath for this project's
 * tools); all share chunks, so module state exists once.
 */
export const libraryBuild = defineConfig({
  entry: ["src/index.ts", ...["src/runtime.ts", "src/internal.ts"].filter((entry) => existsSync(entry))],
  format: ["esm"],
  dts: true,
  sourcemap: true,
  clean: true,
  // Classes print under their own names (`Ok`, `Iox2Error`), not the bundler's `_Ok`.
  keepNames: true,
  target: "es2022",
});
