/** The results of a run: targets with pass/miss, Markdown tables, and the latency plot. */
import type { Machine } from "./machine.js";
import { SIZES, sizeLabel, type Measurement, type Runtime, type Settings } from "./plan.js";
import type { ProfileSummary } from "./profile.js";
import type { AllocationResult, LatencyResult, NonNotifyingResult, SendMode, ThroughputResult, WaitMode } from "./protocol.js";
import { lineChart, type Series } from "./svg.js";
import { RECEIVED_PER_CALL } from "@iceoryx2-js/node";

export interface Outcome<T> {
  m: Measurement;
  result?: T;
  error?: string;
  /** Spinning cases: the smaller share of a core either side got (1 = a whole core each). */
  cpuShare?: number;
}

export interface IdleRecord {
  runtime: Runtime;
  seconds: number;
  cpuPercent?: number;
  error?: string;
}

export interface CallsRecord {
  runtime: Runtime;
  costs?: Record<string, number>;
  error?: string;
}

/** A polling subscriber of a non-notifying publisher on one runtime (see non-notifying.ts). */
export interface NonNotifyingRecord {
  runtime: Exclude<Runtime, "rust">;
  results?: NonNotifyingResult[];
  error?: string;
}

/** The heap growth per message on one runtime, both APIs (see allocations.ts). */
export interface AllocationRecord {
  runtime: Exclude<Runtime, "rust">;
  results?: AllocationResult[];
  error?: string;
}

export interface Results {
  machine: Machine;
  settings: Settings;
  startedAt: string;
  seconds: number;
  loadBefore: number;
  loadAfter: number;
  latency: Outcome<LatencyResult>[];
  throughput: Outcome<ThroughputResult>[];
  idle: IdleRecord[];
  calls: CallsRecord[];
  allocations: AllocationRecord[];
  nonNotifying: NonNotifyingRecord[];
  profiles: ProfileSummary[];
  notes: string[];
}

/**
 * What to profile when a target misses: `cycle` is the per-message work in one process (what a
 * spinning ping-pong side does between its waits), the others rerun the measured processes.
 */
export interface ProfileRequest {
  title: string;
  runtime: Exclude<Runtime, "rust">;
  kind: "cycle" | "latency" | "throughput" | "idle";
  send: SendMode;
  wait: WaitMode;
  size: number;
}

export interface Target {
  name: string;
  /** How the ratio is formed, with the figures. */
  detail: string;
  ratio: number | undefined;
  limit: string;
  pass: boolean | undefined;
  profile?: ProfileRequest;
}

export const RUNTIME_NAMES: Record<Runtime, string> = { rust: "Rust", node: "Node", deno: "Deno", bun: "Bun" };
const ALTERNATIVE_NAMES: Record<string, string> = {
  uds: "Node net (Unix domain socket)",
  zeromq: "Node zeromq (ipc://)",
  ipc: "Node child_process IPC",
  worker: "Node worker postMessage (clone)",
  "worker-transfer": "Node worker postMessage (transfer)",
};
export const isAlternative = (pair: string): boolean => pair in ALTERNATIVE_NAMES;

function pairName(pair: string): string {
  if (isAlternative(pair)) return ALTERNATIVE_NAMES[pair]!;
  return pair
    .split("→")
    .map((runtime) => RUNTIME_NAMES[runtime as Runtime] ?? runtime)
    .join(" → ");
}

export function latencyLabel(m: Pick<Measurement, "pair" | "wait" | "send">): string {
  if (isAlternative(m.pair)) return pairName(m.pair);
  return `${pairName(m.pair)}, ${m.wait === "poll" ? "polling" : "event-driven"}, ${m.send === "slot" ? "sample slots" : m.send}`;
}

