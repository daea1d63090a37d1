/**
 * Upstream's event-based communication, publisher side: TransmissionData on
 * `EventBasedCommService`, each send followed by `PubSubEvent.SentSample` on the event service of
 * the same name (`notifyOnSend()`), so subscribers sleep until data arrives.
 */
import { iox2 } from "../shared/adapter.js";
import { exampleConfig, exampleOptions, sleep } from "../shared/cli.js";
import { TransmissionData } from "../shared/transmission-data.js";

const { count, cycleMs } = exampleOptions();
using node = new iox2.NodeBuilder().config(exampleConfig()).create().unwrap();
using service = node
  .serviceBuilder("EventBasedCommService")
  .publishSubscribe(TransmissionData)
  .historySize(20)
  .subscriberMaxBufferSize(20)
  .openOrCreate()
  .unwrap();
using publisher = service.publisherBuilder().notifyOnSend().create().unwrap();
console.log("Publisher ready to send and process events!");

for (let counter = 1; counter <= count; counter++) {
  await sleep(cycleMs);
  console.log(`send: ${counter}`);
  publisher.sendCopy({ x: counter, y: counter * 3, funky: counter * 812.12 }).unwrap();
}
console.log("exit");
