/**
 * Property-based fuzzing of the layout helpers, beyond the fixed structs of layout.test.ts and
 * the gcc comparison of layout-gcc.test.ts:
 *
 * - random struct trees (nested structs, arrays of structs and of arrays) against a layout
 *   computed here from the C rules: size, alignment, every field's offset;
 * - random values round trip through `write`/`read`, accessors and read-only views, and a write
 *   touches exactly the bytes of the struct's leaves (never padding, never outside the struct);
 * - random bad values (wrong type, out of range, wrong length, missing or unknown fields) at a
 *   random place in a value fail with `InvalidArgument` and leave every byte as it was;
 * - random arguments to every entry point (offsets, indices, lengths, buffers, definitions,
 *   field names to assign), including values whose own code misbehaves (revoked proxies, traps,
 *   getters and iterators that throw, endless iterators, TypedArrays overriding their bounds),
 *   fail with an `Iox2Error` of a documented kind, never with another exception;
 * - the layout attribute of a random struct fits iceoryx2's 256 bytes and matches itself, and
 *   random attribute values from a service never make `checkLayouts` throw.
 *
 * fast-check prints the seed and path of a failing case; rerun it with LAYOUT_FUZZ_SEED=<seed>.
 * LAYOUT_FUZZ_SCALE=<n> multiplies every property's number of runs.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Iox2Error } from "../src/base/errors.js";
import { checkLayouts, layoutRecord } from "../src/layout/attribute.js";
import type { AnyLayoutType, ArrayView, StructFields, StructType, StructView } from "../src/layout/index.js";
import { array, bool, describeLayout, f32, f64, i16, i32, i64, i8, slice, struct, u16, u32, u64, u8 } from "../src/layout/index.js";

const env = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env ?? {};
const seedFromEnv = Number(env.LAYOUT_FUZZ_SEED);
const scale = Math.max(1, Number(env.LAYOUT_FUZZ_SCALE) || 1);
const params = (numRuns: number): fc.Parameters<unknown> => ({
  numRuns: numRuns * scale,
  ...(Number.isInteger(seedFromEnv) ? { seed: seedFromEnv } : {}),
});
/** Per property: fast on an idle machine, with room for a loaded one. */
const TIMEOUT_MS = 60_000 * scale;

// ---------------------------------------------------------------------------
// Random definitions and the reference layout
// ---------------------------------------------------------------------------

const PRIMS = {
  u8: { type: u8, size: 1 },
  u16: { type: u16, size: 2 },
  u32: { type: u32, size: 4 },
  u64: { type: u64, size: 8 },
  i8: { type: i8, size: 1 },
  i16: { type: i16, size: 2 },
  i32: { type: i32, size: 4 },
  i64: { type: i64, size: 8 },
  f32: { type: f32, size: 4 },
  f64: { type: f64, size: 8 },
  bool: { type: bool, size: 1 },
} as const;
type PrimName = keyof typeof PRIMS;
const PRIM_NAMES = Object.keys(PRIMS) as PrimName[];

type Def =
  | { readonly k: "prim"; readonly p: PrimName }
  | { readonly k: "array"; readonly elem: Def; readonly len: number }
  | { readonly k: "struct"; readonly fields: readonly (readonly [string, Def])[] };

const primDef: fc.Arbitrary<Def> = fc.constantFrom(...PRIM_NAMES).map((p) => ({ k: "prim", p }));

/** Field names: identifiers that are not reserved (`$…`, Object.prototype members, `then`). */
const fieldName = fc
  .stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,11}$/)
  .filter((name) => !(name in Object.prototype) && name !== "then" && name !== "NaN" && name !== "Infinity");

const defArb: fc.Arbitrary<Def> = fc.letrec<{ def: Def; struct: Def }>((tie) => ({
  def: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    { arbitrary: primDef, weight: 6 },
    { arbitrary: fc.record({ k: fc.constant("array" as const), elem: tie("def"), len: fc.integer({ min: 1, max: 4 }) }), weight: 2 },
    { arbitrary: tie("struct"), weight: 2 },
  ),
  struct: fc
    .uniqueArray(fc.tuple(fieldName, tie("def")), { minLength: 1, maxLength: 6, selector: ([name]) => name })
    .map((fields): Def => ({ k: "struct", fields })),
})).struct;

