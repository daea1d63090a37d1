import { describe, expect, it } from "vitest";
import { array, fieldBytes, i64, struct, u16, u32, u64, u8 } from "../src/layout/index.js";

describe("fieldBytes: the bytes that hold data, padding left out", () => {
  it("leaves out the padding of upstream's BlackboardKey { x: u32, y: i64, z: u16 }", () => {
    const key = struct("BlackboardKey", { x: u32, y: i64, z: u16 });
    expect(key.size).toBe(24);
    expect(fieldBytes(key)).toEqual([
      [0, 4],
      [8, 10], // y and z are adjacent
    ]);
  });

  it("merges adjacent fields and array elements into one run", () => {
    expect(fieldBytes(u64)).toEqual([[0, 8]]);
    expect(fieldBytes(struct("Packed", { a: u32, b: u16, c: u8, d: u8 }))).toEqual([[0, 8]]);
    expect(fieldBytes(array(u16, 3))).toEqual([[0, 6]]);
  });

  it("follows nested structs and arrays of padded structs", () => {
    const inner = struct("Inner", { a: u8, b: u32 }); // 8 bytes, 3 of padding
    const outer = struct("Outer", { tag: u8, items: array(inner, 2) });
    expect(fieldBytes(outer)).toEqual([
      [0, 1],
      [4, 1],
      [8, 5],
      [16, 4],
    ]);
  });
});
