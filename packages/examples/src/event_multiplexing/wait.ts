/**
 * Upstream's event_multiplexing waiter: one WaitSet over a listener per `--services NAME` (repeat
 * the option), printing which service each event came from.
 */
import { iox2 } from "../shared/adapter.js";
import { exampleNode, exampleOptions, untilTerminated } from "../shared/cli.js";
import { formatEventId } from "../shared/transmission-data.js";

const options = exampleOptions({ names: ["services"] });
const services = options.named.services ?? [];
using node = exampleNode();
using waitset = new iox2.WaitSetBuilder().create().unwrap();
const attachments = services.map((name) => {
  const listener = node.serviceBuilder(name).event().openOrCreate().unwrap().listenerBuilder().create().unwrap();
  return { name, listener, guard: waitset.attachNotification(listener).unwrap() };
});
console.log(`Waiting on the following services: [${services.map((s) => JSON.stringify(s)).join(", ")}]`);

const { signal, step } = untilTerminated(options);
const result = await waitset.waitAndProcess(
  (attachment) => {
    for (const { name, listener, guard } of attachments) {
      if (!attachment.hasEventFrom(guard)) continue;
      for (const { id, count } of listener.tryWait().unwrap()) {
        console.log(`Received trigger from "${name}" :: ${formatEventId(id)}, ${count} times`);
        step();
      }
    }
    return signal.aborted ? "stop" : "continue";
  },
  { signal },
);
if (result.isErr() && result.error.kind !== "Aborted") throw result.error;
console.log("exit");
