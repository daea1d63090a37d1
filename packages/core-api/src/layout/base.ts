/**
 * The base class every layout type implementation extends.
 * @module
 */
import { Iox2Error } from "../base/errors.js";
import { type PathKey, describeThrown, describeValue } from "./memory.js";
import type { SliceTypeImpl } from "./slice.js";
import type { ByteWindow, LayoutKind, ViewOptions } from "./types.js";

/** Every fixed-size type and every slice type this module made: recognised without running code of the value. */
const FIXED_TYPES = new WeakSet<object>();
export const SLICE_TYPES = new WeakSet<object>();
export const isFixedType = (value: unknown): value is TypeBase => FIXED_TYPES.has(value as object);
export const isSliceType = (value: unknown): value is SliceTypeImpl => SLICE_TYPES.has(value as object);

/** A caller's byte offset: a non-negative safe integer, or InvalidArgument. */
function checkOffset(byteOffset: unknown): number {
  if (typeof byteOffset === "number" && Number.isSafeInteger(byteOffset) && byteOffset >= 0) return byteOffset;
  throw new Iox2Error("InvalidArgument", `byteOffset must be a non-negative integer, got ${describeValue(byteOffset)}`);
}

/** The `readonly` flag of a caller's view options; InvalidArgument if reading it throws. */
export function readonlyOption(options: unknown): boolean {
  if (options === undefined || options === null) return false;
  try {
    return (options as ViewOptions).readonly === true;
  } catch (e) {
    throw new Iox2Error("InvalidArgument", `options: reading 'readonly' threw ${describeThrown(e)}`, { cause: e });
  }
}

/**
 * Base of the fixed-size types. The public methods check their arguments; the `_` methods are
 * what this module calls internally, with offsets it computed itself.
 */
export abstract class TypeBase {
  abstract readonly kind: LayoutKind;
  readonly typeName: string;
  readonly size: number;
  readonly alignment: number;

  /**
   * Whether zeroed memory is no valid value of this type, so a zeroed loan must be initialised
   * (iceoryx2's `FixedSizeQueue`, and what holds one): set by subclasses before they freeze.
   */
  _needsInit = false;

  constructor(typeName: string, size: number, alignment: number) {
    this.typeName = typeName;
    this.size = size;
    this.alignment = alignment;
    FIXED_TYPES.add(this);
  }

  /** Turns zeroed memory into the type's empty value (what Rust's `placement_default` writes). */
  _init(_view: ByteWindow, _byteOffset: number): void {}

  abstract _get(view: ByteWindow, byteOffset: number, readonly: boolean): unknown;
  abstract _toPlain(view: ByteWindow, byteOffset: number): unknown;
  /** Validates `value` (throws InvalidArgument) and returns the value to pass to `_store`. */
  abstract _prepare(value: unknown, parent: string, key: PathKey): unknown;
  /** Stores a value returned by `_prepare` (no validation). */
  abstract _store(view: ByteWindow, byteOffset: number, prepared: unknown): void;

  _set(view: ByteWindow, byteOffset: number, value: unknown, parent: string, key: PathKey): void {
    this._store(view, byteOffset, this._prepare(value, parent, key));
  }

  get(view: ByteWindow, byteOffset: number, options?: ViewOptions): unknown {
    return this._get(view, checkOffset(byteOffset), readonlyOption(options));
  }

  toPlain(view: ByteWindow, byteOffset: number): unknown {
    return this._toPlain(view, checkOffset(byteOffset));
  }

  set(view: ByteWindow, byteOffset: number, value: unknown): void {
    this._set(view, checkOffset(byteOffset), value, "", undefined);
  }
}
