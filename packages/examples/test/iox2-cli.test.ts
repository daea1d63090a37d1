/**
 * Upstream's official CLI (`iox2` of crates.io's iceoryx2-cli, the pinned iceoryx2 version) as an
 * external peer of the examples, on Node, Deno and Bun: it must see our services as they are,
 * feed our receivers and receive from our senders, and find no node of ours after SIGINT.
 * `scripts/iox2-cli.sh` installs the CLI once into a cache outside the clone (slow the first
 * time). Every run shares the config-file isolation of the example pairs.
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { ChildRun, replaceMarkedBlock, RUNTIMES, type Runtime } from "@iceoryx2-js/runtimes";
import { Node } from "@iceoryx2-js/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exampleProcess, here, isolatedWorkdir, removeSharedMemory } from "./workdir.js";

const filePrefix = `iox2js_cli_${process.pid}_`;
let cliDirectory = "";
let runs = 0;
const verdicts = new Map<string, boolean>();

beforeAll(() => {
  cliDirectory = execFileSync("bash", [here("../../../scripts/iox2-cli.sh")], { encoding: "utf8", timeout: 1_500_000, stdio: ["ignore", "pipe", "inherit"] }).trim();
}, 1_600_000);

afterAll(() => {
  removeSharedMemory(filePrefix);
  writeReport();
});

/** One `iox2 ...` run in `cwd`; resolves with its stdout once it exited 0. */
async function iox2(cwd: string, args: string[]): Promise<string> {
  // `iox2` runs its subcommands (`iox2-service`, ...) found on PATH.
  const env = { PATH: `${cliDirectory}:${process.env.PATH ?? ""}` };
  const run = new ChildRun(`iox2 ${args.join(" ")}`, [join(cliDirectory, "iox2"), args], { cwd, env });
  const code = await run.exitCode(20_000);
  expect(code, run.describe()).toBe(0);
  return run.lines.join("\n");
}

/**
 * Runs `body` with a fresh prefix and working directory; afterwards every example process must
 * end on SIGINT with `exit` and code 0, and `iox2 node list` must show no node left.
 */
async function scenario(name: string, runtime: Runtime, body: (cwd: string, started: ChildRun[]) => Promise<void>): Promise<void> {
  const prefix = `${filePrefix}${++runs}_`;
  const workdir = isolatedWorkdir(prefix);
  const started: ChildRun[] = [];
  let passed = false;
  try {
    await body(workdir.cwd, started);
    for (const process of started) process.kill("SIGINT");
    for (const process of started) {
      expect(await process.exitCode(10_000), process.describe()).toBe(0);
      expect(process.lines.at(-1), process.describe()).toBe("exit");
    }
    const nodes = JSON.parse(await iox2(workdir.cwd, ["node", "list", "-f", "JSON"])) as { num: number };
    expect(nodes.num).toBe(0);
    expect(Node.list({ prefix, builtInDefaults: true }).unwrap()).toEqual([]);
    passed = true;
  } finally {
    for (const process of started) process.kill();
    verdicts.set(`${name} ${runtime}`, passed);
    workdir.remove();
  }
}

const CHECKS = {
  details: "`iox2 service list` / `details` show our services: patterns, type names, sizes, alignments, our node",
  publish: "`iox2 service publish` → our subscriber prints the value",
  notify: "`iox2 service notify -e 42` → our listener sees id 42",
  listen: "our notifier → `iox2 service listen`",
  replay: "`iox2 service record` of our publisher → `replay` into our subscriber",
} as const;

