import { describe, expect, expectTypeOf, it } from "vitest";
import { expectKind } from "./expect-kind.js";
import { layoutRecord } from "../src/layout/attribute.js";
import {
  array,
  char,
  describeLayout,
  enumOf,
  f64,
  fieldBytes,
  i128,
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
  type VecView,
} from "../src/layout/index.js";

const dataView = (bytes: Uint8Array) => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);

describe("128-bit and pointer-sized integers", () => {
  it("have Rust's names, sizes and alignments and round-trip their whole range", () => {
    expect([u128, i128, usize, isize].map((t) => [t.typeName, t.size, t.alignment])).toEqual([
      ["u128", 16, 16],
      ["i128", 16, 16],
      ["usize", 8, 8],
      ["isize", 8, 8],
    ]);
    const bytes = new Uint8Array(16);
    const view = dataView(bytes);
    for (const value of [0n, 1n, (1n << 64n) - 1n, 1n << 64n, (1n << 128n) - 1n, 0x0123456789abcdef_fedcba9876543210n]) {
      u128.set(view, 0, value);
      expect(u128.get(view, 0)).toBe(value);
    }
    u128.set(view, 0, 0x0123456789abcdef_fedcba9876543210n);
    expect(Array.from(bytes.subarray(0, 2))).toEqual([0x10, 0x32]); // little-endian, low half first
    for (const value of [-(1n << 127n), -1n, 0n, (1n << 127n) - 1n, -(1n << 64n)]) {
      i128.set(view, 0, value);
      expect(i128.get(view, 0)).toBe(value);
    }
    i128.set(view, 0, 7);
    expect(i128.get(view, 0)).toBe(7n);
    expectKind(() => u128.set(view, 0, 1n << 128n), "InvalidArgument", "out of range");
    expectKind(() => u128.set(view, 0, -1n), "InvalidArgument", "out of range");
    expectKind(() => i128.set(view, 0, 1n << 127n), "InvalidArgument", "out of range");
    expectKind(() => usize.set(view, 0, 1n << 64n), "InvalidArgument", "out of range");
    isize.set(view, 0, -5);
    expect(isize.get(view, 0)).toBe(-5n);
  });

  it("align a struct field to 16 bytes as Rust's u128 does", () => {
    const Stamped = struct("Stamped", { tag: u8, id: u128 });
    expect([Stamped.size, Stamped.alignment, Stamped.fields[1]!.offset]).toEqual([32, 16, 16]);
    expectKind(() => array(u128, 2).get(dataView(new Uint8Array(32)), 0).typedArray(), "InvalidArgument", "needs numeric elements");
  });
});

describe("char", () => {
  it("is Rust's char: a scalar value as a u32, read and written as a one-character string", () => {
    expect([char.typeName, char.size, char.alignment]).toEqual(["char", 4, 4]);
    const bytes = new Uint8Array(4);
    const view = dataView(bytes);
    for (const c of ["A", "é", "€", "😀"]) {
      char.set(view, 0, c);
      expect(char.get(view, 0)).toBe(c);
    }
    expect(Array.from(bytes)).toEqual([0x00, 0xf6, 0x01, 0x00]); // U+1F600, little-endian
    expectKind(() => char.set(view, 0, "ab"), "InvalidArgument", "expected exactly one character");
    expectKind(() => char.set(view, 0, ""), "InvalidArgument", "expected exactly one character");
    expectKind(() => char.set(view, 0, "\ud800"), "InvalidArgument", "lone surrogate");
    expectKind(() => char.set(view, 0, 65 as never), "InvalidArgument", "one-character string");
    view.setUint32(0, 0xd800, true);
    expectKind(() => char.get(view, 0), "InvalidPayload", "0xd800 is no Unicode scalar value");
    view.setUint32(0, 0x110000, true);
    expectKind(() => char.get(view, 0), "InvalidPayload");
  });
});

