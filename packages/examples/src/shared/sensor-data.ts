import type { InferInit, InferView, Node } from "@iceoryx2-js/node";
import { iox2 } from "./adapter.js";

const { array, f32, f64, struct, u32, u64, u8 } = iox2;

/** The demo's payload; a C or Rust peer declares the same `#[repr(C)]` struct named "SensorData". */
export const SensorData = struct("SensorData", {
  timestampNs: u64,
  temperature: f64,
  pressure: f64,
  humidity: f32,
  status: u32,
  sensorId: array(u8, 16),
});

export type SensorReading = InferInit<typeof SensorData>;

export const DEMO_SERVICE = "iceoryx2-js/Demo/SensorData";

const SENSOR_ID = new TextEncoder().encode("sensor-0042\0\0\0\0\0");

/** The reading with sequence number `n`: every field is a function of `n`, so a receiver can check it. */
export function reading(n: number, baseNs: bigint) {
  return {
    timestampNs: baseNs + BigInt(n) * 1_000_000n,
    temperature: 20 + (n % 1000) * 0.01,
    pressure: 1013.25 + (n % 7),
    humidity: Math.fround(0.4 + (n % 50) / 100),
    status: n,
    sensorId: SENSOR_ID,
  } satisfies SensorReading;
}

/** Whether a received reading equals `reading(view.status, baseNs)` in every field. */
export function isIntact(view: InferView<typeof SensorData>, baseNs: bigint): boolean {
  const expected = reading(view.status, baseNs);
  const id = view.sensorId;
  for (let i = 0; i < 16; i++) if (id.get(i) !== expected.sensorId[i]) return false;
  return (
    view.timestampNs === expected.timestampNs &&
    view.temperature === expected.temperature &&
    view.pressure === expected.pressure &&
    view.humidity === expected.humidity
  );
}

/**
 * Opens (or creates) the demo service the same way on every side: a buffer large enough for
 * the whole run, so a publisher that is faster than a subscriber loses nothing.
 */
export function openDemoService(node: Node, service: string, count: number) {
  return node
    .serviceBuilder(service)
    .publishSubscribe(SensorData)
    .subscriberMaxBufferSize(count)
    .maxSubscribers(4)
    .openOrCreate()
    .unwrap();
}