export function formatNs(ns: number): string {
  if (ns < 1000) return `${ns.toFixed(0)} ns`;
  if (ns < 1e6) return `${(ns / 1e3).toFixed(ns < 1e4 ? 2 : ns < 1e5 ? 1 : 0)} µs`;
  if (ns < 1e9) return `${(ns / 1e6).toFixed(ns < 1e7 ? 2 : ns < 1e8 ? 1 : 0)} ms`;
  return `${(ns / 1e9).toFixed(2)} s`;
}

const rate = (r: ThroughputResult) => r.messages / r.seconds;
const formatRate = (perSecond: number) =>
  perSecond >= 1e6 ? `${(perSecond / 1e6).toFixed(2)} M/s` : perSecond >= 1e3 ? `${(perSecond / 1e3).toFixed(1)} k/s` : `${perSecond.toFixed(1)} /s`;
const formatGBps = (bytesPerSecond: number) => `${(bytesPerSecond / 1e9).toFixed(bytesPerSecond < 1e8 ? 3 : 2)} GB/s`;

function latencyOf(results: Results, pair: string, wait: WaitMode, send: SendMode, size: number): LatencyResult | undefined {
  return results.latency.find((o) => o.m.pair === pair && o.m.wait === wait && o.m.send === send && o.m.size === size)?.result;
}

function throughputOf(results: Results, pair: string, send: SendMode, size: number): ThroughputResult | undefined {
  return results.throughput.find((o) => o.m.pair === pair && o.m.send === send && o.m.size === size)?.result;
}

/** The per-message work of `runtime` at `size`, profiled in one process (explains polling, throughput and UDS misses). */
const cycleProfile = (runtime: ProfileRequest["runtime"], size: number): ProfileRequest => ({
  title: `${RUNTIME_NAMES[runtime]}, per-message work, ${sizeLabel(size)}`,
  runtime,
  kind: "cycle",
  send: "loan",
  wait: "poll",
  size,
});