let structCounter = 0;
/** The iceoryx2-js type of a definition; struct names are unique per definition. */
function typeOf(def: Def): AnyLayoutType {
  if (def.k === "prim") return PRIMS[def.p].type;
  if (def.k === "array") return array(typeOf(def.elem), def.len);
  return struct(`Fuzz${structCounter++}`, Object.fromEntries(def.fields.map(([name, field]) => [name, typeOf(field)])));
}

interface Reference {
  size: number;
  alignment: number;
  /** Offsets of the struct's own fields. */
  offsets: number[];
  /** Every primitive's byte range, relative to the start of the type. */
  leaves: { offset: number; size: number }[];
}

const alignUp = (n: number, alignment: number) => Math.ceil(n / alignment) * alignment;

/** The C layout of `def`, computed here: fields in order, each at the next multiple of its alignment. */
function reference(def: Def): Reference {
  if (def.k === "prim") {
    const size = PRIMS[def.p].size;
    return { size, alignment: size, offsets: [], leaves: [{ offset: 0, size }] };
  }
  if (def.k === "array") {
    const elem = reference(def.elem);
    const leaves = Array.from({ length: def.len }, (_, i) => elem.leaves.map((l) => ({ offset: l.offset + i * elem.size, size: l.size }))).flat();
    return { size: elem.size * def.len, alignment: elem.alignment, offsets: [], leaves };
  }
  let end = 0;
  let alignment = 1;
  const offsets: number[] = [];
  const leaves: Reference["leaves"] = [];
  for (const [, field] of def.fields) {
    const f = reference(field);
    const offset = alignUp(end, f.alignment);
    offsets.push(offset);
    leaves.push(...f.leaves.map((l) => ({ offset: l.offset + offset, size: l.size })));
    end = offset + f.size;
    alignment = Math.max(alignment, f.alignment);
  }
  return { size: alignUp(end, alignment), alignment, offsets, leaves };
}

// ---------------------------------------------------------------------------
// Values
// ---------------------------------------------------------------------------

const F32_MAX = 3.4028234663852886e38;

const goodPrim: Record<PrimName, fc.Arbitrary<unknown>> = {
  u8: fc.integer({ min: 0, max: 0xff }),
  u16: fc.integer({ min: 0, max: 0xffff }),
  u32: fc.integer({ min: 0, max: 0xffffffff }),
  u64: fc.oneof(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), fc.maxSafeNat()),
  i8: fc.integer({ min: -0x80, max: 0x7f }),
  i16: fc.integer({ min: -0x8000, max: 0x7fff }),
  i32: fc.integer({ min: -0x80000000, max: 0x7fffffff }),
  i64: fc.oneof(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), fc.maxSafeInteger()),
  f32: fc.oneof(fc.float(), fc.double({ min: -F32_MAX, max: F32_MAX })),
  f64: fc.double(),
  bool: fc.boolean(),
};

/** Whether iceoryx2-js must accept `v` for primitive `p` (the documented rules, restated). */
function validPrim(p: PrimName, v: unknown): boolean {
  const int = (min: number, max: number) => typeof v === "number" && Number.isInteger(v) && v >= min && v <= max;
  switch (p) {
    case "u8":
      return int(0, 0xff);
    case "u16":
      return int(0, 0xffff);
    case "u32":
      return int(0, 0xffffffff);
    case "i8":
      return int(-0x80, 0x7f);
    case "i16":
      return int(-0x8000, 0x7fff);
    case "i32":
      return int(-0x80000000, 0x7fffffff);
    case "u64":
      return (typeof v === "bigint" && v >= 0n && v < 2n ** 64n) || (Number.isSafeInteger(v) && (v as number) >= 0);
    case "i64":
      return (typeof v === "bigint" && v >= -(2n ** 63n) && v < 2n ** 63n) || Number.isSafeInteger(v);
    case "f32":
      return typeof v === "number" && !(Number.isFinite(v) && Math.abs(v) > F32_MAX);
    case "f64":
      return typeof v === "number";
    case "bool":
      return typeof v === "boolean";
  }
}

