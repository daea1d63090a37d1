/**
 * What every role shares: output lines, stdin (`go` and end of file), the 20 s limit, polling,
 * and turning failed Results into protocol errors.
 */
import process from "node:process";
import { createInterface } from "node:readline";
import type { Iox2Error, Node, Result } from "@iceoryx2-js/node";
import type { PeerOptions } from "./protocol.js";

/** Everything a peer does, from start to its result (and then again for the end of stdin). */
export const LIMIT_MS = 20_000;
/** Pause between empty receives: yields to the event loop without spinning. */
const POLL_INTERVAL_MS = 1;

/** Something unexpected: the peer prints `error <message>` and exits 1. */
export class PeerFailure extends Error {
  override readonly name = "PeerFailure";
}

export function fail(what: string): never {
  throw new PeerFailure(what);
}

/** The value of `result`, or a failure naming `what` and the error's kind and message. */
export function expectOk<T>(result: Result<T>, what: string): T {
  if (result.isErr()) fail(`${what}: ${describeError(result.error)}`);
  return result.value;
}

export function describeError(error: Iox2Error): string {
  return `${error.kind}: ${error.message}`;
}

/** One line on stdout, written at once (pipes are written synchronously by every runtime). */
export function print(line: string): void {
  process.stdout.write(`${line}\n`);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class Deadline {
  readonly #at: number;

  constructor(ms = LIMIT_MS) {
    this.#at = Date.now() + ms;
  }

  get remaining(): number {
    return Math.max(0, this.#at - Date.now());
  }

  get expired(): boolean {
    return Date.now() >= this.#at;
  }

  /** `promise`'s value, or a failure ("timed out waiting for <what>") when the deadline comes first. */
  async race<T>(promise: Promise<T>, what: () => string): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new PeerFailure(`timed out waiting for ${what()}`)), this.remaining);
    });
    try {
      return await Promise.race([promise, expired]);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** The runner's lines on stdin: `go` for sending roles, then end of file for everyone. */
export class Stdin {
  /** True once `go` arrived; false when stdin ended without it. */
  readonly go: Promise<boolean>;
  readonly ended: Promise<void>;

  constructor() {
    const lines = createInterface({ input: process.stdin });
    this.go = new Promise((resolve) => {
      lines.on("line", (line) => line.trim() === "go" && resolve(true));
      lines.on("close", () => resolve(false));
    });
    this.ended = new Promise((resolve) => lines.on("close", () => resolve()));
  }
}

/** What a role gets: its options, its node, the protocol's steps and waits. */
export class Peer {
  constructor(
    readonly options: PeerOptions,
    readonly node: Node,
    readonly stdin: Stdin,
    /** Started with the process: the whole run up to the result line. */
    readonly deadline: Deadline,
  ) {}

  /** Set-up is done: the runner may start the other side. */
  ready(): void {
    print("ready");
  }

  /** Waits for the runner's `go` line (sending roles). */
  async go(): Promise<void> {
    const go = await this.deadline.race(this.stdin.go, () => "'go' on stdin");
    if (!go) fail("stdin ended before 'go'");
  }

  /**
   * Calls `take` until it returns a value (not undefined or null), pausing about a millisecond
   * after each miss; fails when the deadline passes, saying what it waited for.
   */
  async poll<T>(take: () => T | null | undefined, waitingFor: () => string): Promise<T> {
    for (;;) {
      const value = take();
      if (value !== undefined && value !== null) return value;
      if (this.deadline.expired) fail(`timed out waiting for ${waitingFor()}`);
      await sleep(POLL_INTERVAL_MS);
    }
  }

  /**
   * The next item of one of the library's async streams (`samples()`, `requests()`,
   * `responses()`), which wake on events or poll for peers that send none (Rust and Python peers
   * never notify); fails when the deadline passes, saying what it waited for.
   * `ended` is what the stream ending before an item means.
   */
  async next<T>(stream: AsyncIterator<T>, waitingFor: () => string, ended = "the stream ended"): Promise<T> {
    const step = await this.deadline.race(stream.next(), waitingFor);
    if (step.done === true) fail(`${ended} while waiting for ${waitingFor()}`);
    return step.value;
  }

  /** An AbortSignal that aborts when the deadline passes (ends the streams' waits for good). */
  deadlineSignal(): AbortSignal {
    return AbortSignal.timeout(Math.max(1, this.deadline.remaining));
  }

  /** `create()` or `open()` of a service builder, per `--create`/`--open`. */
  openService<S>(builder: { create(): Result<S>; open(): Result<S> }): S {
    return this.options.create
      ? expectOk(builder.create(), `create service '${this.options.service}'`)
      : expectOk(builder.open(), `open service '${this.options.service}'`);
  }
}
