/**
 * Upstream's publish_subscribe_dynamic_data publisher: byte slices of counter² bytes (at most
 * 1 MB) on `Service With Dynamic Data`; the data segment grows by powers of two as needed.
 */
import { iox2 } from "../shared/adapter.js";
import { cycles, exampleNode, exampleOptions } from "../shared/cli.js";

const options = exampleOptions();
using node = exampleNode();
using service = node.serviceBuilder("Service With Dynamic Data").publishSubscribe(iox2.slice(iox2.u8)).openOrCreate().unwrap();
using publisher = service.publisherBuilder().initialMaxSliceLen(16).allocationStrategy("powerOfTwo").create().unwrap();

for await (const counter of cycles(node, options)) {
  const requiredMemorySize = Math.min(counter * counter, 1_000_000);
  const sample = publisher.loanSliceUninit(requiredMemorySize).unwrap();
  const bytes = sample.payloadBytes; // the sample's own bytes in shared memory
  for (let byteIdx = 0; byteIdx < requiredMemorySize; byteIdx++) bytes[byteIdx] = (byteIdx + counter) % 255;
  sample.send().unwrap();
  console.log(`Send sample ${counter} with ${requiredMemorySize} bytes...`);
}
console.log("exit");
