/**
 * Upstream's blackboard_event_based_communication opener: sleeps until the creator announces an
 * update and reads the entry it is interested in when its entry id arrives.
 */
import { iox2 } from "../shared/adapter.js";
import { exampleNode, exampleOptions, untilTerminated } from "../shared/cli.js";

const INTERESTING_KEY = 1;
const options = exampleOptions();
using node = exampleNode();
using service = node.serviceBuilder("My/Funk/ServiceName").blackboardOpener(iox2.u32).open().unwrap();
using events = node.serviceBuilder("My/Funk/ServiceName").event().openOrCreate().unwrap();
using listener = events.listenerBuilder().create().unwrap();
using reader = service.readerBuilder().create().unwrap();
using entry = reader.entry(INTERESTING_KEY, iox2.u64).unwrap();
const entryId = entry.entryId().unwrap();

const { signal, step } = untilTerminated(options);
while (!signal.aborted) {
  const activations = await listener.wait({ timeout: options.cycleMs, signal });
  if (activations.isErr()) break;
  for (const { id } of activations.value) {
    if (id !== entryId) continue;
    console.log(`read: ${entry.get().unwrap().value} for entry id ${id}`);
    step();
  }
}
console.log("exit");
