/**
 * Upstream's event_based_communication publisher on `EventBasedCommService`: next to the
 * publish-subscribe service, an event service of the same name carries upstream's `PubSubEvent`
 * protocol. It notifies `PublisherConnected` when created, `SentSample` after each send and
 * `PublisherDisconnected` at the end, and answers a subscriber's `SubscriberConnected` with its
 * history and `SentHistory`. One WaitSet drives it: a cyclic interval sends, the listener handles
 * the subscribers' events.
 */
import { iox2 } from "../shared/adapter.js";
import { exampleNode, exampleOptions, untilTerminated } from "../shared/cli.js";
import { openEventBasedServices } from "../shared/event-based.js";

const { PubSubEvent } = iox2;
const options = exampleOptions();
using node = exampleNode();
const { pubsub, listener, notifier } = openEventBasedServices(node); // closed with the node
using publisher = pubsub.publisherBuilder().create().unwrap();
notifier.notifyWithCustomEventId(PubSubEvent.PublisherConnected).unwrap();
console.log("Publisher ready to send and process events!");

using waitset = new iox2.WaitSetBuilder().create().unwrap();
const publisherGuard = waitset.attachNotification(listener).unwrap();
const cyclicGuard = waitset.attachInterval(options.cycleMs).unwrap();

const { signal, step } = untilTerminated(options);
let counter = 0;
const result = await waitset.waitAndProcess(
  (attachment) => {
    if (attachment.hasEventFrom(cyclicGuard)) {
      console.log(`send message: ${counter}`);
      publisher.sendCopy({ x: counter, y: counter * 3, funky: counter * 812.12 }).unwrap();
      notifier.notifyWithCustomEventId(PubSubEvent.SentSample).unwrap();
      counter++;
      step();
    } else if (attachment.hasEventFrom(publisherGuard)) {
      for (const { id } of listener.tryWait().unwrap()) {
        if (id === PubSubEvent.SubscriberConnected) {
          console.log("new subscriber connected - delivering history");
          publisher.updateConnections().unwrap();
          notifier.notifyWithCustomEventId(PubSubEvent.SentHistory).unwrap();
        } else if (id === PubSubEvent.SubscriberDisconnected) {
          console.log("subscriber disconnected");
        } else if (id === PubSubEvent.ReceivedSample) {
          console.log("subscriber has consumed sample");
        }
      }
    }
    return signal.aborted ? "stop" : "continue";
  },
  { signal },
);
if (result.isErr() && result.error.kind !== "Aborted") throw result.error;
notifier.notifyWithCustomEventId(PubSubEvent.PublisherDisconnected).unwrap();
console.log("exit");
