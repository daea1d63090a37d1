/**
 * Upstream's event_based_communication subscriber on `EventBasedCommService`: notifies
 * `SubscriberConnected` when created, `ReceivedSample` after each sample it takes and
 * `SubscriberDisconnected` at the end; sleeps in a WaitSet on the publishers' events, with a
 * deadline that reports a publisher silent for longer than 2 s.
 */
import { iox2 } from "../shared/adapter.js";
import { exampleNode, exampleOptions, untilTerminated } from "../shared/cli.js";
import { openEventBasedServices } from "../shared/event-based.js";

const { PubSubEvent } = iox2;
const DEADLINE_MS = 2000;
const options = exampleOptions();
using node = exampleNode();
const { pubsub, listener, notifier } = openEventBasedServices(node); // closed with the node
using subscriber = pubsub.subscriberBuilder().create().unwrap();
notifier.notifyWithCustomEventId(PubSubEvent.SubscriberConnected).unwrap();
console.log("Subscriber ready to receive data!");

const { signal, step } = untilTerminated(options);
/** Takes every waiting sample, telling the publisher about each (`ReceivedSample`). */
function drain(print: (x: number) => void): void {
  for (let sample = subscriber.receive().unwrap(); sample !== null; sample = subscriber.receive().unwrap()) {
    notifier.notifyWithCustomEventId(PubSubEvent.ReceivedSample).unwrap();
    print(sample.payload.x);
    sample.release();
    step();
  }
}

using waitset = new iox2.WaitSetBuilder().create().unwrap();
const subscriberGuard = waitset.attachDeadline(listener, DEADLINE_MS).unwrap();
const result = await waitset.waitAndProcess(
  (attachment) => {
    if (attachment.hasEventFrom(subscriberGuard)) {
      for (const { id } of listener.tryWait().unwrap()) {
        if (id === PubSubEvent.SentHistory) {
          console.log("History delivered");
          drain((x) => console.log(`  history: ${x}`));
        } else if (id === PubSubEvent.SentSample) {
          drain((x) => console.log(`received: ${x}`));
        } else if (id === PubSubEvent.PublisherConnected) {
          console.log("new publisher connected");
        } else if (id === PubSubEvent.PublisherDisconnected) {
          console.log("publisher disconnected");
        }
      }
    } else if (attachment.hasMissedDeadline(subscriberGuard)) {
      console.log(`Contract violation! The subscriber did not receive a message for ${DEADLINE_MS / 1000}s.`);
    }
    return signal.aborted ? "stop" : "continue";
  },
  { signal },
);
if (result.isErr() && result.error.kind !== "Aborted") throw result.error;
notifier.notifyWithCustomEventId(PubSubEvent.SubscriberDisconnected).unwrap();
console.log("exit");
