/** Upstream's publish_subscribe_with_user_header publisher: a u64 and a CustomHeader per sample on `ServiceWithUserHeader`. */
import { iox2 } from "../shared/adapter.js";
import { cycles, exampleNode, exampleOptions } from "../shared/cli.js";
import { CustomHeader } from "../shared/transmission-data.js";

const options = exampleOptions();
using node = exampleNode();
using service = node.serviceBuilder("ServiceWithUserHeader").publishSubscribe(iox2.u64).userHeader(CustomHeader).openOrCreate().unwrap();
using publisher = service.publisherBuilder().create().unwrap();

for await (const counter of cycles(node, options)) {
  const sample = publisher.loanUninit().unwrap();
  sample.userHeader = { version: 123, timestamp: 80337n + BigInt(counter) };
  sample.payload = BigInt(counter);
  sample.send().unwrap();
  console.log(`Send sample ${counter} ...`);
}
console.log("exit");
