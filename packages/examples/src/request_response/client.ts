/**
 * Upstream's request_response client on `My/Funk/ServiceName`: a u64 request per cycle, each
 * answered by a stream of TransmissionData. Where upstream drains the responses once per cycle,
 * `for await` over `responses()` prints them as they arrive; the loop ends with the stream.
 */
import { iox2 } from "../shared/adapter.js";
import { cycles, exampleNode, exampleOptions, untilTerminated } from "../shared/cli.js";
import { formatTransmissionData, TransmissionData } from "../shared/transmission-data.js";

const options = exampleOptions();
using node = exampleNode();
using service = node.serviceBuilder("My/Funk/ServiceName").requestResponse(iox2.u64, TransmissionData).openOrCreate().unwrap();
using client = service.clientBuilder().create().unwrap();
const { signal } = untilTerminated({ ...options, count: Infinity });

let responseCounter = 0;
async function request(counter: number): Promise<void> {
  console.log(`send request ${counter} ...`);
  const request = client.loanUninit().unwrap();
  request.payload = BigInt(counter);
  using pending = request.send().unwrap();
  for await (const response of pending.responses({ signal })) {
    console.log(`  received response ${responseCounter++}: ${formatTransmissionData(response.payload.$toPlain())}`);
  }
}

// The first request goes out at once, the next one after each cycle, as upstream's.
await request(0);
for await (const counter of cycles(node, { ...options, count: options.count - 1 })) await request(counter);
console.log("exit");
