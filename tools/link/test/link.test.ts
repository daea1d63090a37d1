/**
 * TypeScript services on two hosts joined by upstream's Zenoh link tunnel (issue 21).
 *
 * Two simulated hosts (src/hosts.ts: a network namespace each, a veth pair between them, and a
 * private /dev/shm and /tmp/iceoryx2 each). On each host runs upstream's `iox2-link-tunnel-zenoh`
 * (built once by scripts/link-tunnel.sh), listening on tcp/0.0.0.0:7447 and connecting to the
 * other host, multicast scouting off. Every process of a host shares that host's shared memory and
 * nothing else. The cases run in order on the same tunnels:
 *
 * a. a Node publisher on A, subscribers on B on Node, Deno and Bun: every value, in order, once;
 * b. a plain Zenoh subscriber (Python, PyPI eclipse-zenoh) on B sees the same bytes on the key
 *    iox2/v1/channel/<service hash>/*;
 * c. an event id notified on A wakes a listener on B with that id;
 * d. the link goes down and up again: every process lives on, the flow resumes, the loss is counted;
 * e. bad input: a tunnel whose peer does not exist, a tunnel killed mid-stream, the same service
 *    name with another payload type on each host.
 *
 * Nothing before the link carries a service is lost silently: senders probe (value 0) until
 * every receiver saw a probe, and only then send the checked values.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runtimeCommand, type ChildRun } from "@iceoryx2-js/runtimes";
import { namespacesAvailable, TwoHosts } from "../src/hosts.js";
import { channelKey, hostDir, peerScript, received, startPeer, startTunnel, startZenohPeer, tunnelBinDir, until, ZENOH_PORT } from "../src/link.js";

const available = namespacesAvailable();
const isRoot = process.getuid?.() === 0;
/** Without root (a contributor's machine) the suite is skipped and says why; as root it must run. */
const skip = !available.ok && !isRoot && process.env["CI"] === undefined;
if (skip) console.warn(`link test skipped: network namespaces are not available here (${available.ok ? "" : available.why}); run as root`);

/** How many checked values the stream case sends. */
const STREAM_COUNT = 300;

let hosts: TwoHosts;
let binDir: string;
const tunnels: Partial<Record<"a" | "b", ChildRun>> = {};

const peerOf = (host: "a" | "b") => `tcp/${hosts.hosts[host === "a" ? "b" : "a"].address}:${ZENOH_PORT}`;
const MAIN = { allow: ["Link/Main/*"] };

async function startMainTunnel(host: "a" | "b"): Promise<ChildRun> {
  tunnels[host] = await startTunnel(hosts, host, binDir, { connect: peerOf(host), ...MAIN });
  return tunnels[host];
}

/** Whether `run` is still running (no exit yet). */
async function alive(run: ChildRun): Promise<boolean> {
  return (await Promise.race([run.exited.then(() => false), new Promise<boolean>((resolve) => setImmediate(() => resolve(true)))])) as boolean;
}

/** Values `1..last` in order, each once: the lines of a subscriber that missed nothing. */
function expectEveryValue(run: ChildRun, last: number): void {
  expect(run.lines.filter((line) => line.startsWith("order-error")), run.describe()).toEqual([]);
  expect(received(run), run.label).toEqual(Array.from({ length: last }, (_, i) => i + 1));
}

/** Strictly increasing values (no duplicate, no reordering), and what is missing between the first and the last. */
function gaps(values: number[]): { missing: number; runs: [number, number][] } {
  const runs: [number, number][] = [];
  let missing = 0;
  for (let i = 1; i < values.length; i++) {
    expect(values[i]!, `value ${i}`).toBeGreaterThan(values[i - 1]!);
    if (values[i]! > values[i - 1]! + 1) {
      runs.push([values[i - 1]! + 1, values[i]! - 1]);
      missing += values[i]! - values[i - 1]! - 1;
    }
  }
  return { missing, runs };
}

