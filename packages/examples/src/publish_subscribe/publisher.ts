/** Upstream's publish_subscribe publisher: a TransmissionData on `My/Funk/ServiceName` every cycle. */
import { cycles, exampleNode, exampleOptions } from "../shared/cli.js";
import { TransmissionData, transmissionData } from "../shared/transmission-data.js";

const options = exampleOptions();
using node = exampleNode();
using service = node.serviceBuilder("My/Funk/ServiceName").publishSubscribe(TransmissionData).openOrCreate().unwrap();
using publisher = service.publisherBuilder().create().unwrap();

for await (const counter of cycles(node, options)) {
  const sample = publisher.loanUninit().unwrap();
  sample.payload = transmissionData(counter); // written in place, in shared memory
  sample.send().unwrap();
  console.log(`Send sample ${counter} ...`);
}
console.log("exit");
