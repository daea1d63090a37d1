/**
 * Creates and closes ports in one synchronous loop, then collects garbage in the same job
 * (test/sync-churn.test.ts), on Node (`--expose-gc`), Deno (`--v8-flags=--expose-gc`) or Bun.
 *
 *   sync-churn-peer <prefix> <count>
 *
 * Prints `heap <json>`: the heap in use before the loop and after it plus a full collection,
 * in bytes. A closed port must be collectable at once, also before the job ends.
 */
import process from "node:process";
import { iox2 } from "@iceoryx2-js/runtimes/adapter/internal";

const [prefix, countText] = process.argv.slice(2);
const count = Number(countText);
if (prefix === undefined || !Number.isSafeInteger(count) || count <= 0) {
  process.stderr.write("usage: sync-churn-peer <prefix> <count>\n");
  process.exit(2);
}

const collect = (): void => {
  const bun = (globalThis as { Bun?: { gc(force: boolean): void } }).Bun;
  const gc = (globalThis as { gc?: () => void }).gc;
  if (bun !== undefined) bun.gc(true);
  else if (gc !== undefined) gc();
  else throw new Error("no way to collect garbage: run with --expose-gc");
};

const node = new iox2.NodeBuilder().config({ prefix }).create().unwrap();
const service = node.serviceBuilder("churn").publishSubscribe(iox2.u64).create().unwrap();
collect();
const before = process.memoryUsage().heapUsed;
for (let i = 0; i < count; i++) service.subscriberBuilder().create().unwrap().close();
collect();
const after = process.memoryUsage().heapUsed;
console.log(`heap ${JSON.stringify({ before, after })}`);
node.close();
