/**
 * What a run measures: every case, grouped by the process pair that runs it, with the iteration
 * counts of the full run and of the smoke run.
 */
import type { Case, SendMode, WaitMode } from "./protocol.js";

export const SIZES = [8, 64, 1024, 64 * 1024, 1024 * 1024, 4 * 1024 * 1024] as const;

export type Runtime = "rust" | "node" | "deno" | "bun";
export const JS_RUNTIMES = ["node", "deno", "bun"] as const;
export type Alternative = "uds" | "zeromq" | "ipc" | "worker" | "worker-transfer";

/** A process the runner starts: an iceoryx2 peer on a runtime, or a Node alternative. */
export type Launch = { kind: "iceoryx2"; runtime: Runtime; role: string } | { kind: "alternative"; mechanism: Alternative; role: "ping" | "pong" };

export interface Measurement {
  id: string;
  kind: "latency" | "throughput";
  /** Who measures and who answers: "node", "node→bun", "rust", "uds", ... */
  pair: string;
  /** iceoryx2 cases: how messages are sent and awaited. */
  send: SendMode;
  wait: WaitMode;
  size: number;
  c: Case;
}

/** Processes started once for all their cases: `measurer` prints results, `partner` answers. */
export interface PairRun {
  pair: string;
  kind: "latency" | "throughput";
  measurer: Launch;
  partner: Launch | undefined;
  measurements: Measurement[];
}

export interface Settings {
  smoke: boolean;
  /** Latency: measured round trips at most, time budget, at least; warm-up. */
  latency: { rounds: number; budgetMs: number; minRounds: number; warmupRounds: number; warmupMs: number };
  throughput: { rounds: number; budgetMs: number; minRounds: number };
  idleMs: number;
  callIterations: number;
  /** Allocation measurement: round trips counted for collector cycles, and windows per figure. */
  allocations: { messages: number; windows: number };
  /** Non-notifying wait: idle time and sends per poll interval. */
  nonNotifying: { idleMs: number; sends: number };
  limitMs: number;
  /** Repeats of a spinning case whose sides did not each get a core (the least disturbed is kept). */
  retries: number;
}

export const FULL: Settings = {
  smoke: false,
  latency: { rounds: 100_000, budgetMs: 1000, minRounds: 20, warmupRounds: 2000, warmupMs: 300 },
  throughput: { rounds: 5_000_000, budgetMs: 1000, minRounds: 10 },
  idleMs: 5000,
  callIterations: 200_000,
  allocations: { messages: 1_000_000, windows: 25 },
  nonNotifying: { idleMs: 5000, sends: 200 },
  limitMs: 60_000,
  retries: 2,
};

export const SMOKE: Settings = {
  smoke: true,
  latency: { rounds: 200, budgetMs: 30, minRounds: 3, warmupRounds: 10, warmupMs: 10 },
  throughput: { rounds: 2000, budgetMs: 30, minRounds: 5 },
  idleMs: 1000,
  callIterations: 2000,
  allocations: { messages: 5000, windows: 3 },
  nonNotifying: { idleMs: 200, sends: 5 },
  limitMs: 30_000,
  retries: 0,
};

/** Subscriber queue (and publisher window) of a throughput case: deep for small messages, 64 MiB at most. */
export function throughputBuffer(size: number): number {
  return Math.min(256, Math.max(8, Math.floor((64 * 1024 * 1024) / size)));
}

/** Throughput warm-up messages: 1000, fewer for large ones. */
function throughputWarmup(size: number, smoke: boolean): number {
  return smoke ? 4 : Math.min(1000, Math.max(4, Math.floor((64 * 1024 * 1024) / size)));
}

export const sizeLabel = (size: number): string =>
  size >= 1024 * 1024 ? `${size / (1024 * 1024)} MiB` : size >= 1024 ? `${size / 1024} KiB` : `${size} B`;

