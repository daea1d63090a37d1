/**
 * The layout helpers given JS values whose own code misbehaves (getters and iterators that throw,
 * revoked proxies, values that change between reads, endless iterators, TypedArrays that
 * override their bounds) or values of a type an operator cannot take (symbols, bigints, objects
 * where numbers belong): every failure is an `Iox2Error` of a documented kind, nothing is
 * written, and no value is used other than the one that was checked.
 */
import { describe, expect, it } from "vitest";
import { Iox2Error, type ErrorKind } from "../src/base/errors.js";
import type { ArrayView, LayoutType } from "../src/layout/index.js";
import { array, describeLayout, f64, slice, struct, u16, u32, u8 } from "../src/layout/index.js";

const Inner = struct("HostileInner", { x: f64, y: u32 });
const Outer = struct("HostileOuter", { id: u32, inner: Inner, tags: array(u8, 4) });
const good = { id: 1, inner: { x: 2, y: 3 }, tags: [4, 5, 6, 7] };

function thrown(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to throw");
}

function expectKind(action: () => unknown, kind: ErrorKind, message?: RegExp): Iox2Error {
  const error = thrown(action);
  expect(error).toBeInstanceOf(Iox2Error);
  expect((error as Iox2Error).kind, (error as Error).message).toBe(kind);
  if (message !== undefined) expect((error as Iox2Error).message).toMatch(message);
  return error as Iox2Error;
}

function revoked(): object {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
}

const boom = new Error("boom");
const throwing = new Proxy({}, { get: () => { throw boom; }, getPrototypeOf: () => { throw boom; }, ownKeys: () => { throw boom; } });

describe("struct values", () => {
  it("a field getter that throws is InvalidArgument naming the field, with the error as cause", () => {
    const bytes = new Uint8Array(Outer.size);
    const value = { ...good, inner: { y: 3, get x(): number { throw boom; } } };
    const error = expectKind(() => Outer.write(bytes, value as never), "InvalidArgument", /^field 'inner\.x' \(f64\): reading the value threw Error: boom$/);
    expect(error.cause).toBe(boom);
    expect(bytes.every((b) => b === 0)).toBe(true);
  });

  it("revoked proxies and proxies whose traps throw are InvalidArgument wherever they are", () => {
    const bytes = new Uint8Array(Outer.size);
    const view = Outer.view(bytes);
    for (const bad of [revoked(), throwing]) {
      expectKind(() => Outer.write(bytes, bad as never), "InvalidArgument");
      expectKind(() => view.$set({ ...good, inner: bad } as never), "InvalidArgument", /^field 'inner' \(HostileInner\)/);
      expectKind(() => (view.inner = bad as never), "InvalidArgument");
      expectKind(() => (view.tags = bad as never), "InvalidArgument", /^field 'tags' \(\[u8; 4\]\)/);
      expectKind(() => view.tags.write(bad as never), "InvalidArgument");
      expectKind(() => (view.id = bad as never), "InvalidArgument", /expected an integer number, got an object/);
    }
    expect(bytes.every((b) => b === 0)).toBe(true);
  });

  it("each field is read once: a getter cannot change a value after it was checked", () => {
    const bytes = new Uint8Array(Outer.size);
    let reads = 0;
    const value = { ...good, get id(): number { return reads++ === 0 ? 5 : 1e12; } };
    Outer.write(bytes, value as never);
    expect(reads).toBe(1);
    expect(Outer.read(bytes).id).toBe(5);
  });

  it("a thrown value whose own code throws is still described", () => {
    const hostileError = new Proxy(new Error("x"), { get: () => { throw boom; }, getPrototypeOf: () => { throw boom; } });
    const value = { ...good, get id(): number { throw hostileError; } };
    expectKind(() => Outer.write(new Uint8Array(Outer.size), value as never), "InvalidArgument", /^field 'id' \(u32\): reading the value threw an object$/);
  });
});