/** Values of every JS type, with the edges of the numeric ranges. */
const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.anything(),
  fc.double(),
  fc.integer({ min: -(2 ** 40), max: 2 ** 40 }),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }),
  fc.constantFrom(
    NaN, Infinity, -Infinity, -1, 0.5, 2 ** 8, 2 ** 16, 2 ** 32, 2 ** 53, -(2 ** 53), 2 ** 64, F32_MAX * 2,
    2n ** 64n, -1n, 2n ** 63n, -(2n ** 63n) - 1n, "1", "", true, null, undefined, Symbol("bad"), () => 1,
    [], {}, new Uint8Array(1), new Date(0),
  ),
);

const badPrim = (p: PrimName) => anyValue.filter((v) => !validPrim(p, v));

// ---------------------------------------------------------------------------
// Values whose own code misbehaves
// ---------------------------------------------------------------------------

/**
 * A value whose own code misbehaves, made fresh where it is used: fast-check shows this wrapper
 * by name (printing a revoked proxy would throw); {@link unwrap} gives the value.
 */
class Hostile {
  constructor(
    readonly name: string,
    readonly make: () => unknown,
  ) {}

  [fc.toStringMethod](): string {
    return `hostile(${this.name})`;
  }
}

const unwrap = (v: unknown): unknown => (v instanceof Hostile ? v.make() : v);

const boom = () => {
  throw new Error("boom");
};
const throwingTraps: ProxyHandler<object> = { get: boom, has: boom, ownKeys: boom, getPrototypeOf: boom, getOwnPropertyDescriptor: boom };

function revokedProxy(): object {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
}

/** Hostile values that no layout type accepts as a value. */
const REJECTED_HOSTILES = [
  new Hostile("revoked proxy", revokedProxy),
  new Hostile("proxy whose traps throw", () => new Proxy({}, throwingTraps)),
  new Hostile("object inheriting from a throwing proxy", () => Object.create(new Proxy({}, throwingTraps))),
  new Hostile("array whose elements throw", () => new Proxy([0, 0, 0, 0], { get: (t, k, r) => (typeof k === "string" && /^\d+$/.test(k) ? boom() : Reflect.get(t, k, r)) })),
  new Hostile("endless iterable", () => ({ *[Symbol.iterator]() { for (;;) yield 0; } })),
  new Hostile("iterable that throws", () => ({ [Symbol.iterator]: boom })),
  new Hostile("conversions that throw", () => ({ [Symbol.toPrimitive]: boom, valueOf: boom, toString: boom })),
];

/** Every hostile value: those above, and some a layout type may accept. */
const HOSTILES = [
  ...REJECTED_HOSTILES,
  new Hostile("getter that throws", () => ({ get x() { return boom(); }, get length() { return boom(); } })),
  new Hostile("huge array-like", () => ({ length: Number.MAX_SAFE_INTEGER })),
  new Hostile("value that changes on each read", () => {
    let reads = 0;
    return new Proxy([1, 2, 3, 4], { get: (t, k, r) => (typeof k === "string" && /^\d+$/.test(k) ? (reads++ % 2 === 0 ? 1 : Symbol("changed")) : Reflect.get(t, k, r)) });
  }),
  new Hostile("TypedArray overriding its bounds", () => {
    const bytes = new Uint8Array(4);
    for (const key of ["length", "byteLength", "byteOffset"]) Object.defineProperty(bytes, key, { get: boom });
    Object.defineProperty(bytes, "buffer", { value: "not a buffer" });
    return bytes;
  }),
  new Hostile("Uint8Array subclass lying about its bounds", () => {
    class Lying extends Uint8Array {
      override get byteOffset(): number {
        return 1 << 20;
      }
      override get byteLength(): number {
        return 1 << 20;
      }
    }
    return new Lying(8);
  }),
  new Hostile("detached Uint8Array", () => {
    const bytes = new Uint8Array(16);
    structuredClone(bytes.buffer, { transfer: [bytes.buffer] });
    return bytes;
  }),
];

/** Any value, hostile ones included (pass it through {@link unwrap}). */
const argValue: fc.Arbitrary<unknown> = fc.oneof({ arbitrary: anyValue, weight: 3 }, { arbitrary: fc.constantFrom(...HOSTILES), weight: 1 });

