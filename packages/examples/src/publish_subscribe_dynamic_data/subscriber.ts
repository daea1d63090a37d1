/** Upstream's publish_subscribe_dynamic_data subscriber: prints the length of every byte slice. */
import { iox2 } from "../shared/adapter.js";
import { exampleNode, exampleOptions, untilTerminated } from "../shared/cli.js";

const options = exampleOptions();
using node = exampleNode();
using service = node.serviceBuilder("Service With Dynamic Data").publishSubscribe(iox2.slice(iox2.u8)).openOrCreate().unwrap();
using subscriber = service.subscriberBuilder().create().unwrap();
console.log("Subscriber ready to receive data!");

const { signal, step } = untilTerminated(options);
for await (const sample of subscriber.samples({ signal })) {
  console.log(`received ${sample.payload.length} bytes`);
  step();
}
console.log("exit");
