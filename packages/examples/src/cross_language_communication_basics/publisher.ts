/**
 * Upstream's cross_language_communication_basics publisher: TransmissionData with a CustomHeader
 * on `CrossLanguageBasics`, the service upstream's Rust, C, C++ and Python versions share.
 */
import { cycles, exampleNode, exampleOptions } from "../shared/cli.js";
import { CustomHeader, TransmissionData, transmissionData } from "../shared/transmission-data.js";

const options = exampleOptions();
using node = exampleNode();
using service = node.serviceBuilder("CrossLanguageBasics").publishSubscribe(TransmissionData).userHeader(CustomHeader).openOrCreate().unwrap();
using publisher = service.publisherBuilder().create().unwrap();

for await (const counter of cycles(node, options)) {
  const sample = publisher.loanUninit().unwrap();
  sample.userHeader = { version: 123, timestamp: 80337n + BigInt(counter) };
  sample.payload = transmissionData(counter);
  sample.send().unwrap();
  console.log(`Send sample ${counter} ...`);
}
console.log("exit");
