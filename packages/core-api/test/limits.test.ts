import { describe, expect, it } from "vitest";
import { Iox2Error } from "../src/base/errors.js";
import { checkCounts } from "../src/ports/service-builder.js";

const error = (value: unknown): Iox2Error => {
  expect(value).toBeInstanceOf(Iox2Error);
  return value as Iox2Error;
};

describe("count limits", () => {
  it("let counts up to the bound through and refuse one more, naming option and bound", () => {
    expect(checkCounts({ maxLoanedSamples: 65_536, maxSubscribers: 4_096, eventIdMaxValue: 0 }, () => 0)).toBeUndefined();
    const refused = error(checkCounts({ maxLoanedSamples: 0xffff_ffff }, () => 1));
    expect(refused.kind).toBe("InvalidArgument");
    expect(refused.message).toBe("maxLoanedSamples must be an integer in 1..65536, got 4294967295");
    expect(error(checkCounts({ maxSubscribers: 4_097 }, () => 1)).message).toContain("1..4096");
    expect(error(checkCounts({ eventIdMaxValue: 65_536 }, () => 0)).message).toContain("0..65535");
  });

  it("keep the minimum and the integer check", () => {
    expect(error(checkCounts({ historySize: -1 }, () => 0)).kind).toBe("InvalidArgument");
    expect(error(checkCounts({ bufferSize: 0 }, () => 1)).kind).toBe("InvalidArgument");
    expect(error(checkCounts({ bufferSize: 1.5 }, () => 1)).kind).toBe("InvalidArgument");
    expect(error(checkCounts({ bufferSize: 2n }, () => 1)).kind).toBe("InvalidArgument");
  });

  it("refuse a count the table does not name, and skip flags and strategy names", () => {
    expect(error(checkCounts({ maxSubscriber: 4 }, () => 1)).message).toBe("maxSubscriber is not a count option");
    expect(error(checkCounts({ toString: 4 }, () => 1)).message).toBe("toString is not a count option");
    expect(checkCounts({ enableSafeOverflow: true, allocationStrategy: "static", maxNodes: undefined }, () => 1)).toBeUndefined();
  });
});
