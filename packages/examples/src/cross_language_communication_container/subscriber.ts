/** Upstream's cross_language_communication_container subscriber: prints each vector and its header as Rust's `{:?}` does. */
import { exampleNode, exampleOptions, untilTerminated } from "../shared/cli.js";
import { containerService, debugString, debugVec, Numbers, Question } from "../shared/containers.js";

const options = exampleOptions();
using node = exampleNode();
using service = containerService(node);
using subscriber = service.subscriberBuilder().create().unwrap();
console.log("Subscriber ready to receive data!");

const { signal, step } = untilTerminated(options);
for await (const sample of subscriber.samples({ signal })) {
  const values = sample.payload.toArray();
  console.log(`received: ${debugVec("u64", Numbers.capacity, values)}, user_header: ${debugString(Question.capacity, sample.userHeader)}`);
  step();
}
console.log("exit");
