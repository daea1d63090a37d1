import type { PayloadType } from "./index.js";

/**
 * Whether reading `type` gives a value (a number, bigint, boolean, string or enum name) rather
 * than a view: such reads are not cached, since a later write must show.
 */
export function readsAsValue(type: PayloadType): boolean {
  return type.kind === "primitive" || type.kind === "string" || type.kind === "enum";
}
