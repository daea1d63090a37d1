/**
 * Upstream's health_monitoring publishers 1 and 2: a u64 on their service every cycle, each send
 * notified as `SentSample` (the notifier's default event id); the central daemon must have
 * created the services. `index` picks the publisher.
 */
import { iox2 } from "./adapter.js";
import { exampleNode, exampleOptions, untilTerminated } from "./cli.js";
import { openService, SERVICES } from "./health-monitoring.js";

export async function runPublisher(index: 0 | 1): Promise<void> {
  const { name, cycleMs } = SERVICES[index];
  const options = exampleOptions({ cycleMs });
  using node = exampleNode({}, `publisher ${index + 1}`);
  const { pubsub, events } = openService(node, name);
  using publisher = pubsub.publisherBuilder().create().unwrap();
  using notifier = events.notifierBuilder().defaultEventId(iox2.PubSubEvent.SentSample).create().unwrap();
  using waitset = new iox2.WaitSetBuilder().create().unwrap();
  waitset.attachInterval(options.cycleMs).unwrap();

  const { signal, step } = untilTerminated(options);
  let counter = index === 0 ? 0 : 1_000_000;
  const result = await waitset.waitAndProcess(
    () => {
      console.log(`${name}: Send sample ${counter} ...`);
      publisher.sendCopy(BigInt(counter)).unwrap();
      notifier.notify().unwrap();
      counter++;
      step();
      return signal.aborted ? "stop" : "continue";
    },
    { signal },
  );
  if (result.isErr() && result.error.kind !== "Aborted") throw result.error;
  console.log("exit");
}
