import { describe, expect, it } from "vitest";
import { array, bool, f32, f64, i32, slice, struct, u16, u32, u64, u8, type AnyLayoutType } from "../src/layout/index.js";
import { checkLayouts, fnv1a64, layoutRecord, layoutRecords, type LayoutRecord } from "../src/layout/attribute.js";

const TransmissionData = struct("TransmissionData", { x: i32, y: i32, funky: f64 });

function record(type: AnyLayoutType, role: "payload" | "response" = "payload"): LayoutRecord {
  const result = layoutRecord(role, type);
  if (result === undefined) throw new Error("expected a layout record");
  return result;
}

/** The message of checking `local` against a service that recorded `service`'s layout value. */
function mismatch(local: AnyLayoutType, serviceValue: string): string | undefined {
  const error = checkLayouts("Svc", [record(local)], [{ key: "iox2js.layout.payload", value: serviceValue }]);
  if (error !== undefined) expect(error.kind).toBe("IncompatibleTypes");
  return error?.message;
}

/** A struct with `count` u32 fields named `prefix0`, `prefix1`, ... */
function manyFields(typeName: string, count: number, prefix = "field"): AnyLayoutType {
  const fields: Record<string, AnyLayoutType> = {};
  for (let i = 0; i < count; i++) fields[`${prefix}${i}`] = u32;
  return struct(typeName, fields);
}

describe("fnv1a64", () => {
  it("matches the published FNV-1a 64 test vectors", () => {
    expect(fnv1a64("")).toBe("cbf29ce484222325");
    expect(fnv1a64("a")).toBe("af63dc4c8601ec8c");
    expect(fnv1a64("foobar")).toBe("85944171f73967e8");
  });
});

describe("layoutRecord", () => {
  it("describes TransmissionData as version, hash of all leaves, count and leaves", () => {
    expect(record(TransmissionData)).toEqual({
      role: "payload",
      key: "iox2js.layout.payload",
      structName: "TransmissionData",
      leaves: ["x:i32@0", "y:i32@4", "funky:f64@8"],
      // FNV-1a 64 of "x:i32@0 y:i32@4 funky:f64@8", computed independently.
      hash: "ba6beaf399a805df",
      value: "v1 ba6beaf399a805df 3 x:i32@0 y:i32@4 funky:f64@8",
    });
    expect(record(TransmissionData, "response").key).toBe("iox2js.layout.response");
  });

  it("flattens nested structs to dotted paths with offsets from the outer struct", () => {
    const Vec2 = struct("Vec2", { x: f32, y: f32 });
    const Pose = struct("Pose", { id: u8, position: Vec2, heading: struct("Angle", { rad: f64 }) });
    expect(record(Pose).leaves).toEqual(["id:u8@0", "position.x:f32@4", "position.y:f32@8", "heading.rad:f64@16"]);
  });

  it("writes arrays of primitives compactly and describes arrays of structs by one element", () => {
    const Point = struct("Point", { x: f32, y: f32 });
    const Shape = struct("Shape", {
      tag: array(u8, 16),
      matrix: array(array(f32, 3), 2),
      pts: array(Point, 4),
      grid: array(array(Point, 3), 2),
      done: bool,
    });
    expect(record(Shape).leaves).toEqual([
      "tag:[u8;16]@0",
      "matrix:[[f32;3];2]@16",
      "pts[4].x:f32@40",
      "pts[4].y:f32@44",
      "grid[2][3].x:f32@72",
      "grid[2][3].y:f32@76",
      "done:bool@120",
    ]);
  });

  it("records the element struct of arrays and slices, and nothing for types without a struct", () => {
    const Point = struct("Point", { x: f32, y: f32 });
    expect(record(array(Point, 4)).leaves).toEqual(["x:f32@0", "y:f32@4"]);
    expect(layoutRecord("payload", slice(Point))?.structName).toBe("Point");
    expect(layoutRecord("payload", u64)).toBeUndefined();
    expect(layoutRecord("payload", array(u8, 8))).toBeUndefined();
    expect(layoutRecord("payload", slice(u8))).toBeUndefined();
    expect(layoutRecords([
      { role: "payload", type: u64 },
      { role: "user-header", type: Point },
      { role: "request-header", type: undefined },
    ]).map((r) => r.key)).toEqual(["iox2js.layout.user-header"]);
  });

  it("escapes field names outside printable ASCII", () => {
    expect(record(struct("Température", { température: f32 })).value).toMatch(/ temp\\u\{e9\}rature:f32@0$/);
  });

  it("lists as many whole leaves as fit in 256 bytes; count and hash cover all of them", () => {
    const big = record(manyFields("Big", 40));
    expect(big.leaves.length).toBe(40);
    expect(big.value.length).toBeLessThanOrEqual(256);
    const [version, hash, count, ...listed] = big.value.split(" ");
    expect([version, hash, count]).toEqual(["v1", fnv1a64(big.leaves.join(" ")), "40"]);
    expect(listed).toEqual(big.leaves.slice(0, listed.length));
    expect(listed.length).toBeLessThan(40);
    // The next leaf would not have fitted.
    expect(big.value.length + 1 + big.leaves[listed.length]!.length).toBeGreaterThan(256);
  });

  it("lists no leaf when even the first does not fit", () => {
    const long = record(struct("Long", { ["n".repeat(250)]: u8 }));
    expect(long.value).toBe(`v1 ${long.hash} 1`);
  });
});

