import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Iox2Error } from "../src/errors.js";
import { checkCounts, COUNT_LIMITS } from "../src/service-builder.js";

/** The native core's `COUNT_LIMITS` table, read from its source: option name → bound. */
function nativeCountLimits(): Record<string, number> {
  const source = readFileSync(new URL("../../../crates/core/src/limits.rs", import.meta.url), "utf8");
  const constants = new Map<string, number>();
  for (const [, name, value] of source.matchAll(/^pub const (MAX_[A-Z_]+): usize = ([\d_]+);/gm)) {
    constants.set(name!, Number(value!.replaceAll("_", "")));
  }
  const table = /pub const COUNT_LIMITS: &\[\(&str, usize\)\] = &\[([\s\S]*?)\n\];/.exec(source)?.[1];
  expect(table, "COUNT_LIMITS in limits.rs").toBeDefined();
  const limits: Record<string, number> = {};
  for (const [, option, constant] of table!.matchAll(/\("(\w+)", (MAX_[A-Z_]+)\)/g)) {
    expect(constants.has(constant!), `${constant} is a plain constant in limits.rs`).toBe(true);
    limits[option!] = constants.get(constant!)!;
  }
  return limits;
}

const error = (value: unknown): Iox2Error => {
  expect(value).toBeInstanceOf(Iox2Error);
  return value as Iox2Error;
};

describe("count limits", () => {
  it("are the native core's, option by option", () => {
    expect({ ...COUNT_LIMITS }).toEqual(nativeCountLimits());
  });

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
