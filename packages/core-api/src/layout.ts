/**
 * C-compatible layout descriptors for shared-memory payloads.
 *
 * A payload lives in shared memory and is exposed to JS as a `Uint8Array`.
 * The descriptors in this module (primitives, {@link array}, {@link struct},
 * {@link slice}) compute C layouts (`sizeof`, `_Alignof`, `offsetof`) and give
 * zero-copy, range-checked read/write access to the memory in place.
 *
 * Runtime-agnostic: no Node/Deno/Bun APIs are used. All multi-byte values are
 * little-endian.
 *
 * @module
 */
import { Iox2Error } from "./errors.js";
import { SampleBytes } from "./sample-memory.js";
import { utf8Length } from "./text.js";
import { isFlatbufferType } from "./flatbuffer.js";

// ---------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------

/** The kind of a fixed-size layout type. */
export type LayoutKind = "primitive" | "array" | "struct" | "string" | "vec" | "queue" | "enum";

/**
 * A fixed-size C-layout type.
 *
 * @typeParam T - value returned by {@link LayoutType.get} (a copy for
 *   primitives, a zero-copy accessor for arrays and structs)
 * @typeParam TInit - value accepted by {@link LayoutType.set}
 * @typeParam TPlain - plain JS copy returned by {@link LayoutType.toPlain}
 */
export interface LayoutType<T, TInit = T, TPlain = T> {
  /** Kind of the type. */
  readonly kind: LayoutKind;
  /** Cross-language type name (Rust spelling for primitives and arrays, explicit for structs). */
  readonly typeName: string;
  /** Size in bytes (C `sizeof`). */
  readonly size: number;
  /** Alignment in bytes (C `_Alignof`). */
  readonly alignment: number;
  /** Reads the value at `byteOffset` of `view` (a copy for primitives; a zero-copy accessor for arrays/structs). */
  get(view: DataView, byteOffset: number, options?: ViewOptions): T;
  /** Writes `value` at `byteOffset` of `view`; the whole value is validated before any byte is written. */
  set(view: DataView, byteOffset: number, value: TInit): void;
  /** Returns a plain JS copy of the value (structs become plain objects, arrays JS arrays). */
  toPlain(view: DataView, byteOffset: number): TPlain;
}

/** Options for creating zero-copy views. */
export interface ViewOptions {
  /**
   * Read-only view (for memory mapped read-only, e.g. received samples): setters and
   * writes throw InvalidArgument, nested views are read-only too, and `typedArray()`
   * returns a copy instead of a view. Default `false`.
   */
  readonly readonly?: boolean;
}

/** Any fixed-size layout type. */
export type AnyLayoutType = LayoutType<any, any, any>;

/** Every TypedArray class that {@link ArrayView.typedArray} can return. */
export type TypedArray =
  | Uint8Array
  | Int8Array
  | Uint16Array
  | Int16Array
  | Uint32Array
  | Int32Array
  | Float32Array
  | Float64Array
  | BigUint64Array
  | BigInt64Array;

/** TypedArrays that may back elements of JS type `T` (used when the exact class is unknown). */
export type TypedArrayFor<T> = [T] extends [bigint]
  ? BigUint64Array | BigInt64Array
  : [T] extends [number]
    ? Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array | Float32Array | Float64Array
    : never;

/** A constructor of the TypedArray `A`. */
export interface TypedArrayConstructorOf<A> {
  new (buffer: ArrayBufferLike, byteOffset: number, length: number): A;
  /** Size of one element in bytes. */
  readonly BYTES_PER_ELEMENT: number;
}

/**
 * A primitive type (`u8` … `f64`, `bool`).
 *
 * @typeParam TArray - TypedArray class viewing a sequence of this primitive (`never` for `bool`)
 */
export interface PrimitiveType<T, TInit = T, TArray = never> extends LayoutType<T, TInit, T> {
  readonly kind: "primitive";
  /** TypedArray constructor for sequences of this primitive, `undefined` for `bool`. */
  readonly typedArrayConstructor: TypedArrayConstructorOf<TArray> | undefined;
}

/** Values accepted where a whole array/slice is written: any array-like or iterable of element init values. */
export type ArrayInit<TInit> = ArrayLike<TInit> | Iterable<TInit>;

/**
 * Zero-copy view of a fixed-size array in memory. Reads and writes go straight
 * to the underlying memory; every access is bounds- and value-checked.
 */
export interface ArrayView<T, TInit = T, TPlain = T, TArray = TypedArrayFor<T>> extends Iterable<T> {
  /** Number of elements. */
  readonly length: number;
  /** Layout type of the elements. */
  readonly elementType: LayoutType<T, TInit, TPlain>;
  /** Whether this view is read-only (see {@link ViewOptions}). */
  readonly readonly: boolean;
  /** Reads element `index` (OutOfBounds if `index` is not in `0..length-1`). */
  get(index: number): T;
  /** Writes element `index` (OutOfBounds for a bad index, InvalidArgument for a bad value). */
  set(index: number, value: TInit): void;
  /** Plain JS copy of all elements. */
  toArray(): TPlain[];
  /**
   * Zero-copy TypedArray over the same memory (numeric elements only; InvalidArgument
   * for `bool`/struct/array elements or misaligned memory). UNCHECKED raw access: no
   * range checks on writes, and after the memory is released it silently has length 0.
   * For a read-only view it returns a copy.
   */
  typedArray(): TArray;
  /** Iterates the elements (same values as {@link ArrayView.get}). */
  [Symbol.iterator](): Iterator<T>;
  /** Copies `values` in starting at `startIndex` (checked; OutOfBounds past the end). */
  write(values: ArrayInit<TInit>, startIndex?: number): void;
}

/** Zero-copy view of a dynamic-length payload (same operations as {@link ArrayView}). */
export interface SliceView<T, TInit = T, TPlain = T, TArray = TypedArrayFor<T>>
  extends ArrayView<T, TInit, TPlain, TArray> {}

/** A fixed-size array type (`[T; N]`). */
export interface ArrayType<T, TInit = T, TPlain = T, TArray = TypedArrayFor<T>>
  extends LayoutType<ArrayView<T, TInit, TPlain, TArray>, ArrayInit<TInit>, TPlain[]> {
  readonly kind: "array";
  /** Element type. */
  readonly element: LayoutType<T, TInit, TPlain>;
  /** Number of elements. */
  readonly length: number;
}

/** Field definitions of a struct: `{ name: type, ... }` in C field order. */
export type StructFields = { readonly [name: string]: AnyLayoutType };

/** A computed struct field. */
export interface StructField {
  /** Field name. */
  readonly name: string;
  /** Field type. */
  readonly type: AnyLayoutType;
  /** Byte offset inside the struct (C `offsetof`). */
  readonly offset: number;
}

/** Plain JS value type of a layout type (what `toPlain`/`read` return). */
export type Infer<L> =
  L extends LayoutType<any, any, infer P> ? P : L extends SliceType<any, any, infer P, any> ? P[] : never;

/** Alias of {@link Infer}. */
export type Plain<L> = Infer<L>;

/** Value type accepted when writing a layout type. */
export type InferInit<L> =
  L extends FlatbufferType
    ? FlatbufferInit
    : L extends LayoutType<any, infer I, any>
      ? I
      : L extends SliceType<any, infer I, any, any>
        ? ArrayInit<I>
        : never;

/** Zero-copy accessor type of a layout type (what `get`/`view` return). */
export type InferView<L> =
  L extends FlatbufferType
    ? Uint8Array
    : L extends LayoutType<infer T, any, any>
    ? T
    : L extends SliceType<infer T, infer I, infer P, infer A>
      ? SliceView<T, I, P, A>
      : never;

/** Plain object type of a struct with fields `F`. */
export type StructPlain<F extends StructFields> = { -readonly [K in keyof F]: Infer<F[K]> };

/** Value accepted when writing a whole struct with fields `F` (all fields required). */
export type StructInit<F extends StructFields> = { readonly [K in keyof F]: InferInit<F[K]> };

