import { iox2 } from "./adapter.js";

/** Upstream's example payload, with the same type name, fields and C layout (16 bytes, align 8). */
export const TransmissionData = iox2.struct("TransmissionData", { x: iox2.i32, y: iox2.i32, funky: iox2.f64 });

/** Upstream's example user header. */
export const CustomHeader = iox2.struct("CustomHeader", { version: iox2.i32, timestamp: iox2.u64 });

/** Upstream's example values for cycle `counter`: `x = counter, y = 3 counter, funky = 812.12 counter`. */
export function transmissionData(counter: number): { x: number; y: number; funky: number } {
  return { x: counter, y: counter * 3, funky: counter * 812.12 };
}

/** Rust's `{:?}` of a TransmissionData value. */
export function formatTransmissionData(value: { x: number; y: number; funky: number }): string {
  return `TransmissionData { x: ${value.x}, y: ${value.y}, funky: ${formatF64(value.funky)} }`;
}

/** Rust's `{:?}` of a CustomHeader value. */
export function formatCustomHeader(value: { version: number; timestamp: bigint }): string {
  return `CustomHeader { version: ${value.version}, timestamp: ${value.timestamp} }`;
}

/** Rust's `{:?}` of an f64: always with a fractional part. */
export function formatF64(value: number): string {
  return Number.isInteger(value) ? value.toFixed(1) : String(value);
}

/** Rust's `{:?}` of an EventId (a tuple struct in iceoryx2 0.10). */
export function formatEventId(id: number): string {
  return `EventId(${id})`;
}
