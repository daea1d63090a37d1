/**
 * iceoryx2's shared-memory containers (`StaticString`, `StaticVec`, `FixedSizeQueue`) and C-like enums.
 * @module
 */
import { Iox2Error } from "../base/errors.js";
import { checkElementType } from "./array.js";
import { TypeBase, isFixedType, isSliceType } from "./base.js";
import { type PathKey, TYPED_ARRAY_GETTERS, describeValue, invalid, invalidPayload, memoryError, readOnly } from "./memory.js";
import { PrimitiveImpl, i16, i32, i64, i8, u16, u32, u64, u8 } from "./primitives.js";
import { ArrayViewImpl, copyBytes, prepareItems, putBytes, storeItems } from "./sequence.js";
import { alignUp, checkTypeName } from "./struct.js";
import type { ByteWindow, EnumType, FixedSizeQueueType, LayoutType, PayloadType, PrimitiveType, StaticStringType, StaticVecType, TypedArray } from "./types.js";

/** A container's `len: u64` as a number, refused past `capacity` (a peer wrote it). */
function containerLength(view: ByteWindow, lengthOffset: number, capacity: number, typeName: string): number {
  let len: bigint;
  try {
    len = view.getBigUint64(lengthOffset, true);
  } catch (e) {
    throw memoryError(e, view, lengthOffset, 8);
  }
  if (len > BigInt(capacity)) {
    throw invalidPayload(typeName, `the received length ${len} exceeds the capacity ${capacity} (the sender wrote an invalid value)`);
  }
  return Number(len);
}

/** Writes a container's `len: u64`. */
function setContainerLength(view: ByteWindow, lengthOffset: number, length: number): void {
  try {
    view.setBigUint64(lengthOffset, BigInt(length), true);
  } catch (e) {
    throw memoryError(e, view, lengthOffset, 8);
  }
}

const STATIC_STRING_NAME = "iceoryx2_bb_container::string::static_string::StaticString";
const STATIC_VEC_NAME = "iceoryx2_bb_container::vector::static_vec::StaticVec";

export class StaticStringImpl extends TypeBase {
  readonly kind = "string" as const;
  readonly capacity: number;
  /** Offset of `len: u64`, after the data bytes and the terminator byte. */
  readonly _lengthOffset: number;

  constructor(capacity: number) {
    const lengthOffset = alignUp(capacity + 1, 8);
    super(`${STATIC_STRING_NAME}<${capacity}>`, lengthOffset + 8, 8);
    this.capacity = capacity;
    this._lengthOffset = lengthOffset;
    Object.freeze(this);
  }

  _get(view: ByteWindow, byteOffset: number): unknown {
    const len = containerLength(view, byteOffset + this._lengthOffset, this.capacity, `StaticString<${this.capacity}>`);
    const bytes = copyBytes(view, byteOffset, len);
    let text = "";
    for (let i = 0; i < len; i++) {
      const byte = bytes[i]!;
      if (byte === 0 || byte > 0x7f) {
        throw invalidPayload(
          `StaticString<${this.capacity}>`,
          `byte ${i} is 0x${byte.toString(16).padStart(2, "0")}, but the string holds ASCII characters U+0001..U+007F only (iceoryx2 0.10's rule; the sender wrote an invalid value)`,
        );
      }
      text += String.fromCharCode(byte);
    }
    return text;
  }

  _toPlain(view: ByteWindow, byteOffset: number): unknown {
    return this._get(view, byteOffset);
  }

  _prepare(value: unknown, parent: string, key: PathKey): unknown {
    const name = `StaticString<${this.capacity}>`;
    if (typeof value !== "string") throw invalid(name, parent, key, `expected a string, got ${describeValue(value)}`);
    if (value.length > this.capacity) {
      throw invalid(name, parent, key, `holds at most ${this.capacity} character(s), got ${value.length}`);
    }
    const bytes = new Uint8Array(value.length);
    for (let i = 0; i < value.length; i++) {
      const code = value.charCodeAt(i);
      if (code === 0 || code > 0x7f) {
        const shown = code === 0 ? "NUL" : JSON.stringify(String.fromCodePoint(value.codePointAt(i)!));
        throw invalid(name, parent, key, `character ${i} is ${shown}: iceoryx2 0.10's StaticString holds ASCII characters U+0001..U+007F only`);
      }
      bytes[i] = code;
    }
    return bytes;
  }

