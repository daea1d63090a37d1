/**
 * What `for await (… of subscriber.samples())` costs when the publisher never notifies (as
 * upstream's plain examples): idle CPU while nothing is sent, and the delay polling adds, on the
 * runtime this runs on, for the default pollInterval and a shorter one.
 *   node dist/micro/non-notifying-wait.js
 *   deno run -A --config ../../packages/deno/deno.json dist/micro/non-notifying-wait.js
 *   bun dist/micro/non-notifying-wait.js
 * (from tools/benchmarks, after its build).
 */
import { readdirSync, rmSync } from "node:fs";
import process from "node:process";
import { iox2, runtime } from "@iceoryx2-js/runtimes/adapter/internal";

const IDLE_MS = 5000;
const SENDS = 200;
const prefix = `iox2js_bench_poll_${runtime}_${process.pid}_`;
const node = new iox2.NodeBuilder().config({ prefix, builtInDefaults: true }).create().unwrap();
const service = node.serviceBuilder("Bench/NonNotifying").publishSubscribe(iox2.f64).subscriberMaxBufferSize(4).create().unwrap();
const publisher = service.publisherBuilder().create().unwrap(); // no notifyOnSend(): nobody wakes the subscriber
const subscriber = service.subscriberBuilder().create().unwrap();
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

for (const pollInterval of [iox2.DEFAULT_POLL_INTERVAL_MS, 1]) {
  const stop = new AbortController();
  const delays: number[] = [];
  const loop = (async () => {
    for await (const sample of subscriber.samples({ signal: stop.signal, pollInterval })) delays.push(performance.now() - (sample.payload as number));
  })();
  // Idle: awaiting, nothing sent.
  const before = cpuMs();
  await sleep(IDLE_MS);
  const idlePercent = ((cpuMs() - before) / IDLE_MS) * 100;
  // Latency: sends at random moments, each stamped with its send time.
  for (let i = 0; i < SENDS; i++) {
    await sleep(3 + Math.random() * 17);
    publisher.sendCopy(performance.now()).unwrap();
  }
  await sleep(pollInterval * 3);
  stop.abort();
  await loop;
  delays.sort((a, b) => a - b);
  const at = (q: number) => delays[Math.min(delays.length - 1, Math.floor(q * delays.length))]!.toFixed(2);
  console.log(
    `${runtime.padEnd(5)} pollInterval ${String(pollInterval).padStart(2)} ms: idle CPU ${idlePercent.toFixed(2)} % over ${IDLE_MS / 1000} s; ` +
      `added delay over ${delays.length} samples: median ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${at(1)} ms`,
  );
}
node.close();
for (const file of readdirSync("/dev/shm").filter((f) => f.startsWith(prefix))) rmSync(`/dev/shm/${file}`, { force: true });