/**
 * Helper members of every struct accessor. Names starting with `$` are reserved
 * for these and cannot be used as field names.
 */
export interface StructViewHelpers<F extends StructFields> {
  /** The struct type of this accessor. */
  readonly $layout: StructType<F>;
  /** Whether this accessor is read-only (see {@link ViewOptions}). */
  readonly $readonly: boolean;
  /** Plain JS copy of the whole struct. */
  $toPlain(): StructPlain<F>;
  /** Writes the whole struct from a plain object with all fields (validated before writing). */
  $set(value: StructInit<F>): void;
  /**
   * Writes the fields `values` names (all validated before any is written); the others keep
   * their contents. The typed way to write array and struct fields from plain values:
   * `payload.$assign({ position: [1, 2, 3] })`. (Assigning `payload.position = [1, 2, 3]` works
   * at run time too, but TypeScript cannot type a property whose setter takes a plain array
   * while its getter returns a view.)
   */
  $assign(values: Partial<StructInit<F>>): void;
}

/**
 * Zero-copy accessor of a struct: one getter/setter per field working in place.
 * Setters also accept the wider init values at runtime (e.g. a `number` for a
 * `u64`, a plain object for a nested struct, any array-like for an array).
 * Assigning any other name (a typo such as `view.vallue = 1`, or a helper member)
 * throws InvalidArgument naming the struct's fields; reading an unknown name gives
 * `undefined`. Fields live on the prototype: `JSON.stringify(view)`, `$toPlain()`
 * and `util.inspect` give the plain copy, while spreading, `Object.keys` and
 * `structuredClone` see no fields.
 */
export type StructView<F extends StructFields> = { -readonly [K in keyof F]: InferView<F[K]> } & StructViewHelpers<F>;

/** A C struct type created by {@link struct}. */
export interface StructType<F extends StructFields = StructFields>
  extends LayoutType<StructView<F>, StructInit<F>, StructPlain<F>> {
  readonly kind: "struct";
  /** Fields in C order with their offsets. */
  readonly fields: readonly StructField[];
  /** Zero-copy accessor over `bytes` at `byteOffset` (OutOfBounds if fewer than `size` bytes are available). */
  view(bytes: Uint8Array, byteOffset?: number, options?: ViewOptions): StructView<F>;
  /** Plain object copy of the struct stored in `bytes` at `byteOffset`. */
  read(bytes: Uint8Array, byteOffset?: number): StructPlain<F>;
  /** Writes a whole struct (all fields, validated before writing) into `bytes` at `byteOffset`. */
  write(bytes: Uint8Array, value: StructInit<F>, byteOffset?: number): void;
}

/** Descriptor of a dynamic-length payload of `element`s (iceoryx2 "Dynamic" type variant). */
export interface SliceType<T, TInit = T, TPlain = T, TArray = TypedArrayFor<T>> {
  /** Always `"slice"`: tells slices apart from fixed-size layout types. */
  readonly kind: "slice";
  /** Element type. */
  readonly element: LayoutType<T, TInit, TPlain>;
  /** Cross-language type name: the element's type name. */
  readonly typeName: string;
  /** Size of one element in bytes. */
  readonly elementSize: number;
  /** Alignment in bytes (the element's alignment). */
  readonly alignment: number;
  /**
   * Zero-copy view of `length` elements at the start of `bytes`
   * (default: as many whole elements as fit; OutOfBounds if `length` elements do not fit).
   */
  view(bytes: Uint8Array, length?: number, options?: ViewOptions): SliceView<T, TInit, TPlain, TArray>;
  /** Number of whole elements in `byteLength` bytes. */
  lengthFor(byteLength: number): number;
}

/**
 * A FlatBuffers payload, created by {@link flatbuffer}: upstream's `Flatbuffer<T>` marker (type
 * name `iox2::Flatbuffer`, size and alignment 1) whose messages carry a finished flatbuffer of
 * any length. Every process on the service uses the same binary schema (`.bfbs`).
 */
export interface FlatbufferType<R extends string = string> {
  /** Always `"flatbuffer"`: tells flatbuffers apart from layout types and slices. */
  readonly kind: "flatbuffer";
  /** The marker's cross-language type name, the same for every flatbuffer. */
  readonly typeName: "iox2::Flatbuffer";
  /** The marker's size in bytes (the flatbuffer itself has any length). */
  readonly size: 1;
  /** The marker's alignment in bytes. */
  readonly alignment: 1;
  /** The schema's root table, e.g. `"UnboundedData"`: iceoryx2 looks for `<rootType>.bfbs`. */
  readonly rootType: R;
  /** The schema's namespace, a subdirectory iceoryx2 looks in first; `""` for none. */
  readonly namespace: string;
}

/** A finished flatbuffer: its bytes, or a `flatbuffers` package `Builder` after `finish(root)`. */
export type FlatbufferInit =
  | Uint8Array
  | {
      /** The finished flatbuffer's bytes (a `flatbuffers` Builder's, after `finish(root)`). */
      asUint8Array(): Uint8Array;
    };

/** iceoryx2's `StaticString<N>`, created by {@link staticString}: reads and writes a JS string. */
export interface StaticStringType extends LayoutType<string, string, string> {
  readonly kind: "string";
  /** The most characters (bytes) it holds. */
  readonly capacity: number;
}

/**
 * Zero-copy view of a `StaticVec`: its stored elements (`length`, read from memory on each
 * access), with {@link ArrayView}'s element access plus the operations that change the length.
 */
export interface VecView<T, TInit = T, TPlain = T, TArray = TypedArrayFor<T>> extends Iterable<T> {
  /** How many elements it holds now (InvalidPayload when a peer wrote a length beyond the capacity). */
  readonly length: number;
  /** The most elements it holds. */
  readonly capacity: number;
  /** Layout type of the elements. */
  readonly elementType: LayoutType<T, TInit, TPlain>;
  /** Whether this view is read-only (see {@link ViewOptions}). */
  readonly readonly: boolean;
  /** Reads element `index` (OutOfBounds unless `index < length`). */
  get(index: number): T;
  /** Writes element `index` (OutOfBounds unless `index < length`). */
  set(index: number, value: TInit): void;
  /** Appends one element (OutOfBounds when full). */
  push(value: TInit): void;
  /** Sets the length to 0. */
  clear(): void;
  /** Replaces the contents with `values` (at most `capacity` of them, all checked first). */
  assign(values: ArrayInit<TInit>): void;
  /** Plain JS copy of the stored elements. */
  toArray(): TPlain[];
  /** Zero-copy TypedArray over the stored elements (numeric elements only; see {@link ArrayView.typedArray}). */
  typedArray(): TArray;
  /** Iterates the stored elements. */
  [Symbol.iterator](): Iterator<T>;
}

/** iceoryx2's `StaticVec<T, N>`, created by {@link staticVec}. */
export interface StaticVecType<T, TInit = T, TPlain = T, TArray = TypedArrayFor<T>>
  extends LayoutType<VecView<T, TInit, TPlain, TArray>, ArrayInit<TInit>, TPlain[]> {
  readonly kind: "vec";
  /** Element type. */
  readonly element: LayoutType<T, TInit, TPlain>;
  /** The most elements it holds. */
  readonly capacity: number;
}

/**
 * Zero-copy view of a `FixedSizeQueue`: first in, first out, over the queue's own ring buffer
 * (`length`, `peek`, `pop` and iteration read the queue's state from memory on each access).
 */
