/**
 * A peer's side of the runner conversation (see protocol.ts): stdin lines in, one line per step
 * out, one case at a time. Works on Node, Deno and Bun (node:readline and node:process).
 */
import process from "node:process";
import { createInterface } from "node:readline";
import { parseSetup, type Case } from "./protocol.js";

/** One line on stdout, written at once (pipes are written synchronously by every runtime). */
export function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** Prints `error <what>` and ends the process with exit code 1. */
export function die(error: unknown): never {
  const what = error instanceof Error ? `${error.name === "Error" ? "" : `${error.name}: `}${error.message}` : String(error);
  say(`error ${what.replace(/\n/g, " | ")}`);
  process.exit(1);
}

/** The runner's lines; `next()` is null once stdin ended. */
export class Lines {
  readonly #queue: string[] = [];
  readonly #waiting: ((line: string | null) => void)[] = [];
  #ended = false;

  constructor() {
    const lines = createInterface({ input: process.stdin });
    lines.on("line", (line) => {
      const waiter = this.#waiting.shift();
      if (waiter !== undefined) waiter(line);
      else this.#queue.push(line);
    });
    lines.on("close", () => {
      this.#ended = true;
      for (const waiter of this.#waiting.splice(0)) waiter(null);
    });
  }

  next(): Promise<string | null> {
    const line = this.#queue.shift();
    if (line !== undefined) return Promise.resolve(line);
    if (this.#ended) return Promise.resolve(null);
    return new Promise((resolve) => this.#waiting.push(resolve));
  }
}

/** What a peer does with one case once it is set up. */
export interface CaseRun {
  /** Measures (after `go`): the result JSON for the measuring side, undefined for the other. */
  run(): unknown;
  /** Closes the case's ports. */
  close(): void;
}

/**
 * Serves cases until stdin ends: `setup` → `open(case)` → `ready`; `go` → `run()` → `result` or
 * `done`. A case that overruns its limit while awaiting ends the process with an error (loops
 * that spin check the limit themselves).
 */
export async function serve(open: (c: Case) => CaseRun | Promise<CaseRun>): Promise<void> {
  const lines = new Lines();
  try {
    for (let line = await lines.next(); line !== null; line = await lines.next()) {
      const c = parseSetup(line);
      const current = await open(c);
      say("ready");
      const go = await lines.next();
      if (go?.trim() !== "go") throw new Error(`expected 'go', got ${JSON.stringify(go)}`);
      const watchdog = setTimeout(() => die(new Error(`case ${c.service} overran its ${c.limitMs} ms limit`)), c.limitMs);
      const result = await current.run();
      clearTimeout(watchdog);
      say(result === undefined ? "done" : `result ${JSON.stringify(result)}`);
      current.close();
    }
  } catch (error) {
    die(error);
  }
}
