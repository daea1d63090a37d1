import { currentBackend } from "../native/backend.js";
import { Iox2Error } from "../base/errors.js";
import type { setLogLevel } from "./diagnostics.js";
import { nativeFor, type Native } from "../native/native.js";
import { attempt, type Result } from "../base/result.js";
import type { LogRecord } from "../generated/control.js";

/** One log record of iceoryx2: its level, where in iceoryx2 it was logged, and the message. */
export type { LogRecord };

/** What {@link onLog} calls besides the records. */
export interface LogOptions {
  /**
   * Called when records were dropped because the handler fell behind by more than 4096 of them
   * (the oldest go first). Without it, the handler gets a `warn` record saying how many.
   */
  onDropped?: (count: number) => void;
}

const armLogStream = (native: Native, stream: number): number => native.ops.logStreamWatch(stream, 0);

/**
 * Routes iceoryx2's log records of this process to `handler` instead of stderr, until the
 * returned function is called (then they go to stderr again). Records arrive asynchronously, in
 * order, on this thread's event loop; the subscription does not keep the process alive. Which
 * records are logged is set by `IOX2_LOG_LEVEL` (info when unset, as upstream's programs read
 * it) or {@link setLogLevel}. Without a subscription a record costs nothing here.
 *
 * Several subscriptions (also on Workers) each get every record. An exception thrown by
 * `handler` is caught and written to stderr; the next records still arrive. Stopping delivers
 * the records still queued first, so none is lost.
 *
 * ```ts
 * const stop = onLog(({ level, origin, message }) => logger[level === "fatal" ? "error" : level](`${origin}: ${message}`)).unwrap();
 * ```
 */
export function onLog(handler: (record: LogRecord) => void, options: LogOptions = {}): Result<() => void> {
  return attempt(() => {
    if (typeof handler !== "function") throw new Iox2Error("InvalidArgument", `onLog needs a function, got ${typeof handler}`);
    const native = nativeFor(currentBackend());
    const stream = native.control("log.subscribe", 0);
    let stopped = false;
    const deliver = (): void => {
      const { records, dropped } = native.control("log.take", stream);
      if (dropped > 0) {
        if (options.onDropped !== undefined) call(() => options.onDropped!(dropped));
        else call(() => handler({ level: "warn", origin: "iceoryx2-js", message: `${dropped} log records were dropped: the log handler fell behind by more than 4096 records` }));
      }
      for (const record of records) call(() => handler(record));
    };
    let cancel: () => void;
    const next = (): void => {
      if (stopped) return;
      deliver();
      if (!stopped) cancel = native.watch(stream, next, armLogStream);
    };
    cancel = native.watch(stream, next, armLogStream);
    return () => {
      if (stopped) return;
      stopped = true;
      cancel();
      deliver();
      native.close(stream);
    };
  });
}

/** Every supported runtime has a console; typed here because core-api compiles without DOM types. */
const { console } = globalThis as unknown as { console: { error(...data: unknown[]): void } };

/** Runs a user callback; what it throws is reported, never passed on. */
function call(callback: () => void): void {
  try {
    callback();
  } catch (error) {
    console.error("iceoryx2-js: the log handler threw:", error);
  }
}