export interface QueueView<T, TInit = T, TPlain = T> extends Iterable<T> {
  /** How many elements it holds now (InvalidPayload when a peer wrote an invalid state). */
  readonly length: number;
  /** The most elements it holds. */
  readonly capacity: number;
  /** Layout type of the elements. */
  readonly elementType: LayoutType<T, TInit, TPlain>;
  /** Whether this view is read-only (see {@link ViewOptions}). */
  readonly readonly: boolean;
  /** The oldest element (a view or a value, as the element type reads), or `undefined` when empty. */
  peek(): T | undefined;
  /** Appends `value` (OutOfBounds when full: upstream's `push` returns false then). */
  push(value: TInit): void;
  /** Appends `value`, dropping the oldest element when full (upstream's `push_with_overflow`); returns the dropped one's plain copy. */
  pushWithOverflow(value: TInit): TPlain | undefined;
  /** Removes the oldest element and returns its plain copy, or `undefined` when empty. */
  pop(): TPlain | undefined;
  /** Removes every element. */
  clear(): void;
  /** Replaces the contents with `values`, oldest first (at most `capacity`, all checked first). */
  assign(values: ArrayInit<TInit>): void;
  /** Plain JS copy of the elements, oldest first. */
  toArray(): TPlain[];
  /** Iterates the elements, oldest first. */
  [Symbol.iterator](): Iterator<T>;
}

/** iceoryx2's `FixedSizeQueue<T, N>`, created by {@link fixedSizeQueue}. */
export interface FixedSizeQueueType<T, TInit = T, TPlain = T>
  extends LayoutType<QueueView<T, TInit, TPlain>, ArrayInit<TInit>, TPlain[]> {
  readonly kind: "queue";
  /** Element type. */
  readonly element: LayoutType<T, TInit, TPlain>;
  /** The most elements it holds. */
  readonly capacity: number;
}

/** A C-like enum created by {@link enumOf}: reads and writes its variants' names. */
export interface EnumType<N extends string> extends LayoutType<N, N, N> {
  readonly kind: "enum";
  /** The integer type the value is stored as. */
  readonly repr: AnyLayoutType;
  /** Each variant's name and value. */
  readonly variants: Readonly<Record<N, number>>;
}

/** Anything usable as a payload type: a fixed-size layout type or a slice. */
export type PayloadType = LayoutType<any, any, any> | SliceType<any, any, any, any> | FlatbufferType;

/** JSON-able description of a layout type (see {@link describeLayout}). */
export type LayoutDescription =
  | {
      /** A primitive (`u8` … `f64`, `bool`). */
      readonly kind: "primitive";
      /** Cross-language type name, e.g. `"u32"`. */
      readonly typeName: string;
      /** Size in bytes. */
      readonly size: number;
      /** Alignment in bytes. */
      readonly alignment: number
    }
  | {
      /** A fixed-length array. */
      readonly kind: "array";
      /** Cross-language type name. */
      readonly typeName: string;
      /** Size in bytes (element size × length). */
      readonly size: number;
      /** Alignment in bytes (the element's). */
      readonly alignment: number;
      /** Number of elements. */
      readonly length: number;
      /** The element type. */
      readonly element: LayoutDescription;
    }
  | {
      /** A struct. */
      readonly kind: "struct";
      /** Cross-language type name (the struct's name). */
      readonly typeName: string;
      /** Size in bytes, trailing padding included. */
      readonly size: number;
      /** Alignment in bytes (the largest of its fields'). */
      readonly alignment: number;
      /** The fields in declaration order, with their offsets. */
      readonly fields: readonly FieldDescription[];
    }
  | {
      /** iceoryx2's `StaticString<N>`: `capacity` bytes, a terminator byte and a `u64` length. */
      readonly kind: "string";
      /** Cross-language type name (upstream's full path with the capacity). */
      readonly typeName: string;
      /** Size in bytes. */
      readonly size: number;
      /** Alignment in bytes (8). */
      readonly alignment: number;
      /** The most characters it holds. */
      readonly capacity: number;
    }
  | {
      /** iceoryx2's `StaticVec<T, N>`: storage for `capacity` elements and a `u64` length. */
      readonly kind: "vec";
      /** Cross-language type name (upstream's full path with the element's name and the capacity). */
      readonly typeName: string;
      /** Size in bytes. */
      readonly size: number;
      /** Alignment in bytes (the element's, at least 8). */
      readonly alignment: number;
      /** The most elements it holds. */
      readonly capacity: number;
      /** The element type. */
      readonly element: LayoutDescription;
    }
  | {
      /** A C-like enum stored as its integer `repr`. */
      readonly kind: "enum";
      /** The enum's name. */
      readonly typeName: string;
      /** Size in bytes (the repr's). */
      readonly size: number;
      /** Alignment in bytes (the repr's). */
      readonly alignment: number;
      /** The integer type the value is stored as, e.g. `"u8"`. */
      readonly repr: string;
      /** Each variant's name and value. */
      readonly variants: Readonly<Record<string, number>>;
    }
  | {
      /** iceoryx2's `FixedSizeQueue<T, N>`. */
      readonly kind: "queue";
      /** Cross-language type name. */
      readonly typeName: string;
      /** Size in bytes. */
      readonly size: number;
      /** Alignment in bytes. */
      readonly alignment: number;
      /** The most elements it holds. */
      readonly capacity: number;
      /** The element type. */
      readonly element: LayoutDescription;
    }
  | {
      /** A flatbuffer (upstream's `Flatbuffer<T>` marker). */
      readonly kind: "flatbuffer";
      /** Always `"iox2::Flatbuffer"`. */
      readonly typeName: string;
      /** The marker's size (1). */
      readonly size: number;
      /** The marker's alignment (1). */
      readonly alignment: number;
      /** The schema's root table. */
      readonly rootType: string;
      /** The schema's namespace; `""` for none. */
      readonly namespace: string;
    }
  | {
      /** A dynamic-length slice. */
      readonly kind: "slice";
      /** Cross-language type name (the element's). */
      readonly typeName: string;
      /** Size of one element. */
      readonly size: number;
      /** Alignment in bytes (the element's). */
      readonly alignment: number;
      /** The element type. */
      readonly element: LayoutDescription;
    };

/** JSON-able description of a struct field: its name and offset plus the description of its type. */
export type FieldDescription = {
  /** The field's name. */
  readonly name: string;
  /** Byte offset of the field from the start of the struct. */
  readonly offset: number
} & LayoutDescription;

// ---------------------------------------------------------------------------
// Errors and memory helpers
// ---------------------------------------------------------------------------

type PathKey = string | number | undefined;

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function joinPath(parent: string, key: PathKey): string {
  if (key === undefined) return parent;
  if (typeof key === "number") return `${parent}[${key}]`;
  return parent === "" ? key : `${parent}.${key}`;
}

function invalid(typeName: string, parent: string, key: PathKey, detail: string, cause?: unknown): Iox2Error {
  const path = joinPath(parent, key);
  const where =
    path === "" ? typeName : path.startsWith("[") ? `element ${path} (${typeName})` : `field '${path}' (${typeName})`;
  return new Iox2Error("InvalidArgument", `${where}: ${detail}`, cause === undefined ? undefined : { cause });
}

/** `value instanceof type`, or false where asking runs code that throws (a revoked proxy in the prototype chain). */
function isInstance(value: unknown, type: abstract new (...args: never[]) => unknown): boolean {
  try {
    return value instanceof type;
  } catch {
    return false;
  }
}

/**
 * Passes an Iox2Error on and turns anything else that code of the caller's value threw (a getter,
 * an iterator, a proxy trap) into InvalidArgument naming the place in the value.
 */
function readError(e: unknown, typeName: string, parent: string, key: PathKey): Iox2Error {
  if (isInstance(e, Iox2Error)) return e as Iox2Error;
  return invalid(typeName, parent, key, `reading the value threw ${describeThrown(e)}`, e);
}

function describeValue(v: unknown): string {
  switch (typeof v) {
    case "number":
      return Object.is(v, -0) ? "-0" : String(v);
    case "bigint":
      return `${v}n (bigint)`;
    case "string":
      return `${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v)} (string)`;
    case "boolean":
      return `${v} (boolean)`;
    case "undefined":
      return "undefined";
    case "symbol":
      return `${String(v)} (symbol)`;
    case "function":
      return "a function";
    default: {
      if (v === null) return "null";
      // A proxy or getter may throw or answer anything here: describe what can be told safely.
      try {
        if (Array.isArray(v)) {
          const length: unknown = (v as unknown[]).length;
          return typeof length === "number" ? `an array of length ${length}` : "an array";
        }
        const name = (Object.getPrototypeOf(v) as { constructor?: { name?: unknown } } | null)?.constructor?.name;
        return typeof name === "string" && name !== "" && name !== "Object" ? `a ${name}` : "an object";
      } catch {
        return "an object";
      }
    }
  }
}

