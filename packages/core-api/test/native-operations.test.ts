/** The generated operation table against a loaded library: codes are constants only when both list the same operations. */
import { describe, expect, it } from "vitest";
import type { Backend } from "../src/native/backend.js";
import { Iox2Error } from "../src/base/errors.js";
import { OPERATION_CODES, OPERATIONS } from "../src/generated/contract.js";
import { CALL, MEMORY, Native, SEND_COPY } from "../src/native/native.js";

/** A backend that answers only the `ops` control operation, with `names`. */
function backendListing(names: object): Backend {
  return {
    control: (op: string) => {
      if (op !== "ops") throw new Error(`unexpected control ${op}`);
      return JSON.stringify(names);
    },
  } as unknown as Backend;
}

const current = (): Record<"call" | "memory" | "view" | "sendCopy" | "control", string[]> => ({
  call: [...OPERATIONS.call],
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

describe("operation codes", () => {
  it("are each operation's position from 1 in the generated table", () => {
    expect(() => new Native(backendListing(current()))).not.toThrow();
    expect(CALL[OPERATIONS.call[0]]).toBe(1);
    expect(MEMORY.subscriberReceive).toBe(OPERATIONS.memory.indexOf("subscriberReceive") + 1);
    expect(SEND_COPY.publisherSendCopy).toBe(OPERATION_CODES.sendCopy.publisherSendCopy);
    expect(CALL.close).toBe(OPERATIONS.call.indexOf("close") + 1);
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
    const reordered = current();
    reordered.call.reverse();
    expect(loadFailure(reordered).message).toContain("(in another order)");
  });
});