export function targets(results: Results): Target[] {
  const list: Target[] = [];
  const ratioTarget = (
    name: string,
    numerator: { label: string; value: number | undefined },
    denominator: { label: string; value: number | undefined },
    check: (ratio: number) => boolean,
    limit: string,
    format: (value: number) => string,
    profile?: ProfileRequest,
  ) => {
    const ratio = numerator.value !== undefined && denominator.value !== undefined ? numerator.value / denominator.value : undefined;
    const pass = ratio === undefined ? undefined : check(ratio);
    list.push({
      name,
      detail: `${numerator.label} ${numerator.value === undefined ? "n/a" : format(numerator.value)} / ${denominator.label} ${
        denominator.value === undefined ? "n/a" : format(denominator.value)
      }`,
      ratio,
      limit,
      pass,
      profile: pass === false ? profile : undefined,
    });
  };
  const median = (pair: string, wait: WaitMode, size: number) => latencyOf(results, pair, wait, "loan", size)?.medianNs;
  const js = ["node", "deno", "bun"] as const;
  for (const runtime of js) {
    ratioTarget(
      `8 B polling latency, ${RUNTIME_NAMES[runtime]} / Rust (median)`,
      { label: RUNTIME_NAMES[runtime], value: median(runtime, "poll", 8) },
      { label: "Rust", value: median("rust", "poll", 8) },
      (r) => r <= 1.5,
      "≤ 1.5",
      formatNs,
      cycleProfile(runtime, 8),
    );
  }
  for (const pair of results.latency.filter((o) => o.m.pair.includes("→") && o.m.wait === "poll" && o.m.send === "loan" && o.m.size === 8)) {
    ratioTarget(
      `8 B polling latency, ${pairName(pair.m.pair)} / Rust (median)`,
      { label: pairName(pair.m.pair), value: pair.result?.medianNs },
      { label: "Rust", value: median("rust", "poll", 8) },
      (r) => r <= 1.5,
      "≤ 1.5",
      formatNs,
    );
  }
  // Tails: a collection or an allocation on the per-message path shows here first.
  for (const [quantile, key, limit] of [["p99", "p99Ns", 2], ["p99.9", "p999Ns", 3]] as const) {
    for (const send of ["loan", "slot"] as const) {
      for (const runtime of js) {
        ratioTarget(
          `8 B polling ${quantile}, ${RUNTIME_NAMES[runtime]}${send === "slot" ? " (sample slots)" : ""} / Rust`,
          { label: RUNTIME_NAMES[runtime], value: latencyOf(results, runtime, "poll", send, 8)?.[key] },
          { label: "Rust", value: latencyOf(results, "rust", "poll", "loan", 8)?.[key] },
          (r) => r <= limit,
          `≤ ${limit}`,
          formatNs,
          cycleProfile(runtime, 8),
        );
      }
    }
  }
  for (const runtime of ["rust", ...js] as const) {
    ratioTarget(
      `4 MiB / 8 B polling latency, ${RUNTIME_NAMES[runtime]}`,
      { label: "4 MiB", value: median(runtime, "poll", 4 * 1024 * 1024) },
      { label: "8 B", value: median(runtime, "poll", 8) },
      (r) => r <= 1.1,
      "≤ 1.1",
      formatNs,
      runtime === "rust"
        ? undefined
        : cycleProfile(runtime, 4 * 1024 * 1024),
    );
  }
  for (const runtime of js) {
    ratioTarget(
      `8 B event-driven latency, ${RUNTIME_NAMES[runtime]} / Rust`,
      { label: RUNTIME_NAMES[runtime], value: median(runtime, "event", 8) },
      { label: "Rust", value: median("rust", "event", 8) },
      (r) => r <= 1.2,
      "≤ 1.2",
      formatNs,
      { title: `${RUNTIME_NAMES[runtime]} ping, event-driven, loan, 8 B`, runtime, kind: "latency", send: "loan", wait: "event", size: 8 },
    );
  }
  const messages = (pair: string, send: SendMode) => {
    const result = throughputOf(results, pair, send, 8);
    return result === undefined ? undefined : rate(result);
  };
  for (const send of ["loan", "slot"] as const) {
    for (const runtime of js) {
      ratioTarget(
        `8 B throughput, ${RUNTIME_NAMES[runtime]}${send === "slot" ? " (sample slots)" : ""} / Rust`,
        { label: RUNTIME_NAMES[runtime], value: messages(runtime, send) },
        { label: "Rust", value: messages("rust", "loan") },
        (r) => r >= 0.8,
        "≥ 0.8",
        formatRate,
        // A spinning publisher and subscriber each do half of the per-message work per message.
        cycleProfile(runtime, 8),
      );
    }
  }
  for (const runtime of js) {
    ratioTarget(
      `8 B throughput with batches, ${RUNTIME_NAMES[runtime]} / Rust`,
      { label: RUNTIME_NAMES[runtime], value: messages(runtime, "batch") },
      { label: "Rust", value: messages("rust", "loan") },
      (r) => r >= 1.0,
      "≥ 1.0",
      formatRate,
      cycleProfile(runtime, 8),
    );
  }
  for (const runtime of js) {
    ratioTarget(
      `64 KiB latency, Node Unix domain socket / iceoryx2-js ${RUNTIME_NAMES[runtime]} (polling, loan)`,
      { label: "UDS", value: latencyOf(results, "uds", "event", "copy", 64 * 1024)?.medianNs },
      { label: RUNTIME_NAMES[runtime], value: median(runtime, "poll", 64 * 1024) },
      (r) => r >= 100,
      "≥ 100",
      formatNs,
      // A loan's latency does not depend on its size up to 64 KiB on any runtime: the 8 B work explains it.
      cycleProfile(runtime, 8),
    );
  }
  for (const record of results.allocations) {
    for (const result of record.results ?? [{ api: "slots" } as Partial<AllocationResult>]) {
      const bytes = result.roundTripBytesPerMessage;
      // Zero within the resolution (Bun: a 16 KiB heap block per window is 1.6 B), and no collection where the runtime reports them.
      const pass = bytes === undefined ? undefined : bytes < 2 && (result.gcCycles ?? 0) === 0;
      list.push({
        name: `heap growth per message, ${RUNTIME_NAMES[record.runtime]} (${result.api === "slots" ? "sample slots" : "loan and receive"})`,
        detail:
          bytes === undefined
            ? `n/a (${record.error ?? "no figure"})`
            : `send ${result.sendLoopBytesPerMessage} B + receive ${result.receiveLoopBytesPerMessage} B; ${
                result.gcCycles === null ? "collector cycles not reported" : `${result.gcCycles} collector cycles over ${result.messages} round trips`
              }`,
        ratio: bytes,
        limit: "0 B, no collection",
        pass,
        profile: undefined,
      });
    }
  }
  for (const record of results.idle) {
    const pass = record.cpuPercent === undefined ? undefined : record.cpuPercent < 1;
    list.push({
      name: `idle CPU while awaiting, ${RUNTIME_NAMES[record.runtime]}`,
      detail: record.cpuPercent === undefined ? `n/a (${record.error ?? "no figure"})` : `${record.cpuPercent.toFixed(2)} % over ${record.seconds} s`,
      ratio: record.cpuPercent,
      limit: "< 1 %",
      pass,
      profile:
        pass === false && record.runtime !== "rust"
          ? { title: `${RUNTIME_NAMES[record.runtime]} awaiting, idle`, runtime: record.runtime, kind: "idle", send: "loan", wait: "event", size: 8 }
          : undefined,
    });
  }
  return list;
}