/** A thrown value in words (never throws, whatever was thrown). */
function describeThrown(e: unknown): string {
  try {
    if (e instanceof Error) {
      const { name, message } = e as { name: unknown; message: unknown };
      if (typeof name === "string" && typeof message === "string") return `${name}: ${message}`;
    }
  } catch {
    // an error object whose own code throws: described by its type below
  }
  return describeValue(e);
}

function readOnly(what: string): Iox2Error {
  return new Iox2Error("InvalidArgument", `cannot write ${what}: the view is read-only`);
}

function released(): Iox2Error {
  return new Iox2Error("SampleReleased", "cannot access payload: memory released (the sample was sent or released)");
}

/** True if `buffer` has been detached (cheap unless its byteLength is 0). */
function isDetached(buffer: ArrayBufferLike): boolean {
  const flag = (buffer as { detached?: unknown }).detached;
  if (typeof flag === "boolean") return flag;
  if (buffer.byteLength !== 0) return false;
  try {
    new DataView(buffer);
    return false;
  } catch {
    return true;
  }
}

/**
 * Maps an exception thrown by a DataView/TypedArray operation to an Iox2Error: SampleReleased
 * once the memory is gone, OutOfBounds for a range error, InvalidArgument for anything else
 * (a `view` that is no DataView, a value the operation cannot convert).
 */
function memoryError(e: unknown, view: DataView, byteOffset: number, size: number): Iox2Error {
  if (isInstance(e, Iox2Error)) return e as Iox2Error;
  let detached = false;
  try {
    detached = isDetached(view.buffer);
  } catch (bufferError) {
    if (isInstance(bufferError, Iox2Error)) return bufferError as Iox2Error;
    return new Iox2Error("InvalidArgument", `cannot access memory through ${describeValue(view)}: not a DataView`, { cause: e });
  }
  if (detached) return released();
  const access = `cannot access ${size} byte(s) at offset ${describeValue(byteOffset)}`;
  if (isInstance(e, RangeError)) {
    return new Iox2Error("OutOfBounds", `${access}: the view has ${view.byteLength} byte(s)`, { cause: e });
  }
  return new Iox2Error("InvalidArgument", `${access}: ${describeThrown(e)}`, { cause: e });
}

function checkByteView(bytes: unknown, what: string): asserts bytes is ArrayBufferView {
  if (!ArrayBuffer.isView(bytes)) {
    throw new Iox2Error("InvalidArgument", `${what}: expected a Uint8Array, got ${describeValue(bytes)}`);
  }
}

type BuiltinGetter = (this: unknown) => unknown;
const builtinGetter = (proto: object, key: PropertyKey) => Object.getOwnPropertyDescriptor(proto, key)!.get as BuiltinGetter;
const TYPED_ARRAY_PROTOTYPE = Object.getPrototypeOf(Uint8Array.prototype) as object;
/** The class name of a TypedArray (`"Uint8Array"`, ...), undefined for anything else; runs no code of the value. */
const typedArrayName = builtinGetter(TYPED_ARRAY_PROTOTYPE, Symbol.toStringTag) as (this: unknown) => string | undefined;
const TYPED_ARRAY_GETTERS = {
  buffer: builtinGetter(TYPED_ARRAY_PROTOTYPE, "buffer"),
  byteOffset: builtinGetter(TYPED_ARRAY_PROTOTYPE, "byteOffset"),
  byteLength: builtinGetter(TYPED_ARRAY_PROTOTYPE, "byteLength"),
  length: builtinGetter(TYPED_ARRAY_PROTOTYPE, "length"),
};
const DATA_VIEW_GETTERS = {
  buffer: builtinGetter(DataView.prototype, "buffer"),
  byteOffset: builtinGetter(DataView.prototype, "byteOffset"),
  byteLength: builtinGetter(DataView.prototype, "byteLength"),
};

/**
 * The buffer, byte offset or byte length of a caller's ArrayBufferView as the built-in getters
 * see it: a getter the object or its subclass defines cannot move a view's bounds. Offsets and
 * lengths are 0 once the memory is released (DataView getters throw then; TypedArrays say 0).
 */
function viewPart(bytes: ArrayBufferView, part: "buffer"): ArrayBufferLike;
function viewPart(bytes: ArrayBufferView, part: "byteOffset" | "byteLength"): number;
function viewPart(bytes: ArrayBufferView, part: "buffer" | "byteOffset" | "byteLength"): unknown {
  if (typedArrayName.call(bytes) !== undefined) return TYPED_ARRAY_GETTERS[part].call(bytes);
  try {
    return DATA_VIEW_GETTERS[part].call(bytes);
  } catch {
    return 0;
  }
}

/**
 * One DataView per ArrayBuffer, shared by all views of it: creating a DataView is
 * far more expensive than a WeakMap lookup. Bounds are checked when a view is made.
 */
const bufferViews = new WeakMap<ArrayBufferLike, DataView>();

/** Checks that `size` bytes at `byteOffset` of `bytes` are available; returns the DataView of its buffer. */
function checkedView(bytes: unknown, byteOffset: unknown, size: number, what: string): DataView {
  checkByteView(bytes, what);
  if (typeof byteOffset !== "number" || !Number.isInteger(byteOffset)) {
    throw new Iox2Error("InvalidArgument", `${what}: byteOffset must be an integer, got ${describeValue(byteOffset)}`);
  }
  const byteLength = viewPart(bytes, "byteLength"); // 0 once the memory is released
  const buffer = viewPart(bytes, "buffer");
  if (byteLength === 0 && isDetached(buffer)) throw released();
  if (byteOffset < 0 || byteLength - byteOffset < size) {
    throw new Iox2Error(
      "OutOfBounds",
      `${what} needs ${size} byte(s) at offset ${byteOffset} but the buffer has ${byteLength} byte(s)`,
    );
  }
  let view = bufferViews.get(buffer);
  if (view === undefined) {
    try {
      view = new DataView(buffer);
    } catch (e) {
      if (isDetached(buffer)) throw released();
      throw e;
    }
    bufferViews.set(buffer, view);
  }
  return view;
}

// ---------------------------------------------------------------------------
// Implementation base
// ---------------------------------------------------------------------------

/** Every fixed-size type and every slice type this module made: recognised without running code of the value. */
const FIXED_TYPES = new WeakSet<object>();
const SLICE_TYPES = new WeakSet<object>();
const isFixedType = (value: unknown): value is TypeBase => FIXED_TYPES.has(value as object);
const isSliceType = (value: unknown): value is SliceTypeImpl => SLICE_TYPES.has(value as object);

/** A caller's byte offset: a non-negative safe integer, or InvalidArgument. */
function checkOffset(byteOffset: unknown): number {
  if (typeof byteOffset === "number" && Number.isSafeInteger(byteOffset) && byteOffset >= 0) return byteOffset;
  throw new Iox2Error("InvalidArgument", `byteOffset must be a non-negative integer, got ${describeValue(byteOffset)}`);
}

