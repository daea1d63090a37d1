/**
 * Starting peers (Rust binary, the TS peer on Node/Deno/Bun, the Node alternatives) and following
 * their line protocol. Every wait is bounded; a peer that fails or overruns is killed.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { denoConfigFile, executables as runtimeExecutables } from "@iceoryx2-js/runtimes";
import type { Launch, Runtime } from "./plan.js";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
/** The executables themselves, not npm's wrapper scripts: the runner reads their CPU time by pid. */
export const executables = {
  rust: here("../../../target/release/iox2js-bench"),
  deno: runtimeExecutables.deno(),
  bun: runtimeExecutables.bun(),
  node: runtimeExecutables.node(),
};
const peerJs = here("../dist/peer.js");
const alternativesJs = here("../dist/alternatives.js");
const denoConfig = denoConfigFile();

/**
 * Profiling flags: name JIT frames for `perf` (V8 runtimes), write the runtime's CPU profile
 * into `cpuProfileDir` (Node and Bun: `--cpu-prof`; Deno: V8's tick log `v8.log`).
 */
export interface LaunchOptions {
  perfMaps?: boolean;
  cpuProfileDir?: string;
  /** Exposes `gc()` (V8's `--expose-gc`), for the allocation measurement. */
  exposeGc?: boolean;
}

/** The command of `launch`; iceoryx2 peers get the run's `--prefix`. */
export function commandOf(launch: Launch, prefix: string, options: LaunchOptions = {}): [string, string[]] {
  if (launch.kind === "alternative") {
    return [executables.node, [...nodeFlags(options), alternativesJs, launch.role, "--mechanism", launch.mechanism]];
  }
  return runtimeCommand(launch.runtime, [launch.role, "--prefix", prefix], options);
}

function nodeFlags(options: LaunchOptions): string[] {
  return [
    ...(options.perfMaps ? ["--perf-basic-prof"] : []),
    ...(options.cpuProfileDir === undefined ? [] : ["--cpu-prof", "--cpu-prof-dir", options.cpuProfileDir]),
    ...(options.exposeGc ? ["--expose-gc"] : []),
  ];
}

export function runtimeCommand(runtime: Runtime, args: string[], options: LaunchOptions = {}): [string, string[]] {
  switch (runtime) {
    case "rust":
      return [executables.rust, args];
    case "node":
      return [executables.node, [...nodeFlags(options), peerJs, ...args]];
    case "deno": {
      const v8Flags = [
        ...(options.perfMaps ? ["--perf-basic-prof"] : []),
        ...(options.cpuProfileDir === undefined ? [] : ["--prof", `--logfile=${options.cpuProfileDir}/v8.log`, "--no-logfile-per-isolate"]),
        ...(options.exposeGc ? ["--expose-gc"] : []),
      ];
      return [
        executables.deno,
        ["run", "--quiet", "--allow-all", "--config", denoConfig, ...(v8Flags.length > 0 ? [`--v8-flags=${v8Flags.join(",")}`] : []), peerJs, ...args],
      ];
    }
    case "bun":
      return [
        executables.bun,
        [...(options.cpuProfileDir === undefined ? [] : ["--cpu-prof", `--cpu-prof-dir=${options.cpuProfileDir}`]), peerJs, ...args],
      ];
  }
}

/** Files a run needs that a build makes; each missing one is named. */
export function missingBuildOutputs(): string[] {
  return [executables.rust, executables.deno, executables.bun, peerJs, alternativesJs].filter((file) => !existsSync(file));
}

export class PeerFailure extends Error {
  override readonly name = "PeerFailure";
}

/** A started peer: its stdout lines, in order, awaited one at a time with a limit. */
export class Peer {
  readonly #child: ChildProcess;
  readonly #lines: string[] = [];
  readonly #stderr: string[] = [];
  #wake: (() => void) | undefined;
  #exit: string | undefined;
  readonly exited: Promise<void>;

  constructor(
    readonly name: string,
    [command, args]: [string, string[]],
  ) {
    this.#child = spawn(command, args, { stdio: ["pipe", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1" } });
    // A peer that already exited makes writes fail with EPIPE; its exit tells the story.
    this.#child.stdin!.on("error", () => {});
    createInterface({ input: this.#child.stdout! }).on("line", (line) => {
      this.#lines.push(line);
      this.#wake?.();
    });
    createInterface({ input: this.#child.stderr! }).on("line", (line) => {
      this.#stderr.push(line);
      if (this.#stderr.length > 20) this.#stderr.shift();
    });
    this.exited = new Promise((resolve) => {
      this.#child.on("close", (code, signal) => {
        this.#exit = signal === null ? `exit code ${code}` : `signal ${signal}`;
        this.#wake?.();
        resolve();
      });
      this.#child.on("error", (error) => {
        this.#exit = `could not start: ${error.message}`;
        this.#wake?.();
        resolve();
      });
    });
  }

  get pid(): number {
    return this.#child.pid ?? 0;
  }

  send(line: string): void {
    this.#child.stdin!.write(`${line}\n`);
  }

  /** Closes stdin (the peer's signal to finish) and waits up to `ms` for it to exit, then kills it. */
  async end(ms = 10_000): Promise<void> {
    this.#child.stdin!.end();
    const timer = setTimeout(() => this.kill(), ms);
    await this.exited;
    clearTimeout(timer);
  }

  kill(): void {
    if (this.#exit === undefined) this.#child.kill("SIGKILL");
  }

  /** The next line, which must start with `word`; fails on `error ...`, on exit, or after `ms`. */
  async expect(word: string, ms: number): Promise<string> {
    const deadline = Date.now() + ms;
    for (;;) {
      const line = this.#lines.shift();
      if (line !== undefined) {
        if (line.startsWith("error ")) throw new PeerFailure(`${this.name}: ${line.slice(6)}${this.#stderrTail()}`);
        if (line === word || line.startsWith(`${word} `)) return line.slice(word.length).trim();
        throw new PeerFailure(`${this.name}: expected '${word}', got '${line}'`);
      }
      if (this.#exit !== undefined) throw new PeerFailure(`${this.name} ended (${this.#exit}) before '${word}'${this.#stderrTail()}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new PeerFailure(`${this.name}: no '${word}' within ${ms} ms${this.#stderrTail()}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#wake = undefined;
    }
  }

  #stderrTail(): string {
    return this.#stderr.length === 0 ? "" : ` | stderr: ${this.#stderr.slice(-5).join(" | ")}`;
  }
}
