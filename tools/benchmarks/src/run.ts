/**
 * Runs the benchmarks and writes the report (Node only):
 *
 *   node dist/run.js            full run → docs/benchmarks/{README.md,latency.svg,results.json}
 *   node dist/run.js --smoke    every mechanism with a few iterations → smoke-output/, and checks it
 *
 * Options: --out <dir>, --only <text> (pairs whose name contains it, for trying things out),
 * --no-profile, and --profile <runtime>:<cycle|latency|throughput|idle>:<wait>:<size> (repeatable),
 * which only profiles those cases and prints the Markdown (e.g. `--profile node:cycle:poll:8`).
 * Needs the build: `turbo run build --filter=@iceoryx2-js/benchmarks...`.
 * One line per measurement goes to stdout as the run goes.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import { cpuSeconds, describeMachine, loadAverage } from "./machine.js";
import { FULL, JS_RUNTIMES, SMOKE, plan, sizeLabel, type Launch, type Measurement, type PairRun, type Runtime, type Settings } from "./plan.js";
import { Peer, commandOf, missingBuildOutputs, runtimeCommand, type LaunchOptions } from "./processes.js";
import { PERF_HZ, cpuProfileSummary, perfAvailable, perfRecord, perfSummary, removePerfMap, v8LogSummary, type ProfileSummary } from "./profile.js";
import { setupLine, type AllocationResult, type LatencyResult, type NonNotifyingResult, type ThroughputResult } from "./protocol.js";
import {
  RUNTIME_NAMES,
  formatNs,
  latencyLabel,
  latencyPlot,
  markdown,
  profilesMarkdown,
  targets,
  type AllocationRecord,
  type NonNotifyingRecord,
  type CallsRecord,
  type IdleRecord,
  type Outcome,
  type ProfileRequest,
  type Results,
} from "./report.js";

const ROOT_COMMAND = "npm run bench";
const SMOKE_COMMAND = "bash scripts/pnpm.sh --filter @iceoryx2-js/benchmarks bench:smoke";
/** Start-up and `ready`/`done` steps; the measuring step has the case's own limit. */
const STEP_MS = 30_000;
/** A spinning side that got less of a core than this shared it with other work. */
const MIN_CPU_SHARE = 0.85;

const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(`--${name}`);
const option = (name: string) => {
  const at = argv.indexOf(`--${name}`);
  return at < 0 ? undefined : argv[at + 1];
};
const settings: Settings = flag("smoke") ? SMOKE : FULL;
const outDir = option("out") ?? fileURLToPath(new URL(settings.smoke ? "../smoke-output" : "../../../docs/benchmarks", import.meta.url));
const only = option("only");

const runId = String(process.pid);
const prefix = `iox2js_bench_${runId}_`;
const scratch = mkdtempSync(`${tmpdir()}/iox2js-bench-`);
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const live = new Set<Peer>();

function start(name: string, command: [string, string[]]): Peer {
  const peer = new Peer(name, command);
  live.add(peer);
  void peer.exited.then(() => live.delete(peer));
  return peer;
}

function describeCase(m: Measurement): string {
  const what = m.kind === "latency" ? latencyLabel(m) : `${RUNTIME_NAMES[m.pair as Runtime] ?? m.pair} publisher → subscriber, ${m.send}`;
  return `${m.kind} ${what}, ${sizeLabel(m.size)}`;
}

function launchName(launch: Launch): string {
  return launch.kind === "alternative" ? `${launch.mechanism} ${launch.role}` : `${launch.runtime} ${launch.role}`;
}

/**
 * Runs `pair`'s cases in one pair of processes (restarted after a failure). `during` runs next to
 * the measuring step (profiling).
 */
