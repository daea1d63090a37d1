/**
 * Launches interop peers (docs/interop.md) as child processes and follows their line protocol.
 * Every wait is bounded: a peer that does not print what is expected in time fails the run with
 * everything it printed so far.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

export const languages = ["node", "deno", "bun", "rust", "python"] as const;
export type Language = (typeof languages)[number];
export const typescriptRuntimes = ["node", "deno", "bun"] as const satisfies readonly Language[];
export const isTypeScript = (language: Language) => (typescriptRuntimes as readonly Language[]).includes(language);

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const bin = (name: string) => here(`../node_modules/.bin/${name}`);
const tsPeer = here("../dist/peer.js");

const launchers: Record<Language, () => [string, string[]]> = {
  node: () => [process.execPath, [tsPeer]],
  deno: () => [bin("deno"), ["run", "--quiet", "--config", here("../../deno/deno.json"), "--allow-all", tsPeer]],
  bun: () => [bin("bun"), ["run", tsPeer]],
  rust: () => [here("../../../target/release/iox2js-interop-peer"), []],
  python: () => [here("../.venv/bin/python"), [here("../python/peer.py")]],
};

/** The executable each language needs, for a clear failure when a build step is missing. */
export function missingPeers(): string[] {
  return languages.map((l) => launchers[l]()[0]).filter((file) => file.startsWith("/") && !existsSync(file));
}

export interface PeerResult {
  role: string;
  count?: number;
  digest?: string;
  case?: string;
  errorKind?: string;
  message?: string;
}

/** How long one step of a run may take; peers give up after 20 s themselves. */
const STEP_TIMEOUT_MS = 30_000;

export class Peer {
  readonly #child: ChildProcess;
  readonly #lines: string[] = [];
  readonly #stderr: string[] = [];
  readonly #waiters = new Set<() => void>();
  readonly exited: Promise<number>;

  constructor(
    readonly language: Language,
    readonly args: string[],
  ) {
    const [command, prefixArgs] = launchers[language]();
    this.#child = spawn(command, [...prefixArgs, ...args], { stdio: ["pipe", "pipe", "pipe"] });
    // A peer that already exited makes writes fail with EPIPE; its exit code tells the story.
    this.#child.stdin!.on("error", () => {});
    createInterface({ input: this.#child.stdout! }).on("line", (line) => {
      this.#lines.push(line);
      this.#wake();
    });
    createInterface({ input: this.#child.stderr! }).on("line", (line) => this.#stderr.push(line));
    this.exited = new Promise((resolve) => {
      this.#child.on("close", (code, signal) => {
        this.#wake();
        resolve(code ?? (signal ? 128 : 1));
      });
      this.#child.on("error", (error) => {
        this.#stderr.push(String(error));
        resolve(127);
      });
    });
    this.exited.then(() => (this.#done = true));
  }

  #done = false;

  #wake(): void {
    for (const waiter of this.#waiters) waiter();
  }

  /** What the peer printed, for failure messages. */
  describe(): string {
    return `${this.language} ${this.args.join(" ")}\n  stdout: ${this.#lines.join(" | ")}\n  stderr: ${this.#stderr.join(" | ")}`;
  }

  /** Resolves with the first stdout line matching `pattern`; rejects on exit or timeout. */
  async line(pattern: RegExp, timeoutMs = STEP_TIMEOUT_MS): Promise<string> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => finish(new Error(`timed out waiting for ${pattern}`)), timeoutMs);
      const check = () => {
        const found = this.#lines.find((l) => pattern.test(l));
        if (found !== undefined) finish(undefined, found);
        else if (this.#done) finish(new Error(`exited before printing ${pattern}`));
      };
      const finish = (error?: Error, line?: string) => {
        clearTimeout(timer);
        this.#waiters.delete(check);
        if (error) reject(new Error(`${error.message}\n${this.describe()}`));
        else resolve(line!);
      };
      this.#waiters.add(check);
      check();
    });
  }

  ready(): Promise<string> {
    return this.line(/^ready$/);
  }

  async result(): Promise<PeerResult> {
    const line = await this.line(/^result /);
    return JSON.parse(line.slice("result ".length)) as PeerResult;
  }

  send(line: string): void {
    if (!this.#done) this.#child.stdin!.write(`${line}\n`);
  }

  /** Ends stdin (the peer's cue to release everything and exit) and waits for the exit code. */
  async finish(timeoutMs = STEP_TIMEOUT_MS): Promise<number> {
    this.#child.stdin!.end();
    return this.exitCode(timeoutMs);
  }

  async exitCode(timeoutMs = STEP_TIMEOUT_MS): Promise<number> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<number>((resolve) => {
      timer = setTimeout(() => {
        this.kill();
        resolve(-1);
      }, timeoutMs);
    });
    const code = await Promise.race([this.exited, timedOut]);
    clearTimeout(timer);
    return code;
  }

  kill(): void {
    if (!this.#done) this.#child.kill("SIGKILL");
  }
}
