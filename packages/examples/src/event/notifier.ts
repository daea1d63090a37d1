/** Upstream's event notifier: one event on `MyEventName` every cycle, id `counter % eventIdMaxValue`. */
import { cycles, exampleNode, exampleOptions } from "../shared/cli.js";

const options = exampleOptions();
using node = exampleNode();
using event = node.serviceBuilder("MyEventName").event().openOrCreate().unwrap();
const maxEventId = event.staticConfig().unwrap().qos.eventIdMaxValue;
using notifier = event.notifierBuilder().create().unwrap();

for await (const counter of cycles(node, options)) {
  notifier.notifyWithCustomEventId(counter % maxEventId).unwrap();
  console.log(`Trigger event with id ${counter} ...`);
}
console.log("exit");
