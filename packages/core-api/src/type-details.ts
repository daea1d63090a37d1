import type { AnyLayoutType, PayloadType } from "./layout.js";

/** How a type is described to iceoryx2 (and to every other language on the service). */
export interface TypeDetails {
  variant: "fixedSize" | "dynamic";
  typeName: string;
  size: number;
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
