/** Upstream's cross_language_communication_complex_types subscriber: prints `some_matrix[2][5]` of each sample. */
import { exampleNode, exampleOptions, untilTerminated } from "../shared/cli.js";
import { ComplexType } from "../shared/containers.js";

const options = exampleOptions();
using node = exampleNode();
using service = node.serviceBuilder("CrossLanguageComplexTypes").publishSubscribe(ComplexType).openOrCreate().unwrap();
using subscriber = service.subscriberBuilder().create().unwrap();
console.log("Subscriber ready to receive data!");

const { signal, step } = untilTerminated(options);
for await (const sample of subscriber.samples({ signal })) {
  console.log(`received: ${sample.payload.someMatrix.get(2).get(5)}`);
  step();
}
console.log("exit");
