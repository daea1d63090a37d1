/**
 * Error construction and checked access to the bytes of a view, shared by every layout type.
 * @module
 */
import type { BulkByteWindow, ByteWindow } from "./types.js";
import { Iox2Error } from "../base/errors.js";

export type PathKey = string | number | undefined;

export const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export function joinPath(parent: string, key: PathKey): string {
  if (key === undefined) return parent;
  if (typeof key === "number") return `${parent}[${key}]`;
  return parent === "" ? key : `${parent}.${key}`;
}

export function invalid(typeName: string, parent: string, key: PathKey, detail: string, cause?: unknown): Iox2Error {
  const path = joinPath(parent, key);
  const where =
    path === "" ? typeName : path.startsWith("[") ? `element ${path} (${typeName})` : `field '${path}' (${typeName})`;
  return new Iox2Error("InvalidArgument", `${where}: ${detail}`, cause === undefined ? undefined : { cause });
}

/** `value instanceof type`, or false where asking runs code that throws (a revoked proxy in the prototype chain). */
export function isInstance(value: unknown, type: abstract new (...args: never[]) => unknown): boolean {
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
export function readError(e: unknown, typeName: string, parent: string, key: PathKey): Iox2Error {
  if (isInstance(e, Iox2Error)) return e as Iox2Error;
  return invalid(typeName, parent, key, `reading the value threw ${describeThrown(e)}`, e);
}

export function describeValue(v: unknown): string {
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
export function describeThrown(e: unknown): string {
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

export function readOnly(what: string): Iox2Error {
  return new Iox2Error("InvalidArgument", `cannot write ${what}: the view is read-only`);
}

export function released(): Iox2Error {
  return new Iox2Error("SampleReleased", "cannot access payload: memory released (the sample was sent or released)");
}

/** True if `buffer` has been detached (cheap unless its byteLength is 0). */
export function isDetached(buffer: ArrayBufferLike): boolean {
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
export function memoryError(e: unknown, view: ByteWindow, byteOffset: number, size: number): Iox2Error {
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

export function checkByteView(bytes: unknown, what: string): asserts bytes is ArrayBufferView {
  if (!ArrayBuffer.isView(bytes)) {
    throw new Iox2Error("InvalidArgument", `${what}: expected a Uint8Array, got ${describeValue(bytes)}`);
  }
}

type BuiltinGetter = (this: unknown) => unknown;
const builtinGetter = (proto: object, key: PropertyKey) => Object.getOwnPropertyDescriptor(proto, key)!.get as BuiltinGetter;
const TYPED_ARRAY_PROTOTYPE = Object.getPrototypeOf(Uint8Array.prototype) as object;
/** The class name of a TypedArray (`"Uint8Array"`, ...), undefined for anything else; runs no code of the value. */
export const typedArrayName = builtinGetter(TYPED_ARRAY_PROTOTYPE, Symbol.toStringTag) as (this: unknown) => string | undefined;
export const TYPED_ARRAY_GETTERS = {
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
export function viewPart(bytes: ArrayBufferView, part: "buffer"): ArrayBufferLike;
export function viewPart(bytes: ArrayBufferView, part: "byteOffset" | "byteLength"): number;
export function viewPart(bytes: ArrayBufferView, part: "buffer" | "byteOffset" | "byteLength"): unknown {
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
export function checkedView(bytes: unknown, byteOffset: unknown, size: number, what: string): DataView {
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

/** The error for bytes a peer wrote that no valid value of `typeName` has. */
export function invalidPayload(typeName: string, detail: string): Iox2Error {
  return new Iox2Error("InvalidPayload", `${typeName}: ${detail}`);
}

/**
 * Marks the prototypes of {@link BulkByteWindow}s this package makes (sample windows). Not
 * exported publicly, so a caller's object cannot claim to be one.
 */
export const BULK_WINDOW: unique symbol = Symbol("iox2.bulkWindow");

/** Whether `view` is a window of this package's that copies runs of bytes itself. */
export function isBulkWindow(view: ByteWindow): view is BulkByteWindow {
  return (view as { [BULK_WINDOW]?: boolean })[BULK_WINDOW] === true;
}