describe.concurrent("the official iox2 CLI as a peer", () => {
  for (const runtime of RUNTIMES) {
    it(`${runtime}: ${CHECKS.details}, and no node after SIGINT`, () =>
      scenario("details", runtime, async (cwd, started) => {
        const publisher = exampleProcess(runtime, "publish_subscribe_with_user_header", "publisher", cwd, ["--cycle-ms", "100"]);
        const listener = exampleProcess(runtime, "event", "listener", cwd);
        const server = exampleProcess(runtime, "request_response", "server", cwd);
        started.push(publisher, listener, server);
        await Promise.all([publisher.line(/^Send sample 1 /), listener.line(/^Listener ready/), server.line(/^Server ready/)]);
        const services = JSON.parse(await iox2(cwd, ["service", "list", "-f", "JSON"])) as Record<string, string>[];
        expect(services).toEqual(
          expect.arrayContaining([{ PublishSubscribe: "ServiceWithUserHeader" }, { Event: "MyEventName" }, { RequestResponse: "My/Funk/ServiceName" }]),
        );
        const details = JSON.parse(await iox2(cwd, ["service", "details", "ServiceWithUserHeader", "-f", "JSON"])) as {
          pattern: { PublishSubscribe: { message_type_details: Record<string, unknown> } };
          nodes: { details: { pid: number; state: string }[] };
        };
        const types = details.pattern.PublishSubscribe.message_type_details;
        expect(types.payload).toEqual({ variant: "FixedSize", type_name: "u64", size: 8, alignment: 8 });
        expect(types.user_header).toEqual({ variant: "FixedSize", type_name: "CustomHeader", size: 16, alignment: 8 });
        expect(details.nodes.details).toEqual([expect.objectContaining({ pid: publisher.pid, state: "Alive" })]);
      }),
    );

    it(`${runtime}: ${CHECKS.publish}`, () =>
      scenario("publish", runtime, async (cwd, started) => {
        const subscriber = exampleProcess(runtime, "service_types", "ipc_threadsafe_subscriber", cwd);
        started.push(subscriber);
        // The subscriber prints nothing before data: publish until it printed (the CLI opens or creates).
        const printed = subscriber.line(/^\[main\] received: 42$/);
        const fortyTwo = ["--type-name", "u64", "--type-size", "8", "--type-alignment", "8", "--type-variant", "FIXEDSIZE"];
        await iox2(cwd, ["service", "publish", "Service-Variants-Example", ...fortyTwo, "-m", "2a 00 00 00 00 00 00 00", "-r", "20", "-t", "100"]);
        await printed;
      }),
    );

    it(`${runtime}: ${CHECKS.notify}`, () =>
      scenario("notify", runtime, async (cwd, started) => {
        const listener = exampleProcess(runtime, "event", "listener", cwd);
        started.push(listener);
        await listener.line(/^Listener ready/);
        await iox2(cwd, ["service", "notify", "-e", "42", "MyEventName"]);
        await listener.line(/^event EventId\(42\) was notified 1 times$/);
      }),
    );

    it(`${runtime}: ${CHECKS.listen}`, () =>
      scenario("listen", runtime, async (cwd, started) => {
        const notifier = exampleProcess(runtime, "event", "notifier", cwd, ["--cycle-ms", "100"]);
        started.push(notifier);
        await notifier.line(/^Trigger event with id 1 /);
        const heard = await iox2(cwd, ["service", "listen", "MyEventName", "-r", "3", "-t", "5000", "-f", "JSON"]);
        const ids = [...heard.matchAll(/"event_id": (\d+)/g)].map((m) => Number(m[1]));
        expect(ids.length, heard).toBeGreaterThanOrEqual(3);
        // Our notifier's ids are its counters; consecutive wake-ups see increasing ones.
        expect(ids.every((id, i) => i === 0 || id > ids[i - 1]!), heard).toBe(true);
      }),
    );

    it(`${runtime}: ${CHECKS.replay}`, () =>
      scenario("replay", runtime, async (cwd, started) => {
        const recording = join(cwd, "recording.txt");
        const publisher = exampleProcess(runtime, "publish_subscribe", "publisher", cwd, ["--cycle-ms", "50", "--count", "40"]);
        await publisher.line(/^Send sample 1 /);
        await iox2(cwd, ["service", "record", "-o", recording, "--max-messages", "3", "My/Funk/ServiceName"]);
        publisher.kill("SIGINT");
        expect(await publisher.exitCode(10_000), publisher.describe()).toBe(0);
        const subscriber = exampleProcess(runtime, "publish_subscribe", "subscriber", cwd);
        started.push(subscriber);
        await subscriber.line(/^Subscriber ready/);
        await iox2(cwd, ["service", "replay", "-i", recording]);
        const received = await subscriber.matching(/^received: TransmissionData /, 3);
        // Three consecutive samples of the publisher: x, x+1, x+2 with y = 3x.
        const xs = received.map((line) => Number(/x: (\d+), y: (\d+)/.exec(line)![1]));
        expect(xs).toEqual([xs[0], xs[0]! + 1, xs[0]! + 2]);
        for (const line of received) {
          const [, x, y] = /x: (\d+), y: (\d+)/.exec(line)!;
          expect(Number(y)).toBe(3 * Number(x));
        }
      }),
    );
  }
});

function writeReport(): void {
  const passed = [...verdicts.values()].filter(Boolean).length;
  const mark = (name: string, runtime: Runtime) => {
    const verdict = verdicts.get(`${name} ${runtime}`);
    return verdict === undefined ? "–" : verdict ? "✅" : "❌";
  };
  const rows = Object.entries(CHECKS).map(([name, title]) => `| ${title} | ${RUNTIMES.map((r) => mark(name, r)).join(" | ")} |`);
  const block = [
    `${passed} of ${verdicts.size} CLI checks passed (iceoryx2-cli from crates.io, the pinned version). Each also ends our processes with SIGINT (each prints \`exit\`, exits 0) and then finds no node in \`iox2 node list\`.`,
    "",
    "| `iox2` check | Node | Deno | Bun |",
    "| --- | --- | --- | --- |",
    ...rows,
  ].join("\n");
  replaceMarkedBlock(here("../../../README.md"), "iox2-cli", block);
}