async function runPair(
  pair: PairRun,
  record: (m: Measurement, result: unknown, error?: string, cpuShare?: number) => void,
  options: { measurer?: LaunchOptions; partner?: LaunchOptions; during?: (measurer: Peer, partner: Peer | undefined) => Promise<void> } = {},
): Promise<void> {
  let peers: { measurer: Peer; partner: Peer | undefined } | undefined;
  const stop = async () => {
    if (peers === undefined) return;
    const { measurer, partner } = peers;
    peers = undefined;
    await Promise.all([measurer.end(), partner?.end()]);
  };
  try {
    for (const m of pair.measurements) {
      // Both sides spin in polling and throughput cases: a side that got less than a core was
      // sharing it with other work, so such an attempt is repeated and the least disturbed kept.
      const spinning = pair.measurer.kind === "iceoryx2" && m.wait === "poll";
      let best: { result: unknown; share: number } | undefined;
      for (let attempt = 0; attempt <= (spinning && options.during === undefined ? settings.retries : 0); attempt++) {
        peers ??= {
          partner: pair.partner && start(launchName(pair.partner), commandOf(pair.partner, prefix, options.partner)),
          measurer: start(launchName(pair.measurer), commandOf(pair.measurer, prefix, options.measurer)),
        };
        const { measurer, partner } = peers;
        try {
          const setup = setupLine({ ...m.c, service: attempt === 0 ? m.c.service : `${m.c.service}-${attempt}` });
          // The answering side first: socket servers must listen before clients connect.
          if (partner !== undefined) {
            partner.send(setup);
            await partner.expect("ready", STEP_MS);
          }
          measurer.send(setup);
          await measurer.expect("ready", STEP_MS);
          const cpuBefore = [measurer, partner].map((peer) => (peer === undefined ? 0 : cpuSeconds(peer.pid)));
          const wallBefore = performance.now();
          partner?.send("go");
          measurer.send("go");
          const [result] = await Promise.all([measurer.expect("result", m.c.limitMs + 10_000), options.during?.(measurer, partner)]);
          const seconds = (performance.now() - wallBefore) / 1000;
          const cpuAfter = [measurer, partner].map((peer) => (peer === undefined ? 0 : cpuSeconds(peer.pid)));
          if (partner !== undefined) await partner.expect("done", STEP_MS);
          const share = Math.min(...[0, 1].filter((i) => i === 0 || partner !== undefined).map((i) => (cpuAfter[i]! - cpuBefore[i]!) / seconds));
          if (best === undefined || share > best.share) best = { result: JSON.parse(result), share };
          // Shares come in clock ticks (10 ms): only cases that ran long enough can be judged.
          if (!spinning || seconds < 0.5 || share >= MIN_CPU_SHARE) break;
        } catch (error) {
          measurer.kill();
          partner?.kill();
          await stop();
          if (best === undefined) record(m, undefined, (error as Error).message);
          best ??= { result: undefined, share: 0 };
          break;
        }
      }
      if (best?.result !== undefined) record(m, best.result, undefined, spinning ? best.share : undefined);
    }
  } finally {
    await stop();
  }
}

async function measureIdle(runtime: Runtime): Promise<IdleRecord> {
  const seconds = settings.idleMs / 1000;
  // Half a second for start-up work (compilation, first GC) to settle before counting.
  const settleMs = 500;
  const peer = start(
    `${runtime} idle`,
    runtimeCommand(runtime, ["idle", "--prefix", prefix, "--service", `iox2js-bench/${runId}/idle-${runtime}`, "--duration-ms", String(settings.idleMs + settleMs + 1500)]),
  );
  try {
    await peer.expect("ready", STEP_MS);
    await sleep(settleMs);
    const [cpuBefore, wallBefore] = [cpuSeconds(peer.pid), performance.now()];
    await sleep(settings.idleMs);
    const [cpuAfter, wallAfter] = [cpuSeconds(peer.pid), performance.now()];
    await peer.expect("done", STEP_MS);
    return { runtime, seconds, cpuPercent: (100 * (cpuAfter - cpuBefore)) / ((wallAfter - wallBefore) / 1000) };
  } catch (error) {
    peer.kill();
    return { runtime, seconds, error: (error as Error).message };
  } finally {
    await peer.end();
  }
}

/**
 * Runs the one-process peer role `role` on `runtime` (with `args` after the run's prefix and a
 * service of its own) and returns the JSON of its `result` line, or the error that stopped it.
 */
