import { defineConfig } from "tsup";

/**
 * The build every package of programs shares (examples, test peers, benchmarks): one
 * self-contained ESM file per entry, so each runs as a process on Node, Deno or Bun. The
 * runtime registry is TypeScript source, bundled into each; it finds the adapters from the
 * checkout, so this project's own packages stay external. `sources` are further TypeScript
 * source packages to bundle in, `external` further packages to leave out.
 */
export function programBuild(entry: string[], { sources = [], external = [] }: { sources?: string[]; external?: (string | RegExp)[] } = {}) {
  return defineConfig({
    entry,
    outDir: "dist",
    format: ["esm"],
    sourcemap: true,
    clean: true,
    splitting: false,
    target: "es2022",
    noExternal: ["@iceoryx2-js/runtimes", ...sources],
    external: [/^@iceoryx2-js\//, ...external],
  });
}
