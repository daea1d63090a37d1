import fc from "fast-check";
import { describe, expect, expectTypeOf, it } from "vitest";
import type { ErrorKind } from "../src/base/errors.js";
import { Iox2Error } from "../src/base/errors.js";
import type { ArrayView, Infer, InferInit, InferView, LayoutType, SliceView, StructView } from "../src/layout/index.js";
import {
  array,
  bool,
  describeLayout,
  f32,
  f64,
  i16,
  i32,
  i64,
  i8,
  slice,
  struct,
  u16,
  u32,
  u64,
  u8,
} from "../src/layout/index.js";

// ---------------------------------------------------------------------------
// helpers
// ---------------------------------------------------------------------------

function iox2Error(fn: () => unknown): Iox2Error {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(Iox2Error);
    return e as Iox2Error;
  }
  throw new Error("expected the call to throw");
}

function expectKind(fn: () => unknown, kind: ErrorKind, message?: string | RegExp): Iox2Error {
  const e = iox2Error(fn);
  expect(e.kind, e.message).toBe(kind);
  if (typeof message === "string") expect(e.message).toContain(message);
  else if (message !== undefined) expect(e.message).toMatch(message);
  return e;
}

type Detacher = readonly [string, (ab: ArrayBuffer) => void];

const structuredCloneFn = (globalThis as unknown as { structuredClone: (v: unknown, o: { transfer: ArrayBuffer[] }) => unknown })
  .structuredClone;
