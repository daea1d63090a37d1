import { Iox2Error } from "../base/errors.js";
import type { Listener } from "../patterns/event.js";
import { nativeOf } from "./lifecycle.js";
import { attempt, err, ok, type Result } from "../base/result.js";
import { checkWaitOptions, PendingWaits, remaining, Trigger, type WaitOptions } from "./waiting.js";

/** What a WaitSet callback returns: keep processing, or stop the loop. */
export type CallbackProgression = "continue" | "stop";

/** Why a wait-and-process call returned. */
export type WaitSetRunResult = "allEventsHandled" | "stopRequest";

/**
 * What a {@link WaitSetGuard} watches: a listener's events (`"notification"`), a listener's
 * events with a deadline (`"deadline"`), or a timer (`"interval"`).
 */
export type AttachmentKind = "notification" | "deadline" | "interval";

/**
 * What is attached to a WaitSet. Keep it to tell attachments apart in the callback; `detach()`
 * (or `close()`) removes it.
 */
export class WaitSetGuard implements Disposable {
  /**
   * @internal
   * @param kind What the attachment watches.
   * @param listener The attached listener; `undefined` for an interval.
   * @param periodMs The deadline or interval in milliseconds; `undefined` for a notification.
   * @param waitSet The WaitSet the attachment belongs to.
   */
  constructor(
    readonly kind: AttachmentKind,
    readonly listener: Listener | undefined,
    readonly periodMs: number | undefined,
    readonly waitSet: WaitSet,
  ) {}

  /** @internal When the deadline or interval is next due (`Date.now()` scale). */
  due = 0;

  /** Removes the attachment; a no-op when already detached. */
  detach(): void {
    this.waitSet.detach(this);
  }

  /** Same as `detach()`. */
  close(): void {
    this.detach();
  }

  /** Same as `detach()`, so that `using guard = ...` detaches at the end of its scope. */
  [Symbol.dispose](): void {
    this.detach();
  }
}

/** Passed to the callback: which attachment fired, and how. */
export class WaitSetAttachmentId {
  /**
   * @internal
   * @param guard The attachment that fired.
   * @param missedDeadline True when it fired because its deadline passed without events.
   */
  constructor(
    readonly guard: WaitSetGuard,
    readonly missedDeadline: boolean,
  ) {}

  /** Whether `guard`'s listener has events or its interval elapsed. */
  hasEventFrom(guard: WaitSetGuard): boolean {
    return this.guard === guard && !this.missedDeadline;
  }

  /** Whether `guard` (a deadline attachment) saw no event within its deadline. */
  hasMissedDeadline(guard: WaitSetGuard): boolean {
    return this.guard === guard && this.missedDeadline;
  }
}

/**
 * Called once per attachment that fired; return `"stop"` to end the run, anything else (or
 * nothing) to go on. Exceptions it throws reject the wait unchanged.
 */
export type WaitSetCallback = (attachment: WaitSetAttachmentId) => CallbackProgression | void;

/** Builds a {@link WaitSet} (upstream's `WaitSetBuilder`). */
export class WaitSetBuilder {
  /** Creates an empty WaitSet; never fails (a `Result` for symmetry with upstream). */
  create(): Result<WaitSet> {
    return ok(new WaitSet());
  }
}

function checkPeriod(ms: unknown, what: string): Iox2Error | undefined {
  return typeof ms === "number" && ms > 0 && Number.isFinite(ms)
    ? undefined
    : new Iox2Error("InvalidArgument", `${what} must be a positive number of milliseconds, got ${String(ms)}`);
}

/**
 * Waits on many sources at once without blocking the event loop, in the shape of upstream's
 * WaitSet: attach listeners (notifications), listeners with a deadline, and intervals; then
 * `waitAndProcessOnce()` or `waitAndProcess()` call back once per attachment that fired.
 *
 * Like upstream, notifications are level-triggered: the callback should take the listener's
 * events (`listener.tryWait()`), otherwise the same attachment fires again on the next wait.
 * Deadlines restart when their listener has events or the deadline was reported missed;
 * intervals fire every period.
 */
