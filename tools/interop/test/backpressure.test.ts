/**
 * A send cannot freeze the event loop without a bound the user chose: a publisher on Node, Deno
 * and Bun sends to a subscriber of the Python binding (PyPI iceoryx2) that was stopped with
 * SIGSTOP while its one-sample buffer is full (safe overflow off, backpressure
 * `retryUntilDelivered`, upstream's default strategy). With a send timeout the send gives up on
 * it after that time with `UnableToDeliver`; with `Infinity` (upstream's behaviour) it blocks
 * until the subscriber runs again.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createInterface } from "node:readline";
import { afterAll, describe, expect, it } from "vitest";
import { RUNTIMES, runtimeCommand } from "@iceoryx2-js/runtimes";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const prefix = `iox2js_backpressure_${process.pid}_`;
let counter = 0;
const stopped: ChildProcess[] = [];

const PYTHON_SUBSCRIBER = `
import ctypes, sys, iceoryx2 as iox2
config = iox2.config.default()
config.global_cfg.prefix = iox2.FileName.new(sys.argv[1])
node = iox2.NodeBuilder.new().config(config).create(iox2.ServiceType.Ipc)
service = (node.service_builder(iox2.ServiceName.new(sys.argv[2])).publish_subscribe(ctypes.c_uint64)
           .enable_safe_overflow(False).subscriber_max_buffer_size(1).create())
subscriber = service.subscriber_builder().buffer_size(1).create()
print("ready", flush=True)
sys.stdin.readline()  # "connect": a publisher exists now
subscriber.receive()  # connects to it (and finds nothing yet)
print("connected", flush=True)
sys.stdin.read()
`;

afterAll(() => {
  for (const child of stopped) {
    child.kill("SIGCONT");
    child.kill("SIGKILL");
  }
  for (const name of readdirSync("/dev/shm")) if (name.startsWith(prefix)) rmSync(`/dev/shm/${name}`, { force: true });
});

/** Resolves with the first line of `child` matching `pattern`; fails after 20 s. */
function lineOf(child: ChildProcess, pattern: RegExp, what: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what}: no line like ${pattern} within 20 s`)), 20_000);
    createInterface({ input: child.stdout! }).on("line", (line) => {
      if (pattern.test(line)) {
        clearTimeout(timer);
        resolve(line);
      }
    });
  });
}

/**
 * The Python subscriber and the probe on `runtime`, connected, the subscriber then stopped
 * (SIGSTOP) and the probe told to send; resolves with the probe's output once it exits or
 * `limitMs` passed (then it is killed with SIGTERM).
 */
async function sendToStoppedSubscriber(runtime: (typeof RUNTIMES)[number], service: string, timeoutMs: string, limitMs: number) {
  const subscriber = spawn(here("../.venv/bin/python"), ["-c", PYTHON_SUBSCRIBER, prefix, service], { stdio: ["pipe", "pipe", "inherit"] });
  stopped.push(subscriber);
  await lineOf(subscriber, /^ready$/, "the Python subscriber");
  const [file, args] = runtimeCommand(runtime, here("../dist/send-probe.js"));
  const sender = spawn(file, [...args, "--prefix", prefix, "--service", service, "--count", "3", "--timeout-ms", timeoutMs], { stdio: ["pipe", "pipe", "pipe"] });
  stopped.push(sender);
  let stdout = "";
  let stderr = "";
  sender.stdout!.on("data", (chunk) => (stdout += String(chunk)));
  sender.stderr!.on("data", (chunk) => (stderr += String(chunk)));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => sender.on("close", (code, signal) => resolve({ code, signal })));
  await lineOf(sender, /^publisher$/, "the probe");
  subscriber.stdin!.write("connect\n");
  await lineOf(subscriber, /^connected$/, "the Python subscriber");
  subscriber.kill("SIGSTOP");
  sender.stdin!.write("go\n");
  const limit = setTimeout(() => sender.kill("SIGTERM"), limitMs);
  const { code, signal } = await exited;
  clearTimeout(limit);
  return { code, signal, stdout, stderr };
}

const sends = (stdout: string) =>
  stdout
    .split("\n")
    .filter((line) => line.startsWith("send "))
    .map((line) => {
      const [, , outcome, ms] = line.split(" ");
      return { outcome, ms: Number(ms) };
    });

describe.each(RUNTIMES)("a send to a SIGSTOPped Python subscriber, on %s", (runtime) => {
  it("gives up on it after the send timeout with UnableToDeliver (each send held the thread that long)", async () => {
    const service = `Backpressure/bounded/${counter++}`;
    const run = await sendToStoppedSubscriber(runtime, service, "200", 60_000);
    expect(run.code, run.stderr).toBe(0);
    const [first, second, third] = sends(run.stdout);
    console.log(`${runtime}: sends to a stopped subscriber held the thread ${sends(run.stdout).map((send) => `${send.ms} ms (${send.outcome})`).join(", ")}`);
    expect(first?.outcome).toBe("ok"); // the buffer had room for one
    for (const refused of [second, third]) {
      expect(refused?.outcome).toBe("UnableToDeliver");
      expect(refused!.ms).toBeGreaterThan(190);
      expect(refused!.ms).toBeLessThan(5_000);
    }
  });

  it("with Infinity blocks as upstream's ports do, until the subscriber runs again", async () => {
    const service = `Backpressure/unbounded/${counter++}`;
    const run = await sendToStoppedSubscriber(runtime, service, "infinity", 3_000);
    expect(run.signal).toBe("SIGTERM"); // still blocked in the second send when the limit came
    expect(sends(run.stdout).map((s) => s.outcome)).toEqual(["ok"]);
  });
});
