/**
 * The one registry of the runtimes iceoryx2-js supports, for every tool in this repository
 * (examples, interop, reliability, benchmarks): which runtime a process runs on, where each
 * runtime's adapter and executable are, and how to run a script on each. Nothing else in the
 * repository knows where the adapters live.
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const RUNTIMES = ["node", "deno", "bun"] as const;
export type Runtime = (typeof RUNTIMES)[number];

/** The runtime this process runs on. */
export const runtime: Runtime = "Deno" in globalThis ? "deno" : "Bun" in globalThis ? "bun" : "node";

/**
 * The checkout this code runs from: the nearest folder above it with `pnpm-workspace.yaml`. Found
 * by walking up, so it holds whether a tool runs from source or bundled into its `dist/`; found
 * once, as every launch and adapter import asks for it.
 */
export function workspaceRoot(): string {
  return (checkout ??= findWorkspaceRoot(fileURLToPath(import.meta.url)));
}

let checkout: string | undefined;

function findWorkspaceRoot(from: string): string {
  for (let dir = dirname(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, "pnpm-workspace.yaml"))) return dir;
    if (dirname(dir) === dir) throw new Error(`no pnpm-workspace.yaml above ${from}: the tools run from a checkout of iceoryx2-js`);
  }
}

/** The config Deno runs the adapter with (its import map of the npm packages). */
export function denoConfigFile(): string {
  return join(workspaceRoot(), "packages/deno/deno.json");
}

/**
 * Each runtime's adapter: Node's by package name, Deno's and Bun's as their source files in the
 * checkout (they run from source). `public` is what applications import, `internal` adds what
 * this project's tools use (`backend`, `nativeFor`, `OPERATION_SYMBOLS`…).
 */
const ADAPTERS: Record<"public" | "internal", Record<Runtime, string>> = {
  public: { node: "@iceoryx2-js/node", deno: "packages/deno/src/mod.ts", bun: "packages/bun/src/index.ts" },
  internal: { node: "@iceoryx2-js/node/internal", deno: "packages/deno/src/internal.ts", bun: "packages/bun/src/internal.ts" },
};

/** The specifier that imports `entry` of `on`'s adapter. */
export function adapterSpecifier(entry: "public" | "internal", on: Runtime = runtime): string {
  const target = ADAPTERS[entry][on];
  return on === "node" ? target : pathToFileURL(join(workspaceRoot(), target)).href;
}

/** A source file of `on`'s adapter in the checkout (e.g. Deno's `library.ts`), as a URL to import. */
export function adapterSourceFile(on: "deno" | "bun", file: string): string {
  return pathToFileURL(join(workspaceRoot(), "packages", on, "src", file)).href;
}

const require = createRequire(import.meta.url);

/**
 * Each runtime's own executable. The npm packages' launchers run it as a child process (deno's
 * `bin.cjs` through `spawnSync`, bun's shell shim without `exec`), so a signal sent to the
 * launcher would never reach the runtime, and SIGKILL would leave it running as an orphan.
 */
export const executables: Record<Runtime, () => string> = {
  node: () => process.execPath,
  deno: () => join(dirname(require.resolve("deno/package.json")), "deno"),
  bun: () => join(dirname(require.resolve("bun/package.json")), "bin", "bun.exe"),
};

/** The command that runs the built script `file` on `on` (Deno with the adapter's config). */
export function runtimeCommand(on: Runtime, file: string): [string, string[]] {
  const executable = executables[on]();
  switch (on) {
    case "node":
      return [executable, [file]];
    case "deno":
      return [executable, ["run", "--quiet", "--config", denoConfigFile(), "--allow-all", file]];
    case "bun":
      return [executable, ["run", file]];
  }
}
