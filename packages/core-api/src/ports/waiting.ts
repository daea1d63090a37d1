import type { Handle } from "../native/backend.js";
import { Iox2Error } from "../base/errors.js";
import type { Native } from "../native/native.js";

/** The part of the web `AbortSignal` used here (core-api compiles without DOM types). */
export interface AbortSignalLike {
  /** Whether the signal has aborted. */
  readonly aborted: boolean;
  /** Why it aborted (`AbortController.abort(reason)`); kept as the `cause` of the `Aborted` error. */
  readonly reason?: unknown;
  /** Registers `listener` to run when the signal aborts. */
  addEventListener(type: "abort", listener: () => void, options?: { once?: boolean }): void;
  /** Removes a listener added with `addEventListener`. */
  removeEventListener(type: "abort", listener: () => void): void;
}

/** Options of every awaiting method. */
export interface WaitOptions {
  /** Milliseconds to wait at most; without it, wait until something arrives or the wait is aborted. */
  timeout?: number;
  /** Aborting it ends the wait with an `Aborted` error. */
  signal?: AbortSignalLike;
}

/**
 * Options of the async streams `subscriber.samples()`, `server.requests()` and
 * `pendingResponse.responses()`.
 */
export interface StreamOptions {
  /** Aborting it ends the loop without an error. */
  signal?: AbortSignalLike;
  /**
   * Milliseconds between checks for data while no wake-up event arrives (default
   * {@link DEFAULT_POLL_INTERVAL_MS}). Peers that notify the event service of the same name wake
   * the stream at once; peers that do not (upstream's plain examples, the `iox2` CLI) are seen
   * within this interval. `Infinity` relies on events alone: then data from a peer that never
   * notifies is not seen until some event arrives.
   */
  pollInterval?: number;
}

/**
 * The default `pollInterval` of the async streams: data from a peer that sends no wake-up event
 * arrives at most this many milliseconds late. An idle stream then checks 100 times a second,
 * which costs well under 1 % of a core (see the README's "Waiting without blocking").
 */
export const DEFAULT_POLL_INTERVAL_MS = 10;

/** Checks `StreamOptions`; returns the error for a malformed one. */
export function checkStreamOptions(options: StreamOptions | undefined): Iox2Error | undefined {
  const invalid = checkWaitOptions(options);
  if (invalid !== undefined || options === undefined) return invalid;
  const { pollInterval } = options;
  if (pollInterval !== undefined && (typeof pollInterval !== "number" || !(pollInterval > 0))) {
    return new Iox2Error(
      "InvalidArgument",
      `pollInterval must be a positive number of milliseconds (Infinity: wake on events only), got ${String(pollInterval)}`,
    );
  }
  return undefined;
}

/** Timers every supported runtime has, typed here because core-api compiles without DOM types. */
export const timers = globalThis as unknown as {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(timer: unknown): void;
  setInterval(callback: () => void, ms: number): unknown;
  clearInterval(timer: unknown): void;
};

/** The longest delay timers accept (2^31 - 1 ms). */
const MAX_DELAY = 0x7fff_ffff;

/** Holds the event loop open while referenced. */
interface LoopHold {
  ref(): void;
  unref(): void;
}

/** `Deno.refTimer`/`Deno.unrefTimer`, where timers are numbers. */
const denoTimers = (globalThis as { Deno?: { refTimer?(id: number): void; unrefTimer?(id: number): void } }).Deno;

/**
 * One idle interval timer for the whole thread, referenced only while something is awaited:
 * toggling a reference costs far less than starting and clearing a timer per wait. Where a
 * timer cannot be unreferenced, one is started per hold instead.
 */
function loopHold(): LoopHold {
  const timer = timers.setInterval(() => {}, MAX_DELAY);
  const handle = timer as Partial<LoopHold> | null;
  if (typeof handle === "object" && handle !== null && typeof handle.ref === "function" && typeof handle.unref === "function") {
    handle.unref();
    return handle as LoopHold;
  }
  const deno = denoTimers;
  if (typeof timer === "number" && deno?.refTimer !== undefined && deno.unrefTimer !== undefined) {
    deno.unrefTimer(timer);
    return { ref: () => deno.refTimer!(timer), unref: () => deno.unrefTimer!(timer) };
  }
  timers.clearInterval(timer);
  let current: unknown;
  return {
    ref: () => (current = timers.setInterval(() => {}, MAX_DELAY)),
    unref: () => timers.clearInterval(current),
  };
}

let awaited = 0;
let keepAlive: LoopHold | undefined;

/**
 * Keeps the event loop alive while something is awaited: native wake-ups arrive through routes
 * that do not hold the loop open themselves, so a process awaiting an event would otherwise
 * exit. An idle interval timer costs no CPU; with nothing awaited it no longer holds the loop.
 */
function holdEventLoop(): () => void {
  if (awaited++ === 0) (keepAlive ??= loopHold()).ref();
  let released = false;
  return () => {
    if (released) return;
    released = true;
    if (--awaited === 0) keepAlive!.unref();
  };
}

