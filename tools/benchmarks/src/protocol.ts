/**
 * The conversation between the runner and every peer (Rust `tools/benchmarks/rust`, the TypeScript peer
 * on Node, Deno and Bun, and the Node alternatives), one case at a time:
 *
 *   runner → peer  `setup key=value ...`   the peer opens what the case needs, prints `ready`
 *   runner → peer  `go`                    the peer measures and prints `result {json}` (the side
 *                                          that measures) or `done` (the other side)
 *
 * and the peer exits when stdin ends. A failure prints `error <what>` and exits 1.
 *
 * A message is `size` bytes whose first 4 are a little-endian sequence number; the measuring
 * side checks every answer's number. `STOP` ends a case (ping-pong: answered too).
 */

export const HEADER_SIZE = 4;
export const STOP = 0xffff_ffff;
/** Upstream's `PubSubEvent::SentSample`, the id event-driven senders notify after each send. */
export const SENT_SAMPLE = 4;
/** Empty polls between two looks at the clock in spinning loops. */
export const SPINS_PER_CLOCK_CHECK = 1024;

/**
 * How messages are sent and received: `loan` (a loaned sample per message, the plain API), `copy`
 * (`sendCopy` of a prepared buffer), `slot` (TypeScript only: the sample slots, `loanSlot()` and
 * `receiveSlot()`, one reused sample object per side), `batch` (TypeScript throughput only:
 * a `sendBatch()` loans and sends, a `receiveBatch()` receives, up to `RECEIVED_PER_CALL`
 * samples per call).
 */
export type SendMode = "loan" | "copy" | "slot" | "batch";
export type WaitMode = "poll" | "event";

/** One measurement, as the `setup` line carries it. */
export interface Case {
  /** Base service name (ping-pong: `<service>/a2b` and `<service>/b2a`), or the socket path of an alternative. */
  service: string;
  size: number;
  send: SendMode;
  wait: WaitMode;
  /** Measured rounds at most ... */
  rounds: number;
  /** ... and at least, whatever the budget says. */
  minRounds: number;
  budgetMs: number;
  warmupRounds: number;
  warmupMs: number;
  /** Throughput: the subscriber's queue and the publisher's window of unacknowledged messages. */
  buffer: number;
  /** Every wait of the case fails after this long. */
  limitMs: number;
}

const KEYS: Record<keyof Case, string> = {
  service: "service",
  size: "size",
  send: "send",
  wait: "wait",
  rounds: "rounds",
  minRounds: "min_rounds",
  budgetMs: "budget_ms",
  warmupRounds: "warmup_rounds",
  warmupMs: "warmup_ms",
  buffer: "buffer",
  limitMs: "limit_ms",
};

export function setupLine(c: Case): string {
  return `setup ${(Object.keys(KEYS) as (keyof Case)[]).map((key) => `${KEYS[key]}=${c[key]}`).join(" ")}`;
}

export function parseSetup(line: string): Case {
  if (!line.startsWith("setup ")) throw new Error(`expected 'setup ...', got '${line}'`);
  const values = new Map(
    line
      .slice("setup ".length)
      .trim()
      .split(/\s+/)
      .map((pair) => {
        const at = pair.indexOf("=");
        if (at < 0) throw new Error(`setup: '${pair}' is not key=value`);
        return [pair.slice(0, at), pair.slice(at + 1)] as const;
      }),
  );
  const text = (key: keyof Case) => {
    const value = values.get(KEYS[key]);
    if (value === undefined) throw new Error(`setup: ${KEYS[key]}= is missing`);
    return value;
  };
  const number = (key: keyof Case) => {
    const value = Number(text(key));
    if (!Number.isSafeInteger(value) || value < 0) throw new Error(`setup: ${KEYS[key]}=${text(key)} is not a count`);
    return value;
  };
  const send = text("send");
  const wait = text("wait");
  if (send !== "loan" && send !== "copy" && send !== "slot" && send !== "batch") throw new Error(`setup: unknown send=${send}`);
  if (wait !== "poll" && wait !== "event") throw new Error(`setup: unknown wait=${wait}`);
  const parsed: Case = {
    service: text("service"),
    size: number("size"),
    send,
    wait,
    rounds: number("rounds"),
    minRounds: number("minRounds"),
    budgetMs: number("budgetMs"),
    warmupRounds: number("warmupRounds"),
    warmupMs: number("warmupMs"),
    buffer: number("buffer"),
    limitMs: number("limitMs"),
  };
  if (parsed.size < HEADER_SIZE) throw new Error(`setup: size=${parsed.size} is below the ${HEADER_SIZE}-byte header`);
  return parsed;
}

/** One-way latency in nanoseconds (half of each round trip). */
export interface LatencyResult {
  rounds: number;
  meanNs: number;
  medianNs: number;
  p99Ns: number;
  p999Ns: number;
  minNs: number;
  maxNs: number;
}

export interface ThroughputResult {
  messages: number;
  seconds: number;
}

