/** Upstream's cross_language_communication_basics subscriber on `CrossLanguageBasics`. */
import { exampleNode, exampleOptions, untilTerminated } from "../shared/cli.js";
import { CustomHeader, formatCustomHeader, formatTransmissionData, TransmissionData } from "../shared/transmission-data.js";

const options = exampleOptions();
using node = exampleNode();
using service = node.serviceBuilder("CrossLanguageBasics").publishSubscribe(TransmissionData).userHeader(CustomHeader).openOrCreate().unwrap();
using subscriber = service.subscriberBuilder().create().unwrap();
console.log("Subscriber ready to receive data!");

const { signal, step } = untilTerminated(options);
for await (const sample of subscriber.samples({ signal })) {
  console.log(`received: ${formatTransmissionData(sample.payload.$toPlain())}, user_header: ${formatCustomHeader(sample.userHeader.$toPlain())}`);
  step();
}
console.log("exit");
