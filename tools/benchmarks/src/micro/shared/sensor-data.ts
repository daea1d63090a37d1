import { iox2 } from "@iceoryx2-js/runtimes/adapter/internal";

const { array, f32, f64, struct, u32, u64, u8 } = iox2;

/** The demo's 48-byte payload, as the examples declare it. */
export const SensorData = struct("SensorData", {
  timestampNs: u64,
  temperature: f64,
  pressure: f64,
  humidity: f32,
  status: u32,
  sensorId: array(u8, 16),
});
