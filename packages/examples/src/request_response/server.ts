/**
 * Upstream's request_response server on `My/Funk/ServiceName`: answers each u64 request with one
 * TransmissionData, plus one more for odd requests, then ends the stream. Where upstream polls
 * every 100 ms, `for await` over `requests()` wakes as requests arrive.
 */
import { iox2 } from "../shared/adapter.js";
import { exampleNode, exampleOptions, untilTerminated } from "../shared/cli.js";
import { formatTransmissionData, TransmissionData } from "../shared/transmission-data.js";

const options = exampleOptions({ cycleMs: 100 });
using node = exampleNode();
using service = node.serviceBuilder("My/Funk/ServiceName").requestResponse(iox2.u64, TransmissionData).openOrCreate().unwrap();
using server = service.serverBuilder().create().unwrap();
console.log("Server ready to receive requests!");

const { signal, step } = untilTerminated(options);
let counter = 0;
for await (const request of server.requests({ signal })) {
  const value = request.payload as bigint;
  console.log(`received request: ${value}`);
  const response = { x: 5 + counter, y: 6 * counter, funky: 7.77 };
  console.log(`  send response: ${formatTransmissionData(response)}`);
  request.sendCopy(response).unwrap();
  for (let n = 0; n < Number(value % 2n); n++) {
    const loaned = request.loanUninit().unwrap();
    loaned.payload = { x: counter * (n + 1), y: counter + n, funky: counter * 0.1234 };
    console.log(`  send response: ${formatTransmissionData(loaned.payload.$toPlain())}`);
    loaned.send().unwrap();
  }
  request.close(); // ends the stream, as dropping the active request does upstream
  counter++;
  step();
}
console.log("exit");
