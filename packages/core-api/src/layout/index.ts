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
export { type AnyLayoutType, type BulkByteWindow, type ByteWindow, type ArrayInit, type ArrayType, type ArrayView, type EnumType, type FieldDescription, type FixedSizeQueueType, type FlatbufferInit, type FlatbufferType, type Infer, type InferInit, type InferView, type LayoutDescription, type LayoutKind, type LayoutType, type PayloadType, type Plain, type PrimitiveType, type QueueView, type SliceType, type SliceView, type StaticStringType, type StaticVecType, type StructField, type StructFields, type StructInit, type StructPlain, type StructType, type StructView, type StructViewHelpers, type TypedArray, type TypedArrayConstructorOf, type TypedArrayFor, type VecView, type ViewOptions } from "./types.js";
export { type BoolType, type CharType, type F32Type, type F64Type, type I128Type, type I16Type, type I32Type, type I64Type, type I8Type, type IsizeType, type U128Type, type U16Type, type U32Type, type U64Type, type U8Type, type UsizeType, bool, char, f32, f64, i128, i16, i32, i64, i8, isize, u128, u16, u32, u64, u8, usize } from "./primitives.js";
export { rawElementBytes } from "./sequence.js";
export { array } from "./array.js";
export { enumOf, fixedSizeQueue, initializeZeroed, needsInitWhenZeroed, staticString, staticVec } from "./containers.js";
export { struct } from "./struct.js";
export { slice, sliceView } from "./slice.js";
export { describeLayout, fieldBytes } from "./description.js";