describe("sequence values", () => {
  const Tags = array(u8, 4);

  it("iterators that throw are InvalidArgument", () => {
    const failing = { *[Symbol.iterator](): Iterator<number> { yield 1; throw boom; } };
    const bytes = new Uint8Array(8);
    expectKind(() => Tags.set(new DataView(bytes.buffer), 0, failing as never), "InvalidArgument", /reading the value threw Error: boom/);
    expectKind(() => slice(u8).view(bytes).write(failing), "InvalidArgument");
    expect(bytes.every((b) => b === 0)).toBe(true);
  });

  it("an endless iterator stops one element past the room, and is closed", () => {
    let closed = 0;
    function* endless(): Generator<number> {
      try {
        for (;;) yield 1;
      } finally {
        closed++;
      }
    }
    const bytes = new Uint8Array(8);
    expectKind(() => Tags.set(new DataView(bytes.buffer), 0, endless()), "InvalidArgument", /expected exactly 4 element\(s\), got more than 4$/);
    expectKind(() => slice(u8).view(bytes).write(endless(), 2), "OutOfBounds", /^cannot write more than 6 element\(s\) at index 2 into a view of length 8$/);
    expect(closed).toBe(2);
    expect(bytes.every((b) => b === 0)).toBe(true);
  });

  it("a huge length is refused before any element is read", () => {
    const huge = new Proxy(
      { length: Number.MAX_SAFE_INTEGER },
      { get: (target, key) => (key === "length" ? target.length : typeof key === "symbol" ? undefined : expect.unreachable(`read [${key}]`)) },
    );
    expectKind(() => slice(u8).view(new Uint8Array(8)).write(huge as never), "OutOfBounds", /cannot write 9007199254740991 element/);
    expectKind(() => Tags.set(new DataView(new ArrayBuffer(4)), 0, huge as never), "InvalidArgument", /got 9007199254740991$/);
  });

  it("each element is read once: a proxy cannot change a value after it was checked", () => {
    const reads = [0, 0, 0, 0];
    const changing = new Proxy([1, 2, 3, 4], {
      get: (target, key, receiver) => {
        if (typeof key !== "string" || !/^\d$/.test(key)) return Reflect.get(target, key, receiver) as unknown;
        const index = Number(key);
        return reads[index]! === 0 ? ((reads[index] = 1), target[index]) : ((reads[index] = reads[index]! + 1), 300);
      },
    });
    const bytes = new Uint8Array(4);
    slice(u8).view(bytes).write(changing);
    expect([...bytes]).toEqual([1, 2, 3, 4]);
    expect(reads).toEqual([1, 1, 1, 1]);
  });

  it("a TypedArray is copied within its real bounds, whatever its own properties say", () => {
    const source = new Uint16Array([1, 2, 3]);
    const other = new ArrayBuffer(64);
    for (const [key, value] of [["length", 32], ["byteLength", 64], ["byteOffset", 2], ["buffer", other]] as const) {
      Object.defineProperty(source, key, { value });
    }
    const bytes = new Uint8Array(16).fill(0xee);
    const view = slice(u16).view(bytes);
    view.write(source, 1);
    expect(view.toArray()).toEqual([0xeeee, 1, 2, 3, 0xeeee, 0xeeee, 0xeeee, 0xeeee]);
    expectKind(() => array(u16, 32).set(new DataView(new ArrayBuffer(64)), 0, source), "InvalidArgument", /got 3$/);
  });
});

describe("indices", () => {
  it("never convert a non-number (no valueOf call, no TypeError)", () => {
    const view = array(u8, 2).get(new DataView(new ArrayBuffer(2)), 0) as ArrayView<number>;
    let conversions = 0;
    const convertible = { valueOf: () => (conversions++, 0) };
    for (const index of [0n, Symbol("index"), Object.create(null), { toString: "" }, convertible, revoked(), "0", null, undefined]) {
      expectKind(() => view.get(index as never), "InvalidArgument", /^index must be an integer, got /);
      expectKind(() => view.set(index as never, 1), "InvalidArgument", /^index must be an integer, got /);
    }
    expect(conversions).toBe(0);
  });
});

