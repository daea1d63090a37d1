import { currentBackend, type Backend } from "./backend.js";
import { ERROR_KINDS, Iox2Error } from "./errors.js";
import { nativeFor } from "./native.js";

/** iceoryx2's log levels, most verbose first. */
export const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Sets the log level of iceoryx2 inside this process (its logs go to stderr). */
export function setLogLevel(level: LogLevel, backend: Backend = currentBackend()): void {
  const index = LOG_LEVELS.indexOf(level);
  if (index < 0) throw new Iox2Error("InvalidArgument", `log level must be one of ${LOG_LEVELS.join(", ")}, got ${String(level)}`);
  nativeFor(backend).call("setLogLevel", 0, index);
}

/** Native objects (nodes, services, ports, samples...) open on this thread; for leak checks. */
export function openHandleCount(backend: Backend = currentBackend()): number {
  return nativeFor(backend).call("openHandleCount", 0);
}

/** Whether the native library and this package agree on the error kinds (checked by tests). */
export function errorKindsMatch(backend: Backend = currentBackend()): boolean {
  return backend.errorKinds().join() === ERROR_KINDS.join();
}
