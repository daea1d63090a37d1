import { expect } from "vitest";
import { Iox2Error, type ErrorKind } from "../src/base/errors.js";

/** The Iox2Error `fn` throws, checked for `kind` and, when given, a message part or pattern. */
export function expectKind(fn: () => unknown, kind: ErrorKind, message?: string | RegExp): Iox2Error {
  let thrown: unknown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  expect(thrown).toBeInstanceOf(Iox2Error);
  const error = thrown as Iox2Error;
  expect(error.kind, error.message).toBe(kind);
  if (typeof message === "string") expect(error.message).toContain(message);
  else if (message !== undefined) expect(error.message).toMatch(message);
  return error;
}
