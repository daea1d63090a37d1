/**
 * Upstream's blackboard_event_based_communication creator: a blackboard with u32 keys 0 and 1
 * (u64 values) on `My/Funk/ServiceName`, and an event service of the same name on which every
 * update is announced with the entry's id as event id.
 */
import { iox2 } from "../shared/adapter.js";
import { cycles, exampleNode, exampleOptions } from "../shared/cli.js";

const INTERESTING_KEY = 1;
const options = exampleOptions();
using node = exampleNode();
using service = node.serviceBuilder("My/Funk/ServiceName").blackboardCreator(iox2.u32).add(0, iox2.u64, 0n).add(INTERESTING_KEY, iox2.u64, 0n).create().unwrap();
console.log("Blackboard created.\n");
using events = node.serviceBuilder("My/Funk/ServiceName").event().openOrCreate().unwrap();
using notifier = events.notifierBuilder().create().unwrap();
using writer = service.writerBuilder().create().unwrap();
using entry = writer.entry(0, iox2.u64).unwrap();
const entryId = entry.entryId().unwrap();
using interestingEntry = writer.entry(INTERESTING_KEY, iox2.u64).unwrap();
const interestingEntryId = interestingEntry.entryId().unwrap();

for await (const counter of cycles(node, options)) {
  interestingEntry.update(BigInt(counter)).unwrap();
  notifier.notifyWithCustomEventId(interestingEntryId).unwrap();
  console.log(`Trigger event with entry id ${interestingEntryId}`);
  entry.update(BigInt(2 * counter)).unwrap();
  notifier.notifyWithCustomEventId(entryId).unwrap();
  console.log(`Trigger event with entry id ${entryId}`);
}
console.log("exit");