  _store(view: ByteWindow, byteOffset: number, prepared: unknown): void {
    const text = prepared as Uint8Array;
    // The rest of the data and the terminator are zeroed: C++ peers read it NUL-terminated.
    const data = new Uint8Array(this.capacity + 1);
    data.set(text);
    putBytes(view, byteOffset, data);
    setContainerLength(view, byteOffset + this._lengthOffset, text.length);
  }
}

/**
 * iceoryx2's `StaticString<capacity>` (`iceoryx2-bb-container` 0.10): `capacity` bytes of text,
 * a NUL terminator and a `u64` length, 8-byte aligned; its type name is upstream's
 * (`iceoryx2_bb_container::string::static_string::StaticString<N>`), the one Rust and C++ peers
 * use. Reads and writes a JS `string`. Like upstream's, it holds ASCII characters
 * U+0001..U+007F only (one byte each, so the capacity counts characters); anything else is
 * refused with `InvalidArgument` on write and reported as `InvalidPayload` on read.
 */
export function staticString(capacity: number): StaticStringType {
  if (typeof capacity !== "number" || !Number.isSafeInteger(capacity) || capacity < 1) {
    throw new Iox2Error("InvalidArgument", `staticString(): capacity must be a positive integer, got ${describeValue(capacity)}`);
  }
  return new StaticStringImpl(capacity) as unknown as StaticStringType;
}

class VecViewImpl {
  readonly capacity: number;
  readonly elementType: TypeBase;
  readonly readonly: boolean;
  readonly #type: StaticVecImpl;
  readonly #view: ByteWindow;
  readonly #base: number;

  constructor(type: StaticVecImpl, view: ByteWindow, base: number, readonly: boolean) {
    this.#type = type;
    this.#view = view;
    this.#base = base;
    this.capacity = type.capacity;
    this.elementType = type.element;
    this.readonly = readonly;
  }

  /** The current length, read from memory on every access (a peer may have written it). */
  get length(): number {
    return this.#type._length(this.#view, this.#base);
  }

  /** The stored elements, as an array view of the current length. */
  #items(): ArrayViewImpl {
    return new ArrayViewImpl(this.#view, this.#base, this.elementType, this.length, this.readonly);
  }

  get(index: number): unknown {
    return this.#items().get(index);
  }

  set(index: number, value: unknown): void {
    this.#items().set(index, value);
  }

  push(value: unknown): void {
    if (this.readonly) throw readOnly("the vector");
    const length = this.length;
    if (length === this.capacity) {
      throw new Iox2Error("OutOfBounds", `cannot push onto ${this.#type.typeName}: it is full (${length} of ${this.capacity})`);
    }
    this.elementType._set(this.#view, this.#base + length * this.elementType.size, value, "", length);
    this.#type._setLength(this.#view, this.#base, length + 1);
  }

  clear(): void {
    if (this.readonly) throw readOnly("the vector");
    this.#type._setLength(this.#view, this.#base, 0);
  }

  assign(values: unknown): void {
    if (this.readonly) throw readOnly("the vector");
    this.#type._set(this.#view, this.#base, values, "", undefined);
  }

  toArray(): unknown[] {
    return this.#items().toArray();
  }

  typedArray(): TypedArray {
    return this.#items().typedArray();
  }

  [Symbol.iterator](): Iterator<unknown> {
    return this.#items()[Symbol.iterator]();
  }
}

export class StaticVecImpl extends TypeBase {
  readonly kind = "vec" as const;
  readonly element: TypeBase;
  readonly capacity: number;
  /** Offset of `len: u64`, after the element storage. */
  readonly _lengthOffset: number;

  constructor(element: TypeBase, capacity: number) {
    const lengthOffset = alignUp(element.size * capacity, 8);
    const alignment = Math.max(element.alignment, 8);
    super(`${STATIC_VEC_NAME}<${element.typeName}, ${capacity}>`, alignUp(lengthOffset + 8, alignment), alignment);
    this.element = element;
    this.capacity = capacity;
    this._lengthOffset = lengthOffset;
    Object.freeze(this);
  }

  _length(view: ByteWindow, byteOffset: number): number {
    return containerLength(view, byteOffset + this._lengthOffset, this.capacity, this.typeName);
  }

  _setLength(view: ByteWindow, byteOffset: number, length: number): void {
    setContainerLength(view, byteOffset + this._lengthOffset, length);
  }

  _get(view: ByteWindow, byteOffset: number, readonly: boolean): unknown {
    return new VecViewImpl(this, view, byteOffset, readonly);
  }

