/**
 * Upstream's cross_language_communication_container publisher: a `StaticVec<u64, 32>` with a
 * `StaticString<64>` user header on `CrossLanguageContainer`, history 5, no safe overflow.
 */
import { cycles, exampleNode, exampleOptions } from "../shared/cli.js";
import { Numbers, Question } from "../shared/containers.js";

const options = exampleOptions();
using node = exampleNode();
using service = node
  .serviceBuilder("CrossLanguageContainer")
  .publishSubscribe(Numbers)
  .userHeader(Question)
  // the last 5 samples reach a subscriber that connects later; a full buffer makes send() wait
  .historySize(5)
  .subscriberMaxBufferSize(5)
  .enableSafeOverflow(false)
  .openOrCreate()
  .unwrap();
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
