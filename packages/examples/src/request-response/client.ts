/**
 * Upstream's request-response client on `My/Funk/ServiceName`: sends a u64 counter and prints
 * each request's response stream, awaited with `for await` (it ends when the server closes it).
 */
import { iox2 } from "../shared/adapter.js";
import { exampleConfig, exampleOptions, sleep } from "../shared/cli.js";
import { formatTransmissionData, TransmissionData } from "../shared/transmission-data.js";

const { count, cycleMs } = exampleOptions();
using node = new iox2.NodeBuilder().config(exampleConfig()).create().unwrap();
using service = node.serviceBuilder("My/Funk/ServiceName").requestResponse(iox2.u64, TransmissionData).openOrCreate().unwrap();
using client = service.clientBuilder().notifyOnSend().create().unwrap();

let responseCounter = 0;
for (let requestCounter = 0; requestCounter < count; requestCounter++) {
  console.log(`send request ${requestCounter} ...`);
  const request = client.loanUninit().unwrap();
  request.payload = BigInt(requestCounter);
  using pending = request.send().unwrap();
  for await (const response of pending.responses()) {
    console.log(`received response ${responseCounter++}: ${formatTransmissionData(response.payload.$toPlain())}`);
  }
  await sleep(cycleMs);
}
console.log("exit");
