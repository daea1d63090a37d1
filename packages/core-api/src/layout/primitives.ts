/**
 * Rust's primitive types as layout types (`u8` … `f64`, `bool`, `char`, 128-bit and pointer-sized integers).
 * @module
 */
import { TypeBase } from "./base.js";
import { LITTLE_ENDIAN_HOST, type PathKey, describeValue, invalid, invalidPayload, memoryError } from "./memory.js";
import type { ByteWindow, PrimitiveType, TypedArray, TypedArrayConstructorOf } from "./types.js";

type Check = (v: unknown) => string | undefined;
type Load = (view: ByteWindow, byteOffset: number) => unknown;
type Store = (view: ByteWindow, byteOffset: number, value: unknown) => void;

export class PrimitiveImpl extends TypeBase {
  readonly kind = "primitive" as const;
  readonly typedArrayConstructor: TypedArrayConstructorOf<TypedArray> | undefined;
  /** The name of the TypedArray class whose bytes are this type's on this host (undefined on big-endian hosts), for copies byte for byte. */
  readonly _rawClassName: string | undefined;
  private readonly _load: Load;
  private readonly _write: Store;
  private readonly _check: Check;

  constructor(
    typeName: string,
    size: number,
    ctor: TypedArrayConstructorOf<TypedArray> | undefined,
    load: Load,
    write: Store,
    check: Check,
  ) {
    super(typeName, size, size);
    this.typedArrayConstructor = ctor;
    this._rawClassName = LITTLE_ENDIAN_HOST ? (ctor as { name?: string } | undefined)?.name : undefined;
    this._load = load;
    this._write = write;
    this._check = check;
    Object.freeze(this);
  }

  _get(view: ByteWindow, byteOffset: number): unknown {
    try {
      return this._load(view, byteOffset);
    } catch (e) {
      throw memoryError(e, view, byteOffset, this.size);
    }
  }

  _toPlain(view: ByteWindow, byteOffset: number): unknown {
    return this._get(view, byteOffset);
  }

  _prepare(value: unknown, parent: string, key: PathKey): unknown {
    const problem = this._check(value);
    if (problem !== undefined) throw invalid(this.typeName, parent, key, problem);
    return value;
  }

  /** Why `value` cannot be stored as this primitive, or undefined when it can. */
  _checkValue(value: unknown): string | undefined {
    return this._check(value);
  }

  _store(view: ByteWindow, byteOffset: number, prepared: unknown): void {
    try {
      this._write(view, byteOffset, prepared);
    } catch (e) {
      throw memoryError(e, view, byteOffset, this.size);
    }
  }
}

function intCheck(min: number, max: number): Check {
  return (v) => {
    if (typeof v === "number" && v >= min && v <= max && Number.isInteger(v)) return undefined;
    if (typeof v !== "number") return `expected an integer number, got ${describeValue(v)}`;
    if (!Number.isInteger(v)) return `expected an integer, got ${describeValue(v)}`;
    return `${describeValue(v)} is out of range ${min}..${max}`;
  };
}

function bigIntCheck(min: bigint, max: bigint): Check {
  return (v) => {
    if (typeof v === "bigint") return v >= min && v <= max ? undefined : `${v} is out of range ${min}..${max}`;
    if (typeof v === "number") {
      if (!Number.isInteger(v)) return `expected an integer, got ${describeValue(v)}`;
      if (!Number.isSafeInteger(v)) return `${v} is not a safe integer (pass a bigint instead)`;
      if (min === 0n && v < 0) return `${v} is out of range ${min}..${max}`;
      return undefined;
    }
    return `expected a bigint or a safe integer number, got ${describeValue(v)}`;
  };
}

const F32_MAX = 3.4028234663852886e38;

const numberCheck: Check = (v) => (typeof v === "number" ? undefined : `expected a number, got ${describeValue(v)}`);

const f32Check: Check = (v) => {
  if (typeof v !== "number") return `expected a number, got ${describeValue(v)}`;
  if (Math.abs(v) > F32_MAX && Number.isFinite(v)) {
    return `${v} is out of range for f32 (largest finite magnitude is ${F32_MAX})`;
  }
  return undefined;
};

const boolCheck: Check = (v) => (typeof v === "boolean" ? undefined : `expected a boolean, got ${describeValue(v)}`);

const toBig = (v: unknown): bigint => (typeof v === "bigint" ? v : BigInt(v as number));

/** The type of `char` (a named interface, so editors show `CharType` instead of its expansion). */
export interface CharType extends PrimitiveType<string, string, never> {}

/** The type of `u8` (a named interface, so editors show `U8Type` instead of its expansion). */
export interface U8Type extends PrimitiveType<number, number, Uint8Array> {}

/** The type of `u16` (a named interface, so editors show `U16Type` instead of its expansion). */
export interface U16Type extends PrimitiveType<number, number, Uint16Array> {}

/** The type of `u32` (a named interface, so editors show `U32Type` instead of its expansion). */
export interface U32Type extends PrimitiveType<number, number, Uint32Array> {}

