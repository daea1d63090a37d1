/**
 * What both sides of upstream's event_based_communication example open: the publish-subscribe
 * service `EventBasedCommService` (history 20) and the event service of the same name that
 * carries `PubSubEvent`, with a listener and a notifier on it.
 */
import type { Node } from "@iceoryx2-js/node";
import { TransmissionData } from "./transmission-data.js";

const NAME = "EventBasedCommService";
const HISTORY_SIZE = 20;

export function openEventBasedServices(node: Node) {
  const pubsub = node.serviceBuilder(NAME).publishSubscribe(TransmissionData).historySize(HISTORY_SIZE).subscriberMaxBufferSize(HISTORY_SIZE).openOrCreate().unwrap();
  const events = node.serviceBuilder(NAME).event().openOrCreate().unwrap();
  return { pubsub, events, listener: events.listenerBuilder().create().unwrap(), notifier: events.notifierBuilder().create().unwrap() };
}
