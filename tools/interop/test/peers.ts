/**
 * The interop peers (docs/interop.md) as child processes: the TS peer on each runtime, the Rust
 * peer binary and the Python peer in its virtualenv.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { ChildRun, runtimeCommand, RUNTIMES } from "@iceoryx2-js/runtimes";

export const languages = ["node", "deno", "bun", "rust", "python"] as const;
export type Language = (typeof languages)[number];
export const typescriptRuntimes = RUNTIMES;
export const isTypeScript = (language: Language) => (typescriptRuntimes as readonly Language[]).includes(language);

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const tsPeer = here("../dist/peer.js");

function command(language: Language): [string, string[]] {
  switch (language) {
    case "rust":
      return [here("../../../target/release/iox2js-interop-peer"), []];
    case "python":
      return [here("../.venv/bin/python"), [here("../python/peer.py")]];
    default:
      return runtimeCommand(language, tsPeer);
  }
}

/** The executable each language needs, for a clear failure when a build step is missing. */
export function missingPeers(): string[] {
  return languages.map((l) => command(l)[0]).filter((file) => file.startsWith("/") && !existsSync(file));
}

export interface PeerResult {
  role: string;
  count?: number;
  digest?: string;
  case?: string;
  errorKind?: string;
  message?: string;
}

/** One peer process; its protocol lines are `ready` and `result <json>`. */
export class Peer extends ChildRun {
  /**
   * `cwd`: the working directory (where a peer without `--prefix` finds `config/iceoryx2.toml`);
   * `env`: variables on top of this process's.
   */
  constructor(language: Language, args: string[], cwd?: string, env?: Record<string, string>) {
    const [file, prefixArgs] = command(language);
    super(`${language} ${args.join(" ")}${cwd === undefined ? "" : ` (in ${cwd})`}`, [file, [...prefixArgs, ...args]], { cwd, ...(env && { env }) });
  }

  ready(): Promise<string> {
    return this.line(/^ready$/);
  }

  async result(): Promise<PeerResult> {
    const line = await this.line(/^result /);
    return JSON.parse(line.slice("result ".length)) as PeerResult;
  }
}

/** Lets the event loop turn until `done()` returns a value or 10 s pass. */
export async function until<T>(done: () => T | null | undefined): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = done();
    if (value !== null && value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("nothing arrived within 10 s");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