function table(header: string[], rows: string[][]): string {
  return [`| ${header.join(" | ")} |`, `| ${header.map(() => "---").join(" | ")} |`, ...rows.map((row) => `| ${row.join(" | ")} |`)].join("\n");
}

/** Latency mechanisms measured across every size, in plot and summary order. */
function sweptLatencies(results: Results): { label: string; pair: string; wait: WaitMode; send: SendMode }[] {
  const seen = new Map<string, { label: string; pair: string; wait: WaitMode; send: SendMode }>();
  for (const { m } of results.latency) {
    const label = latencyLabel(m);
    if (!seen.has(label) && results.latency.filter((o) => latencyLabel(o.m) === label).length === SIZES.length) {
      seen.set(label, { label, pair: m.pair, wait: m.wait, send: m.send });
    }
  }
  return [...seen.values()];
}

const STYLE: Record<string, string> = { rust: "#d9480f", node: "#2b8a3e", deno: "#212529", bun: "#c2255c" };
const ALTERNATIVE_COLORS: Record<string, string> = { uds: "#1c7ed6", zeromq: "#7048e8", ipc: "#a0522d", worker: "#f08c00", "worker-transfer": "#74b816" };

/** Decade labels without trailing zeros: 100 ns, 1 µs, 10 ms. */
function decadeLabel(ns: number): string {
  const [unit, scale] = ns >= 1e9 ? ["s", 1e9] : ns >= 1e6 ? ["ms", 1e6] : ns >= 1e3 ? ["µs", 1e3] : ["ns", 1];
  return `${Number((ns / (scale as number)).toPrecision(3))} ${unit}`;
}

export function latencyPlot(results: Results): string {
  const series: Series[] = sweptLatencies(results).map(({ label, pair, wait, send }) => ({
    label,
    color: STYLE[pair] ?? ALTERNATIVE_COLORS[pair] ?? "#868e96",
    // Solid: polling loan; dashed: polling copy; dotted: event-driven; dash-dot: the alternatives.
    dash: isAlternative(pair) ? "9 3 2 3" : wait === "event" ? "1 3" : send === "copy" ? "7 4" : "",
    points: SIZES.map((size) => ({ x: size, y: latencyOf(results, pair, wait, send, size)?.medianNs ?? 0 })),
  }));
  return lineChart({
    title: "One-way latency (median) by payload size",
    xLabel: "payload size (log scale)",
    yLabel: "one-way latency, median (log scale)",
    xTicks: SIZES.map((size) => ({ value: size, label: sizeLabel(size) })),
    formatY: decadeLabel,
    series,
  });
}

