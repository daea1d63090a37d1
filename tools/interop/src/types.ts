/** The payload types the protocol exchanges, with upstream's type names and C layouts. */
import { iox2 } from "@iceoryx2-js/runtimes/adapter";

/** `#[repr(C)] struct TransmissionData {x: i32, y: i32, funky: f64}`: 16 bytes, alignment 8. */
export const TransmissionData = iox2.struct("TransmissionData", { x: iox2.i32, y: iox2.i32, funky: iox2.f64 });

/** `#[repr(C)] struct CustomHeader {version: i32, timestamp: u64}`: 16 bytes, alignment 8. */
export const CustomHeader = iox2.struct("CustomHeader", { version: iox2.i32, timestamp: iox2.u64 });

/** `#[repr(C)] struct Reading {id: u32, value: f64}`: 16 bytes, alignment 8 (a field: its name is not compared). */
export const Reading = iox2.struct("Reading", { id: iox2.u32, value: iox2.f64 });

/** `#[repr(u8)] enum Status {Idle = 0, Running = 1, Failed = 2}` (a field: its name is not compared). */
export const Status = iox2.enumOf("Status", iox2.u8, { Idle: 0, Running: 1, Failed: 2 });

/**
 * `#[repr(C)] struct ComplexMessage {label: StaticString<32>, readings: StaticVec<Reading, 8>,
 * status: Status, id: u128}`: 208 bytes, alignment 16, label at 0, readings at 48, status at
 * 184, id at 192.
 */
export const ComplexMessage = iox2.struct("ComplexMessage", {
  label: iox2.staticString(32),
  readings: iox2.staticVec(Reading, 8),
  status: Status,
  id: iox2.u128,
});
