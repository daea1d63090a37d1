/**
 * The public types of layout descriptors: what a payload type is and what reading or writing one gives.
 * @module
 */

/**
 * The bytes a layout type reads and writes: a `DataView` over memory of the caller's, or a
 * sample's window over shared memory (which checks on every access that its sample is still
 * held). The accessors are `DataView`'s, so any `DataView` is one.
 */
export type ByteWindow = Pick<
  DataView,
  | "byteLength"
  | "byteOffset"
  | "buffer"
  | "getInt8"
  | "getUint8"
  | "getInt16"
  | "getUint16"
  | "getInt32"
  | "getUint32"
  | "getFloat32"
  | "getFloat64"
  | "getBigInt64"
  | "getBigUint64"
  | "setInt8"
  | "setUint8"
  | "setInt16"
  | "setUint16"
  | "setInt32"
  | "setUint32"
  | "setFloat32"
  | "setFloat64"
  | "setBigInt64"
  | "setBigUint64"
>;

/**
 * A {@link ByteWindow} that also copies runs of bytes in and out itself (a sample's window: one
 * liveness check per run instead of one per byte).
 */
export interface BulkByteWindow extends ByteWindow {
  /** A copy of `length` bytes at `byteOffset`. */
  copyBytes(byteOffset: number, length: number): Uint8Array;
  /** Writes `bytes` at `byteOffset`. */
  setBytes(byteOffset: number, bytes: Uint8Array): void;
}

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
  get(view: ByteWindow, byteOffset: number, options?: ViewOptions): T;
  /** Writes `value` at `byteOffset` of `view`; the whole value is validated before any byte is written. */
  set(view: ByteWindow, byteOffset: number, value: TInit): void;
  /** Returns a plain JS copy of the value (structs become plain objects, arrays JS arrays). */
  toPlain(view: ByteWindow, byteOffset: number): TPlain;
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
