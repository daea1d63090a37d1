/** Printed forms of library values where upstream's examples print Rust's `{:?}`. */
import type { Attribute } from "@iceoryx2-js/node";

/** A service's attributes: `[key = value, ...]`, in the service's order (sorted by key). */
export function formatAttributes(attributes: readonly Attribute[]): string {
  return `[${attributes.map(({ key, value }) => `${key} = ${value}`).join(", ")}]`;
}
