/**
 * Upstream's flatbuffer_request_response client on `Flatbuffer/Request/Response`: each cycle an
 * `UnboundedData` request with `counter % 3` entries and the counter as u64 user header, then the
 * `DataProps` responses that arrived for it.
 */
import { Builder, ByteBuffer } from "flatbuffers";
import { exampleNode, exampleOptions } from "../shared/cli.js";
import { buildUnboundedData, flatbufferConfig, unboundedDataRequestResponse } from "../shared/flatbuffer-data.js";
import { DataProps } from "@iceoryx2-js/flatbuffer-schemas";

const options = exampleOptions();
using node = exampleNode(flatbufferConfig());
using service = unboundedDataRequestResponse(node);
using client = service.clientBuilder().initialReservedMemory(1024).allocationStrategy("powerOfTwo").create().unwrap();

const builder = new Builder(1024);
for (let counter = 1; counter <= options.count; counter++) {
  builder.clear();
  buildUnboundedData(builder, counter % 3);
  using pending = client.sendCopy(builder, BigInt(counter)).unwrap();
  console.log(`send request ${counter} ...`);
  if ((await node.wait(options.cycleMs)).isErr()) break;
  for (let response = pending.receive().unwrap(); response !== null; response = pending.receive().unwrap()) {
    const props = DataProps.getRootAsDataProps(new ByteBuffer(response.payload));
    console.log(`  Received response: ${props.receivedEntriesLen()}`);
    response.release();
  }
}
console.log("exit");