function targetRows(list: Target[]): string[][] {
  return list.map((t) => [
    t.name,
    t.detail,
    t.ratio === undefined ? "n/a" : t.name.startsWith("idle") ? `${t.ratio.toFixed(2)} %` : t.name.startsWith("heap growth") ? `${t.ratio} B` : t.ratio.toFixed(2),
    t.limit,
    t.pass === undefined ? "n/a" : t.pass ? "✅ pass" : "❌ miss",
  ]);
}

export interface ReportText {
  /** The command that reproduces the run. */
  command: string;
}

export function markdown(results: Results, list: Target[], text: ReportText): string {
  const { machine, settings } = results;
  const out: string[] = [];
  const latencyRow = (o: Outcome<LatencyResult>, label = latencyLabel(o.m)) =>
    o.result === undefined
      ? [label, sizeLabel(o.m.size), `failed: ${o.error ?? "?"}`, "", "", "", ""]
      : [label, sizeLabel(o.m.size), formatNs(o.result.medianNs), formatNs(o.result.p99Ns), formatNs(o.result.p999Ns), formatNs(o.result.meanNs), String(o.result.rounds)];
  const latencyHeader = ["mechanism", "payload", "median", "p99", "p99.9", "mean", "round trips"];

  out.push(
    "# Benchmarks",
    "",
    "<!-- Written by tools/benchmarks (src/run.ts); rerun instead of editing. The diagnosis of each miss is in analysis.md. -->",
    "",
    `Latest run: ${results.startedAt}, ${results.seconds.toFixed(0)} s. Reproduce with \`${text.command}\` (builds first; see tools/benchmarks).`,
    "",
    "## Machine",
    "",
    table(
      ["what", "value"],
      [
        ["CPU", machine.cpuModel],
        ["cores", `${machine.cores} (the two processes of a pair each get one when both spin; nothing is pinned)`],
        ["memory", `${machine.memoryGiB} GiB`],
        ["kernel", machine.kernel],
        ["clock source", machine.clocksource],
        ["load average (1 min) before / after", `${results.loadBefore.toFixed(2)} / ${results.loadAfter.toFixed(2)}`],
        ...Object.entries(machine.versions).map(([name, version]) => [name, version]),
      ],
    ),
    "",
    "## Method",
    "",
    "- **Ping-pong latency** (upstream's method): two processes, services `a2b` and `b2a`; ping sends a message, pong answers it, one-way latency = round trip / 2. " +
      `Each case warms up (${settings.latency.warmupRounds} round trips or ${settings.latency.warmupMs} ms, whichever ends first), then times up to ` +
      `${settings.latency.rounds} round trips within ${settings.latency.budgetMs} ms (at least ${settings.latency.minRounds}); ` +
      "every round trip is timed, and median, p99 and p99.9 are nearest-rank quantiles of those (p99.9 of fewer than 1000 round trips is their maximum).",
    "- **Messages** are `[u8]` slices (`slice(u8)` in TypeScript) of the payload size whose first 4 bytes carry a sequence number that the receiver reads and checks. " +
      "*loan* writes only those 4 bytes into a loaned chunk (zero-copy); *copy* sends a prepared buffer of the full size (`sendCopy` in TypeScript; loan + `write_from_slice` in Rust). " +
      "Publish-subscribe services: 1 publisher, 1 subscriber, history 0, subscriber buffer 1 with safe overflow (upstream's benchmark settings).",
    "- **Polling** spins on `receive()`. **Event-driven** notifies `PubSubEvent.SentSample` on the event service of the same name after each send; the receiver tries `receive()` and otherwise sleeps " +
      "on a listener: `listener.timed_wait` in Rust, `await listener.wait()` in TypeScript (the native reactor thread wakes the JS thread).",
    "- **Alternatives** (Node only, the same ping-pong and sizes): `net` Unix domain socket stream, `zeromq` Request/Reply over `ipc://`, `child_process.fork` IPC with `serialization: \"advanced\"`, " +
      "and `worker_threads` `postMessage` of a cloned Uint8Array or of an ArrayBuffer in the transfer list (a thread in the same process, not a second process). Stream receivers count bytes and read " +
      "the header without assembling the message, which flatters the sockets a little.",
    `- **Throughput**: publisher → subscriber with a subscriber queue of 256 messages (fewer for large ones: 64 MiB at most), the subscriber acknowledging every quarter queue on a second service and the publisher keeping at most a queue's worth unacknowledged, so nothing is lost or waits in iceoryx2's backpressure sleep. ` +
      `Up to ${settings.throughput.rounds} messages within ${settings.throughput.budgetMs} ms after a warm-up, timed at the subscriber. GB/s counts payload bytes; for *loan* only the 4-byte header is written, so its GB/s is the payload made available, not bytes moved. *batch*: the publisher loans and sends up to ${RECEIVED_PER_CALL} samples per call with \`sendBatch()\`, the subscriber takes up to ${RECEIVED_PER_CALL} per call with \`receiveBatch()\` (the publisher may loan and the subscriber borrow that many).`,
    `- **Idle**: a process awaiting a listener (\`listener.wait()\`) and a subscriber (\`for await … samples()\`) that nothing wakes; CPU time (utime + stime of all its threads, /proc/<pid>/stat) over ${settings.idleMs / 1000} s. Rust: \`listener.timed_wait\`.`,
    "- Both processes of a pair spin on a 2-core machine, so each gets a core only if nothing else runs. The runner reads both processes' CPU time around every spinning case (polling and throughput); " +
      (settings.retries > 0
        ? `when a side got less than 85 % of a core, the case is repeated (up to ${settings.retries} times) and the attempt whose sides got the most is kept. Nothing is pinned.`
        : "this run repeated no case. Nothing is pinned."),
    "",
  );
  const disturbed = [...results.latency, ...results.throughput].filter((o) => o.cpuShare !== undefined && o.cpuShare < 0.85);
  const notes = [...results.notes];
  if (disturbed.length > 0) {
    notes.push(
      `Spinning cases where a side got less than 85 % of a core even in the best of ${settings.retries + 1} attempts (other work shared the cores; treat their figures with care): ` +
        disturbed.map((o) => `${o.m.kind === "latency" ? latencyLabel(o.m) : `${RUNTIME_NAMES[o.m.pair as Runtime] ?? o.m.pair} throughput, ${o.m.send}`} ${sizeLabel(o.m.size)} (${(100 * o.cpuShare!).toFixed(0)} %)`).join("; ") +
        ".",
    );
  }
  if (notes.length > 0) out.push("Notes on this run:", "", ...notes.map((note) => `- ${note}`), "");

  out.push("## Targets", "", "Ratios from this run: of medians unless the target names a quantile; heap growth in bytes per message. A full run (`npm run bench`) profiles every miss below; analysis.md explains them.", "");
  out.push(table(["target", "figures", "ratio", "limit", "result"], targetRows(list)), "");

  out.push("## Latency by payload size", "", "![One-way latency (median) by payload size](latency.svg)", "");
  const swept = sweptLatencies(results);
  out.push(
    "Median one-way latency:",
    "",
    table(
      ["mechanism", ...SIZES.map(sizeLabel)],
      swept.map(({ label, pair, wait, send }) => [
        label,
        ...SIZES.map((size) => {
          const result = latencyOf(results, pair, wait, send, size);
          return result === undefined ? "—" : formatNs(result.medianNs);
        }),
      ]),
    ),
    "",
  );
  const section = (title: string, filter: (o: Outcome<LatencyResult>) => boolean) => {
    const rows = results.latency.filter(filter);
    if (rows.length > 0) out.push(`### ${title}`, "", table(latencyHeader, rows.map((o) => latencyRow(o))), "");
  };
  const sameRuntime = (o: Outcome<LatencyResult>) => !o.m.pair.includes("→") && !isAlternative(o.m.pair);
  section("Polling, zero-copy loan", (o) => sameRuntime(o) && o.m.wait === "poll" && o.m.send === "loan");
  section("Polling, copy (`sendCopy`)", (o) => sameRuntime(o) && o.m.wait === "poll" && o.m.send === "copy");
  section("Polling, sample slots (`loanSlot()`, `receiveSlot()`: no object per message)", (o) => sameRuntime(o) && o.m.wait === "poll" && o.m.send === "slot");
  section("Event-driven (listener), loan", (o) => sameRuntime(o) && o.m.wait === "event");
  section("Cross-runtime pairs (first names the measuring ping)", (o) => o.m.pair.includes("→"));
  section("Alternatives (Node)", (o) => isAlternative(o.m.pair));

  out.push("## Throughput", "", "Publisher → subscriber, messages per second and payload GB/s:", "");
  const throughputRows: string[][] = [];
  for (const send of ["loan", "slot", "batch", "copy"] as const) {
    for (const runtime of ["rust", "node", "deno", "bun"] as const) {
      const cells = SIZES.map((size) => {
        const outcome = results.throughput.find((o) => o.m.pair === runtime && o.m.send === send && o.m.size === size);
        if (outcome === undefined) return "—";
        if (outcome.result === undefined) return `failed: ${outcome.error ?? "?"}`;
        const perSecond = rate(outcome.result);
        return `${formatRate(perSecond)} · ${formatGBps(perSecond * size)}`;
      });
      if (cells.some((cell) => cell !== "—")) throughputRows.push([`${RUNTIME_NAMES[runtime]}, ${send}`, ...cells]);
    }
  }
  out.push(table(["publisher → subscriber", ...SIZES.map(sizeLabel)], throughputRows), "");

  out.push("## Idle cost", "", table(
    ["runtime", "CPU while awaiting", "measured over"],
    results.idle.map((r) => [RUNTIME_NAMES[r.runtime], r.cpuPercent === undefined ? `failed: ${r.error ?? "?"}` : `${r.cpuPercent.toFixed(2)} %`, `${r.seconds} s`]),
  ), "");

  // Rows in the TypeScript peer's order (Rust has a subset); columns Rust first.
  const operations = [...new Set(results.calls.flatMap((record) => Object.keys(record.costs ?? {})))];
  const columns = [...results.calls].sort((a, b) => Number(b.runtime === "rust") - Number(a.runtime === "rust"));
  if (operations.length > 0) {
    out.push(
      "## Cost of single calls (one process)",
      "",
      `Mean time per call in one process (no peer), over ${settings.callIterations} calls or about a second after a warm-up. \`backend.*\` rows call the runtime's native boundary directly (napi on Node, \`Deno.dlopen\` and \`bun:ffi\` over the C ABI), the others the public API (Rust: upstream's API). ` +
        "The *loan + … + release* rows are one message's whole work without waiting or crossing cores: the part of a ping-pong one-way latency that the library adds.",
      "",
      table(
        ["operation", ...columns.map((record) => RUNTIME_NAMES[record.runtime])],
        operations.map((operation) => [
          operation,
          ...columns.map((record) => (record.costs?.[operation] === undefined ? (record.error === undefined ? "—" : "failed") : formatNs(record.costs[operation]!))),
        ]),
      ),
      "",
    );
  }

  const allocationRows = results.allocations.flatMap((record) =>
    (record.results ?? []).map((r) => [
      RUNTIME_NAMES[record.runtime],
      r.api === "slots" ? "sample slots (`loanSlot()`, `receiveSlot()`)" : "`loanSliceUninit()`, `receive()`",
      `${r.sendLoopBytesPerMessage} B`,
      `${r.receiveLoopBytesPerMessage} B`,
      r.gcCycles === null ? "not reported" : `${r.gcCycles} over ${r.messages}`,
    ]),
  );
  if (allocationRows.length > 0) {
    out.push(
      "## Heap growth per message",
      "",
      "JavaScript heap bytes one 8-byte message leaves behind in one process (`allocations.ts`): the send loop (loan → write the 4-byte header → send) and the receive loop (receive → read → release), " +
        `medians of ${settings.allocations.windows} windows with a full collection before each; then the collector's cycles over that many round trips (V8's \`GCProfiler\`; Bun does not report them, and its figure is JavaScriptCore's heap capacity, block by block).`,
      "",
      table(["runtime", "API", "send loop", "receive loop", "collector cycles"], allocationRows),
      "",
    );
  }

  const pollingRows = results.nonNotifying.flatMap((record) =>
    (record.results ?? []).map((r) => [
      RUNTIME_NAMES[record.runtime],
      `${r.pollIntervalMs} ms${r.defaultInterval ? " (default)" : ""}`,
      `${r.idleCpuPercent.toFixed(2)} %`,
      `${r.medianDelayMs} ms`,
      `${r.p99DelayMs} ms`,
    ]),
  );
  if (pollingRows.length > 0) {
    out.push(
      "## A publisher that never notifies",
      "",
      "`for await … of subscriber.samples()` on a publisher that sends without notifying (as upstream's plain examples do), in one process: " +
        `CPU while awaiting with nothing sent (over ${settings.nonNotifying.idleMs / 1000} s), and the delay polling adds between a send and the loop seeing it (${settings.nonNotifying.sends} sends at random moments). Notifying publishers (\`notifyOnSend()\`) avoid both: see the event-driven rows.`,
      "",
      table(["runtime", "pollInterval", "CPU while idle", "added delay, median", "p99"], pollingRows),
      "",
    );
  }

  if (results.profiles.length > 0) out.push(profilesMarkdown(results.profiles));
  return `${out.join("\n")}\n`;
}