async function askPeer<T>(runtime: Runtime, role: string, args: string[], limitMs: number, options?: LaunchOptions): Promise<{ value?: T; error?: string }> {
  const service = `iox2js-bench/${runId}/${role}-${runtime}`;
  const peer = start(`${runtime} ${role}`, runtimeCommand(runtime, [role, "--prefix", prefix, "--service", service, ...args], options));
  try {
    return { value: JSON.parse(await peer.expect("result", limitMs)) as T };
  } catch (error) {
    peer.kill();
    return { error: (error as Error).message };
  } finally {
    await peer.end();
  }
}

async function measureCalls(runtime: Runtime): Promise<CallsRecord> {
  const { value, error } = await askPeer<Record<string, number>>(runtime, "calls", ["--iterations", String(settings.callIterations)], 120_000);
  return { runtime, costs: value, error };
}

async function measureNonNotifying(runtime: NonNotifyingRecord["runtime"]): Promise<NonNotifyingRecord> {
  const { idleMs, sends } = settings.nonNotifying;
  const { value, error } = await askPeer<NonNotifyingResult[]>(runtime, "non-notifying", ["--idle-ms", String(idleMs), "--sends", String(sends)], 120_000);
  return { runtime, results: value, error };
}

async function measureAllocations(runtime: AllocationRecord["runtime"]): Promise<AllocationRecord> {
  const { messages, windows } = settings.allocations;
  const args = ["--messages", String(messages), "--windows", String(windows)];
  const { value, error } = await askPeer<AllocationResult[]>(runtime, "allocations", args, 300_000, { exposeGc: true });
  return { runtime, results: value, error };
}

/** Runs the case behind a missed target again, longer, with `perf` (and the runtime's CPU profile) on it. */
async function profile(request: ProfileRequest): Promise<ProfileSummary[]> {
  const seconds = 2;
  const directory = mkdtempSync(`${scratch}/profile-`);
  const options = (side: string): LaunchOptions => {
    mkdirSync(`${directory}/${side}`, { recursive: true });
    return { perfMaps: true, cpuProfileDir: `${directory}/${side}` };
  };
  const summaries: ProfileSummary[] = [];
  /** `folder` holds the process's CPU profile or V8 tick log (written when it exited). */
  const summarise = async (side: string, folder: string, peer: Peer, file: string, notes: string[]) => {
    const { objects, symbols } = await perfSummary(file);
    let functions = cpuProfileSummary(`${directory}/${folder}`);
    const v8Log = `${directory}/${folder}/v8.log`;
    if (existsSync(v8Log)) {
      const ticks = v8LogSummary(v8Log);
      functions = ticks.functions;
      notes.push(`V8 state of the ticks: ${ticks.states.map((s) => `${s.name} ${s.percent.toFixed(1)} %`).join(", ")}`);
    }
    summaries.push({ title: request.title, process: `${RUNTIME_NAMES[request.runtime]} ${side}`, objects, symbols, functions, notes });
    removePerfMap(peer.pid);
  };
  if (request.kind === "cycle") {
    const peer = start(
      `${request.runtime} cycle (profiled)`,
      runtimeCommand(
        request.runtime,
        ["cycle", "--prefix", prefix, "--service", `iox2js-bench/${runId}/cycle-${request.runtime}-${request.size}`, "--size", String(request.size), "--seconds", String(seconds + 1)],
        options("cycle"),
      ),
    );
    try {
      await peer.expect("ready", STEP_MS);
      await sleep(300);
      await perfRecord(peer.pid, seconds, `${directory}/cycle.perf`);
      const { nsPerCycle } = JSON.parse(await peer.expect("result", STEP_MS)) as { nsPerCycle: number };
      await peer.end();
      await summarise("cycling in one process", "cycle", peer, `${directory}/cycle.perf`, [
        `loan, write header, send, receive, read header, release in one process: ${formatNs(nsPerCycle)} per message (under perf, ${seconds} s sampled at ${PERF_HZ} Hz)`,
      ]);
    } finally {
      peer.kill();
    }
    return summaries;
  }
  if (request.kind === "idle") {
    const peer = start(
      `${request.runtime} idle (profiled)`,
      runtimeCommand(request.runtime, ["idle", "--prefix", prefix, "--service", `iox2js-bench/${runId}/idle-profile`, "--duration-ms", String((seconds + 2) * 1000)], options("idle")),
    );
    try {
      await peer.expect("ready", STEP_MS);
      await perfRecord(peer.pid, seconds, `${directory}/idle.perf`);
      await peer.expect("done", STEP_MS);
      await peer.end();
      await summarise("idle", "idle", peer, `${directory}/idle.perf`, []);
    } finally {
      peer.kill();
    }
    return summaries;
  }
  const latency = request.kind === "latency";
  const pair: PairRun = {
    pair: request.runtime,
    kind: request.kind,
    measurer: { kind: "iceoryx2", runtime: request.runtime, role: latency ? "ping" : "subscriber" },
    partner: { kind: "iceoryx2", runtime: request.runtime, role: latency ? "pong" : "publisher" },
    measurements: [],
  };
  const template = plan(FULL, runId, scratch, false).find((p) => p.kind === request.kind && p.pair === request.runtime)!;
  const base = template.measurements.find((m) => m.send === request.send && m.wait === request.wait && m.size === request.size)!;
  pair.measurements.push({
    ...base,
    c: { ...base.c, service: `${base.c.service}-profile`, rounds: 50_000_000, budgetMs: (seconds + 1) * 1000, warmupMs: 500, warmupRounds: 1_000_000 },
  });
  let outcome: unknown;
  let failure: string | undefined;
  const perfFiles: { side: string; peer: Peer; file: string }[] = [];
  await runPair(pair, (_, result, error) => ((outcome = result), (failure = error)), {
    measurer: options("measurer"),
    partner: options("partner"),
    during: async (measurer, partner) => {
      await sleep(300);
      const sides = latency ? [{ side: "ping", peer: measurer }] : [{ side: "subscriber", peer: measurer }, { side: "publisher", peer: partner! }];
      await Promise.all(
        sides.map(async ({ side, peer }) => {
          const file = `${directory}/${side}.perf`;
          await perfRecord(peer.pid, seconds, file);
          perfFiles.push({ side, peer, file });
        }),
      );
    },
  });
  if (failure !== undefined) throw new Error(failure);
  const figure = latency ? `median one-way ${formatNs((outcome as LatencyResult).medianNs)}` : `${((outcome as ThroughputResult).messages / (outcome as ThroughputResult).seconds / 1e6).toFixed(2)} M msgs/s`;
  for (const { side, peer, file } of perfFiles) {
    const folder = side === "ping" || side === "subscriber" ? "measurer" : "partner";
    await summarise(side, folder, peer, file, [`profiled run: ${figure} (under perf, ${seconds} s sampled at ${PERF_HZ} Hz)`]);
  }
  return summaries;
}

