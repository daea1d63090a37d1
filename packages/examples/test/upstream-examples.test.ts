/**
 * Every example here paired with a peer that behaves like upstream's own program of the same
 * example (`peers/upstream_examples.py`, PyPI iceoryx2: polls where upstream polls, notifies only
 * where upstream notifies), in both directions, on Node, Deno and Bun.
 *
 * Each run happens in a working directory of its own whose `config/iceoryx2.toml` sets a prefix:
 * both sides find it through upstream's config lookup, so the run is isolated and proves that
 * the config file is read. Once the data arrived, both processes get SIGINT or SIGTERM; each must
 * print `exit`, exit 0 and leave no node behind. The results go to docs/upstream-examples.md and
 * the README.
 */
import { writeFileSync } from "node:fs";
import { ChildRun, replaceMarkedBlock, RUNTIMES, type Runtime } from "@iceoryx2-js/process-harness";
import { Node } from "@iceoryx2-js/node";
import { afterAll, describe, expect, it } from "vitest";
import { exampleProcess, here, isolatedWorkdir, removeSharedMemory } from "./workdir.js";
const python = here("../../interop/.venv/bin/python");
const peerScript = here("../peers/upstream_examples.py");
const filePrefix = `iox2js_upex_${process.pid}_`;
const CYCLE_MS = "100";
const LINES = 3;

/** One side of an example: its role (file) name and what it prints once it took part. */
interface Side {
  role: string;
  /** Lines that prove this side received something; checked when set. */
  received?: RegExp;
  args?: string[];
}

interface Example {
  name: string;
  /** Started first (a creator, a server, or a receiver that must not miss the first data). */
  first: { ts: Side; peer: Side };
  second: { ts: Side; peer: Side };
  /** Printed by the first side once it is set up (default: started and given a moment). */
  ready?: { ts?: RegExp; peer?: RegExp };
  /** Which directions exist: "first" means the TS side runs first and the peer second. */
  directions?: ("ts-first" | "peer-first")[];
}

const TRANSMISSION = /^received: TransmissionData \{ x: \d+, y: \d+, funky: [\d.]+ \}$/;
const PEER_TRANSMISSION = /^received x=\d+ y=\d+ funky=/;

