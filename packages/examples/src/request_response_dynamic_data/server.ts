/** Upstream's request_response_dynamic_data server: answers each byte slice with counter² bytes. */
import { iox2 } from "../shared/adapter.js";
import { exampleNode, exampleOptions, untilTerminated } from "../shared/cli.js";

const options = exampleOptions({ cycleMs: 100 });
using node = exampleNode();
using service = node
  .serviceBuilder("example//dynamic_request_response")
  .requestResponse(iox2.slice(iox2.u8), iox2.slice(iox2.u8))
  .openOrCreate()
  .unwrap();
using server = service.serverBuilder().initialMaxSliceLen(16).allocationStrategy("powerOfTwo").create().unwrap();
console.log("Server ready to receive requests!");

const { signal, step } = untilTerminated(options);
let counter = 1;
for await (const request of server.requests({ signal })) {
  console.log(`received request with ${request.payload.length} bytes ...`);
  const requiredMemorySize = Math.min(counter * counter, 1_000_000);
  const response = request.loanSliceUninit(requiredMemorySize).unwrap();
  const bytes = response.payloadBytes;
  for (let byteIdx = 0; byteIdx < requiredMemorySize; byteIdx++) bytes[byteIdx] = (byteIdx + counter) % 255;
  console.log(`  send response with ${requiredMemorySize} bytes`);
  response.send().unwrap();
  request.close();
  counter++;
  step();
}
console.log("exit");
