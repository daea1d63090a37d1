/**
 * `npm run demo`: a Node publisher sends SensorData structs over iceoryx2 shared memory to a
 * Node, a Deno and a Bun subscriber, each a separate process; ends with a summary.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { denoConfigFile } from "@iceoryx2-js/runtimes";

const COUNT = 2000;
const service = `iceoryx2-js/Demo/SensorData/${process.pid}`;
const baseNs = BigInt(Date.now()) * 1_000_000n;
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const script = (name: string) => here(`./${name}.js`);
const bin = (name: string) => here(`../../node_modules/.bin/${name}`);

/** How each runtime starts an example script; Deno needs the adapter's config and permissions. */
const launchers: Record<string, (file: string) => [string, string[]]> = {
  node: (file) => [process.execPath, [file]],
  deno: (file) => [bin("deno"), ["run", "--quiet", "--config", denoConfigFile(), "--allow-ffi", "--allow-env", "--allow-read", file]],
  bun: (file) => [bin("bun"), ["run", file]],
};

interface Started {
  child: ChildProcess;
  exit: Promise<number>;
}

function start(runtime: string, name: string, args: string[], onLine: (line: string) => void): Started {
  const [command, prefix] = launchers[runtime]!(script(name));
  const child = spawn(command, [...prefix, ...args], { stdio: ["pipe", "pipe", "inherit"] });
  createInterface({ input: child.stdout! }).on("line", onLine);
  const exit = new Promise<number>((resolve) => {
    child.on("exit", (code) => resolve(code ?? 1));
    child.on("error", (error) => {
      console.error(`[demo] cannot start ${runtime}: ${error.message}`);
      resolve(1);
    });
  });
  return { child, exit };
}

const runtimes = ["node", "deno", "bun"];
const summaries: string[] = [];
const subscribers = runtimes.map((runtime) => {
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  const started = start(runtime, "subscriber", [service, String(COUNT), String(baseNs), runtime], (line) => {
    if (line === "ready") return markReady();
    if (line.includes("summary:")) summaries.push(line);
    console.log(line);
  });
  return { runtime, ...started, ready: Promise.race([ready, started.exit]) };
});
await Promise.all(subscribers.map((s) => s.ready));

const publisher = start("node", "publisher", [service, String(COUNT), String(baseNs)], (line) => console.log(line));
const subscriberCodes = await Promise.all(subscribers.map((s) => s.exit));
publisher.child.stdin!.end();
const publisherCode = await publisher.exit;

const intact = summaries.map((line) => Number(/intact=(\d+)/.exec(line)?.[1] ?? 0)).reduce((a, b) => a + b, 0);
const expected = COUNT * subscribers.length;
console.log(
  `\nDemo summary: a Node publisher sent ${COUNT} SensorData structs; ` +
    `${subscribers.length} subscriber processes (${runtimes.join(", ")}) received ${intact} of ${expected} intact ` +
    `(publisher exit ${publisherCode}, subscriber exits ${subscriberCodes.join(", ")}).`,
);
process.exitCode = publisherCode === 0 && subscriberCodes.every((code) => code === 0) && intact === expected ? 0 : 1;
