/**
 * Items of arrays and slices: preparing values, storing them and the array view.
 * @module
 */
import { Iox2Error } from "../base/errors.js";
import { TypeBase } from "./base.js";
import { LITTLE_ENDIAN_HOST, type PathKey, TYPED_ARRAY_GETTERS, describeValue, invalid, isDetached, joinPath, memoryError, readError, readOnly, released, typedArrayName, isBulkWindow } from "./memory.js";
import { PrimitiveImpl } from "./primitives.js";
import type { ByteWindow, TypedArray } from "./types.js";

function notSequence(value: unknown, typeName: string, parent: string, key: PathKey): Iox2Error {
  return invalid(typeName, parent, key, `expected an array-like or iterable, got ${describeValue(value)}`);
}

/** The items of a caller's iterable; past `max` of them `tooMany` ends the iteration (an endless iterator stops). */
function collect(iterable: Iterable<unknown>, max: number, tooMany: (count: string) => Iox2Error): unknown[] {
  const items: unknown[] = [];
  for (const item of iterable) {
    if (items.length === max) throw tooMany(`more than ${max}`);
    items.push(item);
  }
  return items;
}

/**
 * Reads and validates a caller's array-like or iterable of element init values: `min..max` of
 * them, else `wrongCount(count)`. Returns what {@link storeItems} writes: a TypedArray whose bytes
 * are the elements' own (same class, little-endian host) as it is, to be copied byte for byte,
 * else a new array of the prepared values, each read exactly once, so no getter, iterator or
 * proxy can change a value after it was checked.
 * The count is checked before any element is read: a huge `length` or an endless iterator fails.
 */
export function prepareItems(
  element: TypeBase,
  value: unknown,
  min: number,
  max: number,
  wrongCount: (count: string) => Iox2Error,
  typeName: string,
  parent: string,
  key: PathKey,
): ArrayLike<unknown> {
  try {
    let source = value as ArrayLike<unknown>;
    let n: unknown;
    let raw = false;
    let className: string | undefined;
    if (typeof value !== "object" || value === null) throw notSequence(value, typeName, parent, key);
    if (Array.isArray(value)) n = value.length;
    else if ((className = typedArrayName.call(value)) !== undefined) {
      n = TYPED_ARRAY_GETTERS.length.call(value);
      raw = element instanceof PrimitiveImpl && element._rawClassName === className;
    } else if (ArrayBuffer.isView(value)) throw notSequence(value, typeName, parent, key);
    else if (typeof (value as { [Symbol.iterator]?: unknown })[Symbol.iterator] === "function") {
      source = collect(value as Iterable<unknown>, max, wrongCount);
      n = source.length;
    } else n = (value as { length?: unknown }).length;
    if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 0) throw notSequence(value, typeName, parent, key);
    if (n < min || n > max) throw wrongCount(String(n));
    if (raw) return value as TypedArray;
    const path = joinPath(parent, key);
    const values = new Array<unknown>(n);
    if (element instanceof PrimitiveImpl) {
      for (let i = 0; i < n; i++) element._prepare((values[i] = source[i]), path, i);
    } else {
      for (let i = 0; i < n; i++) values[i] = element._prepare(source[i], path, i);
    }
    return values;
  } catch (e) {
    throw readError(e, typeName, parent, key);
  }
}

/** A TypedArray's bytes, with its bounds as the built-in getters see them, whatever it overrides. */
function typedArrayBytes(items: unknown): Uint8Array {
  return new Uint8Array(
    TYPED_ARRAY_GETTERS.buffer.call(items) as ArrayBufferLike,
    TYPED_ARRAY_GETTERS.byteOffset.call(items) as number,
    TYPED_ARRAY_GETTERS.byteLength.call(items) as number,
  );
}

/**
 * @internal The bytes of `value` as they are when it is a TypedArray of `element` (a
 * Float64Array for `f64`, a Uint8Array or Buffer for `u8`): every such value is valid, so it can
 * be copied in one move. `undefined` for anything else. The same decision as array writes make.
 */
export function rawElementBytes(element: unknown, value: unknown): Uint8Array | undefined {
  if (!(element instanceof PrimitiveImpl) || element._rawClassName === undefined) return undefined;
  if (typeof value !== "object" || value === null || typedArrayName.call(value) !== element._rawClassName) return undefined;
  return typedArrayBytes(value);
}

/** A copy of `length` bytes at `byteOffset` (sample memory copies through its window). */
export function copyBytes(view: ByteWindow, byteOffset: number, length: number): Uint8Array {
  try {
    if (isBulkWindow(view)) return view.copyBytes(byteOffset, length);
    if (byteOffset + length > view.byteLength) throw new RangeError("Offset is outside the bounds of the DataView");
    return new Uint8Array(view.buffer, view.byteOffset + byteOffset, length).slice();
  } catch (e) {
    throw memoryError(e, view, byteOffset, length);
  }
}

/**
 * Writes `bytes` at `byteOffset` in one move. Sample memory copies through its window: its
 * `buffer` would make the sample's own buffer.
 */
