/**
 * Fixed-length arrays (`[T; N]`).
 * @module
 */
import { Iox2Error } from "../base/errors.js";
import { TypeBase, isFixedType, isSliceType } from "./base.js";
import { type PathKey, describeValue, invalid } from "./memory.js";
import { ArrayViewImpl, prepareItems, storeItems } from "./sequence.js";
import type { ArrayType, ByteWindow, LayoutType, PrimitiveType } from "./types.js";

export function checkElementType(element: unknown, what: string): asserts element is TypeBase {
  if (isFixedType(element)) return;
  if (isSliceType(element)) {
    throw new Iox2Error("InvalidArgument", `${what}: a slice has no fixed size and cannot be used here; use array(T, N)`);
  }
  throw new Iox2Error(
    "InvalidArgument",
    `${what}: expected a layout type (a primitive, array(...) or struct(...)), got ${describeValue(element)}`,
  );
}

export class ArrayTypeImpl extends TypeBase {
  readonly kind = "array" as const;
  readonly element: TypeBase;
  readonly length: number;

  constructor(element: TypeBase, length: number) {
    super(`[${element.typeName}; ${length}]`, element.size * length, element.alignment);
    this.element = element;
    this.length = length;
    this._needsInit = element._needsInit;
    Object.freeze(this);
  }

  override _init(view: ByteWindow, byteOffset: number): void {
    const el = this.element;
    for (let i = 0; i < this.length; i++) el._init(view, byteOffset + i * el.size);
  }

  _get(view: ByteWindow, byteOffset: number, readonly: boolean): unknown {
    return new ArrayViewImpl(view, byteOffset, this.element, this.length, readonly);
  }

  _toPlain(view: ByteWindow, byteOffset: number): unknown {
    const n = this.length;
    const el = this.element;
    const out = new Array<unknown>(n);
    for (let i = 0; i < n; i++) out[i] = el._toPlain(view, byteOffset + i * el.size);
    return out;
  }

  _prepare(value: unknown, parent: string, key: PathKey): unknown {
    const n = this.length;
    const wrongCount = (count: string) => invalid(this.typeName, parent, key, `expected exactly ${n} element(s), got ${count}`);
    return prepareItems(this.element, value, n, n, wrongCount, this.typeName, parent, key);
  }

  _store(view: ByteWindow, byteOffset: number, prepared: unknown): void {
    storeItems(this.element, view, byteOffset, prepared as ArrayLike<unknown>);
  }
}

/**
 * Fixed-size array type `[element; length]` (C `T name[length]`).
 * `typeName` is Rust syntax, e.g. `[u8; 16]`; size is `element.size * length`,
 * alignment is the element's. `length` must be a positive integer.
 */
export function array<T, TInit, TArray>(
  element: PrimitiveType<T, TInit, TArray>,
  length: number,
): ArrayType<T, TInit, T, TArray>;
/** Fixed-size array of structs or arrays (no {@link ArrayView.typedArray}). */
export function array<T, TInit, TPlain>(
  element: LayoutType<T, TInit, TPlain>,
  length: number,
): ArrayType<T, TInit, TPlain, never>;
export function array(element: unknown, length: number): unknown {
  checkElementType(element, "array()");
  if (typeof length !== "number" || !Number.isSafeInteger(length) || length < 1) {
    throw new Iox2Error("InvalidArgument", `array(): length must be a positive integer, got ${describeValue(length)}`);
  }
  if (!Number.isSafeInteger(element.size * length)) {
    throw new Iox2Error("InvalidArgument", `array(): [${element.typeName}; ${length}] is too large`);
  }
  return new ArrayTypeImpl(element, length);
}
