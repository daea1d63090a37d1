/**
 * The conformance suite: every behaviour test that is not specific to one runtime, written once
 * against core-api's public API and a harness each runtime's runner passes in.
 */
import type { Harness, Suite } from "./harness.ts";
import publishSubscribe from "./publish-subscribe.ts";
import event from "./event.ts";
import requestResponse from "./request-response.ts";
import blackboard from "./blackboard.ts";
import discovery from "./discovery.ts";
import attributes from "./attributes.ts";
import layoutCheck from "./layout-check.ts";
import complexTypes from "./complex-types.ts";
import flatbuffers from "./flatbuffers.ts";
import logging from "./logging.ts";

export type { Api, ChildNode, Harness, Matchers, Suite } from "./harness.ts";

export const suites: Record<string, Suite> = {
  "publish-subscribe": publishSubscribe,
  event,
  "request-response": requestResponse,
  blackboard,
  discovery,
  attributes,
  "layout-check": layoutCheck,
  "complex-types": complexTypes,
  flatbuffers,
  logging,
};

/** Registers every suite with `harness`. */
export function runConformance(harness: Harness): void {
  for (const suite of Object.values(suites)) suite(harness);
}
