/**
 * Role `mismatch` (TypeScript only): opens a publish-subscribe service another peer created with
 * a payload type that differs from the creator's in one way; iceoryx2 must refuse it with
 * `IncompatibleTypes`.
 */
import type { Node, PayloadType } from "@iceoryx2-js/node";
import type { MismatchCase } from "./protocol.js";
import { iox2 } from "./runtime.js";
import { withPubSubSettings } from "./publish-subscribe.js";

/** The opener's payload per case; the creator holds `TransmissionData` (16 bytes, alignment 8) or `u64`. */
const WRONG_PAYLOADS: Record<MismatchCase, () => PayloadType> = {
  // Same name, 24 bytes.
  "struct-size": () => iox2.struct("TransmissionData", { x: iox2.i32, y: iox2.i32, funky: iox2.f64, extra: iox2.u32 }),
  // Same name and size, alignment 4.
  "struct-alignment": () => iox2.struct("TransmissionData", { x: iox2.i32, y: iox2.i32, a: iox2.f32, b: iox2.f32 }),
  // The same struct, as a dynamic slice instead of one fixed-size value.
  "slice-vs-fixed": () => iox2.slice(iox2.struct("TransmissionData", { x: iox2.i32, y: iox2.i32, funky: iox2.f64 })),
  // Same size and alignment, another primitive.
  "wrong-primitive": () => iox2.i64,
  "wrong-width": () => iox2.u32,
};

export interface MismatchOutcome {
  /** Null when the open succeeded. */
  errorKind: string | null;
  message: string;
}

export function probeMismatch(node: Node, service: string, probe: MismatchCase): MismatchOutcome {
  const opened = withPubSubSettings(node.serviceBuilder(service).publishSubscribe(WRONG_PAYLOADS[probe]())).open();
  if (opened.isOk()) {
    opened.value.close();
    return { errorKind: null, message: `the service opened with the ${probe} payload` };
  }
  return { errorKind: opened.error.kind, message: opened.error.message };
}
