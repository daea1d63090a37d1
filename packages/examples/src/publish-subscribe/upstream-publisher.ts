/** Upstream's publish-subscribe publisher: a TransmissionData on `My/Funk/ServiceName` every cycle. */
import { iox2 } from "../shared/adapter.js";
import { exampleConfig, exampleOptions, sleep } from "../shared/cli.js";
import { TransmissionData } from "../shared/transmission-data.js";

const { count, cycleMs } = exampleOptions();
using node = new iox2.NodeBuilder().config(exampleConfig()).create().unwrap();
using service = node.serviceBuilder("My/Funk/ServiceName").publishSubscribe(TransmissionData).openOrCreate().unwrap();
using publisher = service.publisherBuilder().create().unwrap();

for (let counter = 1; counter <= count; counter++) {
  await sleep(cycleMs);
  const sample = publisher.loanUninit().unwrap();
  sample.payload = { x: counter, y: counter * 3, funky: counter * 812.12 };
  sample.send().unwrap();
  console.log(`Send sample ${counter} ...`);
}
console.log("exit");
