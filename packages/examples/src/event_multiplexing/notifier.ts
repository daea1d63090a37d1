/** Upstream's event_multiplexing notifier: `--service NAME --event-id ID`, one event per cycle. */
import { cycles, exampleNode, exampleOptions } from "../shared/cli.js";

const options = exampleOptions({ names: ["service", "eventId"] });
const service = options.named.service?.[0];
if (service === undefined) throw new Error("usage: notifier --service NAME [--event-id ID]");
const eventId = Number(options.named.eventId?.[0] ?? 0);
using node = exampleNode();
using event = node.serviceBuilder(service).event().openOrCreate().unwrap();
using notifier = event.notifierBuilder().create().unwrap();

for await (const _ of cycles(node, options)) {
  notifier.notifyWithCustomEventId(eventId).unwrap();
  console.log(`[service: "${service}"] Trigger event ...`);
}
console.log("exit");
