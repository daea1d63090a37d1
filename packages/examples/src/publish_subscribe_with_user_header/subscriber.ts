/** Upstream's publish_subscribe_with_user_header subscriber: prints each u64 with its CustomHeader. */
import { iox2 } from "../shared/adapter.js";
import { exampleNode, exampleOptions, untilTerminated } from "../shared/cli.js";
import { CustomHeader, formatCustomHeader } from "../shared/transmission-data.js";

const options = exampleOptions();
using node = exampleNode();
using service = node.serviceBuilder("ServiceWithUserHeader").publishSubscribe(iox2.u64).userHeader(CustomHeader).openOrCreate().unwrap();
using subscriber = service.subscriberBuilder().create().unwrap();
console.log("Subscriber ready to receive data!");

const { signal, step } = untilTerminated(options);
for await (const sample of subscriber.samples({ signal })) {
  console.log(`received: ${sample.payload}, user_header: ${formatCustomHeader(sample.userHeader.$toPlain())}`);
  step();
}
console.log("exit");
