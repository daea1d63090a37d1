/** Upstream's cross_language_communication_complex_types publisher: a 9 MB `ComplexType` built in place on `CrossLanguageComplexTypes`. */
import { cycles, exampleNode, exampleOptions } from "../shared/cli.js";
import { ComplexType } from "../shared/containers.js";

const options = exampleOptions();
using node = exampleNode();
using service = node.serviceBuilder("CrossLanguageComplexTypes").publishSubscribe(ComplexType).openOrCreate().unwrap();
using publisher = service.publisherBuilder().create().unwrap();

for await (const counter of cycles(node, options)) {
  const sample = publisher.loan().unwrap(); // zeroed: every vector starts empty
  const payload = sample.payload;
  payload.addressBook.push({ firstName: "Kermit", lastName: "The Frog" });
  payload.someMatrix.assign(Array.from({ length: 8 }, () => new Float64Array(8)));
  payload.someMatrix.get(2).set(5, counter * 0.8912);
  payload.someValue = 5;
  sample.send().unwrap();
  console.log(`Send sample ${counter} ...`);
}
console.log("exit");
