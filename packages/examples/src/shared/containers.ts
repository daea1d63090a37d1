/** The types of upstream's cross-language container and complex-type examples. */
import type { Node } from "@iceoryx2-js/node";
import { iox2 } from "./adapter.js";

/** `StaticVec<u64, 32>`: the container example's payload. */
export const Numbers = iox2.staticVec(iox2.u64, 32);
/** `StaticString<64>`: the container example's user header. */
export const Question = iox2.staticString(64);

/**
 * The container example's service: `CrossLanguageContainer` with upstream's QoS — a subscriber
 * that connects later gets the last 5 samples, and a full buffer makes `send()` wait.
 */
export function containerService(node: Node) {
  return node
    .serviceBuilder("CrossLanguageContainer")
    .publishSubscribe(Numbers)
    .userHeader(Question)
    .historySize(5)
    .subscriberMaxBufferSize(5)
    .enableSafeOverflow(false)
    .openOrCreate()
    .unwrap();
}

/** `FullName { first_name: StaticString<256>, last_name: StaticString<256> }` of examples_common. */
export const FullName = iox2.struct("FullName", { firstName: iox2.staticString(256), lastName: iox2.staticString(256) });

/**
 * Upstream's `ComplexType` (examples_common/cross_language_complex_type.rs): an address book of
 * 16384 names, an 8×8 matrix, two integers; about 9 MB.
 */
export const ComplexType = iox2.struct("ComplexType", {
  addressBook: iox2.staticVec(FullName, 16384),
  someMatrix: iox2.staticVec(iox2.staticVec(iox2.f64, 8), 8),
  someValue: iox2.u16,
  anotherValue: iox2.u32,
});

/** Rust's `{:?}` of a `StaticVec` of integers: `StaticVec<u64, 32> { len: 3, content: [ 1, 2, 3 ] }`. */
export function debugVec(elementName: string, capacity: number, values: readonly bigint[]): string {
  return `StaticVec<${elementName}, ${capacity}> { len: ${values.length}, content: [ ${values.join(", ")} ] }`;
}

/** Rust's `{:?}` of a `StaticString`: `StaticString<64> { len: 5, data: "hello" }`. */
export function debugString(capacity: number, text: string): string {
  return `StaticString<${capacity}> { len: ${text.length}, data: "${text}" }`;
}
