/** What upstream's health_monitoring example programs share. */
import type { Node } from "@iceoryx2-js/node";
import { iox2 } from "./adapter.js";

/** The services the central daemon creates: name, and how long a publisher may stay silent (ms). */
export const SERVICES = [
  { name: "service_1", deadlineMs: 1500, cycleMs: 1000 },
  { name: "service_2", deadlineMs: 2000, cycleMs: 1500 },
] as const;

/** Opens one of the daemon's services: its u64 publish-subscribe and its event service. */
export function openService(node: Node, name: string) {
  const pubsub = node.serviceBuilder(name).publishSubscribe(iox2.u64).open().unwrap();
  const events = node.serviceBuilder(name).event().open().unwrap();
  return { pubsub, events };
}

/**
 * Upstream's `find_and_cleanup_dead_nodes`: reports every dead node and removes what it left,
 * under the config every example node uses (upstream's lookup).
 */
export function findAndCleanupDeadNodes(): void {
  const report = iox2.Node.cleanupDeadNodes().unwrap();
  for (const { name } of report.removed) console.log(`detected dead node: ${name === null ? "None" : `Some(${JSON.stringify(name)})`}`);
}
