/** Roles `notifier` and `listener`: event ids `1 + (i * 37 mod 4000)` for `i` in `0..count`. */
import type { EventServiceBuilder } from "@iceoryx2-js/node";
import { eventId, Fnv1a64 } from "./protocol.js";
import { expectOk, fail, type Peer } from "./session.js";

/** The protocol's event settings: set by creators, required by openers. */
function withEventSettings(builder: EventServiceBuilder): EventServiceBuilder {
  return builder.eventIdMaxValue(4095).maxNotifiers(2).maxListeners(2);
}

/** The ids of `0..count`, ascending as the digest takes them. */
function expectedIds(count: number): number[] {
  return Array.from({ length: count }, (_, i) => eventId(i)).sort((a, b) => a - b);
}

function digestOf(ids: number[]): string {
  const digest = new Fnv1a64();
  for (const id of ids) digest.u64(BigInt(id));
  return digest.hex();
}

export async function notifier(peer: Peer): Promise<string> {
  const { node, options } = peer;
  const service = peer.openService(withEventSettings(node.serviceBuilder(options.service).event()));
  const port = expectOk(service.notifierBuilder().create(), "create notifier");
  peer.ready();
  await peer.go();
  for (let i = 0; i < options.count; i++) {
    const reached = expectOk(port.notifyWithCustomEventId(eventId(i)), `notify event id ${eventId(i)}`);
    if (reached === 0) fail(`event id ${eventId(i)} reached no listener`);
  }
  return digestOf(expectedIds(options.count));
}

export async function listener(peer: Peer): Promise<string> {
  const { node, options } = peer;
  const service = peer.openService(withEventSettings(node.serviceBuilder(options.service).event()));
  const port = expectOk(service.listenerBuilder().create(), "create listener");
  peer.ready();
  const expected = expectedIds(options.count);
  const known = new Set(expected);
  const missing = new Set(expected);
  while (missing.size > 0) {
    if (peer.deadline.expired) fail(`timed out waiting for ${missing.size} of ${options.count} event ids`);
    // Awaits the listener's descriptor (no spinning); an empty list means the timeout passed.
    const events = expectOk(await port.wait({ timeout: peer.deadline.remaining }), "wait for events");
    for (const { id } of events) {
      if (!known.has(id)) fail(`unexpected event id ${id}`);
      missing.delete(id);
    }
  }
  // Ids that arrived with the last expected one.
  for (const { id } of expectOk(port.tryWait(), "take events")) if (!known.has(id)) fail(`unexpected event id ${id}`);
  return digestOf(expected);
}
