/**
 * Upstream's flatbuffer_publish_subscribe subscriber: prints the title, the user header and
 * every entry of each `UnboundedData` it receives.
 */
import { exampleNode, exampleOptions, untilTerminated } from "../shared/cli.js";
import { entryLines, flatbufferConfig, unboundedData, unboundedDataService } from "../shared/flatbuffer-data.js";

const options = exampleOptions();
using node = exampleNode(flatbufferConfig());
using service = unboundedDataService(node);
using subscriber = service.subscriberBuilder().create().unwrap();
console.log("Subscriber ready to receive data!");

const { signal, step } = untilTerminated(options);
for await (const sample of subscriber.samples({ signal })) {
  const data = unboundedData(sample.payload);
  console.log(`title: ${data.title() ?? ""}`);
  console.log(`user header: ${sample.userHeader}`);
  for (const line of entryLines(data)) console.log(line);
  console.log("");
  sample.release();
  step();
}
console.log("exit");