const EXAMPLES: Example[] = [
  {
    name: "publish_subscribe",
    first: { ts: { role: "subscriber", received: TRANSMISSION }, peer: { role: "subscriber", received: PEER_TRANSMISSION } },
    second: { ts: { role: "publisher" }, peer: { role: "publisher" } },
    ready: { ts: /^Subscriber ready to receive data!$/ },
  },
  {
    name: "publish_subscribe_with_user_header",
    first: {
      ts: { role: "subscriber", received: /^received: \d+, user_header: CustomHeader \{ version: 123, timestamp: 803\d\d \}$/ },
      peer: { role: "subscriber", received: /^received value=\d+ version=123 timestamp=803\d\d$/ },
    },
    second: { ts: { role: "publisher" }, peer: { role: "publisher" } },
    ready: { ts: /^Subscriber ready/ },
  },
  {
    name: "cross_language_communication_basics",
    first: {
      ts: { role: "subscriber", received: /^received: TransmissionData \{ x: \d+, .* \}, user_header: CustomHeader \{ version: 123, timestamp: 803\d\d \}$/ },
      peer: { role: "subscriber", received: /^received x=\d+ y=\d+ funky=\S+ version=123 timestamp=803\d\d$/ },
    },
    second: { ts: { role: "publisher" }, peer: { role: "publisher" } },
    ready: { ts: /^Subscriber ready/ },
  },
  {
    name: "publish_subscribe_dynamic_data",
    first: { ts: { role: "subscriber", received: /^received \d+ bytes$/ }, peer: { role: "subscriber", received: /^received bytes=\d+ intact=True$/ } },
    second: { ts: { role: "publisher" }, peer: { role: "publisher" } },
    ready: { ts: /^Subscriber ready/ },
  },
  {
    name: "event",
    first: { ts: { role: "listener", received: /^event EventId \{ value: \d+ \} was notified \d+ times$/ }, peer: { role: "listener", received: /^received id=\d+ count=\d+$/ } },
    second: { ts: { role: "notifier" }, peer: { role: "notifier" } },
    ready: { ts: /^Listener ready to receive events!$/ },
  },
  {
    name: "event_multiplexing",
    first: {
      ts: { role: "wait", args: ["--services", "fuu", "--services", "bar"], received: /^Received trigger from "(fuu|bar)" :: EventId \{ value: (12|7) \}, \d+ times$/ },
      peer: { role: "wait" },
    },
    second: { ts: { role: "notifier" }, peer: { role: "notifier", args: ["--service", "fuu", "--event-id", "12"] } },
    ready: { ts: /^Waiting on the following services: \["fuu", "bar"\]$/ },
    directions: ["ts-first"],
  },
  {
    name: "event_based_communication",
    first: { ts: { role: "subscriber", received: /^received: \d+$/ }, peer: { role: "subscriber", received: PEER_TRANSMISSION } },
    // The TS publisher hears the Python subscriber's protocol events (ReceivedSample = 5).
    second: { ts: { role: "publisher", received: /^subscriber has consumed sample$/ }, peer: { role: "publisher", received: /^event id=5$/ } },
    ready: { ts: /^Subscriber ready/ },
  },
  {
    name: "request_response",
    first: { ts: { role: "server", received: /^received request: \d+$/ }, peer: { role: "server", received: /^received request=\d+$/ } },
    second: {
      ts: { role: "client", received: /^ {2}received response \d+: TransmissionData \{ x: \d+, y: \d+, funky: [\d.]+ \}$/ },
      peer: { role: "client", received: /^received request=\d+ x=\d+ y=\d+ funky=/ },
    },
    ready: { ts: /^Server ready to receive requests!$/ },
  },
  {
    name: "request_response_dynamic_data",
    first: { ts: { role: "server", received: /^received request with \d+ bytes \.\.\.$/ }, peer: { role: "server", received: /^received bytes=\d+$/ } },
    second: { ts: { role: "client", received: /^ {2}received response with \d+ bytes$/ }, peer: { role: "client", received: /^received bytes=\d+$/ } },
    ready: { ts: /^Server ready to receive requests!$/ },
  },
  {
    name: "blackboard",
    first: { ts: { role: "creator" }, peer: { role: "creator" } },
    second: { ts: { role: "opener", received: /^key: 0, value: \d+$/ }, peer: { role: "opener", received: /^received key0=\d+ key1=\S+$/ } },
    ready: { ts: /^Blackboard created\.$/ },
  },
  {
    name: "blackboard_event_based_communication",
    first: { ts: { role: "creator" }, peer: { role: "creator" } },
    second: { ts: { role: "opener", received: /^read: \d+ for entry id \d+$/ }, peer: { role: "opener", received: /^received key1=\d+ id=\d+$/ } },
    ready: { ts: /^Blackboard created\.$/ },
  },
  {
    name: "service_attributes",
    first: { ts: { role: "creator" }, peer: { role: "creator" } },
    second: { ts: { role: "opener", received: /^received: 0$/ }, peer: { role: "opener", received: /^received value=0$/ } },
    ready: { ts: /^defined service attributes: / },
  },
  {
    name: "domains",
    first: { ts: { role: "subscriber", received: TRANSMISSION }, peer: { role: "subscriber", received: PEER_TRANSMISSION } },
    second: { ts: { role: "publisher" }, peer: { role: "publisher" } },
    ready: { ts: /^subscribed to: / },
  },
  {
    name: "service_types",
    first: { ts: { role: "ipc_threadsafe_subscriber", received: /^\[main\] received: \d+$/ }, peer: { role: "subscriber", received: /^received value=\d+$/ } },
    second: { ts: { role: "ipc_publisher" }, peer: { role: "ipc_publisher" } },
  },
];

type Direction = "ts-first" | "peer-first";
const verdicts = new Map<string, boolean>();
const key = (example: string, runtime: Runtime, direction: Direction) => `${example} ${runtime} ${direction}`;
let runs = 0;

function tsProcess(runtime: Runtime, example: string, side: Side, cwd: string, extra: string[]): ChildRun {
  return exampleProcess(runtime, example, side.role, cwd, ["--cycle-ms", CYCLE_MS, ...(side.args ?? []), ...extra]);
}

function peerProcess(example: string, side: Side, cwd: string, extra: string[]): ChildRun {
  const args = [peerScript, example, side.role, "--cycle-ms", CYCLE_MS, ...(side.args ?? []), ...extra];
  return new ChildRun(`python ${example} ${side.role}`, [python, args], { cwd, env: { IOX2_LOG_LEVEL: "Error" } });
}

