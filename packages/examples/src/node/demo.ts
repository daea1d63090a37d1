/**
 * `npm run demo`: a Node publisher and a Node subscriber exchange SensorData structs as two
 * separate processes over iceoryx2 shared memory; ends with a summary.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const COUNT = 2000;
const service = `iceoryx2-js/Demo/SensorData/${process.pid}`;
const baseNs = BigInt(Date.now()) * 1_000_000n;
const script = (name: string) => fileURLToPath(new URL(`./${name}.js`, import.meta.url));

function start(name: string, args: string[], onLine: (line: string) => void): { child: ChildProcess; exit: Promise<number> } {
  const child = spawn(process.execPath, [script(name), ...args], { stdio: ["pipe", "pipe", "inherit"] });
  createInterface({ input: child.stdout! }).on("line", onLine);
  const exit = new Promise<number>((resolve) => child.on("exit", (code) => resolve(code ?? 1)));
  return { child, exit };
}

const summaries: string[] = [];
let markReady: () => void = () => {};
const ready = new Promise<void>((resolve) => (markReady = resolve));
const subscriber = start("subscriber", [service, String(COUNT), String(baseNs), "node"], (line) => {
  if (line === "ready") return markReady();
  if (line.includes("summary:")) summaries.push(line);
  console.log(line);
});
await Promise.race([ready, subscriber.exit]);

const publisher = start("publisher", [service, String(COUNT), String(baseNs)], (line) => console.log(line));
const subscriberCode = await subscriber.exit;
publisher.child.stdin!.end();
const publisherCode = await publisher.exit;

const intact = summaries.map((line) => Number(/intact=(\d+)/.exec(line)?.[1] ?? 0)).reduce((a, b) => a + b, 0);
console.log(
  `\nDemo summary: ${COUNT} SensorData structs sent by a Node process; ` +
    `${summaries.length} subscriber process(es) received ${intact} intact ` +
    `(publisher exit ${publisherCode}, subscriber exit ${subscriberCode}).`,
);
process.exitCode = publisherCode === 0 && subscriberCode === 0 && intact === COUNT ? 0 : 1;
