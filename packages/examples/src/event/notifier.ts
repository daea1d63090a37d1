/** Upstream's event notifier: triggers `MyEventName` with a rising event id every cycle. */
import { iox2 } from "../shared/adapter.js";
import { exampleConfig, exampleOptions, sleep } from "../shared/cli.js";

const { count, cycleMs } = exampleOptions();
using node = new iox2.NodeBuilder().config(exampleConfig()).create().unwrap();
using event = node.serviceBuilder("MyEventName").event().openOrCreate().unwrap();
const maxEventId = event.staticConfig().unwrap().qos.eventIdMaxValue;
using notifier = event.notifierBuilder().create().unwrap();

for (let counter = 1; counter <= count; counter++) {
  await sleep(cycleMs);
  notifier.notifyWithCustomEventId(counter % maxEventId).unwrap();
  console.log(`Trigger event with id ${counter} ...`);
}
console.log("exit");
