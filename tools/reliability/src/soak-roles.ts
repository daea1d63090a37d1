/**
 * The two processes of a soak run (started by `soak.ts`, on the runtime it runs on):
 *
 * - `--role publisher`: creates the services, publishes SoakMessage structs (loaned, written in
 *   place, sent) keeping at most WINDOW unacknowledged, and runs request-response round trips as
 *   a client (loaned u64 request, polls for the one response = request + 1).
 * - `--role subscriber`: receives with `subscriber.samples()` (woken by the publisher's
 *   `notifyOnSend()`), checks every sequence number, acknowledges every ACK_EVERY messages on a
 *   second service, and answers requests from `server.requests()`, both loops at once.
 *
 * Both follow commands on stdin (`start`, `go`, `measure`, `done`) and report on stdout
 * (`READY`, `WARMED {…}`, `FINISHED {…}`, `MEASURE {…}`, `TOTALS {…}`, progress lines). When
 * stdin ends (the orchestrator is gone) the subscriber leaves at once, the publisher when its
 * next wait on the subscriber stalls or at its next command.
 */
import { readdirSync, readFileSync, writeSync } from "node:fs";
import { createInterface } from "node:readline";
import { iox2, runtime } from "@iceoryx2-js/runtimes/adapter/internal";

/** Subscriber buffer and the publisher's window of unacknowledged messages. */
const WINDOW = 256;
/** Counts are multiples of this, so the last message of every phase is acknowledged. */
const ACK_EVERY = WINDOW / 4;
/** A wait on the other process fails after this long without progress. */
const STALL_MS = 30_000;
const PROGRESS_EVERY_MS = 5_000;
/** The warm-up lasts at least this long: runtimes finish starting up lazily (Deno opens two descriptors after ~0.5 s). */
const MIN_WARMUP_MS = 2_000;
/** Polls between yields to the event loop while a client waits for its response. */
const POLLS_PER_YIELD = 256;

const PUBSUB_SERVICE = "Soak/PubSub";
const ACK_SERVICE = "Soak/Ack";
const REQRES_SERVICE = "Soak/RequestResponse";

const { NodeBuilder, struct, u64, f64 } = iox2;
const SoakMessage = struct("SoakMessage", { sequence: u64, value: f64 });

/** Writes a line to stdout at once, whatever the runtime buffers (the orchestrator waits for lines). */
function say(line: string): void {
  writeSync(1, `${line}\n`);
}

function residentBytes(): number {
  return Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync("/proc/self/status", "utf8"))?.[1]) * 1024;
}

const runtimeGc = globalThis as unknown as { gc?: () => void; Bun?: { gc(force: boolean): void } };

/** RSS, live heap and descriptors after a garbage collection (V8 runtimes need `--expose-gc`). */
function measure(): { rss: number; heapUsed: number; fds: number; collected: boolean } {
  const collected = runtimeGc.Bun !== undefined || runtimeGc.gc !== undefined;
  if (runtimeGc.Bun !== undefined) runtimeGc.Bun.gc(true);
  else runtimeGc.gc?.();
  // readdir opens one descriptor of its own, the same at every measurement.
  const fds = readdirSync("/proc/self/fd").length;
  return { rss: residentBytes(), heapUsed: process.memoryUsage().heapUsed, fds, collected };
}

/**
 * Lets timers and I/O run during a polling loop. Also what keeps a loop that never waits from
 * growing: every `WeakRef` made in a job keeps its target alive until the job ends (ECMAScript's
 * kept-objects list), and iceoryx2-js makes one per sample.
 */
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Stdin lines as commands: `next()` resolves with the next one, or null when stdin ended. */
function commands(onLine: (line: string) => boolean) {
  const queued: string[] = [];
  const waiting: ((line: string | null) => void)[] = [];
  let ended = false;
  const input = createInterface({ input: process.stdin });
  input.on("line", (line) => {
    if (onLine(line)) return;
    const waiter = waiting.shift();
    if (waiter) waiter(line);
    else queued.push(line);
  });
  input.on("close", () => {
    ended = true;
    for (const waiter of waiting.splice(0)) waiter(null);
  });
  return {
    next: (): Promise<string | null> =>
      queued.length > 0 ? Promise.resolve(queued.shift()!) : ended ? Promise.resolve(null) : new Promise((resolve) => waiting.push(resolve)),
    close: () => input.close(),
  };
}