export class WaitSet implements Disposable {
  readonly #attachments = new Set<WaitSetGuard>();
  readonly #waits = new PendingWaits();
  #closed = false;

  /** Number of attachments. */
  get len(): number {
    return this.#attachments.size;
  }

  /** Whether nothing is attached. */
  get isEmpty(): boolean {
    return this.#attachments.size === 0;
  }

  /**
   * Wakes when `listener` receives events. Fails with `InvalidArgument` when `listener` is not a
   * {@link Listener} or is already attached, `HandleClosed` when it or the WaitSet is closed.
   */
  attachNotification(listener: Listener): Result<WaitSetGuard> {
    return this.#attach("notification", listener, undefined);
  }

  /**
   * Wakes when `listener` receives events, or reports a missed deadline after `deadlineMs`
   * milliseconds without any. Fails as `attachNotification` does, and with `InvalidArgument` for
   * a `deadlineMs` that is not a positive finite number.
   */
  attachDeadline(listener: Listener, deadlineMs: number): Result<WaitSetGuard> {
    const invalid = checkPeriod(deadlineMs, "deadline");
    return invalid === undefined ? this.#attach("deadline", listener, deadlineMs) : err(invalid);
  }

  /**
   * Wakes every `periodMs` milliseconds. Fails with `InvalidArgument` for a period that is not a
   * positive finite number, `HandleClosed` when the WaitSet is closed.
   */
  attachInterval(periodMs: number): Result<WaitSetGuard> {
    const invalid = checkPeriod(periodMs, "interval");
    return invalid === undefined ? this.#attach("interval", undefined, periodMs) : err(invalid);
  }

  /** @internal Used by {@link WaitSetGuard.detach}. */
  detach(guard: WaitSetGuard): void {
    this.#attachments.delete(guard);
  }

