/**
 * Upstream's event-based communication, subscriber side: `for await` over `subscriber.samples()`,
 * which sleeps on the companion event service until a publisher notifies `SentSample`.
 */
import { iox2 } from "../shared/adapter.js";
import { exampleConfig, exampleOptions } from "../shared/cli.js";
import { formatTransmissionData, TransmissionData } from "../shared/transmission-data.js";

const { count } = exampleOptions();
using node = new iox2.NodeBuilder().config(exampleConfig()).create().unwrap();
using service = node
  .serviceBuilder("EventBasedCommService")
  .publishSubscribe(TransmissionData)
  .historySize(20)
  .subscriberMaxBufferSize(20)
  .openOrCreate()
  .unwrap();
using subscriber = service.subscriberBuilder().create().unwrap();
console.log("Subscriber ready to receive data!");

const stop = new AbortController();
let received = 0;
for await (const sample of subscriber.samples({ signal: stop.signal })) {
  console.log(`received: ${formatTransmissionData(sample.payload.$toPlain())}`);
  if (++received >= count) stop.abort();
}
console.log("exit");