async function run(example: Example, runtime: Runtime, direction: Direction): Promise<void> {
  const id = ++runs;
  const prefix = `${filePrefix}${id}_`;
  const workdir = isolatedWorkdir(prefix);
  const { cwd } = workdir;
  // The domains example sets its prefix itself: a domain of this run's own.
  const domain = example.name === "domains" ? ["--domain", `${prefix}dom_`] : [];
  const tsFirst = direction === "ts-first";
  const first = tsFirst ? tsProcess(runtime, example.name, example.first.ts, cwd, domain) : peerProcess(example.name, example.first.peer, cwd, domain);
  const firstSide = tsFirst ? example.first.ts : example.first.peer;
  const secondSide = tsFirst ? example.second.peer : example.second.ts;
  let second: ChildRun | undefined;
  let passed = false;
  try {
    const ready = tsFirst ? example.ready?.ts : (example.ready?.peer ?? /^ready/);
    // Without a ready line, the second side starts at once: the sender repeats every cycle.
    if (ready !== undefined) await first.line(ready);
    second = tsFirst ? peerProcess(example.name, secondSide, cwd, domain) : tsProcess(runtime, example.name, secondSide, cwd, domain);
    const checks = [
      firstSide.received && first.matching(firstSide.received, LINES),
      secondSide.received && second.matching(secondSide.received, LINES),
    ];
    await Promise.all(checks.filter(Boolean));
    // Upstream's examples end on SIGINT (Ctrl-C) or SIGTERM: both are used, one per process.
    first.kill(id % 2 === 0 ? "SIGINT" : "SIGTERM");
    second.kill(id % 2 === 0 ? "SIGTERM" : "SIGINT");
    const codes = await Promise.all([first.exitCode(10_000), second.exitCode(10_000)]);
    const described = `${first.describe()}\n${second.describe()}`;
    expect(codes, described).toEqual([0, 0]);
    expect([first.lines.at(-1), second.lines.at(-1)], described).toEqual(["exit", "exit"]);
    // Nothing is left behind: no node, alive or dead, in the run's prefixes.
    for (const p of [prefix, ...(domain.length > 0 ? [domain[1]!] : [])]) {
      expect(Node.list({ prefix: p, builtInDefaults: true }).unwrap(), described).toEqual([]);
    }
    passed = true;
  } finally {
    first.kill();
    second?.kill();
    verdicts.set(key(example.name, runtime, direction), passed);
    workdir.remove();
  }
}

afterAll(() => {
  removeSharedMemory(filePrefix);
  writeReport();
});

describe.concurrent("upstream's examples, each paired with an upstream-like Python peer", () => {
  for (const example of EXAMPLES) {
    for (const runtime of RUNTIMES) {
      for (const direction of example.directions ?? (["ts-first", "peer-first"] as const)) {
        const [a, b] = direction === "ts-first" ? [`${runtime} ${example.first.ts.role}`, `python ${example.second.peer.role}`] : [`python ${example.first.peer.role}`, `${runtime} ${example.second.ts.role}`];
        it(`${example.name}: ${a} ↔ ${b}`, () => run(example, runtime, direction), 60_000);
      }
    }
  }
});

/** docs/upstream-examples.md and the README's table: example × runtime × direction. */
function writeReport(): void {
  const mark = (example: Example, runtime: Runtime, direction: Direction) => {
    if (!(example.directions ?? ["ts-first", "peer-first"]).includes(direction)) return "—";
    const verdict = verdicts.get(key(example.name, runtime, direction));
    return verdict === undefined ? "–" : verdict ? "✅" : "❌";
  };
  const passed = [...verdicts.values()].filter(Boolean).length;
  const rows = EXAMPLES.map((example) => {
    const cells = RUNTIMES.map((runtime) => `${mark(example, runtime, "ts-first")} ${mark(example, runtime, "peer-first")}`);
    return `| ${example.name} | ${cells.join(" | ")} |`;
  });
  const block = [
    `${passed} of ${verdicts.size} runs passed. First mark: the TypeScript side started first (subscriber, listener, server, creator) and the Python peer joined; second mark: the other way round. Each run: data checked on every receiving side, both processes ended by SIGINT/SIGTERM, each printed \`exit\` and exited 0, no node left.`,
    "",
    `| upstream example | Node ↔ Python | Deno ↔ Python | Bun ↔ Python |`,
    `| --- | --- | --- | --- |`,
    ...rows,
  ].join("\n");
  const root = (path: string) => here(`../../../${path}`);
  writeFileSync(
    root("docs/upstream-examples.md"),
    `# Upstream's examples against upstream-like peers\n\nWritten by \`packages/examples/test/upstream-examples.test.ts\` on every test run.\n\n${block}\n`,
  );
  replaceMarkedBlock(root("README.md"), "upstream-examples", block);
}
