/**
 * The Worker of the `worker-gets-foreign-handles` misuse case: it receives the main thread's
 * handle numbers, tries native operations on each (all must fail with a typed error, as the
 * handle table is per thread), then publishes through a node of its own to prove the library
 * still works in this thread. It reports, and closes its node when the main thread is done.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { ForeignHandleReport } from "./misuse-cases.js";
import { iox2 } from "@iceoryx2-js/runtimes/adapter/internal";

interface Task {
  handles: number[];
  prefix: string;
  service: string;
  value: string;
}

const task = workerData as Task;
const native = iox2.nativeFor(iox2.backend);

/** One operation of each shape a stolen handle could be fed to. */
const operations: [string, (handle: number) => unknown][] = [
  ["call publisherUpdateConnections", (handle) => native.ops.publisherUpdateConnections(handle, 0)],
  ["memory publisherLoan", (handle) => native.ops.publisherLoan(handle, 1, 1)],
  ["memory subscriberReceive", (handle) => native.ops.subscriberReceive(handle, 0, 0)],
  ["consume sampleSend", (handle) => native.ops.sampleSend(handle, null)],
  ["control pubsub.publisherCreate", (handle) => native.control("pubsub.publisherCreate", handle, {})],
  ["control node.name", (handle) => native.control("node.name", handle)],
];

const attempts: ForeignHandleReport["attempts"] = [];
for (const handle of task.handles) {
  for (const [op, run] of operations) {
    try {
      run(handle);
      attempts.push({ handle, op, outcome: "succeeded", message: "" });
    } catch (error) {
      const typed = iox2.Iox2Error.from(error);
      attempts.push({ handle, op, outcome: typed.kind, message: typed.message });
    }
  }
  // Closing a number this thread never handed out closes nothing.
  if (native.close(handle)) attempts.push({ handle, op: "close", outcome: "succeeded", message: "closed a foreign handle" });
}

const node = new iox2.NodeBuilder().config({ prefix: task.prefix }).create().unwrap();
const service = node.serviceBuilder(task.service).publishSubscribe(iox2.u64).open().unwrap();
// Held until the main thread is done: a publisher nothing references may be reclaimed by the
// garbage collector, and a publisher that goes away takes its undelivered samples with it.
const publisher = service.publisherBuilder().create().unwrap();
const published = publisher.sendCopy(BigInt(task.value)).isOk();

const report: ForeignHandleReport = { attempts, published };
parentPort!.once("message", () => {
  publisher.close();
  node.close();
});
parentPort!.postMessage(report);