  /**
   * Waits until at least one attachment fires (or `timeout` passes), then calls `callback` for
   * each that fired, in attachment order, until it returns "stop".
   */
  async waitAndProcessOnce(callback: WaitSetCallback, options?: WaitOptions): Promise<Result<WaitSetRunResult>> {
    const invalid = this.#check(callback, options);
    if (invalid !== undefined) return err(invalid);
    const deadline = options?.timeout === undefined ? undefined : Date.now() + options.timeout;
    for (;;) {
      const fired = await this.#waitForAttachments(options?.signal, deadline);
      if (fired.isErr()) return err(fired.error);
      if (fired.value.length > 0 || (deadline !== undefined && Date.now() >= deadline)) {
        // The callback's own exceptions propagate (reject) unchanged.
        return ok(this.#dispatch(fired.value, callback) ? "stopRequest" : "allEventsHandled");
      }
    }
  }

  /**
   * Waits and processes repeatedly until the callback returns "stop" ("stopRequest"), or
   * `signal` aborts or the WaitSet closes (an `Aborted` error). `timeout` bounds the whole run.
   */
  async waitAndProcess(callback: WaitSetCallback, options?: WaitOptions): Promise<Result<WaitSetRunResult>> {
    const invalid = this.#check(callback, options);
    if (invalid !== undefined) return err(invalid);
    const deadline = options?.timeout === undefined ? undefined : Date.now() + options.timeout;
    for (;;) {
      const round = await this.waitAndProcessOnce(callback, { signal: options?.signal, timeout: remaining(deadline) });
      if (round.isErr() || round.value === "stopRequest") return round;
      if (deadline !== undefined && Date.now() >= deadline) return round;
    }
  }

  /** The same as {@link waitAndProcess}: `await waitset.run(callback, { signal })`. */
  run(callback: WaitSetCallback, options?: WaitOptions): Promise<Result<WaitSetRunResult>> {
    return this.waitAndProcess(callback, options);
  }

  /** Detaches everything and fails waits in progress with `Aborted`. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#attachments.clear();
    this.#waits.failAll(new Iox2Error("Aborted", "the WaitSet was closed while it waited"));
  }

  /** Same as `close()`, so that `using waitset = ...` closes it at the end of its scope. */
  [Symbol.dispose](): void {
    this.close();
  }

  #attach(kind: AttachmentKind, listener: Listener | undefined, periodMs: number | undefined): Result<WaitSetGuard> {
    if (this.#closed) return err(new Iox2Error("HandleClosed", "the WaitSet is closed"));
    if (listener !== undefined) {
      if (typeof listener !== "object" || listener === null || typeof listener.isReadable !== "function") {
        return err(new Iox2Error("InvalidArgument", "only a Listener can be attached"));
      }
      if (listener.isClosed) return err(new Iox2Error("HandleClosed", "a closed Listener cannot be attached"));
      for (const other of this.#attachments) {
        if (other.listener === listener) return err(new Iox2Error("InvalidArgument", "the Listener is already attached"));
      }
    }
    const guard = new WaitSetGuard(kind, listener, periodMs, this);
    guard.due = periodMs === undefined ? Infinity : Date.now() + periodMs;
    this.#attachments.add(guard);
    return ok(guard);
  }

  #check(callback: unknown, options: WaitOptions | undefined): Iox2Error | undefined {
    if (this.#closed) return new Iox2Error("HandleClosed", "the WaitSet is closed");
    if (typeof callback !== "function") return new Iox2Error("InvalidArgument", "the callback must be a function");
    if (this.#attachments.size === 0) return new Iox2Error("InvalidArgument", "the WaitSet has no attachments");
    return checkWaitOptions(options);
  }

  /** Which attachments fire now: listeners with events, deadlines and intervals that are due. */
  #due(): Result<WaitSetAttachmentId[]> {
    const now = Date.now();
    const fired: WaitSetAttachmentId[] = [];
    for (const guard of this.#attachments) {
      const listener = guard.listener;
      if (listener !== undefined) {
        if (listener.isClosed) return err(new Iox2Error("HandleClosed", "a Listener attached to the WaitSet was closed"));
        const readable = attempt(() => listener.isReadable());
        if (readable.isErr()) return err(readable.error);
        if (readable.value) {
          fired.push(new WaitSetAttachmentId(guard, false));
          if (guard.kind === "deadline") guard.due = now + guard.periodMs!;
          continue;
        }
      }
      if (guard.due <= now) {
        fired.push(new WaitSetAttachmentId(guard, guard.kind === "deadline"));
        guard.due = now + guard.periodMs!;
      }
    }
    return ok(fired);
  }

  /** Waits until something is due (checked first without waiting), `signal` aborts, or `deadline`. */
  async #waitForAttachments(signal: WaitOptions["signal"], deadline: number | undefined): Promise<Result<WaitSetAttachmentId[]>> {
    const ready = this.#due();
    if (ready.isErr() || ready.value.length > 0) return ready;
    let nextDue = deadline ?? Infinity;
    for (const guard of this.#attachments) nextDue = Math.min(nextDue, guard.due);
    const first = [...this.#attachments].find((g) => g.listener !== undefined && !g.listener.isClosed)?.listener;
    const native = first === undefined ? undefined : nativeOf(first).native;
    const forgets: (() => void)[] = [];
    const outcome = await this.#waits.track(new Trigger(native), (trigger) => {
      trigger.abortOn(signal);
      trigger.timeout(nextDue === Infinity ? undefined : remaining(nextDue));
      for (const guard of this.#attachments) {
        const listener = guard.listener;
        if (listener === undefined) continue;
        if (listener.isClosed) {
          trigger.fail(new Iox2Error("HandleClosed", "a Listener attached to the WaitSet was closed"));
          break;
        }
        forgets.push(listener.watchWith(trigger, guard));
      }
      return trigger.done;
    });
    for (const forget of forgets) forget();
    if (outcome instanceof Iox2Error) return err(outcome);
    return this.#due();
  }

  /** Calls back for each fired attachment; returns whether the callback asked to stop. */
  #dispatch(fired: WaitSetAttachmentId[], callback: WaitSetCallback): boolean {
    for (const attachment of fired) {
      if (callback(attachment) === "stop") return true;
    }
    return false;
  }
}
