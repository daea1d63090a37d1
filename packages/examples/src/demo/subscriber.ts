/**
 * Receives `count` SensorData readings and checks every field, then prints a summary line:
 *   node dist/demo/subscriber.js <service> <count> <baseNs> <label>
 * Prints "ready" once subscribed, so a publisher started afterwards reaches it.
 */
import process from "node:process";
import { iox2 } from "../shared/adapter.js";
import { setTimeout as delay } from "node:timers/promises";
import { DEMO_SERVICE, isIntact, openDemoService } from "../shared/sensor-data.js";

const [service = DEMO_SERVICE, countText = "1000", baseText = "0", label = "node"] = process.argv.slice(2);
const count = Number(countText);
const baseNs = BigInt(baseText);
const deadline = Date.now() + 60_000;

using node = new iox2.NodeBuilder().name(`demo-subscriber-${label}`).create().unwrap();
using pubsub = openDemoService(node, service, count);
using subscriber = pubsub.subscriberBuilder().create().unwrap();
console.log("ready");

let received = 0;
let intact = 0;
while (received < count && Date.now() < deadline) {
  const sample = subscriber.receive().unwrap();
  if (sample === null) {
    // Event-driven waiting arrives with listeners; until then poll gently.
    await delay(1);
    continue;
  }
  const payload = sample.payload;
  if (isIntact(payload, baseNs)) intact++;
  if (received < 3 || received % 250 === 0) {
    console.log(
      `[subscriber ${label}] #${payload.status} t=${payload.timestampNs} temperature=${payload.temperature.toFixed(2)} ` +
        `pressure=${payload.pressure.toFixed(2)} humidity=${payload.humidity.toFixed(2)}`,
    );
  }
  sample.release();
  received++;
}
console.log(`[subscriber ${label}] summary: expected=${count} received=${received} intact=${intact}`);
process.exitCode = received === count && intact === count ? 0 : 1;