/** The type of `u64` (a named interface, so editors show `U64Type` instead of its expansion). */
export interface U64Type extends PrimitiveType<bigint, bigint | number, BigUint64Array> {}

/** The type of `i8` (a named interface, so editors show `I8Type` instead of its expansion). */
export interface I8Type extends PrimitiveType<number, number, Int8Array> {}

/** The type of `i16` (a named interface, so editors show `I16Type` instead of its expansion). */
export interface I16Type extends PrimitiveType<number, number, Int16Array> {}

/** The type of `i32` (a named interface, so editors show `I32Type` instead of its expansion). */
export interface I32Type extends PrimitiveType<number, number, Int32Array> {}

/** The type of `i64` (a named interface, so editors show `I64Type` instead of its expansion). */
export interface I64Type extends PrimitiveType<bigint, bigint | number, BigInt64Array> {}

/** The type of `f32` (a named interface, so editors show `F32Type` instead of its expansion). */
export interface F32Type extends PrimitiveType<number, number, Float32Array> {}

/** The type of `f64` (a named interface, so editors show `F64Type` instead of its expansion). */
export interface F64Type extends PrimitiveType<number, number, Float64Array> {}

/** The type of `bool` (a named interface, so editors show `BoolType` instead of its expansion). */
export interface BoolType extends PrimitiveType<boolean, boolean, never> {}

/** The type of `u128` (a named interface, so editors show `U128Type` instead of its expansion). */
export interface U128Type extends PrimitiveType<bigint, bigint | number, never> {}

/** The type of `i128` (a named interface, so editors show `I128Type` instead of its expansion). */
export interface I128Type extends PrimitiveType<bigint, bigint | number, never> {}

/** The type of `usize` (a named interface, so editors show `UsizeType` instead of its expansion). */
export interface UsizeType extends PrimitiveType<bigint, bigint | number, BigUint64Array> {}

/** The type of `isize` (a named interface, so editors show `IsizeType` instead of its expansion). */
export interface IsizeType extends PrimitiveType<bigint, bigint | number, BigInt64Array> {}

/** Unsigned 8-bit integer (`uint8_t`); reads and writes `number`. */
export const u8: U8Type = new PrimitiveImpl(
  "u8",
  1,
  Uint8Array,
  (v, o) => v.getUint8(o),
  (v, o, x) => v.setUint8(o, x as number),
  intCheck(0, 0xff),
) as unknown as U8Type;

/** Unsigned 16-bit integer (`uint16_t`), little-endian. */
export const u16: U16Type = new PrimitiveImpl(
  "u16",
  2,
  Uint16Array,
  (v, o) => v.getUint16(o, true),
  (v, o, x) => v.setUint16(o, x as number, true),
  intCheck(0, 0xffff),
) as unknown as U16Type;

/** Unsigned 32-bit integer (`uint32_t`), little-endian. */
export const u32: U32Type = new PrimitiveImpl(
  "u32",
  4,
  Uint32Array,
  (v, o) => v.getUint32(o, true),
  (v, o, x) => v.setUint32(o, x as number, true),
  intCheck(0, 0xffff_ffff),
) as unknown as U32Type;

/** Unsigned 64-bit integer (`uint64_t`), little-endian; reads `bigint`, writes `bigint` or a safe-integer `number`. */
export const u64: U64Type = new PrimitiveImpl(
  "u64",
  8,
  BigUint64Array,
  (v, o) => v.getBigUint64(o, true),
  (v, o, x) => v.setBigUint64(o, toBig(x), true),
  bigIntCheck(0n, 0xffff_ffff_ffff_ffffn),
) as unknown as U64Type;

/** Signed 8-bit integer (`int8_t`). */
export const i8: I8Type = new PrimitiveImpl(
  "i8",
  1,
  Int8Array,
  (v, o) => v.getInt8(o),
  (v, o, x) => v.setInt8(o, x as number),
  intCheck(-0x80, 0x7f),
) as unknown as I8Type;

/** Signed 16-bit integer (`int16_t`), little-endian. */
export const i16: I16Type = new PrimitiveImpl(
  "i16",
  2,
  Int16Array,
  (v, o) => v.getInt16(o, true),
  (v, o, x) => v.setInt16(o, x as number, true),
  intCheck(-0x8000, 0x7fff),
) as unknown as I16Type;

/** Signed 32-bit integer (`int32_t`), little-endian. */
export const i32: I32Type = new PrimitiveImpl(
  "i32",
  4,
  Int32Array,
  (v, o) => v.getInt32(o, true),
  (v, o, x) => v.setInt32(o, x as number, true),
  intCheck(-0x8000_0000, 0x7fff_ffff),
) as unknown as I32Type;

/** Signed 64-bit integer (`int64_t`), little-endian; reads `bigint`, writes `bigint` or a safe-integer `number`. */
export const i64: I64Type = new PrimitiveImpl(
  "i64",
  8,
  BigInt64Array,
  (v, o) => v.getBigInt64(o, true),
  (v, o, x) => v.setBigInt64(o, toBig(x), true),
  bigIntCheck(-0x8000_0000_0000_0000n, 0x7fff_ffff_ffff_ffffn),
) as unknown as I64Type;