/** Removes this run's iceoryx2 files: /dev/shm segments and /tmp/iceoryx2 entries with its prefix. */
function cleanUp(): void {
  for (const name of readdirSync("/dev/shm")) if (name.startsWith(prefix)) rmSync(`/dev/shm/${name}`, { force: true });
  const sweep = (dir: string) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return; // another process removed it meanwhile
    }
    for (const entry of entries) {
      const path = `${dir}/${entry.name}`;
      if (entry.name.startsWith(prefix)) rmSync(path, { recursive: true, force: true });
      else if (entry.isDirectory()) sweep(path);
    }
  };
  sweep("/tmp/iceoryx2");
  rmSync(scratch, { recursive: true, force: true });
}

/** `--profile` requests: `<runtime>:<kind>:<wait>:<size>`. */
function profileRequests(): ProfileRequest[] {
  return argv.flatMap((arg, i) => {
    if (arg !== "--profile") return [];
    const [runtime, kind, wait, size] = (argv[i + 1] ?? "").split(":");
    if (!JS_RUNTIMES.includes(runtime as never) || !["cycle", "latency", "throughput", "idle"].includes(kind!) || !["poll", "event"].includes(wait!) || !(Number(size) >= 4)) {
      throw new Error(`--profile ${argv[i + 1]}: expected <node|deno|bun>:<cycle|latency|throughput|idle>:<poll|event>:<size>`);
    }
    const request = { runtime, kind, wait, size: Number(size), send: "loan" } as Omit<ProfileRequest, "title">;
    return [{ ...request, title: `${RUNTIME_NAMES[request.runtime]} ${kind}, ${wait}, ${sizeLabel(request.size)}` }];
  });
}