const detachers: Detacher[] = [["structuredClone", (ab) => void structuredCloneFn(ab, { transfer: [ab] })]];
if (typeof (ArrayBuffer.prototype as { transfer?: unknown }).transfer === "function") {
  detachers.push(["ArrayBuffer.prototype.transfer", (ab) => void (ab as unknown as { transfer(): ArrayBuffer }).transfer()]);
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

const SensorData = struct("SensorData", {
  timestampNs: u64,
  temperature: f64,
  pressure: f64,
  humidity: f32,
  status: u32,
  sensorId: array(u8, 16),
});

const Vec3 = struct("Vec3", { x: f32, y: f32, z: f32 });
const Pose = struct("Pose", { id: u16, position: Vec3, flags: array(bool, 3), velocity: Vec3, stamp: i64 });
const Track = struct("Track", { active: bool, poses: array(Pose, 2), tag: u8 });

// ---------------------------------------------------------------------------
// primitives
// ---------------------------------------------------------------------------

type Prim = LayoutType<unknown, unknown>;
const primitives: readonly (readonly [string, Prim, number])[] = [
  ["u8", u8, 1],
  ["u16", u16, 2],
  ["u32", u32, 4],
  ["u64", u64, 8],
  ["i8", i8, 1],
  ["i16", i16, 2],
  ["i32", i32, 4],
  ["i64", i64, 8],
  ["f32", f32, 4],
  ["f64", f64, 8],
  ["bool", bool, 1],
] as unknown as readonly (readonly [string, Prim, number])[];

describe("primitives", () => {
  it.each(primitives)("%s has the Rust type name and C size/alignment", (name, type, width) => {
    expect(type.kind).toBe("primitive");
    expect(type.typeName).toBe(name);
    expect(type.size).toBe(width);
    expect(type.alignment).toBe(width);
    expect(describeLayout(type)).toEqual({ kind: "primitive", typeName: name, size: width, alignment: width });
  });

  it("writes little-endian", () => {
    const bytes = new Uint8Array(8);
    const view = new DataView(bytes.buffer);
    u16.set(view, 0, 0x0102);
    expect(hex(bytes.subarray(0, 2))).toBe("0201");
    u32.set(view, 0, 0x01020304);
    expect(hex(bytes.subarray(0, 4))).toBe("04030201");
    u64.set(view, 0, 0x0102030405060708n);
    expect(hex(bytes)).toBe("0807060504030201");
    i16.set(view, 0, -2);
    expect(hex(bytes.subarray(0, 2))).toBe("feff");
    i32.set(view, 0, -2);
    expect(hex(bytes.subarray(0, 4))).toBe("feffffff");
    i64.set(view, 0, -2n);
    expect(hex(bytes)).toBe("feffffffffffffff");
    f64.set(view, 0, 1);
    expect(hex(bytes)).toBe("000000000000f03f");
    f32.set(view, 0, 1);
    expect(hex(bytes.subarray(0, 4))).toBe("0000803f");
    bool.set(view, 0, true);
    expect(bytes[0]).toBe(1);
    bool.set(view, 0, false);
    expect(bytes[0]).toBe(0);
  });

  it("reads little-endian and honours byteOffset", () => {
    const bytes = new Uint8Array([0xaa, 0x04, 0x03, 0x02, 0x01, 0, 0, 0, 0x80]);
    const view = new DataView(bytes.buffer);
    expect(u32.get(view, 1)).toBe(0x01020304);
    expect(u16.get(view, 1)).toBe(0x0304);
    expect(u64.get(view, 1)).toBe(0x8000000001020304n);
    expect(i64.get(view, 1)).toBe(-0x7ffffffffefdfcfcn);
    expect(i8.get(view, 0)).toBe(-86);
    expect(u8.toPlain(view, 0)).toBe(0xaa);
  });

  it("bool reads any non-zero byte as true", () => {
    const view = new DataView(new Uint8Array([0, 1, 2, 255]).buffer);
    expect([0, 1, 2, 3].map((i) => bool.get(view, i))).toEqual([false, true, true, true]);
  });

  it("64-bit integers accept safe-integer numbers and read bigint", () => {
    const view = new DataView(new ArrayBuffer(8));
    u64.set(view, 0, Number.MAX_SAFE_INTEGER);
    expect(u64.get(view, 0)).toBe(BigInt(Number.MAX_SAFE_INTEGER));
    i64.set(view, 0, -Number.MAX_SAFE_INTEGER);
    expect(i64.get(view, 0)).toBe(-BigInt(Number.MAX_SAFE_INTEGER));
    u64.set(view, 0, 0xffff_ffff_ffff_ffffn);
    expect(u64.get(view, 0)).toBe(0xffff_ffff_ffff_ffffn);
    i64.set(view, 0, -0x8000_0000_0000_0000n);
    expect(i64.get(view, 0)).toBe(-0x8000_0000_0000_0000n);
  });

  it("f32 accepts NaN, infinities, the largest finite value and rounds", () => {
    const view = new DataView(new ArrayBuffer(4));
    for (const v of [Number.NaN, Infinity, -Infinity, 3.4028234663852886e38, -3.4028234663852886e38, -0]) {
      f32.set(view, 0, v);
      expect(Object.is(f32.get(view, 0), v)).toBe(true);
    }
    f32.set(view, 0, 0.1);
    expect(f32.get(view, 0)).toBe(Math.fround(0.1));
  });

  const U = undefined;
  const badInputs: readonly (readonly [string, Prim, unknown])[] = [
    // NaN into integers
    ...[u8, u16, u32, u64, i8, i16, i32, i64].map((t) => [t.typeName, t as Prim, Number.NaN] as const),
    // floats into integers
    ...[u8, u16, u32, u64, i8, i16, i32, i64].map((t) => [t.typeName, t as Prim, 1.5] as const),
    // infinities into integers
    ...[u8, u32, u64, i32, i64].map((t) => [t.typeName, t as Prim, Infinity] as const),
    // negatives into unsigned
    ...[u8, u16, u32, u64].map((t) => [t.typeName, t as Prim, -1] as const),
    ["u64", u64, -1n],
    // above max / below min
    ["u8", u8, 256],
    ["u16", u16, 65536],
    ["u32", u32, 4294967296],
    ["i8", i8, 128],
    ["i8", i8, -129],
    ["i16", i16, 32768],
    ["i16", i16, -32769],
    ["i32", i32, 2147483648],
    ["i32", i32, -2147483649],
    ["u64", u64, 2n ** 64n],
    ["i64", i64, 2n ** 63n],
    ["i64", i64, -(2n ** 63n) - 1n],
    // unsafe integer numbers into 64-bit ints
    ["u64", u64, 2 ** 53],
    ["i64", i64, -(2 ** 60)],
    // bigint into <= 32-bit ints and floats
    ...[u8, u16, u32, i8, i16, i32, f32, f64].map((t) => [t.typeName, t as Prim, 1n] as const),
    // strings, undefined, null, booleans, objects
    ...[u8, u16, u32, u64, i8, i16, i32, i64, f32, f64].flatMap((t) =>
      ["1", U, null, true, {}, [1]].map((v) => [t.typeName, t as Prim, v] as const),
    ),
    // f32 overflow
    ["f32", f32, 3.5e38],
    ["f32", f32, -3.5e38],
    ["f32", f32, Number.MAX_VALUE],
    // bool accepts only booleans
    ...[0, 1, "true", null, U, 1n].map((v) => ["bool", bool as Prim, v] as const),
  ] as unknown as readonly (readonly [string, Prim, unknown])[];

  it.each(badInputs)("%s rejects %s with InvalidArgument", (name, type, value) => {
    const bytes = new Uint8Array(8).fill(0x5a);
    const e = expectKind(() => type.set(new DataView(bytes.buffer), 0, value), "InvalidArgument");
    expect(e.message.startsWith(`${name}: `)).toBe(true);
    expect(bytes.every((b) => b === 0x5a)).toBe(true); // nothing written
  });

  it("range errors name the field, type and value", () => {
    const v = SensorData.view(new Uint8Array(SensorData.size));
    expectKind(
      () => {
        v.status = 4294967296;
      },
      "InvalidArgument",
      "field 'status' (u32): 4294967296 is out of range 0..4294967295",
    );
    expectKind(
      () => {
        v.timestampNs = -1n;
      },
      "InvalidArgument",
      "field 'timestampNs' (u64): -1 is out of range 0..18446744073709551615",
    );
    expectKind(
      () => {
        (v as { status: unknown }).status = "7";
      },
      "InvalidArgument",
      `field 'status' (u32): expected an integer number, got "7" (string)`,
    );
    expectKind(() => u8.set(new DataView(new ArrayBuffer(1)), 0, 2.5), "InvalidArgument", "u8: expected an integer, got 2.5");
    expectKind(() => f32.set(new DataView(new ArrayBuffer(4)), 0, 1e39), "InvalidArgument", "f32: 1e+39 is out of range");
    expectKind(() => u64.set(new DataView(new ArrayBuffer(8)), 0, 2 ** 53), "InvalidArgument", "not a safe integer");
  });

  it("raw get/set past the DataView end throws OutOfBounds", () => {
    const view = new DataView(new ArrayBuffer(4));
    expectKind(() => u32.get(view, 1), "OutOfBounds");
    expectKind(() => u64.set(view, 0, 1n), "OutOfBounds");
    expectKind(() => f64.toPlain(view, 0), "OutOfBounds");
  });

  describe("round-trips random in-range values", () => {
    const view = new DataView(new ArrayBuffer(16));
    const roundTrip = <T>(type: LayoutType<T, unknown>, arb: fc.Arbitrary<unknown>, expected = (v: unknown) => v) =>
      fc.assert(
        fc.property(arb, fc.integer({ min: 0, max: 8 }), (v, offset) => {
          type.set(view, offset, v);
          expect(Object.is(type.get(view, offset), expected(v))).toBe(true);
        }),
      );
    it("u8", () => roundTrip(u8, fc.integer({ min: 0, max: 255 })));
    it("u16", () => roundTrip(u16, fc.integer({ min: 0, max: 65535 })));
    it("u32", () => roundTrip(u32, fc.integer({ min: 0, max: 4294967295 })));
    it("u64 (bigint)", () => roundTrip(u64, fc.bigInt({ min: 0n, max: 2n ** 64n - 1n })));
    it("u64 (number)", () => roundTrip(u64, fc.maxSafeNat(), (v) => BigInt(v as number)));
    it("i8", () => roundTrip(i8, fc.integer({ min: -128, max: 127 })));
    it("i16", () => roundTrip(i16, fc.integer({ min: -32768, max: 32767 })));
    it("i32", () => roundTrip(i32, fc.integer({ min: -2147483648, max: 2147483647 })));
    it("i64 (bigint)", () => roundTrip(i64, fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })));
    it("i64 (number)", () => roundTrip(i64, fc.maxSafeInteger(), (v) => BigInt(v as number)));
    it("f32", () => roundTrip(f32, fc.float()));
    it("f32 (any double in range, rounded)", () =>
      roundTrip(f32, fc.double({ min: -3.4e38, max: 3.4e38 }), (v) => Math.fround(v as number)));
    it("f64", () => roundTrip(f64, fc.double()));
    it("bool", () => roundTrip(bool, fc.boolean()));
  });
});

// ---------------------------------------------------------------------------
// arrays
// ---------------------------------------------------------------------------

