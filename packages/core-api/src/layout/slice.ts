/**
 * Slices: payloads of a run-time number of elements.
 * @module
 */
import { Iox2Error } from "../base/errors.js";
import { checkElementType } from "./array.js";
import { SLICE_TYPES, TypeBase, readonlyOption } from "./base.js";
import { checkByteView, checkedView, describeValue, viewPart } from "./memory.js";
import { ArrayViewImpl } from "./sequence.js";
import type { ByteWindow, LayoutType, PrimitiveType, SliceType, ViewOptions } from "./types.js";

export class SliceTypeImpl {
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
 * whose DataView-compatible window checks bounds and liveness itself (see `native/sample-memory.ts`; it is a `BulkByteWindow`).
 */
export function sliceView(type: SliceType<any, any, any, any>, view: ByteWindow, length: number, readonly: boolean): unknown {
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
