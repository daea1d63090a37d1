/**
 * Upstream's cross_language_communication_container publisher: a `StaticVec<u64, 32>` with a
 * `StaticString<64>` user header on `CrossLanguageContainer`, history 5, no safe overflow.
 */
import { cycles, exampleNode, exampleOptions } from "../shared/cli.js";
import { containerService } from "../shared/containers.js";

const options = exampleOptions();
using node = exampleNode();
using service = containerService(node);
using publisher = service.publisherBuilder().create().unwrap();

for await (const counter of cycles(node, options)) {
  const sample = publisher.loanUninit().unwrap();
  sample.userHeader = "Are Hypnotoad and Kermit related like Fry and the Professor?";
  const value = BigInt(counter);
  sample.payload.assign([value, value + 1n, value + 2n]);
  sample.send().unwrap();
  console.log(`Send sample ${counter} ...`);
}
console.log("exit");
