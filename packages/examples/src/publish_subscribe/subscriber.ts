/**
 * Upstream's publish_subscribe subscriber: prints every TransmissionData on
 * `My/Funk/ServiceName`. Where upstream polls once per cycle, `for await` over `samples()` wakes
 * as soon as a sample arrives (publishers that do not notify are seen within 10 ms).
 */
import { exampleNode, exampleOptions, untilTerminated } from "../shared/cli.js";
import { formatTransmissionData, TransmissionData } from "../shared/transmission-data.js";

const options = exampleOptions();
using node = exampleNode();
using service = node.serviceBuilder("My/Funk/ServiceName").publishSubscribe(TransmissionData).openOrCreate().unwrap();
using subscriber = service.subscriberBuilder().create().unwrap();
console.log("Subscriber ready to receive data!");

const { signal, step } = untilTerminated(options);
for await (const sample of subscriber.samples({ signal })) {
  console.log(`received: ${formatTransmissionData(sample.payload.$toPlain())}`);
  step();
}
console.log("exit");
