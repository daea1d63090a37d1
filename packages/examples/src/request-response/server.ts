/**
 * Upstream's request-response server on `My/Funk/ServiceName` (u64 requests, a stream of
 * TransmissionData responses). Where upstream polls every 100 ms, this awaits
 * `server.requests()`; `notifyOnSend()` wakes the client's `responses()` the same way.
 */
import { iox2 } from "../shared/adapter.js";
import { exampleConfig, exampleOptions } from "../shared/cli.js";
import { formatTransmissionData, TransmissionData } from "../shared/transmission-data.js";

const { count } = exampleOptions();
using node = new iox2.NodeBuilder().config(exampleConfig()).create().unwrap();
using service = node.serviceBuilder("My/Funk/ServiceName").requestResponse(iox2.u64, TransmissionData).openOrCreate().unwrap();
using server = service.serverBuilder().notifyOnSend().create().unwrap();
console.log("Server ready to receive requests!");

const stop = new AbortController();
let counter = 0;
for await (const request of server.requests({ signal: stop.signal })) {
  const value = request.payload as bigint;
  console.log(`received request: ${value}`);
  const first = { x: 5 + counter, y: 6 * counter, funky: 7.77 };
  console.log(`  send response: ${formatTransmissionData(first)}`);
  request.sendCopy(first).unwrap();
  for (let n = 0; n < Number(value % 2n); n++) {
    const response = request.loanUninit().unwrap();
    response.payload = { x: counter * (n + 1), y: counter + n, funky: counter * 0.1234 };
    console.log(`  send response: ${formatTransmissionData(response.payload.$toPlain())}`);
    response.send().unwrap();
  }
  request.close(); // ends the stream
  if (++counter >= count) stop.abort();
}
console.log("exit");
