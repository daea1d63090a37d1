/** Upstream's publish-subscribe with a user header, subscriber side. */
import { iox2 } from "../shared/adapter.js";
import { exampleConfig, exampleOptions, sleep } from "../shared/cli.js";
import { CustomHeader } from "../shared/transmission-data.js";

const { count, cycleMs } = exampleOptions();
using node = new iox2.NodeBuilder().config(exampleConfig()).create().unwrap();
using service = node
  .serviceBuilder("My/Funk/ServiceName")
  .publishSubscribe(iox2.u64)
  .userHeader(CustomHeader)
  .openOrCreate()
  .unwrap();
using subscriber = service.subscriberBuilder().create().unwrap();
console.log("Subscriber ready to receive data!");

let received = 0;
while (received < count) {
  await sleep(cycleMs);
  for (let sample = subscriber.receive().unwrap(); sample !== null; sample = subscriber.receive().unwrap()) {
    const header = sample.userHeader.$toPlain();
    console.log(`received: ${sample.payload}, user_header: CustomHeader { version: ${header.version}, timestamp: ${header.timestamp} }`);
    sample.release();
    received++;
  }
}
console.log("exit");
