/**
 * The TS layout types against Rust's own layouts: `iox2js-type-facts` (tools/interop/rust-peer) prints
 * what rustc and `iceoryx2-bb-container` 0.10 make of each type (iceoryx2's type name, size,
 * alignment, offsets); the same types built with the layout API must agree on every fact.
 */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  char,
  enumOf,
  f64,
  fixedSizeQueue,
  i128,
  i32,
  isize,
  staticString,
  staticVec,
  struct,
  u128,
  u16,
  u32,
  u64,
  u8,
  usize,
  type AnyLayoutType,
  type StructType,
} from "@iceoryx2-js/node";
import { ComplexMessage } from "../src/types.js";

interface Fact {
  case: string;
  typeName: string | null;
  size: number;
  alignment: number;
  offsets: Record<string, number>;
}

const factsBinary = fileURLToPath(new URL("../../../target/release/iox2js-type-facts", import.meta.url));
const facts: Fact[] = execFileSync(factsBinary, { encoding: "utf8", timeout: 60_000 })
  .trim()
  .split("\n")
  .map((line) => JSON.parse(line) as Fact);

const FullName = struct("FullName", { first_name: staticString(15), last_name: staticString(15) });

/** Each case as the layout API writes it, with the offsets the Rust side reports. */
const typescript: Record<string, { type: AnyLayoutType; offsets: Record<string, number> }> = {
  u128: { type: u128, offsets: {} },
  i128: { type: i128, offsets: {} },
  usize: { type: usize, offsets: {} },
  isize: { type: isize, offsets: {} },
  char: { type: char, offsets: {} },
  ...Object.fromEntries(
    [1, 7, 8, 64, 256].map((n) => {
      const type = staticString(n);
      return [`StaticString<${n}>`, { type, offsets: { data: 0, len: containerLengthOffset(type.size) } }];
    }),
  ),
  ...Object.fromEntries(
    (
      [
        ["StaticVec<u8, 1>", staticVec(u8, 1)],
        ["StaticVec<u8, 3>", staticVec(u8, 3)],
        ["StaticVec<u64, 32>", staticVec(u64, 32)],
        ["StaticVec<u128, 1>", staticVec(u128, 1)],
        ["StaticVec<StaticVec<f64, 8>, 8>", staticVec(staticVec(f64, 8), 8)],
        ["StaticVec<StaticString<64>, 4>", staticVec(staticString(64), 4)],
      ] as const
    ).map(([name, type]) => [name, { type: type as AnyLayoutType, offsets: { data: 0, len: vecLengthOffset(type) } }]),
  ),
  FullName: { type: FullName, offsets: offsetsOf(FullName) },
  ComplexType: (() => {
    const type = struct("ComplexType", {
      address_book: staticVec(FullName, 3),
      some_matrix: staticVec(staticVec(f64, 2), 2),
      some_value: u16,
      another_value: u32,
      big: u128,
    });
    return { type, offsets: offsetsOf(type) };
  })(),
  ...Object.fromEntries(
    (
      [
        ["FixedSizeQueue<u32, 3>", fixedSizeQueue(u32, 3)],
        ["FixedSizeQueue<u128, 2>", fixedSizeQueue(u128, 2)],
        ["FixedSizeQueue<StaticString<4>, 2>", fixedSizeQueue(staticString(4), 2)],
      ] as const
    ).map(([name, type]) => [name, { type: type as AnyLayoutType, offsets: { data: queueDataOffset(type) } }]),
  ),
  ComplexDataType: (() => {
    const ComplexData = struct("ComplexData", { name: staticString(4), data: staticVec(u64, 4) });
    const type = struct("ComplexDataType", {
      plain_old_data: u64,
      text: staticString(8),
      vec_of_data: staticVec(u64, 4),
      vec_of_complex_data: staticVec(ComplexData, 3),
      a_queue_of_things: fixedSizeQueue(staticString(4), 2),
    });
    return { type, offsets: offsetsOf(type) };
  })(),
  Status: { type: enumOf("Status", u8, { Idle: 0, Running: 1 }), offsets: {} },
  Level: { type: enumOf("Level", i32, { Low: -1, High: 1 }), offsets: {} },
};

/** Where a StaticString keeps its length: the last 8 bytes (what the TS type computes). */
function containerLengthOffset(size: number): number {
  return size - 8;
}

/** A StaticVec's length follows the element storage, 8-byte aligned. */
function vecLengthOffset(type: { element: AnyLayoutType; capacity: number }): number {
  return Math.ceil((type.element.size * type.capacity) / 8) * 8;
}

/** A FixedSizeQueue's ring buffer follows its 40-byte state, aligned for the element. */
function queueDataOffset(type: { element: AnyLayoutType }): number {
  return Math.ceil(40 / type.element.alignment) * type.element.alignment;
}

function offsetsOf(type: StructType): Record<string, number> {
  return Object.fromEntries(type.fields.map((field) => [field.name, field.offset]));
}

describe("layout facts agree with Rust and iceoryx2-bb-container 0.10", () => {
  it("covers every case the Rust side prints", () => {
    expect(facts.map((fact) => fact.case).sort()).toEqual(Object.keys(typescript).sort());
  });

  it.each(facts.map((fact) => [fact.case, fact] as const))("%s", (_case, fact) => {
    const { type, offsets } = typescript[fact.case]!;
    const ours = { size: type.size, alignment: type.alignment, offsets };
    expect(ours).toEqual({ size: fact.size, alignment: fact.alignment, offsets: fact.offsets });
    // Rust's name is iceoryx2's only when the type has no #[type_name]: FullName and the enums
    // are fields here, named by the TS definition.
    if (fact.typeName !== null) expect(type.typeName).toBe(fact.typeName);
  });
});

describe("FixedSizeQueue's ring buffer", () => {
  it("holds the same state as Rust's after the same pushes and pops", () => {
    const rust = JSON.parse(execFileSync(factsBinary, ["--queue-state"], { encoding: "utf8", timeout: 60_000 })) as unknown;
    const type = fixedSizeQueue(u32, 3);
    const view = new DataView(new ArrayBuffer(type.size));
    type.set(view, 0, []);
    const queue = type.get(view, 0);
    for (const value of [1, 2, 3]) queue.push(value);
    expect(queue.pop()).toBe(1);
    queue.push(4);
    expect(queue.pushWithOverflow(5)).toBe(2);
    expect({
      distance: Number(view.getBigInt64(0, true)),
      start: Number(view.getBigUint64(8, true)),
      len: Number(view.getBigUint64(16, true)),
      capacity: Number(view.getBigUint64(24, true)),
      initialized: view.getUint8(32),
      slots: [view.getUint32(40, true), view.getUint32(44, true), view.getUint32(48, true)],
    }).toEqual(rust);
  });
});

describe("the interop protocol's ComplexMessage (docs/interop.md)", () => {
  it("has the layout the Rust peer asserts at compile time and the Python peer at import", () => {
    expect({ typeName: ComplexMessage.typeName, size: ComplexMessage.size, alignment: ComplexMessage.alignment, offsets: offsetsOf(ComplexMessage) }).toEqual({
      typeName: "ComplexMessage",
      size: 208,
      alignment: 16,
      offsets: { label: 0, readings: 48, status: 184, id: 192 },
    });
  });
});
