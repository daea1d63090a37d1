/** The generated operation lists against a loaded library: both must list the same operations. */
import { describe, expect, it } from "vitest";
import type { Backend } from "../src/native/backend.js";
import { Iox2Error } from "../src/base/errors.js";
import { OPERATIONS } from "../src/generated/contract.js";
import { OPERATION_SYMBOLS } from "../src/generated/operations.js";
import { Native } from "../src/native/native.js";

/** A backend that answers only the `ops` control operation, with `names`. */
function backendListing(names: object): Backend {
  return {
    control: (op: string) => {
      if (op !== "ops") throw new Error(`unexpected control ${op}`);
      return JSON.stringify(names);
    },
  } as unknown as Backend;
}

type Shape = keyof typeof OPERATIONS;
const current = (): Record<Shape, string[]> => ({
  call: [...OPERATIONS.call],
  consume: [...OPERATIONS.consume],
  memory: [...OPERATIONS.memory],
  view: [...OPERATIONS.view],
  sendCopy: [...OPERATIONS.sendCopy],
  control: [...OPERATIONS.control],
});

function loadFailure(names: object): Iox2Error {
  try {
    new Native(backendListing(names));
  } catch (error) {
    expect(error).toBeInstanceOf(Iox2Error);
    return error as Iox2Error;
  }
  throw new Error("expected LibraryLoadFailure");
}

describe("native operations", () => {
  it("accept a library that lists the same operations, in any order", () => {
    expect(() => new Native(backendListing(current()))).not.toThrow();
    const reordered = current();
    reordered.call.reverse();
    expect(() => new Native(backendListing(reordered))).not.toThrow();
  });

  it("refuse a library whose operations differ, naming what is missing or unknown", () => {
    const missing = current();
    missing.memory = missing.memory.filter((name) => name !== "subscriberReceive");
    const error = loadFailure(missing);
    expect(error.kind).toBe("LibraryLoadFailure");
    expect(error.message).toContain("memory operations differ from this package's (missing: subscriberReceive)");
    const extra = current();
    extra.control.push("future.op");
    expect(loadFailure(extra).message).toContain("(unknown: future.op)");
  });

  it("each per-message operation has its own C-ABI symbol", () => {
    const perMessage = (["call", "consume", "memory", "view", "sendCopy"] as const).flatMap((shape) => [...OPERATIONS[shape]]);
    expect(Object.keys(OPERATION_SYMBOLS).sort()).toEqual([...perMessage].sort());
    const symbols = Object.values(OPERATION_SYMBOLS);
    expect(new Set(symbols).size).toBe(symbols.length);
    expect(OPERATION_SYMBOLS.sampleSend).toBe("iox2js_sample_send");
  });
});