function goodValue(def: Def): fc.Arbitrary<unknown> {
  if (def.k === "prim") return goodPrim[def.p];
  if (def.k === "array") return fc.array(goodValue(def.elem), { minLength: def.len, maxLength: def.len });
  return fc.record(Object.fromEntries(def.fields.map(([name, field]) => [name, goodValue(field)])));
}

/** What `read` gives back for a value written as `v`: bigints for 64-bit integers, f32 rounding. */
function expectedRead(def: Def, v: unknown): unknown {
  if (def.k === "prim") {
    if (def.p === "u64" || def.p === "i64") return BigInt(v as number | bigint);
    if (def.p === "f32") return Math.fround(v as number);
    return v;
  }
  if (def.k === "array") return (v as unknown[]).map((item) => expectedRead(def.elem, item));
  return Object.fromEntries(def.fields.map(([name, field]) => [name, expectedRead(field, (v as Record<string, unknown>)[name])]));
}

type Path = readonly (string | number)[];

/** Every place in a value of `def`: the path to it and its definition, the root first. */
function placesOf(def: Def, path: Path = []): { path: Path; def: Def }[] {
  const here = { path, def };
  if (def.k === "prim") return [here];
  if (def.k === "array") return [here, ...Array.from({ length: def.len }, (_, i) => placesOf(def.elem, [...path, i])).flat()];
  return [here, ...def.fields.flatMap(([name, field]) => placesOf(field, [...path, name]))];
}

/** A value that `def` must reject. */
function badValue(def: Def): fc.Arbitrary<unknown> {
  return fc.oneof({ arbitrary: badValueOfKind(def), weight: 4 }, { arbitrary: fc.constantFrom(...REJECTED_HOSTILES), weight: 1 });
}

function badValueOfKind(def: Def): fc.Arbitrary<unknown> {
  if (def.k === "prim") return badPrim(def.p);
  if (def.k === "array") {
    const wrongLength = fc
      .integer({ min: 0, max: def.len + 2 })
      .filter((n) => n !== def.len)
      .chain((n) => fc.array(goodValue(def.elem), { minLength: n, maxLength: n }));
    const notArrayLike = anyValue.filter((v) => typeof v !== "object" || v === null || (!Array.isArray(v) && !ArrayBuffer.isView(v) && !(Symbol.iterator in v) && !("length" in v)));
    return fc.oneof(wrongLength, notArrayLike);
  }
  const names = def.fields.map(([name]) => name);
  const unknownField = fc
    .tuple(goodValue(def), fieldName.filter((n) => !names.includes(n)), anyValue)
    .map(([v, name, extra]) => ({ ...(v as object), [name]: extra }));
  const missingField = fc
    .tuple(goodValue(def), fc.constantFrom(...names))
    .map(([v, name]) => Object.fromEntries(Object.entries(v as object).filter(([k]) => k !== name)));
  const notObject = fc.oneof(fc.constantFrom(null, undefined, 42, "struct", true, 1n, []), fc.array(anyValue));
  return fc.oneof(unknownField, missingField, notObject);
}

/** `value` with the place at `path` replaced by `replacement`. */
function replaceAt(value: unknown, path: Path, replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path;
  if (Array.isArray(value)) return value.map((item, i) => (i === head ? replaceAt(item, rest, replacement) : item));
  return { ...(value as object), [head as string]: replaceAt((value as Record<string, unknown>)[head as string], rest, replacement) };
}

/** A struct definition, a valid value of it and a value with one place made invalid. */
const structWithBadValue = defArb.chain((def) =>
  fc.constantFrom(...placesOf(def)).chain((place) =>
    fc.record({ def: fc.constant(def), good: goodValue(def), place: fc.constant(place), bad: badValue(place.def) }),
  ),
);

function caught(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  return undefined;
}

function expectIox2Error(error: unknown, kinds: readonly string[], context: string): void {
  expect(error, `${context}: expected an Iox2Error`).toBeInstanceOf(Iox2Error);
  expect(kinds, `${context}: ${(error as Error).message}`).toContain((error as Iox2Error).kind);
}

/** A value for a failure message (fast-check's own printing; never throws). */
const show = (v: unknown) => {
  try {
    return fc.stringify(v);
  } catch {
    return "(a value that cannot be printed)";
  }
};

// ---------------------------------------------------------------------------

