/**
 * Upstream's request_response client on `My/Funk/ServiceName`: a u64 request per cycle; each
 * cycle it prints the responses that arrived for the last request, then sends the next one.
 * Like upstream's, it does not wait for a response stream to end: a server may keep a request
 * open (and its stream with it) for as long as it likes.
 */
import { iox2 } from "../shared/adapter.js";
import { cycles, exampleNode, exampleOptions } from "../shared/cli.js";
import { formatTransmissionData, TransmissionData } from "../shared/transmission-data.js";

const options = exampleOptions();
using node = exampleNode();
using service = node.serviceBuilder("My/Funk/ServiceName").requestResponse(iox2.u64, TransmissionData).openOrCreate().unwrap();
using client = service.clientBuilder().create().unwrap();

let responseCounter = 0;
console.log("send request 0 ...");
let pending = client.sendCopy(0n).unwrap();
for await (const requestCounter of cycles(node, options)) {
  for (let response = pending.receive().unwrap(); response !== null; response = pending.receive().unwrap()) {
    console.log(`  received response ${responseCounter++}: ${formatTransmissionData(response.payload.$toPlain())}`);
    response.release();
  }
  pending.close();
  const request = client.loanUninit().unwrap();
  request.payload = BigInt(requestCounter);
  pending = request.send().unwrap();
  console.log(`send request ${requestCounter} ...`);
}
pending.close();
console.log("exit");