/** Checks `WaitOptions`; returns the error for a malformed one. */
export function checkWaitOptions(options: WaitOptions | undefined): Iox2Error | undefined {
  if (options === undefined) return undefined;
  if (typeof options !== "object" || options === null) return new Iox2Error("InvalidArgument", "wait options must be an object");
  const { timeout, signal } = options;
  if (timeout !== undefined && (typeof timeout !== "number" || !(timeout >= 0) || !Number.isFinite(timeout))) {
    return new Iox2Error("InvalidArgument", `timeout must be a non-negative finite number of milliseconds, got ${String(timeout)}`);
  }
  if (signal !== undefined && (typeof signal !== "object" || signal === null || typeof signal.addEventListener !== "function")) {
    return new Iox2Error("InvalidArgument", "signal must be an AbortSignal");
  }
  return undefined;
}

export function abortedError(signal: AbortSignalLike): Iox2Error {
  const reason = signal.reason instanceof Error ? `: ${signal.reason.message}` : "";
  return new Iox2Error("Aborted", `the wait was aborted${reason}`, { cause: signal.reason });
}

/** How a {@link Trigger} ended. */
export type TriggerOutcome = "ready" | "timeout";

/**
 * One wait for the first of several sources: native descriptors (through the reactor), a
 * timer, an AbortSignal, or the owner closing. Settles once; cleans up every source it armed.
 */
export class Trigger {
  readonly #native: Native | undefined;
  readonly #cancels: (() => void)[] = [];
  #timer: unknown;
  #settle: ((outcome: TriggerOutcome | Iox2Error) => void) | undefined;
  readonly #done: Promise<TriggerOutcome | Iox2Error>;
  readonly #release: () => void;
  #signal: AbortSignalLike | undefined;
  readonly #onAbort = () => this.fail(abortedError(this.#signal!));
  /** Which watched sources fired (by the label given to `watch`). */
  readonly fired = new Set<unknown>();

  /** `native` is needed only to watch descriptors. */
  constructor(native?: Native) {
    this.#native = native;
    this.#done = new Promise((resolve) => (this.#settle = resolve));
    this.#release = holdEventLoop();
  }

  /** Wakes when listener `handle` turns readable; `label` goes into `fired`. */
  watch(handle: Handle, label: unknown): void {
    const native = this.#native;
    if (this.#settle === undefined || native === undefined) return;
    try {
      this.#cancels.push(
        native.watch(handle, () => {
          this.fired.add(label);
          this.#finish("ready");
        }),
      );
    } catch (error) {
      this.fail(Iox2Error.from(error));
    }
  }

  /** Settles with "timeout" after `ms` (undefined: never). */
  timeout(ms: number | undefined): void {
    if (ms === undefined || this.#settle === undefined) return;
    this.#timer = timers.setTimeout(() => this.#finish("timeout"), Math.min(Math.max(ms, 0), MAX_DELAY));
  }

  abortOn(signal: AbortSignalLike | undefined): void {
    if (signal === undefined) return;
    if (signal.aborted) return this.fail(abortedError(signal));
    this.#signal = signal;
    signal.addEventListener("abort", this.#onAbort, { once: true });
  }

  /** Ends the wait with `error` (abort, close). */
  fail(error: Iox2Error): void {
    this.#finish(error);
  }

  /** Resolves with the outcome, or the error that ended the wait. */
  get done(): Promise<TriggerOutcome | Iox2Error> {
    return this.#done;
  }

  #finish(outcome: TriggerOutcome | Iox2Error): void {
    const settle = this.#settle;
    if (settle === undefined) return;
    this.#settle = undefined;
    for (const cancel of this.#cancels) cancel();
    if (this.#timer !== undefined) timers.clearTimeout(this.#timer);
    this.#signal?.removeEventListener("abort", this.#onAbort);
    this.#release();
    settle(outcome);
  }
}

/** The waits in progress on one object, failed together when it closes. */
export class PendingWaits {
  readonly #triggers = new Set<Trigger>();

  /** Runs `body` with `trigger` registered here until it settles. */
  async track<T>(trigger: Trigger, body: (trigger: Trigger) => Promise<T>): Promise<T> {
    const forget = this.add(trigger);
    try {
      return await body(trigger);
    } finally {
      forget();
    }
  }

  /** Registers a trigger to fail when the object closes; returns its unregistration. */
  add(trigger: Trigger): () => void {
    this.#triggers.add(trigger);
    return () => this.#triggers.delete(trigger);
  }

  /** Fails every wait in progress (the object is closing). */
  failAll(error: Iox2Error): void {
    for (const trigger of this.#triggers) trigger.fail(error);
    this.#triggers.clear();
  }
}

/** Milliseconds left until `deadline` (a `Date.now()` value), or undefined for none. */
export function remaining(deadline: number | undefined): number | undefined {
  return deadline === undefined ? undefined : Math.max(0, deadline - Date.now());
}
