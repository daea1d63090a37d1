/**
 * Upstream's health_monitoring subscriber: one WaitSet over both services' listeners with a
 * deadline each (the service's own, else the publisher's cycle plus 500 ms). It prints samples,
 * publishers connecting and disconnecting and processes dying, and on a missed deadline reports
 * the violated contract and removes what dead nodes left.
 */
import { iox2 } from "../shared/adapter.js";
import { exampleNode, exampleOptions, untilTerminated } from "../shared/cli.js";
import { findAndCleanupDeadNodes, openService, SERVICES } from "../shared/health-monitoring.js";

const { PubSubEvent } = iox2;
const REACTION_BUFFER_MS = 500;
const options = exampleOptions();
using node = exampleNode({}, "subscriber");
using waitset = new iox2.WaitSetBuilder().create().unwrap();
const watched = SERVICES.map(({ name, cycleMs }) => {
  const { pubsub, events } = openService(node, name);
  const subscriber = pubsub.subscriberBuilder().create().unwrap();
  const listener = events.listenerBuilder().create().unwrap();
  const deadlineMs = listener.deadline ?? cycleMs + REACTION_BUFFER_MS;
  return { name, subscriber, listener, deadlineMs, guard: waitset.attachDeadline(listener, deadlineMs).unwrap() };
});

const { signal, step } = untilTerminated(options);
const result = await waitset.waitAndProcess(
  (attachment) => {
    for (const { name, subscriber, listener, deadlineMs, guard } of watched) {
      if (attachment.hasMissedDeadline(guard)) {
        console.log(`${name}: violated contract and did not send a message after ${deadlineMs / 1000}s.`);
        findAndCleanupDeadNodes();
      }
      if (!attachment.hasEventFrom(guard)) continue;
      for (const { id } of listener.tryWait().unwrap()) {
        if (id === PubSubEvent.ProcessDied) console.log(`${name}: process died!`);
        else if (id === PubSubEvent.PublisherConnected) console.log(`${name}: publisher connected!`);
        else if (id === PubSubEvent.PublisherDisconnected) console.log(`${name}: publisher disconnected!`);
        else if (id === PubSubEvent.SentSample) {
          const sample = subscriber.receive().unwrap();
          if (sample !== null) console.log(`${name}: Received sample ${sample.payload} ...`);
          sample?.release();
          step();
        }
      }
    }
    return signal.aborted ? "stop" : "continue";
  },
  { signal },
);
if (result.isErr() && result.error.kind !== "Aborted") throw result.error;
console.log("exit");
