/**
 * What making a sample's memory visible to JavaScript costs, against the alternatives (Node):
 * the native loan with a buffer over the chunk, the public API around it, views into a
 * once-mapped segment, struct accessors, and whole round trips in one process.
 *   node dist/micro/view-creation.js   (from tools/benchmarks, after its build)
 */
import { iox2 } from "@iceoryx2-js/runtimes/adapter/internal";
import { SensorData } from "./shared/sensor-data.js";

const { backend, nativeFor, NodeBuilder } = iox2;

function bench(label: string, iterations: number, body: (i: number) => void): number {
  for (let i = 0; i < Math.min(iterations, 20_000); i++) body(i); // warm-up
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) body(i);
  const ns = Number(process.hrtime.bigint() - start) / iterations;
  console.log(`${label.padEnd(72)} ${ns.toFixed(1).padStart(8)} ns/op`);
  return ns;
}

const node = new NodeBuilder().name("bench").config({ prefix: `iox2js_bench_${process.pid}_` }).create().unwrap();
const service = node.serviceBuilder("Bench/Views").publishSubscribe(SensorData).create().unwrap();
const publisher = service.publisherBuilder().create().unwrap();
const subscriber = service.subscriberBuilder().create().unwrap();
const N = 200_000;

console.log(`${process.version}, iceoryx2 ${backend.iceoryx2Version}`);

// 1. What the library does per sample, straight on the native layer: loan, a buffer of the
//    sample's own over its chunk, detach + release.
const native = nativeFor(backend);
const rawNode = native.control("node.create", 0, { config: { prefix: `iox2js_bench_raw_${process.pid}_` } });
const rawService = native.control("pubsub.serviceOpen", rawNode, {
  name: "Bench/Raw",
  mode: "create",
  payload: { variant: "fixedSize", typeName: "SensorData", size: 48, alignment: 8 },
});
const rawPublisher = native.control("pubsub.publisherCreate", rawService, {});
const viaNative = bench("native: loan + buffer over the chunk + detach + release", N, () => {
  native.ops.publisherLoan(rawPublisher, 1, 0);
  const sample = backend.sampleInfo[0]!;
  const buffer = native.ops.sampleSpan(sample);
  native.ops.close(sample, buffer);
});

// 2. The same through the public API.
const viaApi = bench("public API: publisher.loan().unwrap().release()", N, () => {
  publisher.loan().unwrap().release();
});

// 3. The alternative: views into a once-mapped segment (just the JS view creation).
const segment = new ArrayBuffer(1 << 20);
const viaSegment = bench("once-mapped segment: new Uint8Array(segment, offset, 48) + DataView", N, (i) => {
  const offset = (i & 1023) * 64;
  const bytes = new Uint8Array(segment, offset, 48);
  const view = new DataView(segment, offset, 48);
  if (bytes.length + view.byteLength !== 96) throw new Error("unreachable");
});

// 4. Accessor creation and field access over a view.
const bytes = new Uint8Array(48);
bench("struct accessor creation (SensorData.view)", N, () => {
  SensorData.view(bytes);
});
const accessor = SensorData.view(bytes);
bench("accessor field write + read (f64)", N * 5, (i) => {
  accessor.temperature = i;
  if (accessor.temperature !== i) throw new Error("mismatch");
});

// 5. Whole round trips in one process.
bench("loan + write 2 fields + send + receive + read + release", N, (i) => {
  const sample = publisher.loan().unwrap();
  sample.payload.status = i;
  sample.payload.temperature = 1.5;
  sample.send().unwrap();
  const received = subscriber.receive().unwrap()!;
  if (received.payload.status !== i) throw new Error("mismatch");
  received.release();
});
const value = { timestampNs: 1n, temperature: 2, pressure: 3, humidity: 4, status: 5, sensorId: new Uint8Array(16) };
bench("sendCopy(struct) + receive + release", N, () => {
  publisher.sendCopy(value).unwrap();
  subscriber.receive().unwrap()!.release();
});
bench("receive() with nothing waiting", N * 5, () => {
  subscriber.receive().unwrap();
});

console.log(
  `\nthe native loan/release with a buffer over the chunk costs ${viaNative.toFixed(0)} ns ` +
    `(JS views into a pre-mapped segment: ${viaSegment.toFixed(0)} ns); the public API adds ${(viaApi - viaNative).toFixed(0)} ns.`,
);
node.close();
native.close(rawNode);