export function plan(settings: Settings, runId: string, socketDir: string, zeroMqAvailable: boolean): PairRun[] {
  const pairs: PairRun[] = [];
  let counter = 0;
  const latencyCase = (service: string, size: number, send: SendMode, wait: WaitMode): Case => ({
    service,
    size,
    send,
    wait,
    ...settings.latency,
    buffer: 1,
    limitMs: settings.limitMs,
  });
  const add = (run: Omit<PairRun, "measurements">, cases: { send: SendMode; wait: WaitMode; size: number }[], servicePath?: (id: string) => string) => {
    const measurements = cases.map(({ send, wait, size }) => {
      const id = `${run.kind}-${run.pair}-${wait}-${send}-${size}`.replace(/[^a-z0-9-]/gi, "_");
      const service = servicePath?.(`${counter++}`) ?? `iox2js-bench/${runId}/${counter++}`;
      const c =
        run.kind === "latency"
          ? latencyCase(service, size, send, wait)
          : {
              service,
              size,
              send,
              wait,
              rounds: settings.throughput.rounds,
              budgetMs: settings.throughput.budgetMs,
              minRounds: settings.throughput.minRounds,
              warmupRounds: throughputWarmup(size, settings.smoke),
              warmupMs: 0,
              buffer: throughputBuffer(size),
              limitMs: settings.limitMs,
            };
      return { id, kind: run.kind, pair: run.pair, send, wait, size, c };
    });
    pairs.push({ ...run, measurements });
  };
  const sweep = (send: SendMode, wait: WaitMode) => SIZES.map((size) => ({ send, wait, size }));
  const iceoryx2 = (runtime: Runtime, role: string): Launch => ({ kind: "iceoryx2", runtime, role });

  // Same-runtime ping-pong: polling with loans, polling with copies, event-driven with loans;
  // TypeScript also polling with the sample slots at 8 B (no object per message).
  for (const runtime of ["rust", ...JS_RUNTIMES] as const) {
    add({ pair: runtime, kind: "latency", measurer: iceoryx2(runtime, "ping"), partner: iceoryx2(runtime, "pong") }, [
      ...sweep("loan", "poll"),
      ...sweep("copy", "poll"),
      ...sweep("loan", "event"),
      ...(runtime === "rust" ? [] : [{ send: "slot", wait: "poll", size: 8 } as const]),
    ]);
  }
  // Cross-runtime pairs (the first measures).
  const crossCases = [
    { send: "loan", wait: "poll", size: 8 },
    { send: "loan", wait: "poll", size: 64 * 1024 },
    { send: "loan", wait: "event", size: 8 },
  ] as const;
  for (const [ping, pong] of [
    ["node", "bun"],
    ["node", "deno"],
    ["deno", "bun"],
    ["node", "rust"],
  ] as const) {
    add({ pair: `${ping}→${pong}`, kind: "latency", measurer: iceoryx2(ping, "ping"), partner: iceoryx2(pong, "pong") }, [...crossCases]);
  }
  // What a Node user would otherwise pick.
  const alternatives: Alternative[] = ["uds", ...(zeroMqAvailable ? (["zeromq"] as const) : []), "ipc", "worker", "worker-transfer"];
  for (const mechanism of alternatives) {
    const paired = mechanism === "uds" || mechanism === "zeromq";
    add(
      {
        pair: mechanism,
        kind: "latency",
        measurer: { kind: "alternative", mechanism, role: "ping" },
        partner: paired ? { kind: "alternative", mechanism, role: "pong" } : undefined,
      },
      sweep("copy", "event"),
      (id) => `${socketDir}/${mechanism}-${id}.sock`,
    );
  }
  // Throughput publisher → subscriber.
  for (const runtime of ["rust", ...JS_RUNTIMES] as const) {
    add({ pair: runtime, kind: "throughput", measurer: iceoryx2(runtime, "subscriber"), partner: iceoryx2(runtime, "publisher") }, [
      ...sweep("loan", "poll"),
      ...sweep("copy", "poll"),
      ...(runtime === "rust"
        ? []
        : ([
            { send: "slot", wait: "poll", size: 8 },
            { send: "batch", wait: "poll", size: 8 },
          ] as const)),
    ]);
  }
  return pairs;
}
