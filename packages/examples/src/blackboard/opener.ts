/** Upstream's blackboard opener: reads both entries of `My/Funk/ServiceName` every cycle. */
import { iox2 } from "../shared/adapter.js";
import { BlackboardKey, KEY_0, KEY_1 } from "../shared/blackboard-key.js";
import { cycles, exampleNode, exampleOptions } from "../shared/cli.js";

const options = exampleOptions();
using node = exampleNode();
using service = node.serviceBuilder("My/Funk/ServiceName").blackboardOpener(BlackboardKey).open().unwrap();
using reader = service.readerBuilder().create().unwrap();
using entry0 = reader.entry(KEY_0, iox2.i32).unwrap();
using entry1 = reader.entry(KEY_1, iox2.f64).unwrap();

for await (const _ of cycles(node, options)) {
  console.log("read values:");
  console.log(`key: 0, value: ${entry0.get().unwrap().value}`);
  console.log(`key: 1, value: ${entry1.get().unwrap().value}\n`);
}
console.log("exit");
