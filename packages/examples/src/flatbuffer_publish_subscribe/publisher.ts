/**
 * Upstream's flatbuffer_publish_subscribe publisher on `My/Flatbuffer/Service`: each cycle an
 * `UnboundedData` flatbuffer with `counter % 15` entries and the counter as u64 user header.
 * The schema (`unbounded_data.bfbs`) is found under `IOX2_FLATBUFFER_SCHEMA_PATH`.
 */
import { Builder } from "flatbuffers";
import { cycles, exampleNode, exampleOptions } from "../shared/cli.js";
import { buildUnboundedData, flatbufferConfig, unboundedDataService } from "../shared/flatbuffer-data.js";

const options = exampleOptions();
using node = exampleNode(flatbufferConfig());
using service = unboundedDataService(node);
// The flatbuffers package builds on the JS heap; sendCopy copies the result into a chunk, which
// starts at 1024 bytes and grows in powers of two when a flatbuffer needs more.
using publisher = service.publisherBuilder().initialReservedMemory(1024).allocationStrategy("powerOfTwo").create().unwrap();

const builder = new Builder(1024);
for await (const counter of cycles(node, options)) {
  builder.clear();
  buildUnboundedData(builder, counter % 15);
  publisher.sendCopy(builder, BigInt(counter)).unwrap();
  console.log(`Send sample ${counter} ...`);
}
console.log("exit");