describe.skipIf(skip)("iceoryx2 link over Zenoh between two simulated hosts", () => {
  beforeAll(async () => {
    if (!available.ok) throw new Error(`network namespaces cannot be created here: ${available.why}`);
    binDir = tunnelBinDir();
    hosts = await TwoHosts.create(hostDir());
    await Promise.all([startMainTunnel("a"), startMainTunnel("b")]);
  });

  afterAll(async () => {
    await hosts?.close();
  });

  it("a: a Node publisher on A reaches subscribers on B on Node, Deno and Bun, every value once, in order; b: plain Zenoh sees the same bytes", async () => {
    const service = "Link/Main/Stream";
    const subscribers = await Promise.all((["node", "deno", "bun"] as const).map((runtime) => startPeer(hosts, "b", runtime, "subscriber", ["--service", service])));
    // Plain Zenoh on host B, subscribed across the veth at host A's tunnel.
    const zenoh = await startZenohPeer(hosts, "b", "sub", ["--connect", `tcp/${hosts.hosts.a.address}:${ZENOH_PORT}`, "--key", channelKey(service, "publish-subscribe")]);
    const publisher = await startPeer(hosts, "a", "node", "publisher", ["--service", service]);

    publisher.send("probe");
    await Promise.all(subscribers.map((run) => run.line(/^probe$/)));
    await zenoh.line(/^data /);
    publisher.send(`stream 1 ${STREAM_COUNT} 2`);
    expect(await publisher.line(/^sent /)).toBe(`sent ${STREAM_COUNT} errors 0`);
    await Promise.all(subscribers.map((run) => run.line(new RegExp(`^recv ${STREAM_COUNT}$`))));
    for (const run of subscribers) expectEveryValue(run, STREAM_COUNT);

    // The bytes on the wire: the u64 payload as it is in shared memory (little endian), nothing around it.
    await zenoh.line(new RegExp(`^data \\S+ ${Buffer.from(new BigUint64Array([BigInt(STREAM_COUNT)]).buffer).toString("hex")}$`));
    const data = zenoh.lines.filter((line) => line.startsWith("data "));
    const keyPrefix = channelKey(service, "publish-subscribe").slice(0, -1);
    for (const line of data) expect(line.split(" ")[1]!.startsWith(keyPrefix), line).toBe(true);
    const values = data.map((line) => Buffer.from(line.split(" ")[2]!, "hex")).map((bytes) => {
      expect(bytes.length).toBe(8);
      return Number(bytes.readBigUInt64LE(0));
    });
    expect(values.filter((value) => value !== 0)).toEqual(Array.from({ length: STREAM_COUNT }, (_, i) => i + 1));

    publisher.send("quit");
    expect(await publisher.finish()).toBe(0);
    for (const run of [...subscribers, zenoh]) expect(await run.finish(), run.describe()).toBe(0);
  });

  it("c: an event id notified on A wakes a listener on B with that id", async () => {
    const service = "Link/Main/Event";
    const listener = await startPeer(hosts, "b", "node", "listener", ["--service", service]);
    const notifier = await startPeer(hosts, "a", "node", "notifier", ["--service", service]);
    notifier.send("probe 7");
    await listener.line(/^event 7$/);
    notifier.send("notify 42");
    expect(await notifier.line(/^notified 42 /)).toMatch(/^notified 42 [1-9]\d*$/);
    await listener.line(/^event 42$/);
    expect(new Set(listener.lines.filter((line) => line.startsWith("event ")))).toEqual(new Set(["event 7", "event 42"]));
    expect(await notifier.finish()).toBe(0);
    expect(await listener.finish()).toBe(0);
  });

  it("d: the link goes down and up: every process lives on, the flow resumes; the loss during the gap is counted", async () => {
    const service = "Link/Main/Drop";
    const subscriber = await startPeer(hosts, "b", "node", "subscriber", ["--service", service]);
    const publisher = await startPeer(hosts, "a", "node", "publisher", ["--service", service]);
    publisher.send("probe");
    await subscriber.line(/^probe$/);
    // 100 values a second, for as long as the case runs.
    publisher.send("pace 1 10");
    const results: string[] = [];
    for (const gapMs of [3_000, 14_000]) {
      const before = received(subscriber).length;
      await until(subscriber, () => received(subscriber).length >= before + 50, "the flow before the gap");
      hosts.setLink("a", "down");
      const downAt = received(subscriber).at(-1)!;
      // The fault itself lasts gapMs (shorter, then longer than Zenoh's 10 s lease).
      await new Promise((resolve) => setTimeout(resolve, gapMs));
      const duringGap = received(subscriber).filter((value) => value > downAt).length;
      hosts.setLink("a", "up");
      const upAt = Number(publisher.lines.filter((line) => line.startsWith("at ")).at(-1)?.split(" ")[1] ?? 0);
      await until(subscriber, () => received(subscriber).some((value) => value > upAt + 100), "the flow after the link came back", 40_000);
      const values = received(subscriber);
      const { missing, runs } = gaps(values);
      results.push(`gap ${gapMs} ms: ${duringGap} values arrived while down, lost so far ${missing} (${JSON.stringify(runs)})`);
      for (const run of [publisher, subscriber, tunnels.a!, tunnels.b!]) expect(await alive(run), run.describe()).toBe(true);
    }
    console.log(`link drop at 100 values/s: ${results.join("; ")}`);
    publisher.send("quit");
    expect(await publisher.finish()).toBe(0);
    expect(await subscriber.finish()).toBe(0);
    expect(publisher.lines.filter((line) => line.startsWith("send-error"))).toEqual([]);
  });

  it("e: a tunnel whose peer does not exist: it keeps trying, local traffic is unaffected, nothing is left in /dev/shm", async () => {
    const before = hosts.sharedMemory("a");
    const lonely = await startTunnel(hosts, "a", binDir, { connect: "tcp/10.77.0.99:7447", port: 7448, allow: ["Link/Lonely/*"], label: "lonely-tunnel" });
    const service = "Link/Lonely/Stream";
    const subscriber = await startPeer(hosts, "a", "node", "subscriber", ["--service", service]);
    const publisher = await startPeer(hosts, "a", "node", "publisher", ["--service", service]);
    publisher.send("stream 1 100 1");
    expect(await publisher.line(/^sent /)).toBe("sent 100 errors 0");
    await subscriber.line(/^recv 100$/);
    expectEveryValue(subscriber, 100);
    expect(await alive(lonely), lonely.describe()).toBe(true);
    publisher.send("quit");
    expect(await publisher.finish()).toBe(0);
    expect(await subscriber.finish()).toBe(0);
    lonely.kill("SIGINT");
    expect(await lonely.exitCode(), lonely.describe()).toBe(0);
    expect(lonely.lines.join("\n")).toMatch(/Tunnel stopped/);
    expect(hosts.sharedMemory("a")).toEqual(before);
  });

  it("e: a tunnel with exit-on-failure and no reachable peer stops with a clear log line; nothing is left in /dev/shm", async () => {
    const before = hosts.sharedMemory("a");
    // Zenoh's own switch to give up on a peer it cannot reach within the timeout.
    const config = join(hosts.workDir, "failing.json5");
    writeFileSync(
      config,
      `{ mode: "peer", listen: { endpoints: ["tcp/0.0.0.0:7450"] },
         connect: { endpoints: ["tcp/10.77.0.99:7447"], timeout_ms: 2000, exit_on_failure: true },
         scouting: { multicast: { enabled: false }, gossip: { enabled: false } } }`,
    );
    const run = hosts.start("a", "failing-tunnel", ["bash", ["-c", 'exec "$@" 2>&1', "sh", `${binDir}/iox2-link-tunnel-zenoh`, "--zenoh-config", config, "-a", "Link/Failing/*"]]);
    const code = await run.exitCode(30_000);
    const log = [...run.lines, ...run.errorLines].join("\n");
    expect(code, log).not.toBe(0);
    expect(code, log).not.toBe(-1);
    expect(log).toMatch(/^Error: CreationError::Session$/m);
    expect(hosts.sharedMemory("a")).toEqual(before);
  });

  it("e: the tunnel killed mid-stream: publisher and subscribers keep running; a restarted tunnel resumes the flow", async () => {
    const service = "Link/Main/Kill";
    const subscribers = await Promise.all((["node", "deno"] as const).map((runtime) => startPeer(hosts, "b", runtime, "subscriber", ["--service", service])));
    const publisher = await startPeer(hosts, "a", "node", "publisher", ["--service", service]);
    publisher.send("probe");
    await Promise.all(subscribers.map((run) => run.line(/^probe$/)));
    publisher.send("pace 1 10");
    await Promise.all(subscribers.map((run) => until(run, () => received(run).length >= 50, "the flow")));
    tunnels.a!.kill("SIGKILL");
    expect(await tunnels.a!.exitCode()).toBe(128 + 9);
    const killedAt = Number(publisher.lines.filter((line) => line.startsWith("at ")).at(-1)?.split(" ")[1] ?? 0);
    // The publisher goes on by itself: it passes 100 more values with the tunnel gone.
    await until(publisher, (lines) => lines.some((line) => line.startsWith("at ") && Number(line.split(" ")[1]) >= killedAt + 100), "the publisher going on");
    for (const run of [publisher, ...subscribers, tunnels.b!]) expect(await alive(run), run.describe()).toBe(true);
    await startMainTunnel("a");
    const restartedAt = Number(publisher.lines.filter((line) => line.startsWith("at ")).at(-1)?.split(" ")[1] ?? 0);
    await Promise.all(subscribers.map((run) => until(run, () => received(run).some((value) => value > restartedAt + 50), "the flow after the restart")));
    publisher.send("quit");
    expect(await publisher.finish()).toBe(0);
    for (const run of subscribers) {
      expect(await run.finish(), run.describe()).toBe(0);
      gaps(received(run));
    }
    // Whatever a send reported is a typed error, not a crash.
    for (const line of publisher.lines.filter((l) => l.startsWith("send-error"))) expect(line).toMatch(/^send-error \d+ [A-Za-z]+$/);
    console.log(
      `tunnel killed: publisher send errors ${publisher.lines.filter((l) => l.startsWith("send-error")).length}; ` +
        subscribers.map((run) => `${run.label}: lost ${gaps(received(run)).missing}`).join(", "),
    );
  });

  it("e: a program opening a mirrored service with another payload type gets IncompatibleTypes; the flow goes on", async () => {
    const service = "Link/Main/Typed";
    const publisher = await startPeer(hosts, "a", "node", "publisher", ["--service", service]);
    publisher.send("probe");
    // The mirror exists on B once a subscriber there sees the probes.
    const subscriber = await startPeer(hosts, "b", "node", "subscriber", ["--service", service]);
    await subscriber.line(/^probe$/);
    const [file, args] = runtimeCommand("node", peerScript());
    const wrong = hosts.start("b", "u32 subscriber", [file, [...args, "subscriber", "--service", service, "--type", "u32"]]);
    expect(await wrong.exitCode(), wrong.describe()).toBe(1);
    expect(wrong.errorLines.join("\n")).toMatch(/^error open or create Link\/Main\/Typed: IncompatibleTypes: /);
    publisher.send("stream 1 50 2");
    await subscriber.line(/^recv 50$/);
    expectEveryValue(subscriber, 50);
    publisher.send("quit");
    expect(await publisher.finish()).toBe(0);
    expect(await subscriber.finish()).toBe(0);
  });

  it("e: the same service name with another payload type on each host: the tunnels refuse to relay and say so, local processes are unaffected", async () => {
    const service = "Link/Mismatch/Value";
    // Both hosts' services exist before the tunnels that carry them start: each side exports its own.
    const subscriber = await startPeer(hosts, "b", "node", "subscriber", ["--service", service, "--type", "u32"]);
    const localSubscriber = await startPeer(hosts, "a", "node", "subscriber", ["--service", service, "--type", "u64"]);
    const publisher = await startPeer(hosts, "a", "node", "publisher", ["--service", service, "--type", "u64"]);
    const port = 7449;
    const pair = await Promise.all(
      (["a", "b"] as const).map((host) =>
        startTunnel(hosts, host, binDir, { connect: `tcp/${hosts.hosts[host === "a" ? "b" : "a"].address}:${port}`, port, allow: ["Link/Mismatch/*"], label: "mismatch-tunnel" }),
      ),
    );
    publisher.send("pace 1 10");
    await Promise.all(pair.map((run) => run.line(/has other types on a peer/)));
    await until(localSubscriber, () => received(localSubscriber).length >= 50, "local delivery");
    expect(received(subscriber)).toEqual([]);
    for (const run of [publisher, subscriber, localSubscriber, ...pair]) expect(await alive(run), run.describe()).toBe(true);
    publisher.send("quit");
    expect(await publisher.finish()).toBe(0);
    expect(publisher.lines.filter((line) => line.startsWith("send-error"))).toEqual([]);
    for (const run of [subscriber, localSubscriber]) expect(await run.finish(), run.describe()).toBe(0);
    for (const run of pair) {
      run.kill("SIGINT");
      expect(await run.exitCode(), run.describe()).toBe(0);
    }
  });
});