describe("random struct trees", () => {
  it("have the C layout computed from the rules: size, alignment and every field's offset", () => {
    fc.assert(
      fc.property(defArb, (def) => {
        const type = typeOf(def) as StructType;
        const ref = reference(def);
        expect({ size: type.size, alignment: type.alignment }).toEqual({ size: ref.size, alignment: ref.alignment });
        expect(type.fields.map((f) => f.offset)).toEqual(ref.offsets);
        expect(type.fields.map((f) => f.name)).toEqual(def.k === "struct" ? def.fields.map(([name]) => name) : []);
        const description = describeLayout(type);
        expect(description.kind === "struct" && description.fields.map((f) => [f.name, f.offset, f.size])).toEqual(
          type.fields.map((f) => [f.name, f.offset, f.type.size]),
        );
      }),
      params(400),
    );
  }, TIMEOUT_MS);

  it("round trip random values through write/read, accessors and read-only views, writing only their leaves' bytes", () => {
    fc.assert(
      fc.property(
        defArb.chain((def) => fc.record({ def: fc.constant(def), value: goodValue(def), offset: fc.integer({ min: 0, max: 16 }), fill: fc.integer({ min: 0, max: 255 }) })),
        ({ def, value, offset, fill }) => {
          const type = typeOf(def) as StructType;
          const ref = reference(def);
          const bytes = new Uint8Array(offset + type.size + 8).fill(fill);
          type.write(bytes, value as never, offset);
          const expected = expectedRead(def, value);
          expect(type.read(bytes, offset)).toEqual(expected);
          expect(type.view(bytes, offset).$toPlain()).toEqual(expected);
          expect(type.view(bytes, offset, { readonly: true }).$toPlain()).toEqual(expected);

          // Every byte outside the leaves (padding, and around the struct) kept the fill.
          const leafBytes = new Set(ref.leaves.flatMap((l) => Array.from({ length: l.size }, (_, i) => offset + l.offset + i)));
          const changedOutside = [...bytes.keys()].filter((i) => !leafBytes.has(i) && bytes[i] !== fill);
          expect(changedOutside, `bytes written outside the leaves of ${show(def)}`).toEqual([]);

          // Writing the same value through the accessor's $set gives the same bytes.
          const again = new Uint8Array(bytes.length).fill(fill);
          type.view(again, offset).$set(value as never);
          expect(again).toEqual(bytes);
        },
      ),
      params(300),
    );
  }, TIMEOUT_MS);

  it("reject a bad value anywhere in a value with InvalidArgument, before writing any byte", () => {
    fc.assert(
      fc.property(structWithBadValue, fc.integer({ min: 0, max: 255 }), ({ def, good, place, bad }, fill) => {
        const type = typeOf(def) as StructType;
        const bytes = new Uint8Array(type.size).fill(fill);
        const badValue = unwrap(bad);
        const value = replaceAt(good, place.path, badValue);
        const context = `${show(def)} with ${show(bad)} at ${show(place.path)}`;
        expectIox2Error(caught(() => type.write(bytes, value as never)), ["InvalidArgument"], `write ${context}`);
        expectIox2Error(caught(() => type.view(bytes).$set(value as never)), ["InvalidArgument"], `$set ${context}`);
        expect(bytes.every((b) => b === fill), `bytes changed by ${context}`).toBe(true);

        // The same bad value assigned through the accessors to the place itself.
        if (place.path.length > 0) {
          let target: unknown = type.view(bytes);
          for (const step of place.path.slice(0, -1)) {
            target = typeof step === "number" ? (target as ArrayView<unknown>).get(step) : (target as Record<string, unknown>)[step];
          }
          const last = place.path[place.path.length - 1]!;
          const assign =
            typeof last === "number"
              ? () => (target as ArrayView<unknown>).set(last, badValue)
              : () => ((target as Record<string, unknown>)[last] = badValue);
          expectIox2Error(caught(assign), ["InvalidArgument"], `accessor ${context}`);
          expect(bytes.every((b) => b === fill), `bytes changed by the accessor with ${context}`).toBe(true);
        }
      }),
      params(500),
    );
  }, TIMEOUT_MS);
});

