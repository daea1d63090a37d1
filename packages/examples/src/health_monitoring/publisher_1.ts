/**
 * Upstream's health_monitoring publisher 1: sends a u64 on `service_1` every cycle and notifies
 * `SentSample` as its notifier's default event; the central daemon must have created the service.
 */
import { iox2 } from "../shared/adapter.js";
import { exampleNode, exampleOptions, untilTerminated } from "../shared/cli.js";
import { openService, SERVICES } from "../shared/health-monitoring.js";

const { name, cycleMs } = SERVICES[0];
const options = exampleOptions({ cycleMs });
using node = exampleNode({}, "publisher 1");
const { pubsub, events } = openService(node, name);
using publisher = pubsub.publisherBuilder().create().unwrap();
using notifier = events.notifierBuilder().defaultEventId(iox2.PubSubEvent.SentSample).create().unwrap();
using waitset = new iox2.WaitSetBuilder().create().unwrap();
waitset.attachInterval(options.cycleMs).unwrap();

const { signal, step } = untilTerminated(options);
let counter = 0;
const result = await waitset.waitAndProcess(
  () => {
    console.log(`${name}: Send sample ${counter} ...`);
    publisher.sendCopy(BigInt(counter)).unwrap();
    notifier.notify().unwrap();
    counter++;
    step();
    return signal.aborted ? "stop" : "continue";
  },
  { signal },
);
if (result.isErr() && result.error.kind !== "Aborted") throw result.error;
console.log("exit");
