/** Upstream's blackboard creator: two entries on `My/Funk/ServiceName`, rewritten every cycle. */
import { iox2 } from "../shared/adapter.js";
import { exampleConfig, exampleOptions, sleep } from "../shared/cli.js";
import { BlackboardKey, KEY_0, KEY_1 } from "./key.js";

const { count, cycleMs } = exampleOptions();
const INITIAL_VALUE_1 = 1.1;
using node = new iox2.NodeBuilder().config(exampleConfig()).create().unwrap();
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

for (let counter = 1; counter <= count; counter++) {
  await sleep(cycleMs);
  entry0.update(counter).unwrap();
  console.log(`Write new value for key 0: ${counter}`);
  const value = INITIAL_VALUE_1 * counter;
  const loaned = entry1.loanUninit().unwrap();
  loaned.value = value;
  loaned.update().unwrap();
  console.log(`Write new value for key 1: ${value}\n`);
}
// Stay a few cycles so an opener can still read the last values.
await sleep(cycleMs * 3);
console.log("exit");
