import { Iox2Error } from "../base/errors.js";

const names = new WeakMap<object, string>();

/** Records the name `port` was built with ("" for none) and returns the port. */
export function withName<T extends object>(port: T, name: string | undefined): T {
  names.set(port, name ?? "");
  return port;
}

/** The name `port` was built with; "" when it has none. */
export function portName(port: object): string {
  return names.get(port) ?? "";
}

/** Checks a port name's type before anything native runs (the core checks its length and text as upstream does). */
export function checkPortName(name: unknown): Iox2Error | undefined {
  if (name === undefined || typeof name === "string") return undefined;
  return new Iox2Error("InvalidArgument", `a port name must be a string, got ${typeof name}`);
}