/** Summarises round trips (nanoseconds) as one-way latencies, like `tools/benchmarks/rust/src/stats.rs`. */
export function latencyOf(roundTrips: Float64Array): LatencyResult {
  const sorted = roundTrips.slice().sort();
  const count = sorted.length;
  const quantile = (q: number) => sorted[Math.min(Math.max(Math.ceil(q * count), 1), count) - 1]! / 2;
  let total = 0;
  for (const value of sorted) total += value;
  const round = (ns: number) => Math.round(ns * 10) / 10;
  return {
    rounds: count,
    meanNs: round(total / (2 * count)),
    medianNs: round(quantile(0.5)),
    p99Ns: round(quantile(0.99)),
    p999Ns: round(quantile(0.999)),
    minNs: round(sorted[0]! / 2),
    maxNs: round(sorted[count - 1]! / 2),
  };
}

/** Nanoseconds since an arbitrary origin, sub-microsecond on all three runtimes. */
export const nowNs = (): number => performance.now() * 1e6;

/** Writes the sequence number into a message's first bytes. */
export function writeHeader(bytes: Uint8Array, sequence: number): void {
  bytes[0] = sequence & 0xff;
  bytes[1] = (sequence >>> 8) & 0xff;
  bytes[2] = (sequence >>> 16) & 0xff;
  bytes[3] = (sequence >>> 24) & 0xff;
}

export function readHeader(bytes: Uint8Array): number {
  return (bytes[0]! | (bytes[1]! << 8) | (bytes[2]! << 16) | (bytes[3]! << 24)) >>> 0;
}

/**
 * Measures ping-pong rounds the way every peer does: warm-up (up to `warmupRounds` or
 * `warmupMs`), then up to `rounds` timed rounds within `budgetMs` (at least `minRounds`), then a
 * `STOP` round. `round(sequence)` sends and waits for the answer.
 */
export function measureRounds(c: Case, round: (sequence: number) => void): LatencyResult {
  let sequence = 0;
  const warmupEnd = nowNs() + c.warmupMs * 1e6;
  for (let warmed = 0; warmed < c.warmupRounds && (warmed === 0 || nowNs() < warmupEnd); warmed++) round(sequence++);
  const roundTrips = new Float64Array(c.rounds);
  const budgetEnd = nowNs() + c.budgetMs * 1e6;
  let measured = 0;
  let previous = nowNs();
  while (measured < c.rounds && (measured < c.minRounds || previous < budgetEnd)) {
    round(sequence++);
    const now = nowNs();
    roundTrips[measured++] = now - previous;
    previous = now;
  }
  round(STOP);
  if (measured === 0) throw new Error("no round was measured (rounds=0?)");
  return latencyOf(roundTrips.subarray(0, measured));
}

/** {@link measureRounds} for rounds that await (event-driven waits). */
export async function measureRoundsAsync(c: Case, round: (sequence: number) => Promise<void>): Promise<LatencyResult> {
  let sequence = 0;
  const warmupEnd = nowNs() + c.warmupMs * 1e6;
  for (let warmed = 0; warmed < c.warmupRounds && (warmed === 0 || nowNs() < warmupEnd); warmed++) await round(sequence++);
  const roundTrips = new Float64Array(c.rounds);
  const budgetEnd = nowNs() + c.budgetMs * 1e6;
  let measured = 0;
  let previous = nowNs();
  while (measured < c.rounds && (measured < c.minRounds || previous < budgetEnd)) {
    await round(sequence++);
    const now = nowNs();
    roundTrips[measured++] = now - previous;
    previous = now;
  }
  await round(STOP);
  if (measured === 0) throw new Error("no round was measured (rounds=0?)");
  return latencyOf(roundTrips.subarray(0, measured));
}

/** Heap growth per message of one API on one runtime (the peer's `allocations` role). */
export interface AllocationResult {
  runtime: string;
  /** `plain`: `loan*()`/`receive()`, a sample object per message; `slots`: `loanSlot()`/`receiveSlot()`. */
  api: "plain" | "slots";
  /** Median heap growth per message of the loan → write → send loop, in bytes. */
  sendLoopBytesPerMessage: number;
  /** The round trip's growth minus the send loop's: receive → read → release. */
  receiveLoopBytesPerMessage: number;
  roundTripBytesPerMessage: number;
  /** Round trips run for counting collector cycles. */
  messages: number;
  /** Collector cycles during those round trips; null where the runtime does not report them (Bun). */
  gcCycles: number | null;
}

/** A subscriber polling a publisher that never notifies, at one poll interval (the peer's `non-notifying` role). */
export interface NonNotifyingResult {
  runtime: string;
  pollIntervalMs: number;
  /** Whether `pollIntervalMs` is the library's default. */
  defaultInterval: boolean;
  /** CPU of the whole process while awaiting `samples()` with nothing sent. */
  idleCpuPercent: number;
  idleMs: number;
  /** Samples whose delay was measured. */
  samples: number;
  /** The delay polling adds between a send and the loop seeing the sample, median and p99. */
  medianDelayMs: number;
  p99DelayMs: number;
}
