/** Upstream's blackboard creator: two entries under BlackboardKey on `My/Funk/ServiceName`, rewritten every cycle. */
import { iox2 } from "../shared/adapter.js";
import { BlackboardKey, KEY_0, KEY_1 } from "../shared/blackboard-key.js";
import { cycles, exampleNode, exampleOptions } from "../shared/cli.js";

const options = exampleOptions();
const INITIAL_VALUE_1 = 1.1;
using node = exampleNode();
using service = node
  .serviceBuilder("My/Funk/ServiceName")
  .blackboardCreator(BlackboardKey)
  .add(KEY_0, iox2.i32, 3)
  .add(KEY_1, iox2.f64, INITIAL_VALUE_1)
  .create()
  .unwrap();
console.log("Blackboard created.\n");
using writer = service.writerBuilder().create().unwrap();
using entry0 = writer.entry(KEY_0, iox2.i32).unwrap();
using entry1 = writer.entry(KEY_1, iox2.f64).unwrap();

for await (const counter of cycles(node, options)) {
  entry0.update(counter).unwrap();
  console.log(`Write new value for key 0: ${counter}`);
  const value = INITIAL_VALUE_1 * counter;
  const loaned = entry1.loanUninit().unwrap();
  loaned.value = value;
  loaned.update().unwrap();
  console.log(`Write new value for key 1: ${value}\n`);
}
console.log("exit");