describe("staticString", () => {
  const Name = staticString(7);

  it("lays out as iceoryx2-bb-container's StaticString<N>: data, terminator, u64 length, 8-byte aligned", () => {
    expect(Name.typeName).toBe("iceoryx2_bb_container::string::static_string::StaticString<7>");
    expect([Name.size, Name.alignment, Name.capacity]).toEqual([16, 8, 7]);
    expect(staticString(8).size).toBe(24);
    expect(staticString(64).size).toBe(80);
    expect(describeLayout(Name)).toEqual({ kind: "string", typeName: Name.typeName, size: 16, alignment: 8, capacity: 7 });
  });

  it("writes text, zeroes the rest and the terminator, and reads it back", () => {
    const bytes = new Uint8Array(16).fill(0xee);
    const view = dataView(bytes);
    Name.set(view, 0, "hello");
    expect(Array.from(bytes)).toEqual([104, 101, 108, 108, 111, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0]);
    expect(Name.get(view, 0)).toBe("hello");
    Name.set(view, 0, "");
    expect(Name.get(view, 0)).toBe("");
    Name.set(view, 0, "1234567");
    expect(Name.toPlain(view, 0)).toBe("1234567");
  });

  it("refuses what does not fit or what iceoryx2's StaticString cannot hold, writing nothing", () => {
    const bytes = new Uint8Array(16);
    const view = dataView(bytes);
    Name.set(view, 0, "keep");
    const before = Array.from(bytes);
    expectKind(() => Name.set(view, 0, "12345678"), "InvalidArgument", "holds at most 7 character(s), got 8");
    expectKind(() => Name.set(view, 0, "café"), "InvalidArgument", 'character 3 is "é": iceoryx2 0.10\'s StaticString holds ASCII characters U+0001..U+007F only');
    expectKind(() => Name.set(view, 0, "a\0b"), "InvalidArgument", "character 1 is NUL");
    expectKind(() => Name.set(view, 0, "\ud800"), "InvalidArgument", "ASCII");
    expectKind(() => Name.set(view, 0, 42 as never), "InvalidArgument", "expected a string, got 42");
    expect(Array.from(bytes)).toEqual(before);
  });

  it("reports a peer's bad length or bytes as InvalidPayload, never reading past the value", () => {
    const bytes = new Uint8Array(16);
    const view = dataView(bytes);
    view.setBigUint64(8, 8n, true);
    expectKind(() => Name.get(view, 0), "InvalidPayload", "the received length 8 exceeds the capacity 7");
    view.setBigUint64(8, 0xffff_ffff_ffff_ffffn, true);
    expectKind(() => Name.get(view, 0), "InvalidPayload", "exceeds the capacity 7");
    bytes.set([0x68, 0xc3, 0xa9]);
    view.setBigUint64(8, 3n, true);
    expectKind(() => Name.get(view, 0), "InvalidPayload", "byte 1 is 0xc3");
    expectKind(() => Name.get(new DataView(new ArrayBuffer(12)), 0), "OutOfBounds");
  });

  it("works as a struct field: read and assigned as a plain string, typed as one", () => {
    const Person = struct("Person", { name: staticString(15), age: u8 });
    expect([Person.size, Person.alignment, Person.fields[1]!.offset]).toEqual([32, 8, 24]);
    const person = Person.view(new Uint8Array(Person.size));
    person.name = "Ada";
    person.age = 36;
    expectTypeOf(person.name).toEqualTypeOf<string>();
    expect(person.$toPlain()).toEqual({ name: "Ada", age: 36 });
    expectKind(() => {
      person.name = "far too long for it";
    }, "InvalidArgument", "holds at most 15 character(s)");
  });
});

describe("staticVec", () => {
  it("lays out as StaticVec<T, N>: elements, then a u64 length, aligned to max(T, 8)", () => {
    const Numbers = staticVec(u64, 32);
    expect(Numbers.typeName).toBe("iceoryx2_bb_container::vector::static_vec::StaticVec<u64, 32>");
    expect([Numbers.size, Numbers.alignment]).toEqual([264, 8]);
    expect([staticVec(u8, 3).size, staticVec(u8, 3).alignment]).toEqual([16, 8]);
    expect([staticVec(u128, 1).size, staticVec(u128, 1).alignment]).toEqual([32, 16]);
    const Matrix = staticVec(staticVec(f64, 8), 8);
    expect(Matrix.typeName).toBe(
      "iceoryx2_bb_container::vector::static_vec::StaticVec<iceoryx2_bb_container::vector::static_vec::StaticVec<f64, 8>, 8>",
    );
    expect(Matrix.size).toBe(8 * 72 + 8);
  });

  it("reads its stored elements through a view and changes them in place", () => {
    const Numbers = staticVec(u32, 4);
    const bytes = new Uint8Array(Numbers.size);
    const view = dataView(bytes);
    Numbers.set(view, 0, [1, 2, 3]);
    const numbers = Numbers.get(view, 0);
    expectTypeOf(numbers).toEqualTypeOf<VecView<number, number, number, Uint32Array>>();
    expect([numbers.length, numbers.capacity, [...numbers]]).toEqual([3, 4, [1, 2, 3]]);
    expect(Array.from(numbers.typedArray())).toEqual([1, 2, 3]);
    numbers.push(4);
    expectKind(() => numbers.push(5), "OutOfBounds", "it is full (4 of 4)");
    numbers.set(0, 10);
    expect(numbers.toArray()).toEqual([10, 2, 3, 4]);
    expectKind(() => numbers.get(4), "OutOfBounds");
    numbers.clear();
    expect(numbers.length).toBe(0);
    numbers.assign(new Uint32Array([7, 8]));
    expect(Numbers.toPlain(view, 0)).toEqual([7, 8]);
    expectKind(() => numbers.assign([1, 2, 3, 4, 5]), "InvalidArgument", "holds at most 4 element(s), got 5");
    expect(numbers.toArray()).toEqual([7, 8]);
    const readonly = Numbers.get(view, 0, { readonly: true });
    expectKind(() => readonly.push(1), "InvalidArgument", "read-only");
  });

  it("reports a peer's length beyond the capacity as InvalidPayload", () => {
    const Numbers = staticVec(u16, 2);
    const bytes = new Uint8Array(Numbers.size);
    const view = dataView(bytes);
    view.setBigUint64(8, 3n, true);
    expectKind(() => Numbers.get(view, 0).length, "InvalidPayload", "the received length 3 exceeds the capacity 2");
    expectKind(() => Numbers.toPlain(view, 0), "InvalidPayload");
  });

  it("holds structs and nests, as upstream's cross-language complex type does", () => {
    const FullName = struct("FullName", { first: staticString(15), last: staticString(15) });
    const Book = struct("ComplexType", { names: staticVec(FullName, 3), matrix: staticVec(staticVec(f64, 2), 2), small: u16, big: u32 });
    const book = Book.view(new Uint8Array(Book.size));
    book.$assign({ names: [{ first: "Ada", last: "Lovelace" }], matrix: [[1, 2], [3]], small: 1, big: 2 });
    expect(book.$toPlain()).toEqual({ names: [{ first: "Ada", last: "Lovelace" }], matrix: [[1, 2], [3]], small: 1, big: 2 });
    book.names.push({ first: "Alan", last: "Turing" });
    expect(book.names.get(1).last).toBe("Turing");
    expect(layoutRecord("payload", Book)!.leaves).toEqual([
      `names:StaticVec<FullName,3>@0`,
      `names[].first:StaticString<15>@0`,
      `names[].last:StaticString<15>@24`,
      `matrix:StaticVec<StaticVec<f64,2>,2>@152`,
      `small:u16@208`,
      `big:u32@212`,
    ]);
    expectKind(() => fieldBytes(Book), "InvalidArgument", "cannot be part of a value compared byte by byte");
  });
});

