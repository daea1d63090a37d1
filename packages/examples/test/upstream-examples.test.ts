/**
 * Every example here paired with peers that behave like upstream's own programs of the same
 * example, in both directions, on Node, Deno and Bun: `peers/upstream_examples.py` (PyPI
 * iceoryx2) and `tools/interop/rust-peer/src/upstream_examples.rs` (the iceoryx2 crate, structs
 * written with garbage padding). Both poll where upstream polls and notify only where upstream
 * notifies.
 *
 * Each run happens in a working directory of its own whose `config/iceoryx2.toml` sets a prefix:
 * both sides find it through upstream's config lookup, so the run is isolated and proves that
 * the config file is read. Once the data arrived, both processes get SIGINT or SIGTERM; each must
 * print `exit`, exit 0 and leave no node behind. The results go to docs/upstream-examples.md and
 * the README.
 */
import { writeFileSync } from "node:fs";
import { ChildRun, replaceMarkedBlock, RUNTIMES, type Runtime } from "@iceoryx2-js/runtimes";
import { Node } from "@iceoryx2-js/node";
import { afterAll, describe, expect, it } from "vitest";
import { exampleProcess, here, isolatedWorkdir, removeSharedMemory } from "./workdir.js";
const PEERS = ["python", "rust"] as const;
type Peer = (typeof PEERS)[number];
const PEER_NAMES: Record<Peer, string> = { python: "Python", rust: "Rust" };
const peerCommands: Record<Peer, [string, string[]]> = {
  python: [here("../../../tools/interop/.venv/bin/python"), [here("../peers/upstream_examples.py")]],
  rust: [here("../../../target/release/iox2js-upstream-examples"), []],
};
const filePrefix = `iox2js_upex_${process.pid}_`;
// Upstream's flatbuffer examples find their schemas through this variable; every process here
// inherits it (the binary schemas of @iceoryx2-js/flatbuffer-schemas).
process.env["IOX2_FLATBUFFER_SCHEMA_PATH"] = here("../../../tools/flatbuffer-schemas/bfbs");
const CYCLE_MS = "100";
const LINES = 3;

/** One side of an example: its role (file) name and what it prints once it took part. */
interface Side {
  role: string;
  /** The upstream example the program belongs to, when not the row's own. */
  example?: string;
  /** Lines that prove this side received something; checked when set. */
  received?: RegExp;
  /** How many such lines (default 3). */
  lines?: number;
  args?: string[];
}

