/**
 * Role `mismatch` (TypeScript only): opens a publish-subscribe service another peer created with
 * a payload type that differs from the creator's in one way; iceoryx2 must refuse it with
 * `IncompatibleTypes`.
 */
import type { Node, PayloadType } from "@iceoryx2-js/node";
import type { MismatchCase } from "./protocol.js";
import { iox2 } from "@iceoryx2-js/runtimes/adapter";
import { withPubSubSettings } from "./publish-subscribe.js";
import { TransmissionData } from "./types.js";

/** The opener's payload per case (the creator's is `MISMATCH_CREATOR_PAYLOADS`). */
const WRONG_PAYLOADS: Record<MismatchCase, () => PayloadType> = {
  // Same name, 24 bytes instead of 16.
  "struct-size": () => iox2.struct("TransmissionData", { x: iox2.i32, y: iox2.i32, funky: iox2.f64, extra: iox2.u32 }),
  // The creator's is packed to alignment 4; iceoryx2 refuses an opener that needs more (8).
  "struct-alignment": () => TransmissionData,
  // The same struct, as a dynamic slice instead of one fixed-size value.
  "slice-vs-fixed": () => iox2.slice(TransmissionData),
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