describe("random arguments", () => {
  const kinds = ["InvalidArgument", "OutOfBounds", "SampleReleased"];
  const buffers: fc.Arbitrary<unknown> = fc.oneof(
    fc.integer({ min: 0, max: 64 }).map((n) => new Uint8Array(n)),
    fc.integer({ min: 1, max: 64 }).chain((n) => fc.integer({ min: 0, max: n }).map((start) => new Uint8Array(n).subarray(start))),
    fc.constantFrom(new ArrayBuffer(8), new DataView(new ArrayBuffer(16)), new Float64Array(2), [1, 2, 3], "bytes", null, undefined, 7, {}),
    argValue,
  );
  const offsets: fc.Arbitrary<unknown> = fc.oneof(fc.integer({ min: -8, max: 72 }), argValue);
  /** The class name and byte length of a TypedArray as the built-in getters see them (whatever the object overrides). */
  const typedArrayGetter = (key: PropertyKey) => Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype) as object, key)!.get!;
  const isUint8Array = (v: unknown) => typedArrayGetter(Symbol.toStringTag).call(v) === "Uint8Array";
  const realByteLength = (bytes: unknown) => typedArrayGetter("byteLength").call(bytes) as number;

  it("to view, read and write fail with InvalidArgument, OutOfBounds or SampleReleased, or work within bounds", () => {
    fc.assert(
      fc.property(defArb, buffers, offsets, (def, bytesArg, offsetArg) => {
        const type = typeOf(def) as StructType;
        const [bytes, offset] = [unwrap(bytesArg), unwrap(offsetArg)];
        const context = `${show(def)} on ${show(bytesArg)} at ${show(offsetArg)}`;
        const fits =
          isUint8Array(bytes) && Number.isInteger(offset) && (offset as number) >= 0 && (offset as number) + type.size <= realByteLength(bytes);
        for (const action of [
          () => type.view(bytes as Uint8Array, offset as number),
          () => type.read(bytes as Uint8Array, offset as number),
          () => type.write(bytes as Uint8Array, type.read(new Uint8Array(type.size)) as never, offset as number),
        ]) {
          const error = caught(action);
          if (fits) expect(error, context).toBeUndefined();
          else if (error !== undefined) expectIox2Error(error, kinds, context);
        }
      }),
      params(400),
    );
  }, TIMEOUT_MS);

  it("to array views (get, set, write, typedArray) fail with InvalidArgument or OutOfBounds", () => {
    const element = fc.constantFrom(...PRIM_NAMES);
    const indices = fc.oneof(fc.integer({ min: -2, max: 9 }), argValue);
    fc.assert(
      fc.property(element, fc.integer({ min: 1, max: 8 }), indices, argValue, indices, (p, len, ...args) => {
        const [index, value, start] = args.map(unwrap);
        const view = array(PRIMS[p].type as AnyLayoutType, len).get(new DataView(new ArrayBuffer(8 * len + 8)), 1) as ArrayView<unknown>;
        const context = `[${p}; ${len}] with ${show(args)}`;
        for (const action of [
          () => view.get(index as number),
          () => view.set(index as number, value),
          () => view.write(value as never, start as number),
          () => view.typedArray(),
        ]) {
          const error = caught(action);
          if (error !== undefined) expectIox2Error(error, kinds, context);
        }
      }),
      params(500),
    );
  }, TIMEOUT_MS);

  it("to slices (view, lengthFor) fail with InvalidArgument or OutOfBounds", () => {
    fc.assert(
      fc.property(defArb, buffers, offsets, (def, bytesArg, lengthArg) => {
        const type = slice(typeOf(def));
        const [bytes, length] = [unwrap(bytesArg), unwrap(lengthArg)];
        const context = `slice of ${show(def)} on ${show(bytesArg)} with length ${show(lengthArg)}`;
        for (const action of [() => type.view(bytes as Uint8Array, length as number), () => type.view(bytes as Uint8Array), () => type.lengthFor(length as number)]) {
          const error = caught(action);
          if (error !== undefined) expectIox2Error(error, kinds, context);
        }
      }),
      params(400),
    );
  }, TIMEOUT_MS);

  it("to struct() and array() either define a consistent type or fail with InvalidArgument", () => {
    const fieldType = fc.oneof(
      fc.constantFrom(...PRIM_NAMES).map((p) => PRIMS[p].type as unknown),
      fc.constantFrom(slice(u8), array(u16, 3), struct("Inner", { a: u8 })),
      argValue,
    );
    const fields = fc.oneof(fc.dictionary(fc.oneof(fieldName, fc.string()), fieldType, { maxKeys: 5 }), argValue);
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: "binary", maxLength: 300 }), argValue), fields, argValue, (nameArg, defsArg, lengthArg) => {
        const context = `struct(${show(nameArg)}, ${show(defsArg)})`;
        const name = unwrap(nameArg);
        const defs = defsArg instanceof Hostile ? defsArg.make() : typeof defsArg === "object" && defsArg !== null && !Array.isArray(defsArg) ? Object.fromEntries(Object.entries(defsArg).map(([k, v]) => [k, unwrap(v)])) : defsArg;
        const length = unwrap(lengthArg);
        let type: StructType | undefined;
        const error = caught(() => (type = struct(name as string, defs as never)));
        if (error !== undefined) expectIox2Error(error, ["InvalidArgument"], context);
        else {
          const last = type!.fields[type!.fields.length - 1]!;
          expect(type!.size % type!.alignment, context).toBe(0);
          expect(last.offset + last.type.size, context).toBeLessThanOrEqual(type!.size);
        }
        const arrayError = caught(() => array(u64, length as number));
        if (arrayError !== undefined) expectIox2Error(arrayError, ["InvalidArgument"], `array(u64, ${show(lengthArg)})`);
        for (const [what, call] of [["array", () => array(unwrap(defsArg) as never, 2)], ["slice", () => slice(unwrap(defsArg) as never)], ["describeLayout", () => describeLayout(unwrap(defsArg) as never)]] as const) {
          const otherError = caught(call);
          if (otherError !== undefined) expectIox2Error(otherError, ["InvalidArgument"], `${what}(${show(defsArg)})`);
        }
      }),
      params(500),
    );
  }, TIMEOUT_MS);

  it("to array views: indices that are no numbers are InvalidArgument, never converted", () => {
    const view = array(u8, 2).get(new DataView(new ArrayBuffer(2)), 0) as ArrayView<number>;
    for (const index of [0n, Symbol("index"), Object.create(null), { toString: "" }, { valueOf: boom }]) {
      expectIox2Error(caught(() => view.get(index as never)), ["InvalidArgument"], `get(${show(index)})`);
      expectIox2Error(caught(() => view.set(index as never, 1)), ["InvalidArgument"], `set(${show(index)})`);
    }
  });

  it("to every entry point and accessor, whatever the arguments' own code does, give a result or a documented Iox2Error", () => {
    const HELPERS = ["$set", "$toPlain", "$layout", "$readonly", "toJSON", "constructor", "__proto__", "then", "toString", "valueOf"];
    const calls = defArb.chain((def) =>
      fc.record({
        def: fc.constant(def),
        key: fc.oneof(fc.constantFrom(...(def.k === "struct" ? def.fields.map(([name]) => name) : []), ...HELPERS), fieldName, fc.string()),
        value: fc.oneof(goodValue(def), argValue),
        other: argValue,
        bytes: buffers,
        offset: offsets,
        index: fc.oneof(fc.integer({ min: -1, max: 3 }), argValue),
        options: fc.oneof(fc.constant(undefined), fc.record({ readonly: fc.boolean() }), argValue),
        prim: fc.constantFrom(...PRIM_NAMES),
      }),
    );
    fc.assert(
      fc.property(calls, (call) => {
        const type = typeOf(call.def) as StructType & AnyLayoutType;
        const [value, other, bytes, offset, index, options] = [call.value, call.other, call.bytes, call.offset, call.index, call.options].map(unwrap) as [
          never,
          never,
          never,
          never,
          never,
          never,
        ];
        const prim = PRIMS[call.prim].type as AnyLayoutType;
        const memory = new DataView(new ArrayBuffer(64));
        const view = type.view(new Uint8Array(type.size)) as unknown as Record<string, unknown> & StructView<StructFields>;
        const received = type.view(new Uint8Array(type.size), 0, { readonly: true }) as unknown as Record<string, unknown>;
        const elements = array(type, 2).get(new DataView(new ArrayBuffer(type.size * 2)), 0) as ArrayView<unknown>;
        const numbers = array(prim, 3).get(memory, 0) as ArrayView<unknown>;
        const entryPoints: Record<string, () => unknown> = {
          "type.get": () => type.get(bytes, offset, options),
          "type.set": () => type.set(bytes, offset, value),
          "type.toPlain": () => type.toPlain(bytes, offset),
          "type.view": () => type.view(bytes, offset, options),
          "type.read": () => type.read(bytes, offset),
          "type.write": () => type.write(bytes, value, offset),
          "primitive.get": () => prim.get(other, offset),
          "primitive.set": () => prim.set(memory, offset, other),
          "primitive.toPlain": () => prim.toPlain(bytes, 0),
          "view[key]": () => view[call.key],
          "view[key] = value": () => (view[call.key] = value),
          "received[key] = value": () => (received[call.key] = value),
          "view.$set": () => view.$set(value),
          "received.$toPlain": () => (received.$toPlain as () => unknown)(),
          "elements.get": () => elements.get(index),
          "elements.set": () => elements.set(index, value),
          "elements.write": () => elements.write(other, index),
          "elements.toArray": () => elements.toArray(),
          "numbers.set": () => numbers.set(index, other),
          "numbers.write": () => numbers.write(other, index),
          "numbers.typedArray": () => numbers.typedArray(),
          "slice.view": () => slice(type).view(bytes, offset, options),
          "slice.lengthFor": () => slice(prim).lengthFor(offset),
        };
        for (const [name, entryPoint] of Object.entries(entryPoints)) {
          const error = caught(entryPoint);
          if (error !== undefined) expectIox2Error(error, kinds, `${name} with ${show(call)}`);
        }
        // Assignments of names the struct does not have are refused, on either kind of view.
        if (!type.fields.some((f) => f.name === call.key)) {
          expectIox2Error(caught(() => (view[call.key] = value)), ["InvalidArgument"], `view[${show(call.key)}] = ${show(call.value)}`);
          expect(Object.getOwnPropertyNames(view)).toEqual([]);
        }
        expectIox2Error(caught(() => (received[call.key] = value)), ["InvalidArgument"], `received[${show(call.key)}] = ${show(call.value)}`);
      }),
      params(400),
    );
  }, TIMEOUT_MS);
});