describe("buffers, offsets, options and views", () => {
  it("a Uint8Array's own getters cannot move a view: the built-in bounds are used", () => {
    class Lying extends Uint8Array {
      override get byteOffset(): number {
        return 8;
      }
      override get byteLength(): number {
        return 1 << 20;
      }
    }
    const backing = new ArrayBuffer(32);
    const lying = new Lying(backing, 4, 8);
    const Two = struct("Two", { a: u32, b: u32 });
    Two.write(lying, { a: 0x01020304, b: 5 });
    expect(new DataView(backing).getUint32(4, true)).toBe(0x01020304);
    expect(Two.view(lying).b).toBe(5);
    expectKind(() => Outer.view(lying), "OutOfBounds", /needs 32 byte\(s\) at offset 0 but the buffer has 8 byte\(s\)$/);
    expect(slice(u8).view(lying).length).toBe(8);
  });

  it("view options whose readonly getter throws are InvalidArgument", () => {
    const bytes = new Uint8Array(Outer.size);
    for (const options of [{ get readonly(): boolean { throw boom; } }, revoked()]) {
      expectKind(() => Outer.view(bytes, 0, options as never), "InvalidArgument", /^options: reading 'readonly' threw /);
      expectKind(() => slice(u8).view(bytes, 1, options as never), "InvalidArgument");
      expectKind(() => Outer.get(new DataView(bytes.buffer), 0, options as never), "InvalidArgument");
    }
  });

  it("LayoutType get/set/toPlain take only non-negative integer offsets", () => {
    const view = new DataView(new ArrayBuffer(64));
    const types = [u8, f64, array(u16, 2), Outer] as unknown as LayoutType<unknown, unknown>[];
    for (const type of types) {
      for (const offset of [Symbol("offset"), 1n, "8", -1, 0.5, NaN, Infinity, { valueOf: () => 0 }, null]) {
        expectKind(() => type.get(view, offset as never), "InvalidArgument", /^byteOffset must be a non-negative integer, got /);
        expectKind(() => type.toPlain(view, offset as never), "InvalidArgument");
        expectKind(() => type.set(view, offset as never, type.toPlain(view, 0)), "InvalidArgument");
      }
    }
  });

  it("a view argument that is no DataView is InvalidArgument when memory is accessed", () => {
    for (const notAView of [undefined, null, 5, {}, "bytes", revoked()]) {
      const junk = notAView as unknown as DataView;
      expectKind(() => u32.get(junk, 0), "InvalidArgument");
      expectKind(() => u32.set(junk, 0, 1), "InvalidArgument");
      expectKind(() => Outer.get(junk, 0).id, "InvalidArgument");
      expectKind(() => (Outer.get(junk, 0).id = 1), "InvalidArgument");
      const elements = array(u32, 2).get(junk, 0);
      expectKind(() => elements.get(0), "InvalidArgument");
      expectKind(() => elements.typedArray(), "InvalidArgument");
      expectKind(() => elements.write(new Uint32Array(2)), "InvalidArgument");
    }
  });

  it("typedArray() stays within the DataView, as every other access does", () => {
    const buffer = new ArrayBuffer(32);
    const view = array(u32, 4).get(new DataView(buffer, 0, 8), 0);
    expectKind(() => view.typedArray(), "OutOfBounds", /^typedArray\(\): 16 byte\(s\) at offset 0 but the view has 8 byte\(s\)$/);
    expect(array(u32, 2).get(new DataView(buffer, 8, 8), 0).typedArray().byteOffset).toBe(8);
  });
});

describe("definitions", () => {
  it("fields objects whose own code throws, and revoked proxies as types, are InvalidArgument", () => {
    expectKind(() => struct("S", { get a(): never { throw boom; } }), "InvalidArgument", /^struct 'S': reading the fields threw Error: boom$/);
    expectKind(() => struct("S", throwing as never), "InvalidArgument", /^struct 'S': reading the fields threw /);
    expectKind(() => struct("S", revoked() as never), "InvalidArgument");
    expectKind(() => struct("S", { a: revoked() } as never), "InvalidArgument", /field 'a': expected a layout type .*, got an object$/);
    expectKind(() => array(revoked() as never, 2), "InvalidArgument");
    expectKind(() => slice(throwing as never), "InvalidArgument");
    expectKind(() => describeLayout(revoked() as never), "InvalidArgument");
  });
});
