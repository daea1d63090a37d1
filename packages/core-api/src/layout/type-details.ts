import type { AnyLayoutType, PayloadType } from "./index.js";

/** How a type is described to iceoryx2 (and to every other language on the service). */
export interface TypeDetails {
  /** `"fixedSize"` for primitives, arrays and structs; `"dynamic"` for slices (upstream's `TypeVariant`). */
  variant: "fixedSize" | "dynamic";
  /** The cross-language type name every process on the service must agree on (e.g. `"u64"`, a struct's name). */
  typeName: string;
  /** Size in bytes; for a slice, the size of one element. */
  size: number;
  /** Alignment in bytes. */
  alignment: number;
}

/** Upstream's cross-language rule: slices are their element's name with the dynamic variant. */
export function typeDetailsOf(type: PayloadType): TypeDetails {
  if (type.kind === "slice") {
    return { variant: "dynamic", typeName: type.typeName, size: type.elementSize, alignment: type.alignment };
  }
  return { variant: "fixedSize", typeName: type.typeName, size: type.size, alignment: type.alignment };
}

export function headerDetailsOf(type: AnyLayoutType | undefined): TypeDetails | undefined {
  return type === undefined ? undefined : typeDetailsOf(type);
}
