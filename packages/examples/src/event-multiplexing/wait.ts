/**
 * Upstream's event-multiplexing waiter: one WaitSet over a listener per service named on the
 * command line, `wait <service>... [--count N]`; exits after N triggers (default: never).
 */
import process from "node:process";
import { iox2 } from "../shared/adapter.js";
import { exampleConfig, exampleOptions } from "../shared/cli.js";

const args = process.argv.slice(2);
const flagAt = args.findIndex((a) => a.startsWith("--"));
const serviceNames = flagAt < 0 ? args : args.slice(0, flagAt);
const { count } = exampleOptions(flagAt < 0 ? [] : args.slice(flagAt));

using node = new iox2.NodeBuilder().config(exampleConfig()).create().unwrap();
using waitset = new iox2.WaitSetBuilder().create().unwrap();
const attachments = serviceNames.map((name) => {
  const listener = node.serviceBuilder(name).event().openOrCreate().unwrap().listenerBuilder().create().unwrap();
  return { name, listener, guard: waitset.attachNotification(listener).unwrap() };
});
console.log(`Waiting on the following services: ${JSON.stringify(serviceNames)}`);

let triggers = 0;
const result = await waitset.waitAndProcess((attachment) => {
  for (const { name, listener, guard } of attachments) {
    if (!attachment.hasEventFrom(guard)) continue;
    console.log(`Received trigger from "${name}"`);
    for (const { id } of listener.tryWait().unwrap()) console.log(`EventId { value: ${id} }`);
    triggers++;
  }
  return triggers >= count ? "stop" : "continue";
});
result.unwrap();
console.log("exit");