export function putBytes(view: ByteWindow, byteOffset: number, bytes: Uint8Array): void {
  try {
    if (isBulkWindow(view)) view.setBytes(byteOffset, bytes);
    else {
      if (byteOffset + bytes.length > view.byteLength) throw new RangeError("Offset is outside the bounds of the DataView");
      new Uint8Array(view.buffer, view.byteOffset + byteOffset, bytes.length).set(bytes);
    }
  } catch (e) {
    throw memoryError(e, view, byteOffset, bytes.length);
  }
}

/** Stores a sequence returned by {@link prepareItems}. */
export function storeItems(element: TypeBase, view: ByteWindow, byteOffset: number, items: ArrayLike<unknown>): void {
  const stride = element.size;
  if (!Array.isArray(items)) {
    let source: Uint8Array;
    try {
      source = typedArrayBytes(items); // the caller's array may have been detached since it was checked
    } catch (e) {
      throw memoryError(e, view, byteOffset, (TYPED_ARRAY_GETTERS.length.call(items) as number) * stride);
    }
    putBytes(view, byteOffset, source);
    return;
  }
  const n = items.length;
  for (let i = 0; i < n; i++) element._store(view, byteOffset + i * stride, items[i]);
}

export class ArrayViewImpl {
  readonly length: number;
  readonly elementType: TypeBase;
  readonly readonly: boolean;
  protected readonly _view: ByteWindow;
  protected readonly _base: number;
  protected readonly _stride: number;

  constructor(view: ByteWindow, base: number, elementType: TypeBase, length: number, readonly: boolean) {
    this._view = view;
    this._base = base;
    this.elementType = elementType;
    this.length = length;
    this.readonly = readonly;
    this._stride = elementType.size;
  }

  protected _offsetOf(index: number): number {
    // typeof first: `>>>` would convert anything else, running its code or throwing a TypeError.
    if (typeof index === "number" && index >>> 0 === index && index < this.length) return this._base + index * this._stride;
    if (typeof index !== "number" || !Number.isInteger(index)) {
      throw new Iox2Error("InvalidArgument", `index must be an integer, got ${describeValue(index)}`);
    }
    if (index < 0 || index >= this.length) {
      throw new Iox2Error("OutOfBounds", `index ${index} is out of bounds for length ${this.length}`);
    }
    return this._base + index * this._stride;
  }

  get(index: number): unknown {
    return this.elementType._get(this._view, this._offsetOf(index), this.readonly);
  }

  set(index: number, value: unknown): void {
    const offset = this._offsetOf(index);
    if (this.readonly) throw readOnly(`element [${index}]`);
    this.elementType._set(this._view, offset, value, "", index);
  }

  toArray(): unknown[] {
    const n = this.length;
    const out = new Array<unknown>(n);
    for (let i = 0; i < n; i++) out[i] = this.elementType._toPlain(this._view, this._base + i * this._stride);
    return out;
  }

  typedArray(): TypedArray {
    const el = this.elementType;
    const ctor = el instanceof PrimitiveImpl ? el.typedArrayConstructor : undefined;
    if (ctor === undefined) {
      throw new Iox2Error("InvalidArgument", `typedArray() needs numeric elements, not ${el.typeName}`);
    }
    if (!LITTLE_ENDIAN_HOST) {
      throw new Iox2Error("InvalidArgument", "typedArray() is unavailable on big-endian hosts (payloads are little-endian)");
    }
    const view = this._view;
    const size = this.length * el.size;
    let ta: TypedArray;
    try {
      if (isDetached(view.buffer)) throw released();
      const byteOffset = view.byteOffset + this._base;
      if (byteOffset % el.size !== 0) {
        throw new Iox2Error(
          "InvalidArgument",
          `typedArray(): memory at byte offset ${byteOffset} is not ${el.size}-byte aligned for ${el.typeName}`,
        );
      }
      // Every other access is bounded by the DataView; a TypedArray only by its buffer.
      if (this._base + size > view.byteLength) {
        throw new Iox2Error(
          "OutOfBounds",
          `typedArray(): ${size} byte(s) at offset ${this._base} but the view has ${view.byteLength} byte(s)`,
        );
      }
      ta = new ctor(view.buffer, byteOffset, this.length);
    } catch (e) {
      throw memoryError(e, view, this._base, size);
    }
    return this.readonly ? ta.slice() : ta;
  }

  write(values: unknown, startIndex = 0): void {
    if (this.readonly) throw readOnly("the array");
    if (typeof startIndex !== "number" || !Number.isInteger(startIndex)) {
      throw new Iox2Error("InvalidArgument", `startIndex must be an integer, got ${describeValue(startIndex)}`);
    }
    if (startIndex < 0 || startIndex > this.length) {
      throw new Iox2Error("OutOfBounds", `startIndex ${startIndex} is out of bounds for length ${this.length}`);
    }
    const el = this.elementType;
    const tooMany = (count: string) =>
      new Iox2Error("OutOfBounds", `cannot write ${count} element(s) at index ${startIndex} into a view of length ${this.length}`);
    const items = prepareItems(el, values, 0, this.length - startIndex, tooMany, `[${el.typeName}]`, "", undefined);
    storeItems(el, this._view, this._base + startIndex * this._stride, items);
  }

  *[Symbol.iterator](): Iterator<unknown> {
    const n = this.length;
    for (let i = 0; i < n; i++) yield this.elementType._get(this._view, this._base + i * this._stride, this.readonly);
  }
}