interface Example {
  name: string;
  /** Started first (a creator, a server, or a receiver that must not miss the first data). */
  first: { ts: Side; peer: Side };
  second: { ts: Side; peer: Side };
  /** Printed by the first side once it is set up (default: started and given a moment). */
  ready?: { ts?: RegExp; peer?: RegExp };
  /** The second side ends by itself (upstream's discovery and incompatible opener do). */
  oneShot?: boolean;
  /** Which directions each peer has (default: both); "ts-first": the TS side runs first. */
  directions?: Partial<Record<Peer, Direction[]>>;
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
    name: "cross_language_communication_container",
    first: {
      ts: {
        role: "subscriber",
        received: /^received: StaticVec<u64, 32> \{ len: 3, content: \[ (\d+), \d+, \d+ \] \}, user_header: StaticString<64> \{ len: 60, data: "Are Hypnotoad and Kermit related like Fry and the Professor\?" \}$/,
      },
      peer: { role: "subscriber", received: /^received values=(\d+),\d+,\d+ header=Are Hypnotoad and Kermit related like Fry and the Professor\?$/ },
    },
    second: { ts: { role: "publisher" }, peer: { role: "publisher" } },
    ready: { ts: /^Subscriber ready/ },
    directions: { python: [] }, // PyPI iceoryx2 has no container types; upstream's example is Rust and C++
  },
  {
    name: "cross_language_communication_complex_types",
    first: {
      ts: { role: "subscriber", received: /^received: \d+\.\d+$/ },
      peer: { role: "subscriber", received: /^received matrix25=\d+\.\d+ name=Kermit The Frog value=5$/ },
    },
    second: { ts: { role: "publisher" }, peer: { role: "publisher" } },
    ready: { ts: /^Subscriber ready/ },
    directions: { python: [] },
  },
  {
    name: "publish_subscribe_dynamic_data",
    first: { ts: { role: "subscriber", received: /^received \d+ bytes$/ }, peer: { role: "subscriber", received: /^received bytes=\d+ intact=True$/ } },
    second: { ts: { role: "publisher" }, peer: { role: "publisher" } },
    ready: { ts: /^Subscriber ready/ },
  },
  {
    name: "event",
    first: { ts: { role: "listener", received: /^event EventId\(\d+\) was notified \d+ times$/ }, peer: { role: "listener", received: /^received id=\d+ count=\d+$/ } },
    second: { ts: { role: "notifier" }, peer: { role: "notifier" } },
    ready: { ts: /^Listener ready to receive events!$/ },
  },
  {
    name: "event_multiplexing",
    first: {
      ts: { role: "wait", args: ["--services", "fuu", "--services", "bar"], received: /^Received trigger from "(fuu|bar)" :: EventId\((12|7)\), \d+ times$/ },
      peer: { role: "wait", args: ["--services", "fuu", "--services", "bar"], received: /^received service=fuu id=12 count=\d+$/ },
    },
    second: { ts: { role: "notifier", args: ["--service", "fuu", "--event-id", "12"] }, peer: { role: "notifier", args: ["--service", "fuu", "--event-id", "12"] } },
    ready: { ts: /^Waiting on the following services: \["fuu", "bar"\]$/ },
    directions: { python: ["ts-first"] }, // the Python peer has no WaitSet waiter
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
    name: "service_attributes (incompatible)",
    first: { ts: { role: "creator" }, peer: { example: "service_attributes", role: "creator" } },
    second: {
      ts: { example: "service_attributes", role: "incompatible", received: /^(camera_resolution: 3840x2160|camera_type) -> IncompatibleAttributes$/, lines: 2 },
      peer: { role: "incompatible" },
    },
    oneShot: true,
    directions: { python: ["peer-first"], rust: ["peer-first"] },
  },
  {
    name: "discovery",
    first: { ts: { role: "discovery" }, peer: { example: "publish_subscribe", role: "publisher" } },
    second: { ts: { role: "discovery", received: /^ {2}"name": "My\/Funk\/ServiceName",$/, lines: 1 }, peer: { role: "discovery" } },
    oneShot: true,
    directions: { python: ["peer-first"], rust: ["peer-first"] },
  },
  {
    name: "domains (discovery)",
    first: { ts: { role: "discovery" }, peer: { example: "domains", role: "publisher" } },
    second: { ts: { example: "domains", role: "discovery", received: /^ {2}my_funky_service$/, lines: 1 }, peer: { role: "discovery" } },
    oneShot: true,
    directions: { python: ["peer-first"], rust: ["peer-first"] },
  },
  {
    name: "domains",
    first: { ts: { role: "subscriber", received: TRANSMISSION }, peer: { role: "subscriber", received: PEER_TRANSMISSION } },
    second: { ts: { role: "publisher" }, peer: { role: "publisher" } },
    ready: { ts: /^subscribed to: / },
  },
  {
    name: "flatbuffer_publish_subscribe",
    first: {
      ts: { role: "subscriber", received: /^Entry 0: data_1=5, data_2=7$/ },
      peer: { role: "subscriber", received: /^received title=["']Hello World!["'] header=\d+ entries=5\/7( \d+\/\d+)*$/ },
    },
    second: { ts: { role: "publisher" }, peer: { role: "publisher" } },
    ready: { ts: /^Subscriber ready/ },
  },
  {
    name: "flatbuffer_request_response",
    first: {
      ts: { role: "server", received: /^  Send response \d+\+\d+ = (12|24)$/ },
      peer: { role: "server", received: /^answered request=\d+ responses=[12]$/ },
    },
    second: {
      ts: { role: "client", received: /^  Received response: (12|24)$/ },
      peer: { role: "client", received: /^received request=\d+ sum=(12|24)$/ },
    },
    ready: { ts: /^Server ready to receive requests!$/ },
  },
  {
    name: "service_types",
    first: { ts: { role: "ipc_threadsafe_subscriber", received: /^\[main\] received: \d+$/ }, peer: { role: "subscriber", received: /^received value=\d+$/ } },
    second: { ts: { role: "ipc_publisher" }, peer: { role: "ipc_publisher" } },
  },
];

type Direction = "ts-first" | "peer-first";
const BOTH: Direction[] = ["ts-first", "peer-first"];
const directionsOf = (example: Example, peer: Peer) => example.directions?.[peer] ?? BOTH;
const verdicts = new Map<string, boolean>();
const key = (example: string, runtime: Runtime, peer: Peer, direction: Direction) => `${example} ${runtime} ${peer} ${direction}`;
let runs = 0;

function tsProcess(runtime: Runtime, example: string, side: Side, cwd: string, extra: string[]): ChildRun {
  return exampleProcess(runtime, side.example ?? example, side.role, cwd, ["--cycle-ms", CYCLE_MS, ...(side.args ?? []), ...extra]);
}

function peerProcess(peer: Peer, example: string, side: Side, cwd: string, extra: string[]): ChildRun {
  const [command, prefixArgs] = peerCommands[peer];
  const args = [...prefixArgs, side.example ?? example, side.role, "--cycle-ms", CYCLE_MS, ...(side.args ?? []), ...extra];
  return new ChildRun(`${peer} ${example} ${side.role}`, [command, args], { cwd, env: { IOX2_LOG_LEVEL: "Error" } });
}

async function run(example: Example, runtime: Runtime, peer: Peer, direction: Direction): Promise<void> {
  const id = ++runs;
  const prefix = `${filePrefix}${id}_`;
  const workdir = isolatedWorkdir(prefix);
  const { cwd } = workdir;
  // The domains example sets its prefix itself: a domain of this run's own.
  const domain = example.name.startsWith("domains") ? ["--domain", `${prefix}dom_`] : [];
  const tsFirst = direction === "ts-first";
  const first = tsFirst ? tsProcess(runtime, example.name, example.first.ts, cwd, domain) : peerProcess(peer, example.name, example.first.peer, cwd, domain);
  const firstSide = tsFirst ? example.first.ts : example.first.peer;
  const secondSide = tsFirst ? example.second.peer : example.second.ts;
  let second: ChildRun | undefined;
  let passed = false;
  try {
    const ready = tsFirst ? example.ready?.ts : (example.ready?.peer ?? /^ready/);
    // Without a ready line, the second side starts at once: the sender repeats every cycle.
    if (ready !== undefined) await first.line(ready);
    second = tsFirst ? peerProcess(peer, example.name, secondSide, cwd, domain) : tsProcess(runtime, example.name, secondSide, cwd, domain);
    const checks = [
      firstSide.received && first.matching(firstSide.received, firstSide.lines ?? LINES),
      secondSide.received && second.matching(secondSide.received, secondSide.lines ?? LINES),
    ];
    await Promise.all(checks.filter(Boolean));
    // Upstream's examples end on SIGINT (Ctrl-C) or SIGTERM: both are used, one per process.
    // A one-shot program (discovery, the incompatible opener) ends by itself, as upstream's does.
    const oneShot = example.oneShot === true;
    const secondCode = oneShot ? await second.exitCode(20_000) : undefined;
    first.kill(id % 2 === 0 ? "SIGINT" : "SIGTERM");
    if (!oneShot) second.kill(id % 2 === 0 ? "SIGTERM" : "SIGINT");
    const codes = await Promise.all([first.exitCode(10_000), secondCode ?? second.exitCode(10_000)]);
    const described = `${first.describe()}\n${second.describe()}`;
    expect(codes, described).toEqual([0, 0]);
    const lastLines = [first.lines.at(-1), ...(oneShot ? [] : [second.lines.at(-1)])];
    expect(lastLines, described).toEqual(oneShot ? ["exit"] : ["exit", "exit"]);
    // Nothing is left behind: no node, alive or dead, in the run's prefixes.
    for (const p of [prefix, ...(domain.length > 0 ? [domain[1]!] : [])]) {
      expect(Node.list({ prefix: p, builtInDefaults: true }).unwrap(), described).toEqual([]);
    }
    passed = true;
  } finally {
    first.kill();
    second?.kill();
    verdicts.set(key(example.name, runtime, peer, direction), passed);
    workdir.remove();
  }
}

afterAll(() => {
  removeSharedMemory(filePrefix);
  writeReport();
});

describe.concurrent("upstream's examples, each paired with upstream-like Python and Rust peers", () => {
  for (const example of EXAMPLES) {
    for (const runtime of RUNTIMES) {
      for (const peer of PEERS) {
        for (const direction of directionsOf(example, peer)) {
          const [a, b] =
            direction === "ts-first"
              ? [`${runtime} ${example.first.ts.role}`, `${peer} ${example.second.peer.role}`]
              : [`${peer} ${example.first.peer.role}`, `${runtime} ${example.second.ts.role}`];
          it(`${example.name}: ${a} ↔ ${b}`, () => run(example, runtime, peer, direction), 60_000);
        }
      }
    }
  }
});

/**
 * Upstream's own end-to-end scenario of health_monitoring, with the four programs spread over
 * the three runtimes: a killed publisher is found dead by the daemon, a killed daemon and
 * publisher by the subscriber, which then ends on SIGINT like the others.
 */
let healthMonitoring: boolean | undefined;
describe("health_monitoring: upstream's end-to-end scenario across runtimes", () => {
  it("node daemon, deno publisher_1, bun publisher_2, node subscriber", async () => {
    healthMonitoring = false;
    const prefix = `${filePrefix}health_`;
    const workdir = isolatedWorkdir(prefix);
    const started: ChildRun[] = [];
    const start = (runtime: Runtime, role: string) => {
      const process = exampleProcess(runtime, "health_monitoring", role, workdir.cwd);
      started.push(process);
      return process;
    };
    try {
      const daemon = start("node", "central_daemon");
      await daemon.line(/^Central daemon up and running\.$/);
      const publisher1 = start("deno", "publisher_1");
      const publisher2 = start("bun", "publisher_2");
      await Promise.all([publisher1.line(/^service_1: Send sample /), publisher2.line(/^service_2: Send sample /)]);
      const subscriber = start("node", "subscriber");
      await subscriber.line(/^service_1: Received sample \d+ \.\.\.$/);
      publisher1.kill("SIGKILL");
      await daemon.line(/^detected dead node: Some\("publisher 1"\)$/);
      await subscriber.line(/^service_1: process died!$/);
      daemon.kill("SIGKILL");
      publisher2.kill("SIGKILL");
      await subscriber.line(/^detected dead node: Some\("(central daemon|publisher 2)"\)$/);
      await subscriber.line(/^service_2: violated contract and did not send a message after 2s\.$/);
      subscriber.kill("SIGINT");
      expect(await subscriber.exitCode(10_000), subscriber.describe()).toBe(0);
      expect(subscriber.lines.at(-1)).toBe("exit");
      healthMonitoring = true;
    } finally {
      for (const process of started) process.kill();
      workdir.remove();
    }
  }, 60_000);
});

/** docs/upstream-examples.md and the README's table: example × runtime × peer × direction. */
function writeReport(): void {
  const mark = (example: Example, runtime: Runtime, peer: Peer, direction: Direction) => {
    if (!directionsOf(example, peer).includes(direction)) return "—";
    const verdict = verdicts.get(key(example.name, runtime, peer, direction));
    return verdict === undefined ? "–" : verdict ? "✅" : "❌";
  };
  const passed = [...verdicts.values()].filter(Boolean).length;
  const columns = RUNTIMES.flatMap((runtime) => PEERS.map((peer) => [runtime, peer] as const));
  const runtimeName = (r: Runtime) => r[0]!.toUpperCase() + r.slice(1);
  const rows = EXAMPLES.map((example) => {
    const cells = columns.map(([runtime, peer]) => `${mark(example, runtime, peer, "ts-first")} ${mark(example, runtime, peer, "peer-first")}`);
    return `| ${example.name} | ${cells.join(" | ")} |`;
  });
  const block = [
    `${passed} of ${verdicts.size} runs passed. First mark: the TypeScript side started first (subscriber, listener, server, creator, waiter) and the peer joined; second mark: the other way round (— : that peer has no such role). Each run: data checked on every receiving side, both processes ended by SIGINT/SIGTERM (one-shot programs — discovery, the incompatible opener — end by themselves), each printed \`exit\` and exited 0, no node left.`,
    "",
    `| upstream example | ${columns.map(([r, p]) => `${runtimeName(r)} ↔ ${PEER_NAMES[p]}`).join(" | ")} |`,
    `| --- | ${columns.map(() => "---").join(" | ")} |`,
    ...rows,
    "",
    `health_monitoring, upstream's own end-to-end scenario (daemon, two publishers, subscriber; publishers and daemon killed with SIGKILL) with the programs spread over Node, Deno and Bun: ${healthMonitoring === undefined ? "–" : healthMonitoring ? "✅" : "❌"}`,
  ].join("\n");
  const root = (path: string) => here(`../../../${path}`);
  writeFileSync(
    root("docs/upstream-examples.md"),
    `# Upstream's examples against upstream-like peers\n\nWritten by \`packages/examples/test/upstream-examples.test.ts\` on every test run.\n\n${block}\n`,
  );
  replaceMarkedBlock(root("README.md"), "upstream-examples", block);
}
