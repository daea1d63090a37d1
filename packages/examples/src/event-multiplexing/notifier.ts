/** Upstream's event-multiplexing notifier: `notifier <service> <event-id> [--count N] [--cycle-ms MS]`. */
import process from "node:process";
import { iox2 } from "../shared/adapter.js";
import { exampleConfig, exampleOptions, sleep } from "../shared/cli.js";

const [serviceName = "fuu", eventIdText = "0", ...rest] = process.argv.slice(2);
const { count, cycleMs } = exampleOptions(rest);
using node = new iox2.NodeBuilder().config(exampleConfig()).create().unwrap();
using event = node.serviceBuilder(serviceName).event().openOrCreate().unwrap();
using notifier = event.notifierBuilder().create().unwrap();

for (let counter = 1; counter <= count; counter++) {
  await sleep(cycleMs);
  notifier.notifyWithCustomEventId(Number(eventIdText)).unwrap();
  console.log(`[service: "${serviceName}"] Trigger event ...`);
}
console.log("exit");
