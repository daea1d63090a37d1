/**
 * Upstream's service_types ipc_threadsafe subscriber on `Service-Variants-Example`. Upstream shares
 * one subscriber between two threads; a JavaScript handle belongs to the thread that made it, so
 * here the main thread receives (a Worker would open a node and subscriber of its own).
 */
import { iox2 } from "../shared/adapter.js";
import { exampleNode, exampleOptions, untilTerminated } from "../shared/cli.js";

const options = exampleOptions();
using node = exampleNode();
using service = node.serviceBuilder("Service-Variants-Example").publishSubscribe(iox2.u64).openOrCreate().unwrap();
using subscriber = service.subscriberBuilder().create().unwrap();

const { signal, step } = untilTerminated(options);
for await (const sample of subscriber.samples({ signal })) {
  console.log(`[main] received: ${sample.payload}`);
  step();
}
console.log("exit");