describe("checkLayouts", () => {
  const service = record(TransmissionData).value;

  it("accepts the same layout, services without the attribute and other format versions", () => {
    expect(mismatch(TransmissionData, service)).toBeUndefined();
    expect(checkLayouts("Svc", [record(TransmissionData)], [{ key: "other", value: "v1 0 0" }])).toBeUndefined();
    expect(mismatch(TransmissionData, "v2 whatever the future brings")).toBeUndefined();
  });

  it("names the first differing field on both sides", () => {
    const swapped = struct("TransmissionData", { y: i32, x: i32, funky: f64 });
    expect(mismatch(swapped, service)).toBe(
      "cannot open service 'Svc': payload struct 'TransmissionData' differs from the service's at field 0: here 'y:i32@0', service 'x:i32@0'",
    );
    const renamed = struct("TransmissionData", { x: i32, why: i32, funky: f64 });
    expect(mismatch(renamed, service)).toMatch(/at field 1: here 'why:i32@4', service 'y:i32@4'$/);
    const retyped = struct("TransmissionData", { x: i32, y: f32, funky: f64 });
    expect(mismatch(retyped, service)).toMatch(/at field 1: here 'y:f32@4', service 'y:i32@4'$/);
  });

  it("names nested fields by their dotted path", () => {
    const inner = (second: AnyLayoutType) => struct("Outer", { id: u16, inner: struct("Inner", { a: u16, b: second }) });
    expect(mismatch(inner(i32), record(inner(u32)).value)).toMatch(/at field 2: here 'inner\.b:i32@8', service 'inner\.b:u32@8'$/);
  });

  it("says which side has a field the other lacks", () => {
    const short = struct("TransmissionData", { x: i32, y: i32 });
    expect(mismatch(short, service)).toMatch(/at field 2: here no such field, service 'funky:f64@8'$/);
    expect(mismatch(TransmissionData, record(short).value)).toMatch(/at field 2: here 'funky:f64@8', service has no such field$/);
  });

  it("reports a difference past a truncated list as lying beyond the listed fields", () => {
    const theirs = record(manyFields("Big", 40));
    const listed = theirs.value.split(" ").length - 3;
    const changedLast = struct("Big", { ...Object.fromEntries(theirs.leaves.slice(0, 39).map((_, i) => [`field${i}`, u32])), last: u32 });
    expect(mismatch(changedLast, theirs.value)).toBe(
      `cannot open service 'Svc': payload struct 'Big' differs from the service's beyond the ${listed} fields its layout attribute lists (the service's struct has 40 leaf fields, here 40)`,
    );
    // A difference inside the listed part is still named.
    expect(mismatch(manyFields("Big", 40, "f"), theirs.value)).toMatch(/at field 0: here 'f0:u32@0', service 'field0:u32@0'$/);
  });

  it("rejects a malformed value of the known version", () => {
    expect(mismatch(TransmissionData, "v1 nothex 3")).toMatch(/layout of the payload struct 'TransmissionData' is malformed \(its hash/);
    expect(mismatch(TransmissionData, "v1 ba6beaf399a805df three")).toMatch(/field count is not a number/);
    expect(mismatch(TransmissionData, "v1 ba6beaf399a805df 1 x:i32@0 y:i32@4")).toMatch(/field list is malformed/);
  });

  it("accepts a key with several values when one of them matches", () => {
    const other = record(struct("TransmissionData", { a: i32, b: i32, c: f64 })).value;
    const attributes = [
      { key: "iox2js.layout.payload", value: other },
      { key: "iox2js.layout.payload", value: service },
    ];
    expect(checkLayouts("Svc", [record(TransmissionData)], attributes)).toBeUndefined();
    expect(checkLayouts("Svc", [record(TransmissionData)], attributes.slice(0, 1))?.message).toMatch(/at field 0: here 'x:i32@0', service 'a:i32@0'$/);
  });
});