async function main(): Promise<number> {
  const missing = missingBuildOutputs();
  if (missing.length > 0) {
    console.error(`missing build outputs (run \`bash scripts/pnpm.sh turbo run build --filter=@iceoryx2-js/benchmarks...\`):\n  ${missing.join("\n  ")}`);
    return 1;
  }
  const requested = profileRequests();
  if (requested.length > 0) {
    if (!(await perfAvailable())) throw new Error("perf is not installed");
    const profiles: ProfileSummary[] = [];
    for (const request of requested) {
      console.log(`profiling: ${request.title}`);
      profiles.push(...(await profile(request)));
    }
    console.log(profilesMarkdown(profiles));
    return 0;
  }
  const began = performance.now();
  const startedAt = new Date().toISOString().replace(/\.\d+Z$/, "Z");
  const loadBefore = loadAverage();
  const notes: string[] = [];
  let zeroMq = true;
  try {
    await import("zeromq");
  } catch (error) {
    zeroMq = false;
    notes.push(`zeromq left out: it does not load here (${(error as Error).message.split("\n")[0]}).`);
  }
  const { backend } = await import("@iceoryx2-js/node/internal");
  const machine = describeMachine(backend.iceoryx2Version);
  console.log(`${settings.smoke ? "smoke" : "full"} run on ${machine.cpuModel}, ${machine.cores} cores, load ${loadBefore.toFixed(2)}; writing to ${outDir}`);
  if (loadBefore > 0.5) notes.push(`The machine was not idle at the start (1-minute load average ${loadBefore.toFixed(2)}): spinning pairs share the two cores with that load.`);

  const pairs = plan(settings, runId, scratch, zeroMq).filter((pair) => only === undefined || pair.pair.includes(only));
  const total = pairs.reduce((sum, pair) => sum + pair.measurements.length, 0);
  const latency: Outcome<LatencyResult>[] = [];
  const throughput: Outcome<ThroughputResult>[] = [];
  let done = 0;
  for (const pair of pairs) {
    await runPair(pair, (m, result, error, cpuShare) => {
      done++;
      const outcome = { m, result: result as never, error, cpuShare };
      (m.kind === "latency" ? latency : throughput).push(outcome);
      const elapsed = ((performance.now() - began) / 1000).toFixed(0).padStart(4);
      let figure: string;
      if (error !== undefined) figure = `FAILED: ${error}`;
      else if (m.kind === "latency") {
        const r = result as LatencyResult;
        figure = `median ${formatNs(r.medianNs)}, p99 ${formatNs(r.p99Ns)}, p99.9 ${formatNs(r.p999Ns)} (${r.rounds} round trips)`;
      } else {
        const r = result as ThroughputResult;
        figure = `${(r.messages / r.seconds / 1e6).toFixed(3)} M msgs/s, ${((r.messages * m.size) / r.seconds / 1e9).toFixed(3)} GB/s (${r.messages} messages)`;
      }
      const share = cpuShare === undefined ? "" : `, least CPU share of a side ${(100 * cpuShare).toFixed(0)} %`;
      console.log(`[${String(done).padStart(3)}/${total} ${elapsed} s] ${describeCase(m)}: ${figure}${share}`);
    });
  }

  const idle = only === undefined ? await Promise.all((["rust", ...JS_RUNTIMES] as const).map(measureIdle)) : [];
  for (const record of idle) {
    console.log(`idle ${record.runtime}: ${record.cpuPercent === undefined ? `FAILED: ${record.error}` : `${record.cpuPercent.toFixed(2)} % CPU over ${record.seconds} s`}`);
  }
  const calls: CallsRecord[] = [];
  if (only === undefined) {
    for (const runtime of [...JS_RUNTIMES, "rust"] as const) {
      calls.push(await measureCalls(runtime));
      console.log(`calls ${runtime}: ${calls.at(-1)!.error === undefined ? JSON.stringify(calls.at(-1)!.costs) : `FAILED: ${calls.at(-1)!.error}`}`);
    }
  }

  const allocations: AllocationRecord[] = [];
  if (only === undefined) {
    for (const runtime of JS_RUNTIMES) {
      const record = await measureAllocations(runtime);
      allocations.push(record);
      const figures = record.results?.map((r) => `${r.api}: send ${r.sendLoopBytesPerMessage} B, receive ${r.receiveLoopBytesPerMessage} B, ${r.gcCycles ?? "?"} collector cycles`);
      console.log(`allocations ${runtime}: ${record.error === undefined ? figures!.join("; ") : `FAILED: ${record.error}`}`);
    }
  }

  const nonNotifying: NonNotifyingRecord[] = [];
  if (only === undefined) {
    for (const runtime of JS_RUNTIMES) {
      const record = await measureNonNotifying(runtime);
      nonNotifying.push(record);
      const figures = record.results?.map((r) => `pollInterval ${r.pollIntervalMs} ms: idle ${r.idleCpuPercent} % CPU, added delay median ${r.medianDelayMs} ms, p99 ${r.p99DelayMs} ms`);
      console.log(`non-notifying ${runtime}: ${record.error === undefined ? figures!.join("; ") : `FAILED: ${record.error}`}`);
    }
  }

  const results: Results = {
    machine,
    settings,
    startedAt,
    seconds: 0,
    loadBefore,
    loadAfter: 0,
    latency,
    throughput,
    idle,
    calls,
    allocations,
    nonNotifying,
    profiles: [],
    notes,
  };
  const list = targets(results);
  for (const target of list) console.log(`target ${target.pass === undefined ? "n/a " : target.pass ? "pass" : "MISS"}  ${target.name}: ${target.detail}${target.ratio === undefined ? "" : ` → ${target.ratio.toFixed(2)} (${target.limit})`}`);

  if (!settings.smoke && !flag("no-profile")) {
    if (await perfAvailable()) {
      // Several targets can point at the same case (polling, throughput and UDS at 8 B): profile it once.
      const requests = [...new Map(list.flatMap((t) => (t.profile === undefined ? [] : [[t.profile.title, t.profile] as const]))).values()];
      for (const request of requests) {
        console.log(`profiling: ${request.title}`);
        try {
          results.profiles.push(...(await profile(request)));
        } catch (error) {
          notes.push(`Profiling "${request.title}" failed: ${(error as Error).message}`);
        }
      }
    } else {
      notes.push("perf is not installed, so the misses were not profiled.");
    }
  }

  results.seconds = (performance.now() - began) / 1000;
  results.loadAfter = loadAverage();
  mkdirSync(outDir, { recursive: true });
  const files = {
    "README.md": markdown(results, list, { command: settings.smoke ? SMOKE_COMMAND : ROOT_COMMAND }),
    "latency.svg": latencyPlot(results),
    "results.json": `${JSON.stringify({ ...results, targets: list }, null, 2)}\n`,
  };
  for (const [name, content] of Object.entries(files)) writeFileSync(`${outDir}/${name}`, content);
  console.log(`wrote ${Object.keys(files).map((name) => `${outDir}/${name}`).join(", ")} after ${results.seconds.toFixed(0)} s`);

  const failures =
    [...latency, ...throughput].filter((o) => o.error !== undefined).length +
    [...idle, ...calls, ...allocations, ...nonNotifying].filter((r) => r.error !== undefined).length;
  if (settings.smoke) {
    const empty = Object.keys(files).filter((name) => !existsSync(`${outDir}/${name}`) || statSync(`${outDir}/${name}`).size === 0);
    const expected = total + idle.length + calls.length + allocations.length + nonNotifying.length;
    if (failures > 0 || empty.length > 0) {
      console.log(`bench:smoke FAILED: ${failures} of ${expected} measurements failed${empty.length > 0 ? `, missing output: ${empty.join(", ")}` : ""}`);
      return 1;
    }
    console.log(`bench:smoke ok: ${expected} measurements, every mechanism measured, output files written`);
  }
  return failures > 0 ? 1 : 0;
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    for (const peer of live) peer.kill();
    cleanUp();
    process.exit(130);
  });
}

main()
  .then(
    (code) => (process.exitCode = code),
    (error) => {
      console.error(error);
      process.exitCode = 1;
    },
  )
  .finally(() => {
    for (const peer of live) peer.kill();
    cleanUp();
  });
