/**
 * Child processes for the suites that need real processes (interop matrix, reliability): a
 * {@link ChildRun} follows a process's stdout line by line (launch one with `runtimeCommand` of
 * the registry). Every wait is bounded; a failure message carries everything the process printed.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { constants } from "node:os";
import { createInterface } from "node:readline";

/** How long one step may take unless a caller says otherwise. */
export const STEP_TIMEOUT_MS = 30_000;

export interface ChildOptions {
  env?: Record<string, string>;
  /** Working directory (default: this process's). */
  cwd?: string;
}

export class ChildRun {
  readonly #child: ChildProcess;
  readonly #lines: string[] = [];
  readonly #stderr: string[] = [];
  readonly #waiters = new Set<() => void>();
  #done = false;
  /** The exit code, or 128 + signal number for a process ended by a signal. */
  readonly exited: Promise<number>;
  /** The signal that ended the process, once it has exited (`null` for a normal exit). */
  signal: NodeJS.Signals | null = null;

  constructor(
    readonly label: string,
    command: [string, string[]],
    options: ChildOptions = {},
  ) {
    const [file, args] = command;
    this.#child = spawn(file, args, { stdio: ["pipe", "pipe", "pipe"], env: { ...process.env, ...options.env }, cwd: options.cwd });
    // A process that already exited makes writes fail with EPIPE; its exit code tells the story.
    this.#child.stdin!.on("error", () => {});
    createInterface({ input: this.#child.stdout! }).on("line", (line) => {
      this.#lines.push(line);
      this.#wake();
    });
    createInterface({ input: this.#child.stderr! }).on("line", (line) => this.#stderr.push(line));
    this.exited = new Promise((resolve) => {
      this.#child.on("close", (code, signal) => {
        this.#done = true;
        this.signal = signal;
        this.#wake();
        resolve(code ?? 128 + signalNumber(signal));
      });
      this.#child.on("error", (error) => {
        this.#stderr.push(String(error));
        this.#done = true;
        this.#wake();
        resolve(127);
      });
    });
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** Every stdout line so far. */
  get lines(): readonly string[] {
    return this.#lines;
  }

  /** Every stderr line so far. */
  get errorLines(): readonly string[] {
    return this.#stderr;
  }

  /** What the process printed, for failure messages. */
  describe(): string {
    return `${this.label}\n  stdout: ${this.#lines.join(" | ")}\n  stderr: ${this.#stderr.join(" | ")}`;
  }

  #wake(): void {
    for (const waiter of this.#waiters) waiter();
  }

  /** Resolves with the first stdout line matching `pattern`; rejects on exit or timeout. */
  async line(pattern: RegExp, timeoutMs = STEP_TIMEOUT_MS): Promise<string> {
    return (await this.matching(pattern, 1, timeoutMs))[0]!;
  }

  /** Resolves with the first `count` stdout lines matching `pattern`; rejects on exit or timeout. */
  matching(pattern: RegExp, count: number, timeoutMs = STEP_TIMEOUT_MS): Promise<string[]> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => finish(new Error(`timed out after ${timeoutMs} ms waiting for ${count} lines like ${pattern}`)), timeoutMs);
      const check = () => {
        const found = this.#lines.filter((l) => pattern.test(l));
        if (found.length >= count) finish(undefined, found.slice(0, count));
        else if (this.#done) finish(new Error(`exited after ${found.length} of ${count} lines like ${pattern}`));
      };
      const finish = (error?: Error, lines?: string[]) => {
        clearTimeout(timer);
        this.#waiters.delete(check);
        if (error) reject(new Error(`${error.message}\n${this.describe()}`));
        else resolve(lines!);
      };
      this.#waiters.add(check);
      check();
    });
  }

  /** Writes one line to stdin (ignored once the process has exited). */
  send(line: string): void {
    if (!this.#done) this.#child.stdin!.write(`${line}\n`);
  }

  /** Ends stdin and waits for the exit code (killed and -1 after the timeout). */
  finish(timeoutMs = STEP_TIMEOUT_MS): Promise<number> {
    this.#child.stdin!.end();
    return this.exitCode(timeoutMs);
  }

  /** Waits for the exit code; kills the process and returns -1 after the timeout. */
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

  /** Sends `signal` (SIGKILL by default) unless the process has exited. */
  kill(signal: NodeJS.Signals = "SIGKILL"): void {
    if (!this.#done) this.#child.kill(signal);
  }
}

function signalNumber(signal: NodeJS.Signals | null): number {
  return signal === null ? 0 : (constants.signals[signal] ?? 0);
}
export { replaceMarkedBlock } from "./report.js";