/**
 * 32-bit float (`float`), little-endian. Any number is accepted (rounded to f32),
 * except finite values whose magnitude exceeds the largest finite f32.
 */
export const f32: F32Type = new PrimitiveImpl(
  "f32",
  4,
  Float32Array,
  (v, o) => v.getFloat32(o, true),
  (v, o, x) => v.setFloat32(o, x as number, true),
  f32Check,
) as unknown as F32Type;

/** 64-bit float (`double`), little-endian; accepts any number. */
export const f64: F64Type = new PrimitiveImpl(
  "f64",
  8,
  Float64Array,
  (v, o) => v.getFloat64(o, true),
  (v, o, x) => v.setFloat64(o, x as number, true),
  numberCheck,
) as unknown as F64Type;

/** Boolean (`bool`, 1 byte); reads `byte !== 0`, writes only `boolean`s (as 0/1). */
export const bool: BoolType = new PrimitiveImpl(
  "bool",
  1,
  undefined,
  (v, o) => v.getUint8(o) !== 0,
  (v, o, x) => v.setUint8(o, x === true ? 1 : 0),
  boolCheck,
) as unknown as BoolType;

const U64_MASK = 0xffff_ffff_ffff_ffffn;

/** Unsigned 128-bit integer (Rust `u128`, 16-byte aligned as on x86_64 since Rust 1.77), little-endian; reads and writes `bigint` (or a safe-integer `number`). */
export const u128: U128Type = new PrimitiveImpl(
  "u128",
  16,
  undefined,
  (v, o) => v.getBigUint64(o, true) | (v.getBigUint64(o + 8, true) << 64n),
  (v, o, x) => {
    const n = toBig(x);
    v.setBigUint64(o, n & U64_MASK, true);
    v.setBigUint64(o + 8, n >> 64n, true);
  },
  bigIntCheck(0n, (1n << 128n) - 1n),
) as unknown as U128Type;

/** Signed 128-bit integer (Rust `i128`, 16-byte aligned), little-endian; reads and writes `bigint` (or a safe-integer `number`). */
export const i128: I128Type = new PrimitiveImpl(
  "i128",
  16,
  undefined,
  (v, o) => v.getBigUint64(o, true) | (v.getBigInt64(o + 8, true) << 64n),
  (v, o, x) => {
    const n = toBig(x);
    v.setBigUint64(o, n & U64_MASK, true);
    v.setBigInt64(o + 8, n >> 64n, true);
  },
  bigIntCheck(-(1n << 127n), (1n << 127n) - 1n),
) as unknown as I128Type;

/**
 * Rust's `usize`: 64 bits here, since every target this library ships for is 64-bit (a peer
 * built for a 32-bit target has a 4-byte `usize` and a different size, so iceoryx2 refuses the
 * connection). Reads `bigint`, writes `bigint` or a safe-integer `number`.
 */
export const usize: UsizeType = new PrimitiveImpl(
  "usize",
  8,
  BigUint64Array,
  (v, o) => v.getBigUint64(o, true),
  (v, o, x) => v.setBigUint64(o, toBig(x), true),
  bigIntCheck(0n, U64_MASK),
) as unknown as UsizeType;

/** Rust's `isize`: 64 bits here (see {@link usize}). Reads `bigint`, writes `bigint` or a safe-integer `number`. */
export const isize: IsizeType = new PrimitiveImpl(
  "isize",
  8,
  BigInt64Array,
  (v, o) => v.getBigInt64(o, true),
  (v, o, x) => v.setBigInt64(o, toBig(x), true),
  bigIntCheck(-0x8000_0000_0000_0000n, 0x7fff_ffff_ffff_ffffn),
) as unknown as IsizeType;

/** Whether `code` is a Unicode scalar value, the set Rust's `char` holds. */
const isScalarValue = (code: number) => code <= 0x10ffff && (code < 0xd800 || code > 0xdfff);

const charCheck: Check = (v) => {
  if (typeof v !== "string") return `expected a one-character string, got ${describeValue(v)}`;
  const code = v.codePointAt(0);
  if (code === undefined || String.fromCodePoint(code).length !== v.length) return `expected exactly one character, got ${describeValue(v)}`;
  return isScalarValue(code) ? undefined : `${describeValue(v)} is a lone surrogate, which Rust's char cannot hold`;
};

/**
 * Rust's `char`: one Unicode scalar value as a little-endian `u32` (4 bytes, 4-byte aligned).
 * Reads and writes a one-character JS string (a surrogate pair counts as one character); a
 * value from a peer that is no scalar value is reported as `InvalidPayload`.
 */
export const char: CharType = new PrimitiveImpl(
  "char",
  4,
  undefined,
  (v, o) => {
    const code = v.getUint32(o, true);
    if (!isScalarValue(code)) throw invalidPayload("char", `the received value 0x${code.toString(16)} is no Unicode scalar value (the sender wrote an invalid value)`);
    return String.fromCodePoint(code);
  },
  (v, o, x) => v.setUint32(o, (x as string).codePointAt(0)!, true),
  charCheck,
) as unknown as CharType;