describe("array", () => {
  it("has Rust type names and C size/alignment", () => {
    const a = array(u8, 16);
    expect(a.kind).toBe("array");
    expect(a.typeName).toBe("[u8; 16]");
    expect(a.size).toBe(16);
    expect(a.alignment).toBe(1);
    expect(a.length).toBe(16);
    expect(a.element).toBe(u8);
    const b = array(array(f64, 3), 2);
    expect(b.typeName).toBe("[[f64; 3]; 2]");
    expect(b.size).toBe(48);
    expect(b.alignment).toBe(8);
    const c = array(Vec3, 4);
    expect(c.typeName).toBe("[Vec3; 4]");
    expect(c.size).toBe(48);
    expect(c.alignment).toBe(4);
  });

  it("rejects bad definitions", () => {
    for (const len of [0, -1, 1.5, Number.NaN, Infinity, "3", 2 ** 53]) {
      expectKind(() => array(u8, len as number), "InvalidArgument", "array()");
    }
    expectKind(() => array({ kind: "primitive", typeName: "x", size: 1, alignment: 1 } as unknown as typeof u8, 2), "InvalidArgument");
    expectKind(() => array(slice(u8) as unknown as typeof u8, 2), "InvalidArgument", "slice");
    expectKind(() => array(u64, 2 ** 51), "InvalidArgument", "too large");
  });

  it("gives a zero-copy checked view", () => {
    const T = struct("T", { pad: u8, values: array(u16, 4) });
    const bytes = new Uint8Array(T.size);
    const values = T.view(bytes).values;
    expect(values.length).toBe(4);
    values.set(0, 0x0102);
    values.set(3, 0xffff);
    expect(hex(bytes)).toBe("0000" + "0201" + "0000" + "0000" + "ffff");
    expect(values.get(0)).toBe(0x0102);
    expect([...values]).toEqual([0x0102, 0, 0, 0xffff]);
    expect(values.toArray()).toEqual([0x0102, 0, 0, 0xffff]);
    bytes[4] = 7;
    expect(values.get(1)).toBe(7); // sees memory changes
    expectKind(() => values.get(4), "OutOfBounds", "index 4 is out of bounds for length 4");
    expectKind(() => values.get(-1), "OutOfBounds");
    expectKind(() => values.set(4, 1), "OutOfBounds");
    expectKind(() => values.get(1.5), "InvalidArgument");
    expectKind(() => values.set(0, 70000), "InvalidArgument", "element [0] (u16): 70000 is out of range 0..65535");
    expectKind(() => values.set(0, -1), "InvalidArgument");
  });

  it("writes whole arrays from array-likes and iterables, checked and atomic", () => {
    const A = array(i16, 3);
    const bytes = new Uint8Array(6);
    const view = new DataView(bytes.buffer);
    A.set(view, 0, [1, -1, 2]);
    expect(A.toPlain(view, 0)).toEqual([1, -1, 2]);
    A.set(view, 0, new Set([4, 5, 6]));
    expect(A.toPlain(view, 0)).toEqual([4, 5, 6]);
    A.set(
      view,
      0,
      (function* () {
        yield 7;
        yield 8;
        yield 9;
      })(),
    );
    expect(A.toPlain(view, 0)).toEqual([7, 8, 9]);
    A.set(view, 0, { length: 3, 0: 1, 1: 2, 2: 3 });
    expect(A.toPlain(view, 0)).toEqual([1, 2, 3]);
    A.set(view, 0, new Int16Array([-5, 6, -7])); // byte-copy fast path
    expect(A.toPlain(view, 0)).toEqual([-5, 6, -7]);
    A.set(view, 0, new Float64Array([1, 2, 3])); // element-wise checked path
    expect(A.toPlain(view, 0)).toEqual([1, 2, 3]);
    const before = hex(bytes);
    expectKind(() => A.set(view, 0, [1, 2]), "InvalidArgument", "expected exactly 3 element(s), got 2");
    expectKind(() => A.set(view, 0, [1, 2, 3, 4]), "InvalidArgument");
    expectKind(() => A.set(view, 0, [1, 2, 40000]), "InvalidArgument", "[2]");
    expectKind(() => A.set(view, 0, "abc" as never), "InvalidArgument");
    expectKind(() => A.set(view, 0, 5 as never), "InvalidArgument");
    expectKind(() => A.set(view, 0, new Float64Array([1, 2, 0.5])), "InvalidArgument");
    expect(hex(bytes)).toBe(before); // nothing written by failed writes
  });

  it("u8 arrays accept a Uint8Array and give a zero-copy Uint8Array", () => {
    const v = SensorData.view(new Uint8Array(SensorData.size));
    const id = Uint8Array.from({ length: 16 }, (_, i) => i * 3);
    v.sensorId = id as unknown as typeof v.sensorId;
    expect(v.sensorId.toArray()).toEqual(Array.from(id));
    const ta = v.sensorId.typedArray();
    expect(ta).toBeInstanceOf(Uint8Array);
    expect(Array.from(ta)).toEqual(Array.from(id));
    ta[0] = 200;
    expect(v.sensorId.get(0)).toBe(200);
    expectKind(() => {
      v.sensorId = new Uint8Array(15) as unknown as typeof v.sensorId;
    }, "InvalidArgument", "field 'sensorId' ([u8; 16]): expected exactly 16 element(s), got 15");
    expectKind(() => {
      v.sensorId = new Int8Array(16).fill(-1) as unknown as typeof v.sensorId;
    }, "InvalidArgument", "sensorId[0]");
  });

  it.each([
    [u8, Uint8Array],
    [u16, Uint16Array],
    [u32, Uint32Array],
    [u64, BigUint64Array],
    [i8, Int8Array],
    [i16, Int16Array],
    [i32, Int32Array],
    [i64, BigInt64Array],
    [f32, Float32Array],
    [f64, Float64Array],
  ] as const)("typedArray() over %o elements shares memory", (el, Ctor) => {
    const A = array(el as LayoutType<unknown, unknown>, 3);
    const bytes = new Uint8Array(8 + A.size);
    const view = new DataView(bytes.buffer);
    const av = A.get(view, 8);
    const ta = av.typedArray() as unknown as ArrayLike<unknown> & { buffer: ArrayBufferLike; byteOffset: number };
    expect(ta).toBeInstanceOf(Ctor);
    expect(ta.length).toBe(3);
    expect(ta.buffer).toBe(bytes.buffer);
    expect(ta.byteOffset).toBe(8);
    const one = el.typeName.endsWith("64") && el.typeName !== "f64" ? 1n : 1;
    av.set(2, one);
    expect(ta[2]).toBe(one);
  });

  it("typedArray() refuses bool, struct and nested-array elements and misaligned memory", () => {
    const view = new DataView(new ArrayBuffer(64));
    expectKind(() => array(bool, 2).get(view, 0).typedArray(), "InvalidArgument", "bool");
    expectKind(() => array(Vec3, 2).get(view, 0).typedArray(), "InvalidArgument", "Vec3");
    expectKind(() => array(array(u8, 2), 2).get(view, 0).typedArray(), "InvalidArgument");
    expectKind(() => array(u32, 2).get(view, 2).typedArray(), "InvalidArgument", "aligned");
  });

  it("arrays of structs and arrays of arrays", () => {
    const A = array(Vec3, 2);
    const bytes = new Uint8Array(A.size);
    const view = new DataView(bytes.buffer);
    A.set(view, 0, [
      { x: 1, y: 2, z: 3 },
      { x: 4, y: 5, z: 6 },
    ]);
    const av = A.get(view, 0);
    expect(av.get(1).y).toBe(5);
    av.get(1).y = 50;
    expect(A.toPlain(view, 0)).toEqual([
      { x: 1, y: 2, z: 3 },
      { x: 4, y: 50, z: 6 },
    ]);
    expect(av.toArray()).toEqual(A.toPlain(view, 0));
    av.set(0, { x: 7, y: 8, z: 9 });
    expect([...av].map((p) => p.x)).toEqual([7, 4]);
    expectKind(() => av.set(0, { x: 1, y: 2 } as never), "InvalidArgument", "missing field 'z'");
    expectKind(() => A.set(view, 0, [{ x: 1, y: 2, z: 3 }, { x: 1, y: 2, z: "3" }] as never), "InvalidArgument", "[1].z");

    const M = array(array(u8, 2), 3);
    const mb = new Uint8Array(M.size);
    const mv = new DataView(mb.buffer);
    M.set(mv, 0, [
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    expect(Array.from(mb)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(M.get(mv, 0).get(2).get(1)).toBe(6);
    M.get(mv, 0).set(1, new Uint8Array([9, 9]));
    expect(M.toPlain(mv, 0)).toEqual([
      [1, 2],
      [9, 9],
      [5, 6],
    ]);
    // an ArrayView is an iterable init value
    M.get(mv, 0).set(0, M.get(mv, 0).get(2));
    expect(Array.from(mb)).toEqual([5, 6, 9, 9, 5, 6]);
  });
});

// ---------------------------------------------------------------------------
// structs
// ---------------------------------------------------------------------------

describe("struct", () => {
  it("computes the C layout", () => {
    expect(SensorData.kind).toBe("struct");
    expect(SensorData.typeName).toBe("SensorData");
    expect(SensorData.fields.map((f) => [f.name, f.type.typeName, f.offset])).toEqual([
      ["timestampNs", "u64", 0],
      ["temperature", "f64", 8],
      ["pressure", "f64", 16],
      ["humidity", "f32", 24],
      ["status", "u32", 28],
      ["sensorId", "[u8; 16]", 32],
    ]);
    expect(SensorData.size).toBe(48);
    expect(SensorData.alignment).toBe(8);

    const Padded = struct("Padded", { a: u8, b: u64, c: u16, d: array(u8, 3) });
    expect(Padded.fields.map((f) => f.offset)).toEqual([0, 8, 16, 18]);
    expect(Padded.size).toBe(24);
    expect(Padded.alignment).toBe(8);

    expect(Vec3.size).toBe(12);
    expect(Vec3.alignment).toBe(4);
    expect(Pose.fields.map((f) => f.offset)).toEqual([0, 4, 16, 20, 32]);
    expect(Pose.size).toBe(40);
    expect(Pose.alignment).toBe(8);
    expect(Track.fields.map((f) => f.offset)).toEqual([0, 8, 88]);
    expect(Track.size).toBe(96);

    const Small = struct("Small", { a: u8, b: bool });
    expect([Small.size, Small.alignment]).toEqual([2, 1]);
  });

  it("reads and writes fields in place", () => {
    const bytes = new Uint8Array(4 + SensorData.size).fill(0xee);
    const v = SensorData.view(bytes, 4);
    v.timestampNs = 0x0102030405060708n;
    expect(hex(bytes.subarray(4, 12))).toBe("0807060504030201");
    v.timestampNs = 5 as unknown as bigint; // numbers are accepted at runtime
    expect(v.timestampNs).toBe(5n);
    v.temperature = 1;
    expect(hex(bytes.subarray(12, 20))).toBe("000000000000f03f");
    v.status = 0xdeadbeef;
    expect(hex(bytes.subarray(32, 36))).toBe("efbeadde");
    v.sensorId.set(15, 0x42);
    expect(bytes[4 + 47]).toBe(0x42);
    expect(bytes[0]).toBe(0xee); // before the view untouched
    v.humidity = 2;
    bytes.fill(0, 4 + 24, 4 + 28); // bytes written externally are visible
    expect(v.humidity).toBe(0);
    expect(v.status).toBe(0xdeadbeef);
  });

  it("read/write/$toPlain/$set work with plain objects", () => {
    const bytes = new Uint8Array(SensorData.size);
    const value = {
      timestampNs: 123n,
      temperature: 21.5,
      pressure: 1013.25,
      humidity: 0.5,
      status: 7,
      sensorId: Array.from({ length: 16 }, (_, i) => i),
    };
    SensorData.write(bytes, value);
    expect(SensorData.read(bytes)).toEqual(value);
    const v = SensorData.view(bytes);
    expect(v.$toPlain()).toEqual(value);
    expect(v.$layout).toBe(SensorData);
    v.$set({ ...value, timestampNs: 9, status: 8 });
    expect(SensorData.read(bytes)).toEqual({ ...value, timestampNs: 9n, status: 8 });
    expect(SensorData.toPlain(new DataView(bytes.buffer), 0)).toEqual(SensorData.read(bytes));
    expect(Object.keys(SensorData.read(bytes))).toEqual(SensorData.fields.map((f) => f.name));
  });

  it("$assign writes only the fields given, typed with plain values, all checked first", () => {
    const bytes = new Uint8Array(SensorData.size);
    const v = SensorData.view(bytes);
    v.$set({ timestampNs: 1n, temperature: 2, pressure: 3, humidity: 4, status: 5, sensorId: new Array<number>(16).fill(6) });
    v.$assign({ sensorId: Array.from({ length: 16 }, (_, i) => i), status: 9 });
    expect(SensorData.read(bytes)).toEqual({
      timestampNs: 1n,
      temperature: 2,
      pressure: 3,
      humidity: 4,
      status: 9,
      sensorId: Array.from({ length: 16 }, (_, i) => i),
    });
    const before = hex(bytes);
    // A bad field refuses the whole call: the good one before it is not written either.
    expectKind(() => v.$assign({ status: 1, sensorId: [1, 2] }), "InvalidArgument", "sensorId");
    expectKind(() => v.$assign({ statuss: 1 } as never), "InvalidArgument", "unknown field 'statuss'");
    expect(hex(bytes)).toBe(before);
    expectKind(() => SensorData.view(bytes, 0, { readonly: true }).$assign({ status: 1 }), "InvalidArgument", "the view is read-only");
    expectKind(() => {
      (v as { $assign: unknown }).$assign = () => {};
    }, "InvalidArgument", "$assign");
    expectTypeOf(v.$assign).parameter(0).toEqualTypeOf<Partial<InferInit<typeof SensorData>>>();
  });

  it("rejects incomplete, unknown or wrongly typed values without writing", () => {
    const bytes = new Uint8Array(SensorData.size);
    const good = SensorData.read(bytes);
    const { status: _status, ...missing } = good;
    expectKind(() => SensorData.write(bytes, missing as typeof good), "InvalidArgument", "SensorData: missing field 'status'");
    expectKind(() => SensorData.write(bytes, { ...good, extra: 1 } as typeof good), "InvalidArgument", "unknown field 'extra'");
    expectKind(() => SensorData.write(bytes, { ...good, humidity: "x" } as never), "InvalidArgument", "field 'humidity' (f32)");
    expectKind(() => SensorData.write(bytes, { ...good, status: 1, pressure: 1n } as never), "InvalidArgument");
    for (const bad of [null, undefined, 1, "x", [1, 2]]) expectKind(() => SensorData.write(bytes, bad as never), "InvalidArgument");
    expect(bytes.every((b) => b === 0)).toBe(true);
  });

  it("nested structs give nested accessors and accept plain objects", () => {
    const bytes = new Uint8Array(Track.size);
    const t = Track.view(bytes);
    t.active = true;
    const pose = t.poses.get(1);
    pose.position.x = 1.5;
    pose.velocity = { x: 1, y: 2, z: 3 } as unknown as typeof pose.velocity;
    pose.flags.set(2, true);
    pose.stamp = -1n;
    expect(new DataView(bytes.buffer).getFloat32(8 + 40 + 4, true)).toBe(1.5);
    expect(Track.read(bytes)).toEqual({
      active: true,
      poses: [
        { id: 0, position: { x: 0, y: 0, z: 0 }, flags: [false, false, false], velocity: { x: 0, y: 0, z: 0 }, stamp: 0n },
        { id: 0, position: { x: 1.5, y: 0, z: 0 }, flags: [false, false, true], velocity: { x: 1, y: 2, z: 3 }, stamp: -1n },
      ],
      tag: 0,
    });
    expectKind(
      () => {
        pose.position = { x: 1, y: 2 } as unknown as typeof pose.position;
      },
      "InvalidArgument",
      "field 'position' (Vec3): missing field 'z'",
    );
    expectKind(
      () => {
        pose.position = { x: 1, y: 2, z: 1e40 } as unknown as typeof pose.position;
      },
      "InvalidArgument",
      "field 'position.z' (f32)",
    );
    // copying one accessor into another
    t.poses.get(0).position = pose.velocity;
    expect(t.poses.get(0).position.$toPlain()).toEqual({ x: 1, y: 2, z: 3 });
    pose.position.$set({ x: 4, y: 5, z: 6 });
    expect(pose.position.$toPlain()).toEqual({ x: 4, y: 5, z: 6 });
  });

  it("round-trips random values through write/read and the accessor", () => {
    const bytes = new Uint8Array(Track.size + 8);
    const vec = fc.record({ x: fc.float(), y: fc.float(), z: fc.float() });
    const pose = fc.record({
      id: fc.integer({ min: 0, max: 65535 }),
      position: vec,
      flags: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
      velocity: vec,
      stamp: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
    });
    const track = fc.record({
      active: fc.boolean(),
      poses: fc.array(pose, { minLength: 2, maxLength: 2 }),
      tag: fc.integer({ min: 0, max: 255 }),
    });
    fc.assert(
      fc.property(track, fc.constantFrom(0, 8), (value, offset) => {
        Track.write(bytes, value, offset);
        expect(Track.read(bytes, offset)).toEqual(value);
        expect(Track.view(bytes, offset).$toPlain()).toEqual(value);
      }),
    );
    const sensor = fc.record({
      timestampNs: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
      temperature: fc.double(),
      pressure: fc.double(),
      humidity: fc.float(),
      status: fc.nat({ max: 0xffffffff }),
      sensorId: fc.array(fc.nat({ max: 255 }), { minLength: 16, maxLength: 16 }),
    });
    fc.assert(
      fc.property(sensor, (value) => {
        const v = SensorData.view(bytes);
        v.timestampNs = value.timestampNs;
        v.temperature = value.temperature;
        v.pressure = value.pressure;
        v.humidity = value.humidity;
        v.status = value.status;
        value.sensorId.forEach((b, i) => v.sensorId.set(i, b));
        expect(SensorData.read(bytes)).toEqual(value);
      }),
    );
  });

  it("uses one accessor class per struct type", () => {
    const bytes = new Uint8Array(SensorData.size * 2);
    const a = SensorData.view(bytes);
    const b = SensorData.view(bytes, SensorData.size);
    expect(Object.getPrototypeOf(a)).toBe(Object.getPrototypeOf(b));
    expect(Object.getPrototypeOf(a) === Object.getPrototypeOf(Vec3.view(new Uint8Array(12)))).toBe(false);
    expect(Object.keys(a)).toEqual([]);
    expect(Reflect.ownKeys(a)).toHaveLength(2); // the DataView and the base offset
    expect(Object.prototype.toString.call(a)).toBe("[object SensorData]");
    a.status = 1;
    b.status = 2;
    expect([a.status, b.status]).toEqual([1, 2]);
    expect(JSON.parse(JSON.stringify(Vec3.view(new Uint8Array(12))))).toEqual({ x: 0, y: 0, z: 0 });
    const fieldNames: string[] = [];
    for (const k in a) fieldNames.push(k);
    expect(fieldNames).toEqual(SensorData.fields.map((f) => f.name));
  });

  it("checks the buffer and offset given to view/read/write", () => {
    const bytes = new Uint8Array(SensorData.size + 3);
    expectKind(() => SensorData.view(bytes, 4), "OutOfBounds", "SensorData needs 48 byte(s) at offset 4");
    expectKind(() => SensorData.view(new Uint8Array(47)), "OutOfBounds");
    expectKind(() => SensorData.view(bytes, -1), "OutOfBounds");
    expectKind(() => SensorData.read(bytes, 4), "OutOfBounds");
    expectKind(() => SensorData.write(bytes, SensorData.read(bytes), 8), "OutOfBounds");
    expectKind(() => SensorData.view(bytes, 0.5), "InvalidArgument");
    expectKind(() => SensorData.view([1, 2, 3] as unknown as Uint8Array), "InvalidArgument");
    // a view of a sub-array uses its byteOffset
    const big = new Uint8Array(100);
    const sub = big.subarray(10, 10 + SensorData.size);
    SensorData.view(sub).status = 0x01020304;
    expect(hex(big.subarray(10 + 28, 10 + 32))).toBe("04030201");
    // SharedArrayBuffer-backed memory works too
    const shared = new Uint8Array(new SharedArrayBuffer(SensorData.size));
    SensorData.view(shared).pressure = 2;
    expect(SensorData.read(shared).pressure).toBe(2);
  });

  it("validates the type name", () => {
    for (const name of ["", 5, null, undefined, "x".repeat(256), "é".repeat(128), "\ud800abc", "a\0b"]) {
      expectKind(() => struct(name as string, { a: u8 }), "InvalidArgument", "typeName");
    }
    expect(struct("x".repeat(255), { a: u8 }).typeName).toHaveLength(255);
    expect(struct("é".repeat(127), { a: u8 }).typeName).toHaveLength(127); // 254 bytes
    expect(struct("my_crate::msgs::Point<f32>", { a: u8 }).typeName).toBe("my_crate::msgs::Point<f32>");
    expect(struct("🚀", { a: u8 }).typeName).toBe("🚀");
  });

  it("validates field names and types", () => {
    const bad: Record<string, unknown>[] = [
      { "1a": u8 },
      { "a-b": u8 },
      { "": u8 },
      { "a b": u8 },
      { 0: u8 },
      { NaN: u8 },
      { Infinity: u8 },
      { $toPlain: u8 },
      { $x: u8 },
      { then: u8 },
      { constructor: u8 },
      { toString: u8 },
      { valueOf: u8 },
      { hasOwnProperty: u8 },
      { a: 1 },
      { a: "u8" },
      { a: undefined },
      { a: slice(u8) },
      { a: { kind: "primitive", typeName: "u8", size: 1, alignment: 1 } },
      { [Symbol("s")]: u8 },
    ];
    for (const fields of bad) {
      expectKind(() => struct("S", fields as never), "InvalidArgument", "struct 'S'");
    }
    expectKind(() => struct("Empty", {}), "InvalidArgument", "at least one field");
    expectKind(() => struct("S", null as never), "InvalidArgument");
    expectKind(() => struct("S", [u8] as never), "InvalidArgument");
    const ok = struct("Ok", { _a: u8, ünïcödé: u8, a1: u8, type: u8, size: u8, length: u8, get: u8, set: u8, view: u8 });
    const v = ok.view(new Uint8Array(ok.size));
    v.type = 1;
    v.length = 2;
    v.get = 3;
    expect(ok.read(new Uint8Array([0, 0, 0, 0, 0, 0, 0, 0, 0])).type).toBe(0);
    expect([v.type, v.length, v.get]).toEqual([1, 2, 3]);
  });

  it("descriptors are immutable", () => {
    expect(Object.isFrozen(SensorData)).toBe(true);
    expect(Object.isFrozen(SensorData.fields)).toBe(true);
    expect(Object.isFrozen(u8)).toBe(true);
    expect(Object.isFrozen(array(u8, 2))).toBe(true);
  });
});

// ---------------------------------------------------------------------------
// slices
// ---------------------------------------------------------------------------

describe("slice", () => {
  it("describes a dynamic payload with the element's type name", () => {
    const s = slice(u32);
    expect(s.kind).toBe("slice");
    expect(s.element).toBe(u32);
    expect(s.typeName).toBe("u32");
    expect(s.elementSize).toBe(4);
    expect(s.alignment).toBe(4);
    expect(slice(SensorData).typeName).toBe("SensorData");
    expect(slice(SensorData).elementSize).toBe(48);
    expect(slice(SensorData).alignment).toBe(8);
    expect(slice(array(u8, 4)).typeName).toBe("[u8; 4]");
    expect(s.lengthFor(0)).toBe(0);
    expect(s.lengthFor(40)).toBe(10);
    expect(s.lengthFor(41)).toBe(10);
    expectKind(() => s.lengthFor(-1), "InvalidArgument");
    expectKind(() => s.lengthFor(1.5), "InvalidArgument");
    expectKind(() => slice(5 as never), "InvalidArgument");
    expectKind(() => slice(slice(u8) as never), "InvalidArgument");
  });

  it("gives a zero-copy checked view", () => {
    const bytes = new Uint8Array(4 * 5);
    const s = slice(u32);
    const v = s.view(bytes, 4);
    expect(v.length).toBe(4);
    expect(s.view(bytes).length).toBe(5);
    v.set(1, 0x01020304);
    expect(hex(bytes.subarray(4, 8))).toBe("04030201");
    v.write([7, 8], 2);
    expect(v.toArray()).toEqual([0, 0x01020304, 7, 8]);
    expect([...v]).toEqual(v.toArray());
    v.write(new Uint32Array([1, 2, 3, 4]));
    expect(v.toArray()).toEqual([1, 2, 3, 4]);
    v.write([]);
    v.write([], 4);
    const ta = v.typedArray();
    expect(ta).toBeInstanceOf(Uint32Array);
    ta[3] = 99;
    expect(v.get(3)).toBe(99);
    expect(bytes.subarray(16).every((b) => b === 0)).toBe(true); // the 5th element is outside the view
    expectKind(() => v.get(4), "OutOfBounds");
    expectKind(() => v.set(4, 1), "OutOfBounds");
    expectKind(() => v.write([1, 2, 3], 2), "OutOfBounds", "cannot write 3 element(s) at index 2");
    expectKind(() => v.write([1], 5), "OutOfBounds");
    expectKind(() => v.write([1], -1), "OutOfBounds");
    expectKind(() => v.write([1, -1]), "InvalidArgument", "element [1] (u32)");
    expectKind(() => v.write(7 as never), "InvalidArgument");
    expect(v.toArray()).toEqual([1, 2, 3, 99]); // failed writes wrote nothing
    const big = new Uint8Array(32);
    const sub = s.view(big.subarray(6, 18)); // views of sub-arrays start at their byteOffset
    expect(sub.length).toBe(3);
    sub.write([0x01020304, 0x05060708, 0x090a0b0c]);
    expect(hex(big)).toBe("00".repeat(6) + "04030201" + "08070605" + "0c0b0a09" + "00".repeat(14));
    expectKind(() => sub.get(3), "OutOfBounds");
    expectKind(() => s.view(bytes, 6), "OutOfBounds");
    expectKind(() => s.view(bytes, -1), "InvalidArgument");
    expect(s.view(bytes, 0).toArray()).toEqual([]);
  });

  it("u8 slices accept Uint8Array, struct slices give accessors", () => {
    const bytes = new Uint8Array(8);
    const v = slice(u8).view(bytes);
    v.write(new Uint8Array([1, 2, 3]), 5);
    expect(Array.from(bytes)).toEqual([0, 0, 0, 0, 0, 1, 2, 3]);
    expectKind(() => v.write(new Uint8Array(4), 5), "OutOfBounds");

    const mem = new Uint8Array(Vec3.size * 3);
    const vs = slice(Vec3).view(mem);
    expect(vs.length).toBe(3);
    vs.get(2).z = 9;
    vs.write([{ x: 1, y: 2, z: 3 }], 1);
    expect(vs.toArray()).toEqual([
      { x: 0, y: 0, z: 0 },
      { x: 1, y: 2, z: 3 },
      { x: 0, y: 0, z: 9 },
    ]);
    expectKind(() => vs.typedArray(), "InvalidArgument");
    expectKind(() => slice(bool).view(new Uint8Array(2)).typedArray(), "InvalidArgument");
  });

  it("round-trips random f64 slices", () => {
    fc.assert(
      fc.property(fc.array(fc.double()), (values) => {
        const v = slice(f64).view(new Uint8Array(values.length * 8));
        v.write(values);
        expect(v.toArray()).toStrictEqual(values);
        expect(Array.from(v.typedArray())).toStrictEqual(values);
      }),
    );
  });
});

// ---------------------------------------------------------------------------
// read-only views
// ---------------------------------------------------------------------------

describe("read-only views", () => {
  it("struct accessors read but refuse every write, also nested", () => {
    const bytes = new Uint8Array(Track.size);
    Track.view(bytes).poses.get(1).position.y = 3;
    const before = hex(bytes);
    const t = Track.view(bytes, 0, { readonly: true });
    expect(t.$readonly).toBe(true);
    expect(Track.view(bytes).$readonly).toBe(false);
    expect(t.poses.get(1).position.y).toBe(3);
    expect(t.$toPlain()).toEqual(Track.read(bytes));
    const ro = "the view is read-only";
    expectKind(() => {
      t.tag = 1;
    }, "InvalidArgument", `cannot write field 'tag': ${ro}`);
    expectKind(() => t.$set(Track.read(bytes)), "InvalidArgument", ro);
    expectKind(() => t.poses.set(0, Track.read(bytes).poses[0]!), "InvalidArgument", ro);
    const pose = t.poses.get(0);
    expect(pose.$readonly).toBe(true);
    expect(pose.flags.readonly).toBe(true);
    expectKind(() => {
      pose.position.x = 1;
    }, "InvalidArgument", ro);
    expectKind(() => pose.flags.set(0, true), "InvalidArgument", ro);
    expectKind(() => [...t.poses][0]!.position.$set({ x: 1, y: 1, z: 1 }), "InvalidArgument", ro);
    expect(hex(bytes)).toBe(before);
    // raw get with the option
    expect((Track.get(new DataView(bytes.buffer), 0, { readonly: true }) as typeof t).$readonly).toBe(true);
  });

  it("read-only array and slice views copy in typedArray() and refuse writes", () => {
    const bytes = new Uint8Array(SensorData.size);
    SensorData.view(bytes).sensorId.set(0, 5);
    const id = SensorData.view(bytes, 0, { readonly: true }).sensorId;
    const copy = id.typedArray();
    expect(copy[0]).toBe(5);
    expect(copy.buffer === bytes.buffer).toBe(false);
    copy[0] = 9;
    expect(id.get(0)).toBe(5);
    const s = slice(u16).view(new Uint8Array(8), 4, { readonly: true });
    expect(s.readonly).toBe(true);
    expect(slice(u16).view(new Uint8Array(8)).readonly).toBe(false);
    expectKind(() => s.write([1]), "InvalidArgument", "read-only");
    expectKind(() => s.set(0, 1), "InvalidArgument", "read-only");
    expect(s.toArray()).toEqual([0, 0, 0, 0]);
    const structs = slice(Vec3).view(new Uint8Array(24), 2, { readonly: true });
    expectKind(() => {
      structs.get(1).x = 1;
    }, "InvalidArgument", "read-only");
  });
});

// ---------------------------------------------------------------------------
// released memory
// ---------------------------------------------------------------------------

describe.each(detachers)("released memory (detached with %s)", (_name, detach) => {
  it("struct accessors throw SampleReleased", () => {
    const ab = new ArrayBuffer(Track.size);
    const bytes = new Uint8Array(ab);
    const t = Track.view(bytes);
    const poses = t.poses;
    const pose = poses.get(0);
    const flags = pose.flags;
    detach(ab);
    expect(bytes.byteLength).toBe(0);
    const released = "memory released (the sample was sent or released)";
    expectKind(() => t.active, "SampleReleased", released);
    expectKind(() => {
      t.tag = 1;
    }, "SampleReleased");
    expectKind(() => pose.position.x, "SampleReleased");
    expectKind(() => pose.stamp, "SampleReleased");
    expectKind(() => {
      pose.position = { x: 1, y: 2, z: 3 } as unknown as typeof pose.position;
    }, "SampleReleased");
    expectKind(() => poses.get(1).id, "SampleReleased");
    expectKind(() => poses.toArray(), "SampleReleased");
    expectKind(() => [...flags], "SampleReleased");
    expectKind(() => flags.set(0, true), "SampleReleased");
    expectKind(() => t.$toPlain(), "SampleReleased");
    expectKind(() => t.$set(Track.read(new Uint8Array(Track.size))), "SampleReleased");
    // creating new views / copies of released memory
    expectKind(() => Track.view(bytes), "SampleReleased");
    expectKind(() => Track.read(bytes), "SampleReleased");
    expectKind(() => Track.write(bytes, Track.read(new Uint8Array(Track.size))), "SampleReleased");
    expectKind(() => slice(u8).view(bytes), "SampleReleased");
    expectKind(() => slice(u8).view(bytes, 0), "SampleReleased");
  });

  it("array and slice views throw SampleReleased, also for typedArray()", () => {
    const ab = new ArrayBuffer(64);
    const bytes = new Uint8Array(ab);
    const s = slice(f64).view(bytes);
    const a = array(u8, 16).get(new DataView(ab), 0);
    const ta = s.typedArray();
    detach(ab);
    expectKind(() => s.get(0), "SampleReleased");
    expectKind(() => s.set(0, 1), "SampleReleased");
    expectKind(() => s.write([1, 2]), "SampleReleased");
    expectKind(() => s.typedArray(), "SampleReleased");
    expectKind(() => a.typedArray(), "SampleReleased");
    expectKind(() => a.set(0, 1), "SampleReleased");
    expectKind(() => a.toArray(), "SampleReleased");
    expectKind(() => a.set(0, 1), "SampleReleased");
    expect(ta.length).toBe(0); // raw typed arrays are unchecked: they just become empty
  });

  it("raw LayoutType get/set/toPlain throw SampleReleased", () => {
    const ab = new ArrayBuffer(16);
    const view = new DataView(ab);
    detach(ab);
    for (const t of [u8, u16, u32, u64, i8, i16, i32, i64, f32, f64, bool] as LayoutType<unknown, unknown>[]) {
      expectKind(() => t.get(view, 0), "SampleReleased");
      expectKind(() => t.toPlain(view, 0), "SampleReleased");
    }
    expectKind(() => u32.set(view, 0, 1), "SampleReleased");
    expectKind(() => array(u8, 4).set(view, 0, new Uint8Array(4)), "SampleReleased");
    expectKind(() => Vec3.toPlain(view, 0), "SampleReleased");
    // value errors still come first: nothing would be written anyway
    expectKind(() => u32.set(view, 0, -1), "InvalidArgument");
  });
});

// ---------------------------------------------------------------------------
// describeLayout
// ---------------------------------------------------------------------------

describe("describeLayout", () => {
  it("describes SensorData", () => {
    const d = describeLayout(SensorData);
    expect(d).toEqual({
      kind: "struct",
      typeName: "SensorData",
      size: 48,
      alignment: 8,
      fields: [
        { name: "timestampNs", offset: 0, kind: "primitive", typeName: "u64", size: 8, alignment: 8 },
        { name: "temperature", offset: 8, kind: "primitive", typeName: "f64", size: 8, alignment: 8 },
        { name: "pressure", offset: 16, kind: "primitive", typeName: "f64", size: 8, alignment: 8 },
        { name: "humidity", offset: 24, kind: "primitive", typeName: "f32", size: 4, alignment: 4 },
        { name: "status", offset: 28, kind: "primitive", typeName: "u32", size: 4, alignment: 4 },
        {
          name: "sensorId",
          offset: 32,
          kind: "array",
          typeName: "[u8; 16]",
          size: 16,
          alignment: 1,
          length: 16,
          element: { kind: "primitive", typeName: "u8", size: 1, alignment: 1 },
        },
      ],
    });
    expect(JSON.parse(JSON.stringify(d))).toEqual(d);
  });

  it("recurses into nested structs, arrays of structs and slices", () => {
    const d = describeLayout(Track);
    expect(JSON.parse(JSON.stringify(d))).toEqual(d);
    if (d.kind !== "struct") throw new Error("expected a struct description");
    const poses = d.fields[1]!;
    expect(poses).toMatchObject({ name: "poses", offset: 8, kind: "array", typeName: "[Pose; 2]", size: 80, length: 2 });
    if (poses.kind !== "array" || poses.element.kind !== "struct") throw new Error("expected an array of structs");
    expect(poses.element.fields.map((f) => [f.name, f.typeName, f.offset])).toEqual([
      ["id", "u16", 0],
      ["position", "Vec3", 4],
      ["flags", "[bool; 3]", 16],
      ["velocity", "Vec3", 20],
      ["stamp", "i64", 32],
    ]);
    const position = poses.element.fields[1]!;
    if (position.kind !== "struct") throw new Error("expected a struct");
    expect(position.fields.map((f) => f.offset)).toEqual([0, 4, 8]);

    expect(describeLayout(slice(Vec3))).toEqual({
      kind: "slice",
      typeName: "Vec3",
      size: 12,
      alignment: 4,
      element: describeLayout(Vec3),
    });
    expect(describeLayout(slice(u16))).toEqual({
      kind: "slice",
      typeName: "u16",
      size: 2,
      alignment: 2,
      element: { kind: "primitive", typeName: "u16", size: 2, alignment: 2 },
    });
    expectKind(() => describeLayout({} as never), "InvalidArgument");
  });
});

// ---------------------------------------------------------------------------
// static types (checked by tsc; no-ops at runtime)
// ---------------------------------------------------------------------------

describe("types", () => {
  it("infers accessor, plain and init types", () => {
    const S = struct("SensorData", { a: u64, b: f64, id: array(u8, 16), ok: bool, pos: Vec3, more: array(Vec3, 2) });
    const bytes = new Uint8Array(S.size);
    const v = S.view(bytes);
    expectTypeOf(v.a).toEqualTypeOf<bigint>();
    expectTypeOf(v.b).toEqualTypeOf<number>();
    expectTypeOf(v.ok).toEqualTypeOf<boolean>();
    expectTypeOf(v.id).toExtend<ArrayView<number>>();
    expectTypeOf(v.id.get(0)).toEqualTypeOf<number>();
    expectTypeOf(v.id.typedArray()).toEqualTypeOf<Uint8Array>();
    expectTypeOf(v.pos).toEqualTypeOf<StructView<{ x: typeof f32; y: typeof f32; z: typeof f32 }>>();
    expectTypeOf(v.pos.x).toEqualTypeOf<number>();
    expectTypeOf(v.more.get(0).z).toEqualTypeOf<number>();
    expectTypeOf<ReturnType<typeof v.more.typedArray>>().toEqualTypeOf<never>();
    expectTypeOf(S.read(bytes)).toEqualTypeOf<{
      a: bigint;
      b: number;
      id: number[];
      ok: boolean;
      pos: { x: number; y: number; z: number };
      more: { x: number; y: number; z: number }[];
    }>();
    expectTypeOf<Infer<typeof S>>().toEqualTypeOf<ReturnType<typeof S.read>>();
    expectTypeOf<InferView<typeof S>>().toEqualTypeOf<typeof v>();
    expectTypeOf<InferInit<typeof u64>>().toEqualTypeOf<bigint | number>();
    const floats = slice(f32);
    expectTypeOf<Infer<typeof floats>>().toEqualTypeOf<number[]>();
    expectTypeOf(floats.view(bytes)).toEqualTypeOf<SliceView<number, number, number, Float32Array>>();
    expectTypeOf(slice(i64).view(bytes).typedArray()).toEqualTypeOf<BigInt64Array>();
    expectTypeOf(slice(Vec3).view(bytes).get(0)).toEqualTypeOf<InferView<typeof Vec3>>();
    S.write(bytes, { a: 1, b: 2, id: new Uint8Array(16), ok: true, pos: { x: 1, y: 2, z: 3 }, more: [v.pos, v.pos] });
    if (Math.random() > 2) {
      // @ts-expect-error wrong field type
      v.b = "x";
      // @ts-expect-error unknown field
      v.c = 1;
      // @ts-expect-error missing field
      S.write(bytes, { a: 1n, b: 2, id: [], ok: true, pos: { x: 1, y: 2, z: 3 } });
      // @ts-expect-error u32 takes numbers only
      u32.set(new DataView(bytes.buffer), 0, 1n);
    }
  });
});
