/**
 * Upstream's request_response_dynamic_data client on `example//dynamic_request_response`: byte
 * slices of counter² bytes (at most 1 MB) in both directions, segments growing by powers of two.
 */
import { iox2 } from "../shared/adapter.js";
import { cycles, exampleNode, exampleOptions, untilTerminated } from "../shared/cli.js";

const options = exampleOptions();
using node = exampleNode();
using service = node
  .serviceBuilder("example//dynamic_request_response")
  .requestResponse(iox2.slice(iox2.u8), iox2.slice(iox2.u8))
  .openOrCreate()
  .unwrap();
using client = service.clientBuilder().initialMaxSliceLen(16).allocationStrategy("powerOfTwo").create().unwrap();
const { signal } = untilTerminated({ ...options, count: Infinity });

let counter = 1;
do {
  const requiredMemorySize = Math.min(1_000_000, counter * counter);
  const request = client.loanSliceUninit(requiredMemorySize).unwrap();
  const bytes = request.payloadBytes;
  for (let byteIdx = 0; byteIdx < requiredMemorySize; byteIdx++) bytes[byteIdx] = (byteIdx + counter) % 255;
  using pending = request.send().unwrap();
  console.log(`send request ${counter} with ${requiredMemorySize} bytes ...`);
  for await (const response of pending.responses({ signal })) {
    console.log(`  received response with ${response.payload.length} bytes`);
  }
  counter++;
} while (counter <= options.count && (await node.wait(options.cycleMs)).isOk());
console.log("exit");
