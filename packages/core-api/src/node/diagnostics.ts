import { currentBackend, type Backend } from "../native/backend.js";
import { ERROR_KINDS, Iox2Error } from "../base/errors.js";
import { nativeFor } from "../native/native.js";
import { attempt, type Result } from "../base/result.js";

/** iceoryx2's log levels, most verbose first. */
export const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal"] as const;
/** One of {@link LOG_LEVELS}; {@link setLogLevel} shows messages of this level and above. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * Sets the log level of iceoryx2 inside this process, overriding `IOX2_LOG_LEVEL` (its records
 * go to stderr, or to {@link onLog}'s handler). Throws (does not return a `Result`) an
 * {@link Iox2Error}: `InvalidArgument` for a level not in {@link LOG_LEVELS},
 * `LibraryLoadFailure` when the native library cannot be loaded.
 */
export function setLogLevel(level: LogLevel): void {
  const index = LOG_LEVELS.indexOf(level);
  if (index < 0) throw new Iox2Error("InvalidArgument", `log level must be one of ${LOG_LEVELS.join(", ")}, got ${String(level)}`);
  nativeFor(currentBackend()).ops.setLogLevel(0, index);
}

/**
 * iceoryx2's log level in this process: `IOX2_LOG_LEVEL` (read when the library loads, as
 * upstream's programs read it; info when unset or invalid) until {@link setLogLevel} changes it.
 * Throws `LibraryLoadFailure` when the native library cannot be loaded.
 */
export function logLevel(): LogLevel {
  return LOG_LEVELS[nativeFor(currentBackend()).ops.logLevel(0, 0)] ?? "info";
}

/** Which adapter runs and which iceoryx2 release its native library links. */
export interface LibraryInfo {
  /** "node", "deno" or "bun". */
  readonly runtime: string;
  /** The iceoryx2 release compiled into the native library, e.g. "0.10.0". */
  readonly iceoryx2Version: string;
}

/**
 * Loads the native library if no call has yet, and says which one runs. Fails with
 * `LibraryLoadFailure` (the message names every place searched and what to do) when it cannot
 * be loaded: call it first to check an installation.
 */
export function libraryInfo(): Result<LibraryInfo> {
  return attempt(() => {
    const backend = currentBackend();
    return { runtime: backend.runtime, iceoryx2Version: backend.iceoryx2Version };
  });
}

/** Native objects (nodes, services, ports, samples...) open on this thread; for leak checks. */
export function openHandleCount(backend: Backend = currentBackend()): number {
  return nativeFor(backend).ops.openHandleCount(0, 0);
}

/** Whether the native library and this package agree on the error kinds (checked by tests). */
export function errorKindsMatch(backend: Backend = currentBackend()): boolean {
  return backend.errorKinds().join() === ERROR_KINDS.join();
}
