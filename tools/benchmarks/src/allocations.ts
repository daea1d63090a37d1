/**
 * JavaScript heap bytes the per-message path leaves behind, on the runtime this runs on (the
 * peer's `allocations` role), for 8-byte slice messages written and read through the public API
 * as the benchmarks' peers do, once with the plain `loan*()`/`receive()` (a sample object per
 * message) and once with the sample slots (`publisher.loanSlot()`, `subscriber.receiveSlot()`:
 * one object reused):
 *   - send loop: loan → write the 4-byte header through `payload.set` → send (the subscriber's
 *     one-sample buffer overflows, so chunks come back without a receive);
 *   - round trip: the send loop plus receive → read the header → release; the receive loop's
 *     share is the difference.
 * Each figure is the median over windows of the growth of the heap, with a full collection
 * before each window (a window stays below the young generation's size, so none runs inside
 * it). Then `messages` round trips run without forced collections, and the collector's cycles
 * are counted where the runtime can say (Node's and Deno's `v8.GCProfiler`); with no garbage
 * per message there are none. Needs `gc()`: Node `--expose-gc`, Deno `--v8-flags=--expose-gc`.
 */
import process from "node:process";
import { iox2, runtime } from "@iceoryx2-js/runtimes/adapter/internal";
import type { AllocationResult } from "./protocol.js";

/** A full collection: `gc()` on V8, `Bun.gc(true)` on Bun. */
function collect(): void {
  const bun = (globalThis as { Bun?: { gc(force: boolean): void } }).Bun;
  if (bun !== undefined) return bun.gc(true);
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error("run with --expose-gc (deno: --v8-flags=--expose-gc)");
  gc();
}

/**
 * The heap's size now: V8's used heap; on Bun, JavaScriptCore's heap capacity (its used size
 * updates only when it collects; the capacity grows block by block as objects are allocated, so
 * Bun's figures are coarse, and its windows are ten times longer).
 */
const jsc = runtime === "bun" ? ((await import(/* @vite-ignore */ ["bun", "jsc"].join(":"))) as { heapStats(): { heapCapacity: number } }) : undefined;
const heapUsed = jsc === undefined ? () => process.memoryUsage().heapUsed : () => jsc.heapStats().heapCapacity;

/** Counts the collector's cycles while `body` runs, where the runtime can say (else null). */
async function gcCycles(body: () => void): Promise<number | null> {
  let profiler: { start(): void; stop(): { statistics: unknown[] } | undefined } | undefined;
  try {
    const v8 = (await import("node:v8")) as { GCProfiler?: new () => typeof profiler };
    if (runtime !== "bun" && v8.GCProfiler !== undefined) profiler = new v8.GCProfiler();
  } catch {
    // No node:v8 here: cycles stay unknown.
  }
  profiler?.start();
  body();
  const statistics = profiler?.stop()?.statistics;
  return statistics === undefined ? null : statistics.length;
}

/** Measures both APIs on this runtime; `messages` round trips are counted for collector cycles. */
export async function measureAllocations(options: { prefix: string; service: string; messages: number; windows: number }): Promise<AllocationResult[]> {
  const { prefix, messages, windows } = options;
  const windowSize = runtime === "bun" ? 10_000 : 1000;
  const node = new iox2.NodeBuilder().config({ prefix }).create().unwrap();
  const service = node
    .serviceBuilder(options.service)
    .publishSubscribe(iox2.slice(iox2.u8))
    .maxPublishers(1)
    .maxSubscribers(1)
    .historySize(0)
    .subscriberMaxBufferSize(1)
    .create()
    .unwrap();
  const publisher = service.publisherBuilder().initialMaxSliceLen(8).create().unwrap();
  const subscriber = service.subscriberBuilder().create().unwrap();
  const loanSlot = publisher.loanSlot();
  const receiveSlot = subscriber.receiveSlot();
  /** Which API the loops use: the plain one (an object per message) or the slots (one object reused). */
  let slots = false;

  function send(sequence: number): void {
    const sample = (slots ? loanSlot.loanSliceUninit(8) : publisher.loanSliceUninit(8)).unwrap();
    const payload = sample.payload;
    payload.set(0, sequence & 0xff);
    payload.set(1, (sequence >>> 8) & 0xff);
    payload.set(2, (sequence >>> 16) & 0xff);
    payload.set(3, (sequence >>> 24) & 0xff);
    sample.send().unwrap();
  }

  function roundTrip(sequence: number): void {
    send(sequence);
    const sample = (slots ? receiveSlot.receive() : subscriber.receive()).unwrap();
    if (sample === null) throw new Error("the sample did not arrive");
    const payload = sample.payload;
    const read = (payload.get(0) | (payload.get(1) << 8) | (payload.get(2) << 16) | (payload.get(3) << 24)) >>> 0;
    sample.release();
    if (read !== sequence >>> 0) throw new Error(`sent ${sequence}, read ${read}`);
  }

  /** Median heap growth per message over `windows` windows of `loop`. */
  function bytesPerMessage(loop: (sequence: number) => void): number {
    for (let i = 0; i < Math.min(200_000, messages); i++) loop(i); // optimized code, settled caches
    const perMessage: number[] = [];
    for (let w = 0; w < windows; w++) {
      collect();
      const before = heapUsed();
      for (let i = 0; i < windowSize; i++) loop(i);
      perMessage.push((heapUsed() - before) / windowSize);
    }
    perMessage.sort((a, b) => a - b);
    return perMessage[Math.floor(perMessage.length / 2)]!;
  }

  /** Both loops' heap growth per message, then the collector's cycles over `messages` round trips. */
  async function measure(api: "plain" | "slots") {
    slots = api === "slots";
    const sendBytes = bytesPerMessage(send);
    // The send loop left the subscriber's buffer full: empty it, so round trips start clean.
    subscriber.receive().unwrap()?.release();
    const roundTripBytes = bytesPerMessage(roundTrip);
    collect();
    const cycles = await gcCycles(() => {
      for (let i = 0; i < messages; i++) roundTrip(i);
    });
    const result: AllocationResult = {
      runtime,
      api,
      sendLoopBytesPerMessage: Math.round(sendBytes * 10) / 10,
      receiveLoopBytesPerMessage: Math.round((roundTripBytes - sendBytes) * 10) / 10,
      roundTripBytesPerMessage: Math.round(roundTripBytes * 10) / 10,
      messages,
      gcCycles: cycles,
    };
    return result;
  }

  const results = [await measure("plain"), await measure("slots")];
  subscriber.close();
  publisher.close();
  node.close();
  return results;
}
