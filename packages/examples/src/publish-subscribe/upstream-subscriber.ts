/** Upstream's publish-subscribe subscriber: prints every TransmissionData on `My/Funk/ServiceName`. */
import { iox2 } from "../shared/adapter.js";
import { exampleConfig, exampleOptions, sleep } from "../shared/cli.js";
import { formatTransmissionData, TransmissionData } from "../shared/transmission-data.js";

const { count, cycleMs } = exampleOptions();
using node = new iox2.NodeBuilder().config(exampleConfig()).create().unwrap();
using service = node.serviceBuilder("My/Funk/ServiceName").publishSubscribe(TransmissionData).openOrCreate().unwrap();
using subscriber = service.subscriberBuilder().create().unwrap();
console.log("Subscriber ready to receive data!");

let received = 0;
while (received < count) {
  await sleep(cycleMs);
  for (let sample = subscriber.receive().unwrap(); sample !== null; sample = subscriber.receive().unwrap()) {
    console.log(`received: ${formatTransmissionData(sample.payload.$toPlain())}`);
    sample.release();
    received++;
  }
}
console.log("exit");
