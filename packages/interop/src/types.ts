/** The payload types the protocol exchanges, with upstream's type names and C layouts. */
import { iox2 } from "./runtime.js";

/** `#[repr(C)] struct TransmissionData {x: i32, y: i32, funky: f64}`: 16 bytes, alignment 8. */
export const TransmissionData = iox2.struct("TransmissionData", { x: iox2.i32, y: iox2.i32, funky: iox2.f64 });

/** `#[repr(C)] struct CustomHeader {version: i32, timestamp: u64}`: 16 bytes, alignment 8. */
export const CustomHeader = iox2.struct("CustomHeader", { version: iox2.i32, timestamp: iox2.u64 });
