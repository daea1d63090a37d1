/**
 * The layout a type describes, as data: field offsets and the record exchanged with peers.
 * @module
 */
import { Iox2Error } from "../base/errors.js";
import { isFlatbufferType } from "./flatbuffer.js";
import { ArrayTypeImpl } from "./array.js";
import { isFixedType, isSliceType } from "./base.js";
import { EnumImpl, FixedSizeQueueImpl, StaticStringImpl, StaticVecImpl } from "./containers.js";
import { describeValue } from "./memory.js";
import { StructTypeImpl } from "./struct.js";
import type { AnyLayoutType, LayoutDescription, PayloadType } from "./types.js";

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
