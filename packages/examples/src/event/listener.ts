/**
 * Upstream's event listener on `MyEventName`. Where upstream blocks in `timed_wait`, this awaits
 * `listener.wait()`: the event loop stays free while nothing arrives.
 */
import { exampleNode, exampleOptions, untilTerminated } from "../shared/cli.js";
import { formatEventId } from "../shared/transmission-data.js";

const options = exampleOptions();
using node = exampleNode();
using event = node.serviceBuilder("MyEventName").event().openOrCreate().unwrap();
using listener = event.listenerBuilder().create().unwrap();
console.log("Listener ready to receive events!");

const { signal, step } = untilTerminated(options);
while (!signal.aborted) {
  const events = await listener.wait({ timeout: options.cycleMs, signal });
  if (events.isErr()) break; // aborted: a termination request, or --count reached
  for (const { id, count } of events.value) {
    console.log(`event ${formatEventId(id)} was notified ${count} times`);
    step();
  }
}
console.log("exit");
