/**
 * A 4K RGBA video stream (3840 × 2160 × 4 = 33,177,600 bytes per frame) at default QoS, on the
 * runtime that runs it: a publisher and a subscriber in two processes (this one and a child of
 * the same runtime). For each frame the publisher loans it, fills it (a copy of a whole frame
 * from JavaScript memory with `payload.write(frame)`, or one byte per 4 KiB page with
 * `payload.set`: what a producer that renders in place pays beyond its own work) and sends it;
 * the subscriber reads one byte per page with `payload.get` and answers with a tiny ack, so the
 * time per frame is a one-frame round trip. Both sides use the slice views over the once-mapped
 * segment (`typedArray()` would map a private alias per sample: about 8,100 page faults per
 * frame). Prints the median and p99 round trip and the frames per second.
 *   node|deno run -A|bun dist/micro/frames-4k.js [--frames 200]
 */
import { spawn } from "node:child_process";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { iox2, runtime } from "@iceoryx2-js/runtimes/adapter";

const FRAME = 3840 * 2160 * 4;
const PAGE = 4096;
const args = process.argv.slice(2);
const option = (name: string, fallback: string) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1]! : fallback);
const role = option("role", "publisher");
const prefix = option("prefix", `iox2js_frames_${process.pid}_`);
const frames = Number(option("frames", "200"));
const node = new iox2.NodeBuilder().config({ prefix }).create().unwrap();
const frameService = node.serviceBuilder("Bench/Frames").publishSubscribe(iox2.slice(iox2.u8)).openOrCreate().unwrap();
const ackService = node.serviceBuilder("Bench/FrameAcks").publishSubscribe(iox2.u64).openOrCreate().unwrap();

/** Spins on `receive` until a sample arrives (both sides poll: this measures the data path). */
function next<R>(subscriber: { receive(): { unwrap(): R | null } }): R {
  for (;;) {
    const sample = subscriber.receive().unwrap();
    if (sample !== null) return sample;
  }
}

if (role === "subscriber") {
  using frames_ = frameService.subscriberBuilder().create().unwrap();
  using acks = ackService.publisherBuilder().create().unwrap();
  console.log("ready");
  for (;;) {
    const frame = next(frames_);
    const view = frame.payload;
    let sum = 0;
    for (let i = 0; i < FRAME; i += PAGE) sum += view.get(i);
    const last = view.get(FRAME - 1);
    frame.release();
    acks.sendCopy(BigInt(sum + last)).unwrap();
    if (last === 255) break;
  }
  node.close();
} else {
  const publisher = frameService.publisherBuilder().initialMaxSliceLen(FRAME).create().unwrap();
  const acks = ackService.subscriberBuilder().create().unwrap();
  const self = fileURLToPath(import.meta.url);
  const command = runtime === "deno" ? [process.execPath, ["run", "-A", ...(process.env.IOX2JS_DENO_CONFIG ? ["--config", process.env.IOX2JS_DENO_CONFIG] : []), self]] : [process.execPath, [self]];
  const child = spawn(command[0] as string, [...(command[1] as string[]), "--role", "subscriber", "--prefix", prefix], { stdio: ["ignore", "pipe", "inherit"] });
  await new Promise<void>((resolve) => child.stdout!.on("data", (chunk) => String(chunk).includes("ready") && resolve()));
  const source = new Uint8Array(FRAME).fill(7);
  for (const fill of ["copied whole (payload.write)", "one byte per page (payload.set)"] as const) {
    const times: number[] = [];
    for (let i = 0; i < frames + 10; i++) {
      const start = performance.now();
      const sample = publisher.loanSliceUninit(FRAME).unwrap();
      const view = sample.payload;
      if (fill === "copied whole (payload.write)") view.write(source);
      else for (let at = 0; at < FRAME; at += PAGE) view.set(at, i & 0x7f);
      view.set(FRAME - 1, 0);
      sample.send().unwrap();
      next(acks).release();
      if (i >= 10) times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    const total = times.reduce((a, b) => a + b, 0);
    console.log(
      `${runtime}, 4K RGBA frames (${FRAME} B), written ${fill}: median ${times[times.length >> 1]!.toFixed(2)} ms, p99 ${times[Math.floor(times.length * 0.99)]!.toFixed(2)} ms per frame round trip; ${(times.length / (total / 1000)).toFixed(0)} frames/s`,
    );
  }
  const last = publisher.loanSliceUninit(FRAME).unwrap();
  last.payload.set(FRAME - 1, 255);
  last.send().unwrap();
  await new Promise((resolve) => child.on("exit", resolve));
  node.close();
}