describe("layout attributes of random structs", () => {
  it("fit iceoryx2's 256 ASCII bytes and match their own struct", () => {
    fc.assert(
      fc.property(defArb, (def) => {
        const record = layoutRecord("payload", typeOf(def))!;
        expect(record.value.length).toBeLessThanOrEqual(256);
        expect(record.value).toMatch(/^[\x21-\x7e]+( [\x21-\x7e]+)*$/);
        expect(checkLayouts("Svc", [record], [{ key: record.key, value: record.value }])).toBeUndefined();
      }),
      params(300),
    );
  }, TIMEOUT_MS);

  it("never make checkLayouts throw, whatever value a service carries", () => {
    const mutated = defArb.chain((def) => {
      const value = layoutRecord("payload", typeOf(def))!.value;
      return fc.oneof(
        fc.string({ maxLength: 256 }),
        fc.string({ unit: "binary", maxLength: 64 }).map((s) => `v1 ${s}`),
        fc.tuple(fc.nat({ max: value.length }), fc.string({ maxLength: 8 })).map(([at, text]) => value.slice(0, at) + text + value.slice(at)),
        fc.tuple(fc.nat({ max: value.length }), fc.nat({ max: 16 })).map(([at, n]) => value.slice(0, at) + value.slice(at + n)),
        fc.constantFrom(`v1 ${"0".repeat(16)} 99999999999999999999999`, "v1", "v1 ", "v1  ", `${value} extra:u8@1`),
      );
    });
    fc.assert(
      fc.property(defArb, mutated, (def, serviceValue) => {
        const record = layoutRecord("payload", typeOf(def))!;
        let outcome: unknown;
        const error = caught(() => (outcome = checkLayouts("Svc", [record], [{ key: record.key, value: serviceValue }])));
        expect(error, `checkLayouts threw for ${show(serviceValue)}`).toBeUndefined();
        if (outcome !== undefined) {
          expect(outcome).toBeInstanceOf(Iox2Error);
          expect((outcome as Iox2Error).kind).toBe("IncompatibleTypes");
        }
      }),
      params(400),
    );
  }, TIMEOUT_MS);
});