describe("enumOf", () => {
  const Status = enumOf("Status", u8, { Idle: 0, Running: 1, Failed: 7 });

  it("is stored as its repr and read and written by name", () => {
    expect([Status.typeName, Status.size, Status.alignment, Status.kind]).toEqual(["Status", 1, 1, "enum"]);
    const bytes = new Uint8Array(1);
    const view = dataView(bytes);
    Status.set(view, 0, "Failed");
    expect(bytes[0]).toBe(7);
    expect(Status.get(view, 0)).toBe("Failed");
    expectTypeOf(Status.get(view, 0)).toEqualTypeOf<"Idle" | "Running" | "Failed">();
    expect(describeLayout(Status)).toEqual({ kind: "enum", typeName: "Status", size: 1, alignment: 1, repr: "u8", variants: { Idle: 0, Running: 1, Failed: 7 } });
    const Wide = enumOf("Wide", u64, { A: 1, B: 2 ** 40 });
    const wide = new Uint8Array(8);
    Wide.set(dataView(wide), 0, "B");
    expect(Wide.get(dataView(wide), 0)).toBe("B");
  });

  it("refuses unknown names on write and reports unknown values on read", () => {
    const bytes = new Uint8Array([1]);
    const view = dataView(bytes);
    expectKind(() => Status.set(view, 0, "Stopped" as never), "InvalidArgument", 'expected one of Idle=0, Running=1, Failed=7, got "Stopped"');
    expectKind(() => Status.set(view, 0, 1 as never), "InvalidArgument", "got 1");
    expect(bytes[0]).toBe(1);
    bytes[0] = 9;
    expectKind(() => Status.get(view, 0), "InvalidPayload", "the received value 9 is none of its variants (Idle=0, Running=1, Failed=7)");
  });

  it("checks its definition", () => {
    expectKind(() => enumOf("E", f64 as never, { A: 0 }), "InvalidArgument", "repr must be one of");
    expectKind(() => enumOf("E", u8, { A: 256 }), "InvalidArgument", "variant A");
    expectKind(() => enumOf("E", u8, { A: 1, B: 1 }), "InvalidArgument", "variants A and B both have the value 1");
    expectKind(() => enumOf("E", u8, {}), "InvalidArgument", "needs at least one variant");
  });

  it("is a struct field whose layout leaf is its repr (a peer may declare the field as the integer)", () => {
    const Job = struct("Job", { status: Status, id: u32 });
    const job = Job.view(new Uint8Array(Job.size));
    job.status = "Running";
    expect(job.$toPlain()).toEqual({ status: "Running", id: 0 });
    expect(layoutRecord("payload", Job)!.leaves).toEqual(["status:u8@0", "id:u32@4"]);
    expect(fieldBytes(Job)).toEqual([
      [0, 1],
      [4, 4],
    ]);
  });
});
