/**
 * Per-call cost of a receive on the runtime this runs on (node, deno or bun):
 *   node dist/micro/receive-overhead.js
 *   deno run -A --config ../../packages/deno/deno.json dist/micro/receive-overhead.js
 *   bun dist/micro/receive-overhead.js
 * (from tools/benchmarks, after its build).
 */
import { readdirSync, rmSync } from "node:fs";
import { iox2, runtime } from "@iceoryx2-js/runtimes/adapter/internal";
import { SensorData } from "./shared/sensor-data.js";

const now = () => performance.now() * 1e6;

function bench(label: string, iterations: number, body: (i: number) => void): void {
  for (let i = 0; i < Math.min(iterations, 20_000); i++) body(i);
  const start = now();
  for (let i = 0; i < iterations; i++) body(i);
  console.log(`${runtime.padEnd(5)} ${label.padEnd(52)} ${((now() - start) / iterations).toFixed(0).padStart(7)} ns/op`);
}

const prefix = `iox2js_bench_receive_${runtime}_${Math.floor(performance.timeOrigin)}_`;
const node = new iox2.NodeBuilder().config({ prefix }).create().unwrap();
const service = node.serviceBuilder("Bench/Receive").publishSubscribe(SensorData).create().unwrap();
const publisher = service.publisherBuilder().create().unwrap();
const subscriber = service.subscriberBuilder().create().unwrap();
const value = { timestampNs: 1n, temperature: 2, pressure: 3, humidity: 4, status: 5, sensorId: new Uint8Array(16) };

bench("receive(), nothing waiting (public API)", 200_000, () => void subscriber.receive());
bench("sendCopy + receive + read a field + release", 100_000, () => {
  publisher.sendCopy(value);
  const sample = subscriber.receive().unwrap()!;
  if (sample.payload.status !== 5) throw new Error("mismatch");
  sample.release();
});
bench("loan + write a field + send + receive + release", 100_000, (i) => {
  const sample = publisher.loan().unwrap();
  sample.payload.status = i;
  sample.send();
  subscriber.receive().unwrap()!.release();
});
node.close();
// iceoryx2 keeps one management segment per prefix; this run's prefix is its own.
for (const file of readdirSync("/dev/shm")) if (file.startsWith(prefix)) rmSync(`/dev/shm/${file}`);
