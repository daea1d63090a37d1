/** Upstream's publish-subscribe with a user header: a u64 payload and a CustomHeader per sample. */
import { iox2 } from "../shared/adapter.js";
import { exampleConfig, exampleOptions, sleep } from "../shared/cli.js";
import { CustomHeader } from "../shared/transmission-data.js";

const { count, cycleMs } = exampleOptions();
using node = new iox2.NodeBuilder().config(exampleConfig()).create().unwrap();
using service = node
  .serviceBuilder("My/Funk/ServiceName")
  .publishSubscribe(iox2.u64)
  .userHeader(CustomHeader)
  .openOrCreate()
  .unwrap();
using publisher = service.publisherBuilder().create().unwrap();

for (let counter = 1; counter <= count; counter++) {
  await sleep(cycleMs);
  const sample = publisher.loanUninit().unwrap();
  sample.userHeader = { version: 123, timestamp: 80337n + BigInt(counter) };
  sample.payload = BigInt(counter);
  sample.send().unwrap();
  console.log(`Send sample ${counter} ...`);
}
console.log("exit");