/** `measure` is answered at once, whatever the role is doing; other lines are queued. */
function answerMeasure(line: string): boolean {
  if (line !== "measure") return false;
  say(`MEASURE ${JSON.stringify(measure())}`);
  return true;
}

/**
 * Aborts `signal` when `progress()` stays the same for STALL_MS, so no wait on the other process
 * is unbounded; `stop()` when the phase is over.
 */
function stallGuard(what: string, progress: () => number) {
  const controller = new AbortController();
  let last = progress();
  let since = Date.now();
  const timer = setInterval(() => {
    const current = progress();
    if (current !== last) {
      last = current;
      since = Date.now();
    } else if (Date.now() - since > STALL_MS) {
      controller.abort();
    }
  }, 1_000);
  return {
    signal: controller.signal,
    stop: () => clearInterval(timer),
    stalled: () => new Error(`${what}: no progress for ${STALL_MS / 1000} s at ${progress()} (the subscriber process is gone?)`),
  };
}

const rate = (n: number, ms: number) => `${Math.round((n / Math.max(ms, 1)) * 1000).toLocaleString("en")}/s`;

/** Prints a progress line, with the rate since the last one, every PROGRESS_EVERY_MS. */
class Progress {
  #lastTime = Date.now();
  #lastDone = 0;
  constructor(
    readonly label: string,
    readonly total: number,
  ) {}
  /** A phase starts at `done`: rates count from here. */
  resume(done: number): void {
    this.#lastTime = Date.now();
    this.#lastDone = done;
  }
  report(done: number): void {
    if ((done & 0x3ff) !== 0 && done !== this.total) return;
    const now = Date.now();
    if (now - this.#lastTime < PROGRESS_EVERY_MS && done !== this.total) return;
    const recent = rate(done - this.#lastDone, now - this.#lastTime);
    this.#lastTime = now;
    this.#lastDone = done;
    const rss = (residentBytes() / 1048576).toFixed(1);
    say(`[soak ${runtime}] ${this.label} ${done.toLocaleString("en")}/${this.total.toLocaleString("en")} (${recent}), rss ${rss} MiB`);
  }
}

function parseArgs(argv: readonly string[]) {
  const value = (flag: string): string => {
    const text = argv[argv.indexOf(flag) + 1];
    if (!argv.includes(flag) || text === undefined) throw new Error(`missing ${flag}`);
    return text;
  };
  const count = (flag: string, multipleOf = 1): number => {
    const n = Number(value(flag));
    if (!Number.isSafeInteger(n) || n < 0 || n % multipleOf !== 0) throw new Error(`${flag} needs a multiple of ${multipleOf}, got ${value(flag)}`);
    return n;
  };
  const role = value("--role");
  if (role !== "publisher" && role !== "subscriber") throw new Error(`--role is publisher or subscriber, got ${role}`);
  const publisher = role === "publisher";
  return {
    role,
    prefix: value("--prefix"),
    messages: publisher ? count("--messages", ACK_EVERY) : 0,
    roundTrips: publisher ? count("--round-trips") : 0,
    warmupMessages: publisher ? count("--warmup-messages", ACK_EVERY) : 0,
    warmupRoundTrips: publisher ? count("--warmup-round-trips") : 0,
  };
}

type Args = ReturnType<typeof parseArgs>;

// ---------------------------------------------------------------------------
// Publisher role: publisher, acknowledgement subscriber, client
// ---------------------------------------------------------------------------

function publisherPorts(prefix: string) {
  const node = new NodeBuilder().name("soak-publisher").config({ prefix }).create().unwrap();
  const pubsub = node.serviceBuilder(PUBSUB_SERVICE).publishSubscribe(SoakMessage).subscriberMaxBufferSize(WINDOW).create().unwrap();
  const ack = node.serviceBuilder(ACK_SERVICE).publishSubscribe(u64).subscriberMaxBufferSize(16).create().unwrap();
  const reqres = node.serviceBuilder(REQRES_SERVICE).requestResponse(u64, u64).create().unwrap();
  return {
    node,
    publisher: pubsub.publisherBuilder().notifyOnSend().create().unwrap(),
    acks: ack.subscriberBuilder().bufferSize(16).create().unwrap(),
    client: reqres.clientBuilder().notifyOnSend().create().unwrap(),
  };
}

type PublisherPorts = ReturnType<typeof publisherPorts>;

/** Publishes messages `from`..`to`-1 and waits until the subscriber acknowledged all of them. */
async function publish(ports: PublisherPorts, from: number, to: number, progress: Progress): Promise<void> {
  let sent = from;
  let acknowledged = from;
  const guard = stallGuard("publisher", () => acknowledged);
  const acks = ports.acks.samples({ signal: guard.signal });
  progress.resume(from);
  try {
    while (acknowledged < to) {
      for (; sent < to && sent - acknowledged < WINDOW; sent++) {
        const sample = ports.publisher.loan().unwrap();
        sample.payload = { sequence: sent, value: sent * 0.5 };
        sample.send().unwrap();
        progress.report(sent + 1);
      }
      const ack = await acks.next();
      if (ack.done === true) throw guard.stalled();
      acknowledged = Math.max(acknowledged, Number(ack.value.payload));
    }
  } finally {
    guard.stop();
    await acks.return();
  }
}

/** Round trips `from`..`to`-1: each request carries its number, the response number + 1. */
async function roundTrips(ports: PublisherPorts, from: number, to: number, progress: Progress): Promise<void> {
  let done = from;
  const guard = stallGuard("client", () => done);
  progress.resume(from);
  try {
    for (; done < to; done++) {
      const request = ports.client.loan().unwrap();
      request.payload = done;
      const pending = request.send().unwrap();
      let response = pending.receive().unwrap();
      for (let polls = 1; response === null; polls++) {
        if (polls % POLLS_PER_YIELD === 0) {
          await yieldToEventLoop();
          if (guard.signal.aborted) throw guard.stalled();
        }
        response = pending.receive().unwrap();
      }
      if (response.payload !== BigInt(done + 1)) throw new Error(`round trip ${done}: response ${response.payload}, expected ${done + 1}`);
      response.release();
      pending.close();
      progress.report(done + 1);
      if (done % POLLS_PER_YIELD === 0) await yieldToEventLoop();
    }
  } finally {
    guard.stop();
  }
}

async function publisherRole(args: Args): Promise<void> {
  const input = commands(answerMeasure);
  const expect = async (command: string) => {
    const line = await input.next();
    if (line !== command) throw new Error(`expected '${command}' on stdin, got ${line === null ? "its end" : `'${line}'`}`);
  };
  const ports = publisherPorts(args.prefix);
  say("READY");
  await expect("start");

  const pubsubProgress = new Progress("pub-sub messages", args.messages);
  const reqresProgress = new Progress("request-response round trips", args.roundTrips);
  const elapsed = { pubsub: 0, requestResponse: 0 };
  const timed = async (phase: keyof typeof elapsed, body: () => Promise<void>) => {
    const started = Date.now();
    await body();
    elapsed[phase] += Date.now() - started;
  };
  // Warm-up: the counts asked for, repeated until MIN_WARMUP_MS have passed.
  const warmupStarted = Date.now();
  let messages = 0;
  let trips = 0;
  do {
    await timed("pubsub", () => publish(ports, messages, messages + args.warmupMessages, pubsubProgress));
    messages += args.warmupMessages;
    await timed("requestResponse", () => roundTrips(ports, trips, trips + args.warmupRoundTrips, reqresProgress));
    trips += args.warmupRoundTrips;
  } while (Date.now() - warmupStarted < MIN_WARMUP_MS && messages + args.warmupMessages <= args.messages && trips + args.warmupRoundTrips <= args.roundTrips);
  say(`WARMED ${JSON.stringify({ messages, roundTrips: trips })}`);
  await expect("go");

  await timed("pubsub", () => publish(ports, messages, args.messages, pubsubProgress));
  await timed("requestResponse", () => roundTrips(ports, trips, args.roundTrips, reqresProgress));
  say(`FINISHED ${JSON.stringify({ pubsubMs: elapsed.pubsub, requestResponseMs: elapsed.requestResponse })}`);
  await expect("done");
  ports.node.close();
  input.close();
}

// ---------------------------------------------------------------------------
// Subscriber role: subscriber, acknowledgement publisher, server
// ---------------------------------------------------------------------------

function subscriberPorts(prefix: string) {
  const node = new NodeBuilder().name("soak-subscriber").config({ prefix }).create().unwrap();
  const pubsub = node.serviceBuilder(PUBSUB_SERVICE).publishSubscribe(SoakMessage).open().unwrap();
  const ack = node.serviceBuilder(ACK_SERVICE).publishSubscribe(u64).open().unwrap();
  const reqres = node.serviceBuilder(REQRES_SERVICE).requestResponse(u64, u64).open().unwrap();
  return {
    node,
    subscriber: pubsub.subscriberBuilder().bufferSize(WINDOW).create().unwrap(),
    acks: ack.publisherBuilder().notifyOnSend().create().unwrap(),
    server: reqres.serverBuilder().create().unwrap(),
  };
}

async function subscriberRole(args: Args): Promise<void> {
  const input = commands(answerMeasure);
  const ports = subscriberPorts(args.prefix);
  const stop = new AbortController();
  let received = 0;
  let served = 0;

  const subscribe = async () => {
    let messagesSinceYield = 0;
    for await (const sample of ports.subscriber.samples({ signal: stop.signal })) {
      const { sequence, value } = sample.payload;
      if (sequence !== BigInt(received) || value !== received * 0.5) {
        throw new Error(`message ${received}: got sequence ${sequence}, value ${value}`);
      }
      received++;
      if (received % ACK_EVERY === 0) ports.acks.sendCopy(received).unwrap();
      // A subscriber that always has samples never leaves the job; see yieldToEventLoop.
      if (++messagesSinceYield === WINDOW) {
        messagesSinceYield = 0;
        await yieldToEventLoop();
      }
    }
  };
  const serve = async () => {
    for await (const active of ports.server.requests({ signal: stop.signal })) {
      const response = active.loan().unwrap();
      response.payload = active.payload + 1n;
      response.send().unwrap();
      active.close();
      served++;
    }
  };
  const loops = Promise.all([subscribe(), serve()]);
  say("READY");
  const line = await Promise.race([input.next(), loops.then(() => "loops ended")]);
  stop.abort();
  await loops;
  say(`TOTALS ${JSON.stringify({ received, served })}`);
  ports.node.close();
  input.close();
  if (line !== "done") throw new Error(`expected 'done' on stdin, got ${line === null ? "its end" : `'${line}'`}`);
}

// ---------------------------------------------------------------------------

try {
  const args = parseArgs(process.argv.slice(2));
  await (args.role === "publisher" ? publisherRole(args) : subscriberRole(args));
  process.exit(0);
} catch (error) {
  process.stderr.write(`[soak ${runtime} ${process.argv.slice(2).join(" ")}] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
}
