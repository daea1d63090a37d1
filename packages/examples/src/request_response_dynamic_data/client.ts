/**
 * Upstream's request_response_dynamic_data client on `example//dynamic_request_response`: byte
 * slices of counter² bytes (at most 1 MB) in both directions, segments growing by powers of two.
 * Each cycle it sends a request, waits one cycle and prints the responses that arrived.
 */
import { iox2 } from "../shared/adapter.js";
import { exampleNode, exampleOptions } from "../shared/cli.js";

const options = exampleOptions();
using node = exampleNode();
using service = node
  .serviceBuilder("example//dynamic_request_response")
  .requestResponse(iox2.slice(iox2.u8), iox2.slice(iox2.u8))
  .openOrCreate()
  .unwrap();
using client = service.clientBuilder().initialMaxSliceLen(16).allocationStrategy("powerOfTwo").create().unwrap();

for (let counter = 1; counter <= options.count; counter++) {
  const requiredMemorySize = Math.min(1_000_000, counter * counter);
  const request = client.loanSliceUninit(requiredMemorySize).unwrap();
  const bytes = request.payloadBytes;
  for (let byteIdx = 0; byteIdx < requiredMemorySize; byteIdx++) bytes[byteIdx] = (byteIdx + counter) % 255;
  using pending = request.send().unwrap();
  console.log(`send request ${counter} with ${requiredMemorySize} bytes ...`);
  if ((await node.wait(options.cycleMs)).isErr()) break;
  for (let response = pending.receive().unwrap(); response !== null; response = pending.receive().unwrap()) {
    console.log(`  received response with ${response.payload.length} bytes`);
    response.release();
  }
}
console.log("exit");
