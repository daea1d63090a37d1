/**
 * What the tests that run examples against programs nobody here wrote share: a working
 * directory whose `config/iceoryx2.toml` sets the run's prefix (every side finds it through
 * upstream's config lookup, so runs are isolated without any option of this project), and the
 * examples as processes on each runtime.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ChildRun, runtimeCommand, type Runtime } from "@iceoryx2-js/runtimes";

export const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** A fresh working directory with `config/iceoryx2.toml` setting `prefix`; `remove()` deletes it. */
export function isolatedWorkdir(prefix: string): { cwd: string; remove(): void } {
  const cwd = mkdtempSync(join(tmpdir(), "iox2js-workdir-"));
  mkdirSync(join(cwd, "config"));
  writeFileSync(join(cwd, "config", "iceoryx2.toml"), `[global]\nprefix = "${prefix}"\n`);
  return { cwd, remove: () => rmSync(cwd, { recursive: true, force: true }) };
}

/** The built example `example/role` on `runtime`, in `cwd`. */
export function exampleProcess(runtime: Runtime, example: string, role: string, cwd: string, args: string[] = []): ChildRun {
  const [command, runtimeArgs] = runtimeCommand(runtime, here(`../dist/${example}/${role}.js`));
  return new ChildRun(`${runtime} ${example}/${role}`, [command, [...runtimeArgs, ...args]], { cwd });
}

/** Removes what iceoryx2 left in /dev/shm under `prefix` (its per-prefix management segment). */
export function removeSharedMemory(prefix: string): void {
  for (const file of readdirSync("/dev/shm").filter((f) => f.startsWith(prefix))) rmSync(`/dev/shm/${file}`, { force: true });
}
