/**
 * What `for await (… of subscriber.samples())` costs when the publisher never notifies (as
 * upstream's plain examples do), on the runtime this runs on (the peer's `non-notifying` role):
 * idle CPU while nothing is sent, and the delay polling adds, for the default `pollInterval` and
 * for 1 ms. Publisher and subscriber are in this process; the subscriber only polls.
 */
import process from "node:process";
import { iox2, runtime } from "@iceoryx2-js/runtimes/adapter/internal";
import type { NonNotifyingResult } from "./protocol.js";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

/** Idle CPU over `idleMs`, then the added delay of `sends` samples sent at random moments, per poll interval. */
export async function measureNonNotifying(options: { prefix: string; service: string; idleMs: number; sends: number }): Promise<NonNotifyingResult[]> {
  const node = new iox2.NodeBuilder().config({ prefix: options.prefix, builtInDefaults: true }).create().unwrap();
  const service = node.serviceBuilder(options.service).publishSubscribe(iox2.f64).subscriberMaxBufferSize(4).create().unwrap();
  const publisher = service.publisherBuilder().create().unwrap(); // no notifyOnSend(): nobody wakes the subscriber
  const subscriber = service.subscriberBuilder().create().unwrap();
  const results: NonNotifyingResult[] = [];
  for (const pollIntervalMs of [iox2.DEFAULT_POLL_INTERVAL_MS, 1]) {
    const stop = new AbortController();
    const delays: number[] = [];
    const loop = (async () => {
      for await (const sample of subscriber.samples({ signal: stop.signal, pollInterval: pollIntervalMs })) {
        delays.push(performance.now() - (sample.payload as number));
      }
    })();
    const before = cpuMs();
    await sleep(options.idleMs);
    const idleCpuPercent = ((cpuMs() - before) / options.idleMs) * 100;
    for (let i = 0; i < options.sends; i++) {
      await sleep(3 + Math.random() * 17);
      publisher.sendCopy(performance.now()).unwrap();
    }
    await sleep(pollIntervalMs * 3);
    stop.abort();
    await loop;
    delays.sort((a, b) => a - b);
    const at = (q: number) => Math.round(delays[Math.min(delays.length - 1, Math.floor(q * delays.length))]! * 100) / 100;
    results.push({ runtime, pollIntervalMs, defaultInterval: pollIntervalMs === iox2.DEFAULT_POLL_INTERVAL_MS, idleCpuPercent: Math.round(idleCpuPercent * 100) / 100, idleMs: options.idleMs, samples: delays.length, medianDelayMs: at(0.5), p99DelayMs: at(0.99) });
  }
  node.close();
  return results;
}
