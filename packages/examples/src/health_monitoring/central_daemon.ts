/**
 * Upstream's health_monitoring central daemon: creates `service_1` and `service_2` (u64) with
 * event services whose notifiers announce themselves (`PublisherConnected`/`Disconnected`), their
 * process's death (`ProcessDied`) and a deadline; then looks for dead nodes every 100 ms and
 * removes what they left.
 */
import { iox2 } from "../shared/adapter.js";
import { exampleNode, exampleOptions, untilTerminated } from "../shared/cli.js";
import { findAndCleanupDeadNodes, SERVICES } from "../shared/health-monitoring.js";

const { PubSubEvent } = iox2;
const options = exampleOptions({ cycleMs: 100 });
using node = exampleNode({}, "central daemon");
const services = SERVICES.flatMap(({ name, deadlineMs }) => [
  node.serviceBuilder(name).publishSubscribe(iox2.u64).openOrCreate().unwrap(),
  node
    .serviceBuilder(name)
    .event()
    .deadline(deadlineMs)
    .notifierCreatedEvent(PubSubEvent.PublisherConnected)
    .notifierDroppedEvent(PubSubEvent.PublisherDisconnected)
    .notifierDeadEvent(PubSubEvent.ProcessDied)
    .openOrCreate()
    .unwrap(),
]);
using waitset = new iox2.WaitSetBuilder().create().unwrap();
waitset.attachInterval(options.cycleMs).unwrap();
console.log("Central daemon up and running.");

const { signal, step } = untilTerminated(options);
const result = await waitset.waitAndProcess(
  () => {
    findAndCleanupDeadNodes();
    step();
    return signal.aborted ? "stop" : "continue";
  },
  { signal },
);
if (result.isErr() && result.error.kind !== "Aborted") throw result.error;
for (const service of services) service.close();
console.log("exit");
