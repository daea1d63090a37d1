/** Upstream's service_types ipc publisher: a u64 counter on `Service-Variants-Example` every cycle. */
import { iox2 } from "../shared/adapter.js";
import { cycles, exampleNode, exampleOptions } from "../shared/cli.js";

const options = exampleOptions();
using node = exampleNode();
using service = node.serviceBuilder("Service-Variants-Example").publishSubscribe(iox2.u64).openOrCreate().unwrap();
using publisher = service.publisherBuilder().create().unwrap();

for await (const counter of cycles(node, options)) {
  publisher.sendCopy(BigInt(counter)).unwrap();
  console.log(`send: ${counter}`);
}
console.log("exit");