/** The profiles section: perf and runtime profiles of each missed target's case. */
export function profilesMarkdown(profiles: ProfileSummary[]): string {
  const out: string[] = [];
    out.push(
      "## Profiles of the misses",
      "",
      "Self time of the profiled process (all threads): `perf` by shared object and symbol (Deno's binary is stripped, so its C++ shows as `deno`), then the runtime's own profile by JS function: " +
        "`--cpu-prof` on Node and Bun, V8's tick log on Deno (native code attributed to the JS function that called it: `native ← caller`). " +
        "*Per-message work* profiles one process that loans, writes the header, sends, receives, reads and releases in a loop: a spinning ping-pong side does exactly that between its waits, so it shows what the library adds per message without the spin.",
      "",
    );
    for (const profile of profiles) {
      out.push(`### ${profile.title}`, "", `Process: ${profile.process}.`, "");
      for (const note of profile.notes) out.push(`- ${note}`);
      if (profile.notes.length > 0) out.push("");
      if (profile.objects.length > 0) out.push(table(["shared object", "self %"], profile.objects.map((s) => [s.name, s.percent.toFixed(1)])), "");
      if (profile.symbols.length > 0) out.push(table(["symbol — object", "self %"], profile.symbols.map((s) => [s.name.replace(/\|/g, "\\|"), s.percent.toFixed(1)])), "");
      if (profile.functions.length > 0) {
        out.push(table(["JS function (runtime profile)", "self %"], profile.functions.map((s) => [s.name.replace(/\|/g, "\\|"), s.percent.toFixed(1)])), "");
      }
    }
    return out.join("\n");
}