  _toPlain(view: ByteWindow, byteOffset: number): unknown {
    const n = this._length(view, byteOffset);
    const el = this.element;
    const out = new Array<unknown>(n);
    for (let i = 0; i < n; i++) out[i] = el._toPlain(view, byteOffset + i * el.size);
    return out;
  }

  _prepare(value: unknown, parent: string, key: PathKey): unknown {
    const wrongCount = (count: string) => invalid(this.typeName, parent, key, `holds at most ${this.capacity} element(s), got ${count}`);
    return prepareItems(this.element, value, 0, this.capacity, wrongCount, this.typeName, parent, key);
  }

  _store(view: ByteWindow, byteOffset: number, prepared: unknown): void {
    const items = prepared as ArrayLike<unknown>;
    const n = Array.isArray(items) ? items.length : (TYPED_ARRAY_GETTERS.length.call(items) as number);
    storeItems(this.element, view, byteOffset, items);
    this._setLength(view, byteOffset, n);
  }
}

/**
 * iceoryx2's `StaticVec<T, capacity>` (`iceoryx2-bb-container` 0.10): storage for `capacity`
 * elements followed by a `u64` length, aligned to the larger of the element's alignment and 8;
 * its type name is upstream's (`iceoryx2_bb_container::vector::static_vec::StaticVec<T, N>`,
 * with the element's type name). Reads as a {@link VecView} over the stored elements; writes
 * from an array, an iterable or a typed array of up to `capacity` elements.
 */
export function staticVec<T, TInit, TArray>(element: PrimitiveType<T, TInit, TArray>, capacity: number): StaticVecType<T, TInit, T, TArray>;
/** A `StaticVec` of structs, arrays or containers (no {@link VecView.typedArray}). */
export function staticVec<T, TInit, TPlain>(element: LayoutType<T, TInit, TPlain>, capacity: number): StaticVecType<T, TInit, TPlain, never>;
export function staticVec(element: unknown, capacity: number): unknown {
  checkElementType(element, "staticVec()");
  if (typeof capacity !== "number" || !Number.isSafeInteger(capacity) || capacity < 1) {
    throw new Iox2Error("InvalidArgument", `staticVec(): capacity must be a positive integer, got ${describeValue(capacity)}`);
  }
  if (!Number.isSafeInteger(element.size * capacity + 16)) {
    throw new Iox2Error("InvalidArgument", `staticVec(): StaticVec<${element.typeName}, ${capacity}> is too large`);
  }
  return new StaticVecImpl(element, capacity);
}

const FIXED_SIZE_QUEUE_NAME = "iceoryx2_bb_container::queue::FixedSizeQueue";

/**
 * Byte offsets of a `FixedSizeQueue`'s state (`RelocatableQueue`, `#[repr(C)]`): a
 * self-relative pointer to the ring buffer (`isize`), `start` (counts every push, the next
 * write goes to `start mod capacity`), `len`, `capacity` (`usize` each) and `is_initialized`.
 */
const QUEUE_DISTANCE = 0;
const QUEUE_START = 8;
const QUEUE_LENGTH = 16;
const QUEUE_CAPACITY = 24;
const QUEUE_INITIALIZED = 32;
const QUEUE_STATE_SIZE = 40;

class QueueViewImpl {
  readonly capacity: number;
  readonly elementType: TypeBase;
  readonly readonly: boolean;
  readonly #type: FixedSizeQueueImpl;
  readonly #view: ByteWindow;
  readonly #base: number;

  constructor(type: FixedSizeQueueImpl, view: ByteWindow, base: number, readonly: boolean) {
    this.#type = type;
    this.#view = view;
    this.#base = base;
    this.capacity = type.capacity;
    this.elementType = type.element;
    this.readonly = readonly;
  }

  get length(): number {
    return this.#type._state(this.#view, this.#base).length;
  }

