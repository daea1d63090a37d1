/**
 * Upstream's event listener on `MyEventName`. Where upstream blocks in `timed_wait`, this awaits
 * `listener.wait()`: the event loop stays free while nothing arrives.
 */
import { iox2 } from "../shared/adapter.js";
import { exampleConfig, exampleOptions } from "../shared/cli.js";

const { count, cycleMs } = exampleOptions();
using node = new iox2.NodeBuilder().config(exampleConfig()).create().unwrap();
using event = node.serviceBuilder("MyEventName").event().openOrCreate().unwrap();
using listener = event.listenerBuilder().create().unwrap();
console.log("Listener ready to receive events!");

let received = 0;
while (received < count) {
  for (const { id, count: times } of (await listener.wait({ timeout: cycleMs })).unwrap()) {
    console.log(`event was triggered with id: EventId { value: ${id} } ${times} times`);
    received += times;
  }
}
console.log("exit");