/** The `readonly` flag of a caller's view options; InvalidArgument if reading it throws. */
function readonlyOption(options: unknown): boolean {
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
abstract class TypeBase {
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
  _init(_view: DataView, _byteOffset: number): void {}

  abstract _get(view: DataView, byteOffset: number, readonly: boolean): unknown;
  abstract _toPlain(view: DataView, byteOffset: number): unknown;
  /** Validates `value` (throws InvalidArgument) and returns the value to pass to `_store`. */
  abstract _prepare(value: unknown, parent: string, key: PathKey): unknown;
  /** Stores a value returned by `_prepare` (no validation). */
  abstract _store(view: DataView, byteOffset: number, prepared: unknown): void;

  _set(view: DataView, byteOffset: number, value: unknown, parent: string, key: PathKey): void {
    this._store(view, byteOffset, this._prepare(value, parent, key));
  }

  get(view: DataView, byteOffset: number, options?: ViewOptions): unknown {
    return this._get(view, checkOffset(byteOffset), readonlyOption(options));
  }

  toPlain(view: DataView, byteOffset: number): unknown {
    return this._toPlain(view, checkOffset(byteOffset));
  }

  set(view: DataView, byteOffset: number, value: unknown): void {
    this._set(view, checkOffset(byteOffset), value, "", undefined);
  }
}

// ---------------------------------------------------------------------------
// Primitives
// ---------------------------------------------------------------------------

type Check = (v: unknown) => string | undefined;
type Load = (view: DataView, byteOffset: number) => unknown;
type Store = (view: DataView, byteOffset: number, value: unknown) => void;

class PrimitiveImpl extends TypeBase {
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

  _get(view: DataView, byteOffset: number): unknown {
    try {
      return this._load(view, byteOffset);
    } catch (e) {
      throw memoryError(e, view, byteOffset, this.size);
    }
  }

  _toPlain(view: DataView, byteOffset: number): unknown {
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

  _store(view: DataView, byteOffset: number, prepared: unknown): void {
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

// ---------------------------------------------------------------------------
// Sequences (shared by arrays and slices)
// ---------------------------------------------------------------------------

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
function prepareItems(
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
function copyBytes(view: DataView, byteOffset: number, length: number): Uint8Array {
  try {
    if (view instanceof SampleBytes) return view.copyBytes(byteOffset, length);
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
function putBytes(view: DataView, byteOffset: number, bytes: Uint8Array): void {
  try {
    if (view instanceof SampleBytes) view.setBytes(byteOffset, bytes);
    else {
      if (byteOffset + bytes.length > view.byteLength) throw new RangeError("Offset is outside the bounds of the DataView");
      new Uint8Array(view.buffer, view.byteOffset + byteOffset, bytes.length).set(bytes);
    }
  } catch (e) {
    throw memoryError(e, view, byteOffset, bytes.length);
  }
}

/** Stores a sequence returned by {@link prepareItems}. */
function storeItems(element: TypeBase, view: DataView, byteOffset: number, items: ArrayLike<unknown>): void {
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

class ArrayViewImpl {
  readonly length: number;
  readonly elementType: TypeBase;
  readonly readonly: boolean;
  protected readonly _view: DataView;
  protected readonly _base: number;
  protected readonly _stride: number;

  constructor(view: DataView, base: number, elementType: TypeBase, length: number, readonly: boolean) {
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

// ---------------------------------------------------------------------------
// Arrays
// ---------------------------------------------------------------------------

function checkElementType(element: unknown, what: string): asserts element is TypeBase {
  if (isFixedType(element)) return;
  if (isSliceType(element)) {
    throw new Iox2Error("InvalidArgument", `${what}: a slice has no fixed size and cannot be used here; use array(T, N)`);
  }
  throw new Iox2Error(
    "InvalidArgument",
    `${what}: expected a layout type (a primitive, array(...) or struct(...)), got ${describeValue(element)}`,
  );
}

class ArrayTypeImpl extends TypeBase {
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

  override _init(view: DataView, byteOffset: number): void {
    const el = this.element;
    for (let i = 0; i < this.length; i++) el._init(view, byteOffset + i * el.size);
  }

  _get(view: DataView, byteOffset: number, readonly: boolean): unknown {
    return new ArrayViewImpl(view, byteOffset, this.element, this.length, readonly);
  }

  _toPlain(view: DataView, byteOffset: number): unknown {
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

  _store(view: DataView, byteOffset: number, prepared: unknown): void {
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

// ---------------------------------------------------------------------------
// iceoryx2's shared-memory containers and C-like enums
// ---------------------------------------------------------------------------

function invalidPayload(typeName: string, detail: string): Iox2Error {
  return new Iox2Error("InvalidPayload", `${typeName}: ${detail}`);
}

/** A container's `len: u64` as a number, refused past `capacity` (a peer wrote it). */
function containerLength(view: DataView, lengthOffset: number, capacity: number, typeName: string): number {
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
function setContainerLength(view: DataView, lengthOffset: number, length: number): void {
  try {
    view.setBigUint64(lengthOffset, BigInt(length), true);
  } catch (e) {
    throw memoryError(e, view, lengthOffset, 8);
  }
}

const STATIC_STRING_NAME = "iceoryx2_bb_container::string::static_string::StaticString";
const STATIC_VEC_NAME = "iceoryx2_bb_container::vector::static_vec::StaticVec";

class StaticStringImpl extends TypeBase {
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

  _get(view: DataView, byteOffset: number): unknown {
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

  _toPlain(view: DataView, byteOffset: number): unknown {
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

  _store(view: DataView, byteOffset: number, prepared: unknown): void {
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
  readonly #view: DataView;
  readonly #base: number;

  constructor(type: StaticVecImpl, view: DataView, base: number, readonly: boolean) {
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

class StaticVecImpl extends TypeBase {
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

  _length(view: DataView, byteOffset: number): number {
    return containerLength(view, byteOffset + this._lengthOffset, this.capacity, this.typeName);
  }

  _setLength(view: DataView, byteOffset: number, length: number): void {
    setContainerLength(view, byteOffset + this._lengthOffset, length);
  }

  _get(view: DataView, byteOffset: number, readonly: boolean): unknown {
    return new VecViewImpl(this, view, byteOffset, readonly);
  }

  _toPlain(view: DataView, byteOffset: number): unknown {
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

  _store(view: DataView, byteOffset: number, prepared: unknown): void {
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
  readonly #view: DataView;
  readonly #base: number;

  constructor(type: FixedSizeQueueImpl, view: DataView, base: number, readonly: boolean) {
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

class FixedSizeQueueImpl extends TypeBase {
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
  _state(view: DataView, byteOffset: number): QueueState {
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

  _writeState(view: DataView, byteOffset: number, start: bigint, length: number): void {
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

  _push(view: DataView, byteOffset: number, state: QueueState, value: unknown): void {
    this._pushPrepared(view, byteOffset, state, this.element._prepare(value, "", state.length));
  }

  _pushPrepared(view: DataView, byteOffset: number, state: QueueState, prepared: unknown): void {
    const index = Number(state.start % BigInt(this.capacity));
    this.element._store(view, byteOffset + this._dataOffset + index * this.element.size, prepared);
    this._writeState(view, byteOffset, state.start + 1n, state.length + 1);
  }

  _pop(view: DataView, byteOffset: number, state: QueueState): unknown {
    const value = this.element._toPlain(view, this._slot(byteOffset, state, 0));
    this._writeState(view, byteOffset, state.start, state.length - 1);
    return value;
  }

  override _init(view: DataView, byteOffset: number): void {
    this._writeState(view, byteOffset, 0n, 0);
  }

  _get(view: DataView, byteOffset: number, readonly: boolean): unknown {
    return new QueueViewImpl(this, view, byteOffset, readonly);
  }

  _toPlain(view: DataView, byteOffset: number): unknown {
    const state = this._state(view, byteOffset);
    const out = new Array<unknown>(state.length);
    for (let k = 0; k < state.length; k++) out[k] = this.element._toPlain(view, this._slot(byteOffset, state, k));
    return out;
  }

  _prepare(value: unknown, parent: string, key: PathKey): unknown {
    const wrongCount = (count: string) => invalid(this.typeName, parent, key, `holds at most ${this.capacity} element(s), got ${count}`);
    return prepareItems(this.element, value, 0, this.capacity, wrongCount, this.typeName, parent, key);
  }

  _store(view: DataView, byteOffset: number, prepared: unknown): void {
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
export function initializeZeroed(type: PayloadType, view: DataView, byteOffset: number, count: number): void {
  const element = isSliceType(type) ? type.element : isFixedType(type) ? type : undefined;
  if (element === undefined || !element._needsInit) return;
  for (let i = 0; i < count; i++) element._init(view, byteOffset + i * element.size);
}

class EnumImpl extends TypeBase {
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

  _get(view: DataView, byteOffset: number): unknown {
    const raw = this.repr._get(view, byteOffset);
    const name = this.#names.get(Number(raw));
    if (name === undefined) {
      throw invalidPayload(this.typeName, `the received value ${String(raw)} is none of its variants (${this.#listed()}); the sender knows a variant this process does not`);
    }
    return name;
  }

  _toPlain(view: DataView, byteOffset: number): unknown {
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

  _store(view: DataView, byteOffset: number, prepared: unknown): void {
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

// ---------------------------------------------------------------------------
// Structs
// ---------------------------------------------------------------------------

const VIEW: unique symbol = Symbol("iox2.layout.view");
const BASE: unique symbol = Symbol("iox2.layout.base");

/**
 * Shared prototype of all struct accessors. Instances are created by the per-struct
 * constructors of {@link accessorClass} and hold only the DataView and the base offset.
 *
 * Every accessor's prototype chain is: the instance → its struct's prototype (a getter and a
 * setter per field) → `StructAccessorBase.prototype` → {@link UNKNOWN_FIELD_GUARD} →
 * `Object.prototype`. Every string-keyed assignment is refused with InvalidArgument unless it
 * names a field: helper members refuse in their setters ({@link defineHelper}), any other name
 * reaches the guard.
 */
class StructAccessorBase {
  declare readonly $layout: StructTypeImpl;
  declare readonly $readonly: boolean;
  declare readonly [VIEW]: DataView;
  declare readonly [BASE]: number;

  $toPlain(): unknown {
    return this.$layout._toPlain(this[VIEW], this[BASE]);
  }

  $set(value: unknown): void {
    if (this.$readonly) throw readOnly(this.$layout.typeName);
    this.$layout._set(this[VIEW], this[BASE], value, "", undefined);
  }

  $assign(values: unknown): void {
    if (this.$readonly) throw readOnly(this.$layout.typeName);
    this.$layout._assign(this[VIEW], this[BASE], values);
  }

  /** Lets `JSON.stringify(view)` serialize the plain copy (bigint fields need a replacer, as usual). */
  toJSON(): unknown {
    return this.$toPlain();
  }
}

/**
 * Defines a helper member (a method or `$layout`, `$readonly`, `constructor`) as a getter whose
 * setter refuses like an unknown field: a data property would be shadowed by an assignment, or
 * make it throw a plain TypeError once frozen.
 */
function defineHelper(proto: object, name: string, value: unknown): void {
  Object.defineProperty(proto, name, {
    get: () => value,
    set(this: unknown): void {
      throw unknownField(this, name);
    },
  });
}

for (const name of ["$toPlain", "$set", "$assign", "toJSON"] as const) defineHelper(StructAccessorBase.prototype, name, StructAccessorBase.prototype[name]);

Object.defineProperty(StructAccessorBase.prototype, Symbol.for("nodejs.util.inspect.custom"), {
  value(this: StructAccessorBase): unknown {
    try {
      return this.$toPlain();
    } catch (e) {
      return `[${this.$layout.typeName}: ${e instanceof Error ? e.message : String(e)}]`;
    }
  },
});

/**
 * The end of every accessor's prototype chain, before `Object.prototype`: a proxy whose only trap
 * refuses assignments of names found nowhere before it. Without it a typo (`payload.vallue = 1`)
 * would add a plain property to the accessor and the value would never reach shared memory.
 * Reading an unknown name still gives `undefined` (the proxy forwards it), because code probes
 * objects for `then`, `toJSON`, `Symbol.toPrimitive`, `$$typeof`, `asymmetricMatch` and the like.
 * Symbol keys cannot be typos of a field: they are assigned as on any object.
 */
const UNKNOWN_FIELD_GUARD: object = new Proxy(
  {},
  {
    set(target, key, value, receiver): boolean {
      if (typeof key === "symbol") return Reflect.set(target, key, value, receiver);
      throw unknownField(receiver, key);
    },
  },
);
Object.setPrototypeOf(StructAccessorBase.prototype, UNKNOWN_FIELD_GUARD);

function unknownField(receiver: unknown, key: string): Iox2Error {
  const shown = key.length > 64 ? `${key.slice(0, 64)}...` : key;
  let type: unknown;
  try {
    type = (receiver as StructAccessorBase).$layout;
  } catch {
    type = undefined; // a receiver that is no accessor (Reflect.set with a foreign receiver)
  }
  if (!isFixedType(type) || !(type instanceof StructTypeImpl)) {
    return new Iox2Error("InvalidArgument", `cannot set '${shown}': a struct view has only the fields of its struct`);
  }
  const names = type.fields.map((f) => f.name);
  const close = closestName(key, names);
  const listed = names.length <= 16 ? names.join(", ") : `${names.slice(0, 16).join(", ")}, ... (${names.length} in all)`;
  return new Iox2Error(
    "InvalidArgument",
    `struct '${type.typeName}' has no field '${shown}'${close === undefined ? "" : ` (did you mean '${close}'?)`}; its fields: ${listed}`,
  );
}

/**
 * The field name `key` is most likely a typo of: case ignored, at most a third of the name's
 * letters edited (one for short names), and never all of them.
 */
function closestName(key: string, names: readonly string[]): string | undefined {
  if (key.length > 64) return undefined;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const name of names) {
    if (name.length > 64) continue;
    const distance = editDistance(key.toLowerCase(), name.toLowerCase());
    const allowed = Math.min(Math.max(1, Math.floor(name.length / 3)), name.length - 1);
    if (distance <= allowed && distance < bestDistance) {
      best = name;
      bestDistance = distance;
    }
  }
  return best;
}

/** Edits (insert, delete, replace, swap two neighbours) that turn `a` into `b`. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/** Names that cannot be struct fields (they would break JS objects or thenable detection). */
const RESERVED_FIELD_NAMES = new Set([
  "constructor",
  "__proto__",
  "__defineGetter__",
  "__defineSetter__",
  "__lookupGetter__",
  "__lookupSetter__",
  "hasOwnProperty",
  "isPrototypeOf",
  "propertyIsEnumerable",
  "toString",
  "toLocaleString",
  "valueOf",
  "then",
]);

const IDENTIFIER = /^[\p{ID_Start}$_][\p{ID_Continue}$\u200C\u200D]*$/u;

function checkTypeName(typeName: unknown): asserts typeName is string {
  if (typeof typeName !== "string" || typeName === "") {
    throw new Iox2Error("InvalidArgument", `struct(): typeName must be a non-empty string, got ${describeValue(typeName)}`);
  }
  const bytes = utf8Length(typeName);
  if (bytes < 0) throw new Iox2Error("InvalidArgument", "struct(): typeName contains a lone UTF-16 surrogate");
  if (bytes > 255) {
    throw new Iox2Error("InvalidArgument", `struct(): typeName must be at most 255 UTF-8 bytes, got ${bytes}`);
  }
  if (typeName.includes("\0")) throw new Iox2Error("InvalidArgument", "struct(): typeName must not contain NUL");
}

function checkFieldName(typeName: string, name: string): void {
  if (!IDENTIFIER.test(name)) {
    throw new Iox2Error("InvalidArgument", `struct '${typeName}': field name ${JSON.stringify(name)} is not a valid identifier`);
  }
  if (name === "NaN" || name === "Infinity") {
    throw new Iox2Error("InvalidArgument", `struct '${typeName}': field name '${name}' is numeric-like`);
  }
  if (name.startsWith("$") || RESERVED_FIELD_NAMES.has(name)) {
    throw new Iox2Error(
      "InvalidArgument",
      `struct '${typeName}': field name '${name}' is reserved (names starting with '$' and Object.prototype members cannot be used)`,
    );
  }
}

function alignUp(n: number, alignment: number): number {
  return Math.ceil(n / alignment) * alignment;
}

type AccessorClass = new () => StructAccessorBase;

/**
 * The DataView and base offset of the accessor being made (see `StructTypeImpl._get`): class
 * field initializers cannot see constructor arguments.
 */
let slotView: DataView | undefined;
let slotBase = 0;

/**
 * Builds the accessor class of a struct: one prototype with a getter/setter per
 * field; instances hold only the DataView and the base offset.
 */
function accessorClass(
  type: StructTypeImpl,
  list: readonly { readonly name: string; readonly type: TypeBase; readonly offset: number }[],
  readonly: boolean,
): AccessorClass {
  // The slots are class fields of a base class (no super() call to pay for). Fields are defined
  // on the new object, not assigned: an assignment looks for a setter along the prototype chain
  // and meets the guard, and engines do not cache such stores (Bun took 60 ns per accessor
  // instead of 5). Each is written once: V8 keeps a field written twice as variable, not constant.
  const Accessor = class {
    readonly [VIEW] = slotView as DataView;
    readonly [BASE] = slotBase;
  };
  Object.defineProperty(Accessor, "name", { value: type.typeName });
  const proto = Accessor.prototype as unknown as StructAccessorBase;
  Object.setPrototypeOf(proto, StructAccessorBase.prototype);
  defineHelper(proto, "constructor", Accessor);
  defineHelper(proto, "$layout", type);
  defineHelper(proto, "$readonly", readonly);
  Object.defineProperty(proto, Symbol.toStringTag, { value: type.typeName });
  for (const { name, type: fieldType, offset } of list) {
    Object.defineProperty(
      proto,
      name,
      readonly
        ? {
            enumerable: true,
            get(this: StructAccessorBase): unknown {
              return fieldType._get(this[VIEW], this[BASE] + offset, true);
            },
            set(): void {
              throw readOnly(`field '${name}'`);
            },
          }
        : {
            enumerable: true,
            get(this: StructAccessorBase): unknown {
              return fieldType._get(this[VIEW], this[BASE] + offset, false);
            },
            set(this: StructAccessorBase, value: unknown): void {
              fieldType._set(this[VIEW], this[BASE] + offset, value, "", name);
            },
          },
    );
  }
  Object.freeze(proto);
  return Accessor as unknown as AccessorClass;
}

/** Marks a field a partial write leaves alone. */
const ABSENT_FIELD: unique symbol = Symbol("iox2.layout.absent");

class StructTypeImpl extends TypeBase {
  readonly kind = "struct" as const;
  readonly fields: readonly StructField[];
  private readonly _list: readonly { readonly name: string; readonly type: TypeBase; readonly offset: number }[];
  private readonly _names: ReadonlySet<string>;
  private readonly _Accessor: AccessorClass;
  private readonly _ReadonlyAccessor: AccessorClass;

  constructor(
    typeName: string,
    list: readonly { readonly name: string; readonly type: TypeBase; readonly offset: number }[],
    size: number,
    alignment: number,
  ) {
    super(typeName, size, alignment);
    this._list = list;
    this.fields = list;
    this._names = new Set(list.map((f) => f.name));
    this._needsInit = list.some((f) => f.type._needsInit);

    this._Accessor = accessorClass(this, list, false);
    this._ReadonlyAccessor = accessorClass(this, list, true);
    Object.freeze(this);
  }

  _get(view: DataView, byteOffset: number, readonly: boolean): unknown {
    slotView = view;
    slotBase = byteOffset;
    // Two `new` sites, each seeing one class per struct type.
    const accessor = readonly ? new this._ReadonlyAccessor() : new this._Accessor();
    slotView = undefined; // holding the last view would keep its sample reachable
    return accessor;
  }

  _toPlain(view: DataView, byteOffset: number): unknown {
    const out: Record<string, unknown> = {};
    for (const f of this._list) out[f.name] = f.type._toPlain(view, byteOffset + f.offset);
    return out;
  }

  override _init(view: DataView, byteOffset: number): void {
    for (const f of this._list) if (f.type._needsInit) f.type._init(view, byteOffset + f.offset);
  }

  _prepare(value: unknown, parent: string, key: PathKey): unknown {
    return this._prepareFields(value, parent, key, false);
  }

  /**
   * Checks a plain object's fields against this struct and converts each for `_store`. Each field
   * is read once (a getter may answer differently the next time); whatever the value's own code
   * throws (getters, proxy traps) becomes InvalidArgument. With `partial`, absent fields are left
   * out ({@link ABSENT_FIELD} in the result) instead of refused.
   */
  _prepareFields(value: unknown, parent: string, key: PathKey, partial: boolean): unknown[] {
    try {
      if (typeof value !== "object" || value === null || Array.isArray(value)) {
        throw invalid(this.typeName, parent, key, `expected an object with fields, got ${describeValue(value)}`);
      }
      const proto = Object.getPrototypeOf(value) as unknown;
      if (proto === Object.prototype || proto === null) {
        for (const k of Object.keys(value)) {
          if (!this._names.has(k)) throw invalid(this.typeName, parent, key, `unknown field '${k}'`);
        }
      }
    } catch (e) {
      throw readError(e, this.typeName, parent, key);
    }
    const path = joinPath(parent, key);
    const list = this._list;
    const out = new Array<unknown>(list.length);
    for (let i = 0; i < list.length; i++) {
      const f = list[i]!;
      let v: unknown;
      try {
        v = (value as Record<string, unknown>)[f.name];
      } catch (e) {
        throw readError(e, f.type.typeName, path, f.name);
      }
      if (v === undefined) {
        if (partial) {
          out[i] = ABSENT_FIELD;
          continue;
        }
        throw invalid(this.typeName, parent, key, `missing field '${f.name}'`);
      }
      out[i] = f.type._prepare(v, path, f.name);
    }
    return out;
  }

  /** Writes the fields `value` names, all checked before any is written; the others keep their bytes. */
  _assign(view: DataView, byteOffset: number, value: unknown): void {
    const values = this._prepareFields(value, "", undefined, true);
    const list = this._list;
    for (let i = 0; i < list.length; i++) {
      if (values[i] !== ABSENT_FIELD) list[i]!.type._store(view, byteOffset + list[i]!.offset, values[i]);
    }
  }

  _store(view: DataView, byteOffset: number, prepared: unknown): void {
    const values = prepared as unknown[];
    const list = this._list;
    for (let i = 0; i < list.length; i++) {
      const f = list[i]!;
      f.type._store(view, byteOffset + f.offset, values[i]);
    }
  }

  view(bytes: Uint8Array, byteOffset = 0, options?: ViewOptions): unknown {
    const view = checkedView(bytes, byteOffset, this.size, this.typeName);
    return this._get(view, viewPart(bytes, "byteOffset") + byteOffset, readonlyOption(options));
  }

  read(bytes: Uint8Array, byteOffset = 0): unknown {
    const view = checkedView(bytes, byteOffset, this.size, this.typeName);
    return this._toPlain(view, viewPart(bytes, "byteOffset") + byteOffset);
  }

  write(bytes: Uint8Array, value: unknown, byteOffset = 0): void {
    const view = checkedView(bytes, byteOffset, this.size, this.typeName);
    this._store(view, viewPart(bytes, "byteOffset") + byteOffset, this._prepare(value, "", undefined));
  }
}

/**
 * Defines a C struct. Field order is the insertion order of `fields`; offsets,
 * size and alignment follow C rules. `typeName` is the cross-language name
 * (non-empty, at most 255 UTF-8 bytes). Field names must be JS identifiers,
 * must not start with `$` and must not be `Object.prototype` members or `then`.
 *
 * @example
 * const SensorData = struct("SensorData", { timestampNs: u64, temperature: f64, sensorId: array(u8, 16) });
 * const v = SensorData.view(bytes); v.temperature = 21.5; v.sensorId.typedArray().set(id);
 */
export function struct<F extends StructFields>(typeName: string, fields: F): StructType<F> {
  checkTypeName(typeName);
  // Each field's type is read once; whatever the definition's own code throws becomes InvalidArgument.
  let definitions: (readonly [string, unknown])[];
  try {
    if (typeof fields !== "object" || fields === null || Array.isArray(fields)) {
      throw new Iox2Error("InvalidArgument", `struct '${typeName}': fields must be an object literal, got ${describeValue(fields)}`);
    }
    if (Object.getOwnPropertySymbols(fields).length > 0) {
      throw new Iox2Error("InvalidArgument", `struct '${typeName}': field names must be strings, not symbols`);
    }
    definitions = Object.keys(fields).map((name) => [name, (fields as Record<string, unknown>)[name]] as const);
  } catch (e) {
    if (isInstance(e, Iox2Error)) throw e;
    throw new Iox2Error("InvalidArgument", `struct '${typeName}': reading the fields threw ${describeThrown(e)}`, { cause: e });
  }
  if (definitions.length === 0) {
    throw new Iox2Error("InvalidArgument", `struct '${typeName}': a struct needs at least one field (C has no empty structs)`);
  }
  const seen = new Set<string>();
  const list: { readonly name: string; readonly type: TypeBase; readonly offset: number }[] = [];
  let offset = 0;
  let alignment = 1;
  for (const [name, type] of definitions) {
    checkFieldName(typeName, name);
    if (seen.has(name)) throw new Iox2Error("InvalidArgument", `struct '${typeName}': duplicate field '${name}'`);
    seen.add(name);
    checkElementType(type, `struct '${typeName}' field '${name}'`);
    offset = alignUp(offset, type.alignment);
    list.push(Object.freeze({ name, type, offset }));
    offset += type.size;
    alignment = Math.max(alignment, type.alignment);
  }
  const size = alignUp(offset, alignment);
  return new StructTypeImpl(typeName, Object.freeze(list), size, alignment) as unknown as StructType<F>;
}

// ---------------------------------------------------------------------------
// Slices
// ---------------------------------------------------------------------------

class SliceTypeImpl {
  readonly kind = "slice" as const;
  readonly element: TypeBase;
  readonly typeName: string;
  readonly elementSize: number;
  readonly alignment: number;

  constructor(element: TypeBase) {
    this.element = element;
    this.typeName = element.typeName;
    this.elementSize = element.size;
    this.alignment = element.alignment;
    SLICE_TYPES.add(this);
    Object.freeze(this);
  }

  view(bytes: Uint8Array, length?: number, options?: ViewOptions): unknown {
    checkByteView(bytes, `slice of ${this.typeName}`);
    const n = length === undefined ? this.lengthFor(viewPart(bytes, "byteLength")) : length;
    if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 0) {
      throw new Iox2Error("InvalidArgument", `slice length must be a non-negative integer, got ${describeValue(n)}`);
    }
    const view = checkedView(bytes, 0, n * this.elementSize, `slice of ${n} ${this.typeName}`);
    return new ArrayViewImpl(view, viewPart(bytes, "byteOffset"), this.element, n, readonlyOption(options));
  }

  lengthFor(byteLength: number): number {
    if (typeof byteLength !== "number" || !Number.isSafeInteger(byteLength) || byteLength < 0) {
      throw new Iox2Error("InvalidArgument", `byteLength must be a non-negative integer, got ${describeValue(byteLength)}`);
    }
    return Math.floor(byteLength / this.elementSize);
  }
}

/**
 * @internal A view of `length` elements of `type` over `view` from offset 0, for sample memory
 * whose DataView-compatible window checks bounds and liveness itself (see sample-memory.ts).
 */
export function sliceView(type: SliceType<any, any, any, any>, view: DataView, length: number, readonly: boolean): unknown {
  return new ArrayViewImpl(view, 0, (type as unknown as SliceTypeImpl).element, length, readonly);
}

/**
 * Dynamic-length payload of `element`s (iceoryx2 "Dynamic" type variant).
 * Its `typeName` is the element's type name.
 */
export function slice<T, TInit, TArray>(element: PrimitiveType<T, TInit, TArray>): SliceType<T, TInit, T, TArray>;
/** Dynamic-length payload of structs or arrays (no {@link SliceView.typedArray}). */
export function slice<T, TInit, TPlain>(element: LayoutType<T, TInit, TPlain>): SliceType<T, TInit, TPlain, never>;
export function slice(element: unknown): unknown {
  checkElementType(element, "slice()");
  return new SliceTypeImpl(element);
}

// ---------------------------------------------------------------------------
// Description
// ---------------------------------------------------------------------------

/**
 * The bytes of a fixed-size `type` that hold data, as `[offset, length]` runs in order, adjacent
 * runs merged: everything but padding. Values are equal field by field when these bytes are
 * (blackboard keys are compared this way, as upstream compares them).
 */
export function fieldBytes(type: AnyLayoutType): [number, number][] {
  const runs: [number, number][] = [];
  const add = (offset: number, length: number) => {
    const last = runs[runs.length - 1];
    if (last !== undefined && last[0] + last[1] === offset) last[1] += length;
    else if (length > 0) runs.push([offset, length]);
  };
  const walk = (d: LayoutDescription, base: number): void => {
    if (d.kind === "struct") for (const field of d.fields) walk(field, base + field.offset);
    else if (d.kind === "array") for (let i = 0; i < d.length; i++) walk(d.element, base + i * d.element.size);
    else if (d.kind === "string" || d.kind === "vec" || d.kind === "queue") {
      // Its bytes past the length are unspecified (a Rust or C++ peer leaves them as they were).
      throw new Iox2Error(
        "InvalidArgument",
        `${d.typeName} cannot be part of a value compared byte by byte (a blackboard key): the bytes past its length are unspecified`,
      );
    } else add(base, d.size);
  };
  walk(describeLayout(type), 0);
  return runs;
}

/**
 * JSON-able description of a payload type: kind, typeName, size, alignment and,
 * recursively, array elements and struct fields (name, offset, type). For a
 * slice, `size` is the element size.
 */
export function describeLayout(type: PayloadType): LayoutDescription {
  if (isFlatbufferType(type)) {
    const { kind, typeName, size, alignment, rootType, namespace } = type;
    return { kind, typeName, size, alignment, rootType, namespace };
  }
  if (isSliceType(type)) {
    return {
      kind: "slice",
      typeName: type.typeName,
      size: type.elementSize,
      alignment: type.alignment,
      element: describeLayout(type.element as AnyLayoutType),
    };
  }
  if (!isFixedType(type)) {
    throw new Iox2Error("InvalidArgument", `describeLayout(): not a layout type: ${describeValue(type)}`);
  }
  if (type instanceof ArrayTypeImpl) {
    return {
      kind: "array",
      typeName: type.typeName,
      size: type.size,
      alignment: type.alignment,
      length: type.length,
      element: describeLayout(type.element as AnyLayoutType),
    };
  }
  if (type instanceof StaticStringImpl) {
    return { kind: "string", typeName: type.typeName, size: type.size, alignment: type.alignment, capacity: type.capacity };
  }
  if (type instanceof StaticVecImpl) {
    return {
      kind: "vec",
      typeName: type.typeName,
      size: type.size,
      alignment: type.alignment,
      capacity: type.capacity,
      element: describeLayout(type.element as AnyLayoutType),
    };
  }
  if (type instanceof FixedSizeQueueImpl) {
    return {
      kind: "queue",
      typeName: type.typeName,
      size: type.size,
      alignment: type.alignment,
      capacity: type.capacity,
      element: describeLayout(type.element as AnyLayoutType),
    };
  }
  if (type instanceof EnumImpl) {
    return { kind: "enum", typeName: type.typeName, size: type.size, alignment: type.alignment, repr: type.repr.typeName, variants: type.variants };
  }
  if (type instanceof StructTypeImpl) {
    return {
      kind: "struct",
      typeName: type.typeName,
      size: type.size,
      alignment: type.alignment,
      fields: type.fields.map((f) => ({ name: f.name, offset: f.offset, ...describeLayout(f.type) })),
    };
  }
  return { kind: "primitive", typeName: type.typeName, size: type.size, alignment: type.alignment };
}