  peek(): unknown {
    const state = this.#type._state(this.#view, this.#base);
    return state.length === 0 ? undefined : this.elementType._get(this.#view, this.#type._slot(this.#base, state, 0), this.readonly);
  }

  push(value: unknown): void {
    if (this.readonly) throw readOnly("the queue");
    const state = this.#type._state(this.#view, this.#base);
    if (state.length === this.capacity) {
      throw new Iox2Error("OutOfBounds", `cannot push onto ${this.#type.typeName}: it is full (${state.length} of ${this.capacity}); pop first, or use pushWithOverflow()`);
    }
    this.#type._push(this.#view, this.#base, state, value);
  }

  pushWithOverflow(value: unknown): unknown {
    if (this.readonly) throw readOnly("the queue");
    const prepared = this.elementType._prepare(value, "", undefined); // checked before the oldest goes
    const state = this.#type._state(this.#view, this.#base);
    let dropped: unknown;
    if (state.length === this.capacity) {
      dropped = this.#type._pop(this.#view, this.#base, state);
      state.length -= 1;
    }
    this.#type._pushPrepared(this.#view, this.#base, state, prepared);
    return dropped;
  }

  pop(): unknown {
    if (this.readonly) throw readOnly("the queue");
    const state = this.#type._state(this.#view, this.#base);
    return state.length === 0 ? undefined : this.#type._pop(this.#view, this.#base, state);
  }

  clear(): void {
    if (this.readonly) throw readOnly("the queue");
    this.#type._state(this.#view, this.#base); // a peer's invalid state is reported, not overwritten
    this.#type._writeState(this.#view, this.#base, 0n, 0);
  }

  assign(values: unknown): void {
    if (this.readonly) throw readOnly("the queue");
    this.#type._set(this.#view, this.#base, values, "", undefined);
  }

  toArray(): unknown[] {
    return this.#type._toPlain(this.#view, this.#base) as unknown[];
  }

  *[Symbol.iterator](): Iterator<unknown> {
    const state = this.#type._state(this.#view, this.#base);
    for (let k = 0; k < state.length; k++) yield this.elementType._get(this.#view, this.#type._slot(this.#base, state, k), this.readonly);
  }
}

/** A queue's `start` (every push so far) and `len`, checked. */
interface QueueState {
  start: bigint;
  length: number;
}

export class FixedSizeQueueImpl extends TypeBase {
  readonly kind = "queue" as const;
  readonly element: TypeBase;
  readonly capacity: number;
  /** Offset of the ring buffer, which the self-relative pointer at offset 0 must name. */
  readonly _dataOffset: number;

  constructor(element: TypeBase, capacity: number) {
    const dataOffset = alignUp(QUEUE_STATE_SIZE, element.alignment);
    const alignment = Math.max(element.alignment, 8);
    super(`${FIXED_SIZE_QUEUE_NAME}<${element.typeName}, ${capacity}>`, alignUp(dataOffset + element.size * capacity, alignment), alignment);
    this.element = element;
    this.capacity = capacity;
    this._dataOffset = dataOffset;
    this._needsInit = true;
    Object.freeze(this);
  }

  /** The state at `byteOffset`, refused (InvalidPayload) unless it is one Rust's queue can be in. */
  _state(view: ByteWindow, byteOffset: number): QueueState {
    let distance: bigint, start: bigint, length: bigint, capacity: bigint, initialized: number;
    try {
      distance = view.getBigInt64(byteOffset + QUEUE_DISTANCE, true);
      start = view.getBigUint64(byteOffset + QUEUE_START, true);
      length = view.getBigUint64(byteOffset + QUEUE_LENGTH, true);
      capacity = view.getBigUint64(byteOffset + QUEUE_CAPACITY, true);
      initialized = view.getUint8(byteOffset + QUEUE_INITIALIZED);
    } catch (e) {
      throw memoryError(e, view, byteOffset, QUEUE_STATE_SIZE);
    }
    const problem =
      initialized !== 1
        ? "it is not initialised (is_initialized is not 1)"
        : capacity !== BigInt(this.capacity)
          ? `its capacity field says ${capacity}`
          : distance !== BigInt(this._dataOffset)
            ? `its data pointer points ${distance} bytes away instead of ${this._dataOffset}`
            : length > capacity
              ? `its length ${length} exceeds the capacity`
              : start < length
                ? `its start ${start} is below its length ${length}`
                : undefined;
    if (problem !== undefined) {
      throw invalidPayload(this.typeName, `${problem} (the sender wrote an invalid value, or the memory was loaned uninitialised and never assigned)`);
    }
    return { start, length: Number(length) };
  }

  /** Where the `k`-th oldest element is. */
  _slot(byteOffset: number, state: QueueState, k: number): number {
    const index = Number((state.start - BigInt(state.length) + BigInt(k)) % BigInt(this.capacity));
    return byteOffset + this._dataOffset + index * this.element.size;
  }

  _writeState(view: ByteWindow, byteOffset: number, start: bigint, length: number): void {
    try {
      view.setBigInt64(byteOffset + QUEUE_DISTANCE, BigInt(this._dataOffset), true);
      view.setBigUint64(byteOffset + QUEUE_START, start, true);
      view.setBigUint64(byteOffset + QUEUE_LENGTH, BigInt(length), true);
      view.setBigUint64(byteOffset + QUEUE_CAPACITY, BigInt(this.capacity), true);
      view.setUint8(byteOffset + QUEUE_INITIALIZED, 1);
    } catch (e) {
      throw memoryError(e, view, byteOffset, QUEUE_STATE_SIZE);
    }
  }

  _push(view: ByteWindow, byteOffset: number, state: QueueState, value: unknown): void {
    this._pushPrepared(view, byteOffset, state, this.element._prepare(value, "", state.length));
  }

  _pushPrepared(view: ByteWindow, byteOffset: number, state: QueueState, prepared: unknown): void {
    const index = Number(state.start % BigInt(this.capacity));
    this.element._store(view, byteOffset + this._dataOffset + index * this.element.size, prepared);
    this._writeState(view, byteOffset, state.start + 1n, state.length + 1);
  }

  _pop(view: ByteWindow, byteOffset: number, state: QueueState): unknown {
    const value = this.element._toPlain(view, this._slot(byteOffset, state, 0));
    this._writeState(view, byteOffset, state.start, state.length - 1);
    return value;
  }

  override _init(view: ByteWindow, byteOffset: number): void {
    this._writeState(view, byteOffset, 0n, 0);
  }

  _get(view: ByteWindow, byteOffset: number, readonly: boolean): unknown {
    return new QueueViewImpl(this, view, byteOffset, readonly);
  }

  _toPlain(view: ByteWindow, byteOffset: number): unknown {
    const state = this._state(view, byteOffset);
    const out = new Array<unknown>(state.length);
    for (let k = 0; k < state.length; k++) out[k] = this.element._toPlain(view, this._slot(byteOffset, state, k));
    return out;
  }

  _prepare(value: unknown, parent: string, key: PathKey): unknown {
    const wrongCount = (count: string) => invalid(this.typeName, parent, key, `holds at most ${this.capacity} element(s), got ${count}`);
    return prepareItems(this.element, value, 0, this.capacity, wrongCount, this.typeName, parent, key);
  }

  _store(view: ByteWindow, byteOffset: number, prepared: unknown): void {
    const items = prepared as ArrayLike<unknown>;
    const n = Array.isArray(items) ? items.length : (TYPED_ARRAY_GETTERS.length.call(items) as number);
    // Oldest first from the ring's start: `start` counts the pushes, as if the queue was filled.
    storeItems(this.element, view, byteOffset + this._dataOffset, items);
    this._writeState(view, byteOffset, BigInt(n), n);
  }
}

/**
 * iceoryx2's `FixedSizeQueue<T, capacity>` (`iceoryx2-bb-container` 0.10): its state (a
 * self-relative pointer to its ring buffer, `start`, `len`, `capacity`, `is_initialized`), then
 * storage for `capacity` elements; aligned to the larger of the element's alignment and 8. Reads
 * as a {@link QueueView} (oldest first); writes from an array, an iterable or a typed array of
 * up to `capacity` elements. A zeroed loan (`loan()`) starts as an empty queue, as Rust's
 * `placement_default` leaves it; memory from `loanUninit()` must be assigned before use.
 */
export function fixedSizeQueue<T, TInit, TPlain>(element: LayoutType<T, TInit, TPlain>, capacity: number): FixedSizeQueueType<T, TInit, TPlain>;
export function fixedSizeQueue(element: unknown, capacity: number): unknown {
  checkElementType(element, "fixedSizeQueue()");
  if (typeof capacity !== "number" || !Number.isSafeInteger(capacity) || capacity < 1) {
    throw new Iox2Error("InvalidArgument", `fixedSizeQueue(): capacity must be a positive integer, got ${describeValue(capacity)}`);
  }
  if (!Number.isSafeInteger(element.size * capacity + 64)) {
    throw new Iox2Error("InvalidArgument", `fixedSizeQueue(): FixedSizeQueue<${element.typeName}, ${capacity}> is too large`);
  }
  return new FixedSizeQueueImpl(element, capacity);
}

/** Whether zeroed memory of `type` (or of its slice elements) must be initialised: see {@link initializeZeroed}. */
export function needsInitWhenZeroed(type: PayloadType | undefined): boolean {
  const element = isSliceType(type) ? type.element : isFixedType(type) ? type : undefined;
  return element !== undefined && element._needsInit;
}

/** Initialises `count` zeroed values of `type` from `byteOffset` that zeroes are no valid value of (iceoryx2's `FixedSizeQueue`, and what holds one). */
export function initializeZeroed(type: PayloadType, view: ByteWindow, byteOffset: number, count: number): void {
  const element = isSliceType(type) ? type.element : isFixedType(type) ? type : undefined;
  if (element === undefined || !element._needsInit) return;
  for (let i = 0; i < count; i++) element._init(view, byteOffset + i * element.size);
}

export class EnumImpl extends TypeBase {
  readonly kind = "enum" as const;
  readonly repr: PrimitiveImpl;
  readonly variants: Readonly<Record<string, number>>;
  readonly #names: ReadonlyMap<number, string>;

  constructor(typeName: string, repr: PrimitiveImpl, variants: Record<string, number>) {
    super(typeName, repr.size, repr.alignment);
    this.repr = repr;
    this.variants = Object.freeze({ ...variants });
    this.#names = new Map(Object.entries(variants).map(([name, value]) => [value, name]));
    Object.freeze(this);
  }

  _get(view: ByteWindow, byteOffset: number): unknown {
    const raw = this.repr._get(view, byteOffset);
    const name = this.#names.get(Number(raw));
    if (name === undefined) {
      throw invalidPayload(this.typeName, `the received value ${String(raw)} is none of its variants (${this.#listed()}); the sender knows a variant this process does not`);
    }
    return name;
  }

  _toPlain(view: ByteWindow, byteOffset: number): unknown {
    return this._get(view, byteOffset);
  }

  _prepare(value: unknown, parent: string, key: PathKey): unknown {
    const variants = this.variants;
    if (typeof value !== "string" || !Object.hasOwn(variants, value)) {
      throw invalid(this.typeName, parent, key, `expected one of ${this.#listed()}, got ${describeValue(value)}`);
    }
    const raw = variants[value]!;
    return this.repr.size === 8 ? BigInt(raw) : raw;
  }

  _store(view: ByteWindow, byteOffset: number, prepared: unknown): void {
    this.repr._store(view, byteOffset, prepared);
  }

  #listed(): string {
    return Object.entries(this.variants)
      .map(([name, value]) => `${name}=${value}`)
      .join(", ");
  }
}

const ENUM_REPRS: ReadonlySet<unknown> = new Set([u8, u16, u32, u64, i8, i16, i32, i64]);

/**
 * A C-like enum laid out as Rust's `#[repr(u8)]` (or another integer `repr`) enum: the value is
 * the integer `repr`, read and written as the variant's name. `typeName` is the name peers know
 * it by when it is a payload (as in Rust's `#[type_name(...)]`); as a struct field only its
 * `repr` matters to iceoryx2. Writing a name that is no variant fails with `InvalidArgument`;
 * reading a value that names no variant (a peer's newer variant) fails with `InvalidPayload`.
 */
export function enumOf<const V extends Readonly<Record<string, number>>>(
  typeName: string,
  repr: PrimitiveType<number, number, any> | PrimitiveType<bigint, bigint | number, any>,
  variants: V,
): EnumType<keyof V & string> {
  checkTypeName(typeName);
  if (!ENUM_REPRS.has(repr)) {
    throw new Iox2Error("InvalidArgument", `enum '${typeName}': repr must be one of u8, u16, u32, u64, i8, i16, i32, i64, got ${describeValue(repr)}`);
  }
  const reprType = repr as unknown as PrimitiveImpl;
  if (typeof variants !== "object" || variants === null || Array.isArray(variants)) {
    throw new Iox2Error("InvalidArgument", `enum '${typeName}': variants must be an object literal { Name: value }, got ${describeValue(variants)}`);
  }
  const entries = Object.entries(variants);
  if (entries.length === 0) throw new Iox2Error("InvalidArgument", `enum '${typeName}': needs at least one variant`);
  const seen = new Map<number, string>();
  for (const [name, value] of entries) {
    const problem = typeof value === "number" && Number.isSafeInteger(value) ? reprType._checkValue(value) : `expected an integer, got ${describeValue(value)}`;
    if (problem !== undefined) throw new Iox2Error("InvalidArgument", `enum '${typeName}': variant ${name}: ${problem}`);
    const other = seen.get(value);
    if (other !== undefined) throw new Iox2Error("InvalidArgument", `enum '${typeName}': variants ${other} and ${name} both have the value ${value}`);
    seen.set(value, name);
  }
  return new EnumImpl(typeName, reprType, variants) as unknown as EnumType<keyof V & string>;
}
