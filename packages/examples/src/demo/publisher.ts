/**
 * Publishes `count` SensorData readings, written in place into loaned shared memory, then
 * stays connected until its standard input closes (so late samples remain deliverable).
 *
 *   node dist/demo/publisher.js <service> <count> <baseNs>
 */
import process from "node:process";
import { iox2 } from "../shared/adapter.js";
import { DEMO_SERVICE, openDemoService, reading } from "../shared/sensor-data.js";

const [service = DEMO_SERVICE, countText = "1000", baseText = "0"] = process.argv.slice(2);
const count = Number(countText);
const baseNs = BigInt(baseText);

using node = new iox2.NodeBuilder().name("demo-publisher").create().unwrap();
using pubsub = openDemoService(node, service, count);
using publisher = pubsub.publisherBuilder().create().unwrap();

for (let n = 0; n < count; n++) {
  const sample = publisher.loan().unwrap();
  const value = reading(n, baseNs);
  const payload = sample.payload; // a zero-copy accessor into shared memory
  payload.timestampNs = value.timestampNs;
  payload.temperature = value.temperature;
  payload.pressure = value.pressure;
  payload.humidity = value.humidity;
  payload.status = value.status;
  payload.sensorId.write(value.sensorId);
  sample.send().unwrap();
}
console.log(`[publisher] sent ${count} SensorData samples on '${service}'`);

// Keep the publisher (and its data segment) alive until the demo says the subscribers are done.
process.stdin.resume();
await new Promise<void>((resolve) => process.stdin.once("end", resolve));
console.log("[publisher] done");
