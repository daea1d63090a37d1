/**
 * The TypeScript peer of the benchmarks, one source for Node, Deno and Bun, written against the
 * public API as an application would use it (protocol.ts describes the conversation):
 *
 *   peer.js <ping|pong|publisher|subscriber> --prefix <prefix>
 *   peer.js idle --prefix <prefix> --service <name> --duration-ms <ms>
 *   peer.js calls --prefix <prefix> --service <name> --iterations <n>
 *   peer.js non-notifying --prefix <prefix> --service <name> --idle-ms <ms> --sends <n>
 *   peer.js allocations --prefix <prefix> --service <name> --messages <n> --windows <n>   (needs gc(): see allocations.ts)
 *   peer.js cycle --prefix <prefix> --service <name> --size <bytes> --seconds <s>
 *
 * `idle` awaits a listener and a subscriber's `samples()` that nothing wakes, for the runner to
 * read its CPU time. `calls` times single API calls in one process (no peer); `cycle` repeats
 * the per-message work in one process for a profiler.
 */
import process from "node:process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { EventActivation, Listener, LoanSlot, Node, Notifier, Publisher, ReceiveBatch, ReceiveSlot, Result, SendBatch, Subscriber } from "@iceoryx2-js/node";
import { iox2, runtime } from "@iceoryx2-js/runtimes/adapter/internal";
import { serve, say, die, type CaseRun } from "./conversation.js";
import { measureAllocations } from "./allocations.js";
import { measureNonNotifying } from "./non-notifying.js";
import {
  HEADER_SIZE,
  SENT_SAMPLE,
  SPINS_PER_CLOCK_CHECK,
  STOP,
  measureRounds,
  measureRoundsAsync,
  nowNs,
  writeHeader,
  type Case,
  type ThroughputResult,
} from "./protocol.js";

const Bytes = iox2.slice(iox2.u8);
type Bytes = typeof Bytes;

function options(argv: string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 2) {
    const flag = argv[i]!;
    const value = argv[i + 1];
    if (!flag.startsWith("--") || value === undefined) throw new Error(`unexpected argument '${flag}'`);
    map.set(flag.slice(2), value);
  }
  return map;
}

/**
 * Publish-subscribe `[u8]` service with one publisher and one subscriber (upstream's ping-pong
 * settings); a batch-receiving subscriber may borrow a whole batch.
 */
function pubsub(node: Node, name: string, buffer: number, overflow: boolean, send: Case["send"] = "loan") {
  const builder = node
    .serviceBuilder(name)
    .publishSubscribe(Bytes)
    .maxPublishers(1)
    .maxSubscribers(1)
    .historySize(0)
    .subscriberMaxBufferSize(buffer)
    .enableSafeOverflow(overflow);
  return (send === "batch" ? builder.subscriberMaxBorrowedSamples(iox2.RECEIVED_PER_CALL) : builder).openOrCreate().unwrap();
}

/**
 * Writes the sequence header through the payload's zero-copy slice view, as an application
 * writes its fields (`payloadBytes` would make a detachable buffer for the sample).
 */
function writeSequence(payload: { set(index: number, value: number): void }, sequence: number): void {
  payload.set(0, sequence & 0xff);
  payload.set(1, (sequence >>> 8) & 0xff);
  payload.set(2, (sequence >>> 16) & 0xff);
  payload.set(3, (sequence >>> 24) & 0xff);
}

/**
 * Sends `size`-byte messages: a loan with only the header written (through the publisher's loan
 * slot for `slot`), or `sendCopy` of a prepared buffer.
 */
class Sender {
  readonly #publisher: Publisher<Bytes, undefined>;
  readonly #slot: LoanSlot<Bytes, undefined> | undefined;
  readonly #batch: SendBatch<Bytes, undefined> | undefined;
  readonly #notifier: Notifier | undefined;
  readonly #size: number;
  readonly #prepared: Uint8Array | undefined;

  constructor(node: Node, name: string, buffer: number, overflow: boolean, size: number, send: Case["send"], wait: Case["wait"]) {
    const builder = pubsub(node, name, buffer, overflow, send).publisherBuilder().initialMaxSliceLen(size);
    this.#publisher = (send === "batch" ? builder.maxLoanedSamples(iox2.RECEIVED_PER_CALL) : builder).create().unwrap();
    this.#batch = send === "batch" ? this.#publisher.sendBatch({ zeroed: false }).unwrap() : undefined;
    this.#notifier = wait === "event" ? node.serviceBuilder(name).event().openOrCreate().unwrap().notifierBuilder().create().unwrap() : undefined;
    this.#size = size;
    this.#prepared = send === "copy" ? new Uint8Array(size) : undefined;
    this.#slot = send === "slot" ? this.#publisher.loanSlot() : undefined;
  }

  /** How many messages one {@link sendMany} call may send. */
  get burst(): number {
    return this.#batch === undefined ? 1 : iox2.RECEIVED_PER_CALL;
  }

  /** Sends `count` messages numbered from `first` (through the send batch, if there is one). */
  sendMany(first: number, count: number): void {
    const batch = this.#batch;
    if (batch === undefined) {
      for (let i = 0; i < count; i++) this.send(first + i);
      return;
    }
    batch.loan(count, this.#size).unwrap();
    for (let i = 0; i < count; i++) writeSequence(batch.at(i).payload, first + i);
    batch.send().unwrap();
    this.#notifier?.notifyWithCustomEventId(SENT_SAMPLE).unwrap();
  }

  send(sequence: number): void {
    const batch = this.#batch;
    if (batch !== undefined) return this.sendMany(sequence, 1);
    const prepared = this.#prepared;
    if (prepared === undefined) {
      const sample = (this.#slot === undefined ? this.#publisher.loanSliceUninit(this.#size) : this.#slot.loanSliceUninit(this.#size)).unwrap();
      writeSequence(sample.payload, sequence);
      sample.send().unwrap();
    } else {
      writeHeader(prepared, sequence);
      this.#publisher.sendCopy(prepared).unwrap();
    }
    this.#notifier?.notifyWithCustomEventId(SENT_SAMPLE).unwrap();
  }
}

/**
 * Receives messages: spinning on `receive()` (or the subscriber's receive slot for `slot`, its
 * receive batch for `batch`), or awaiting the listener of the same name between receives.
 */
class Receiver {
  readonly #subscriber: Subscriber<Bytes, undefined>;
  readonly #slot: ReceiveSlot<Bytes, undefined> | undefined;
  readonly #batch: ReceiveBatch<Bytes, undefined> | undefined;
  /** The next sample of the batch to read, and how many the batch took. */
  #next = 0;
  #taken = 0;
  readonly #listener: Listener | undefined;

  constructor(node: Node, name: string, buffer: number, overflow: boolean, wait: Case["wait"], send: Case["send"] = "loan") {
    this.#subscriber = pubsub(node, name, buffer, overflow, send).subscriberBuilder().create().unwrap();
    this.#slot = send === "slot" ? this.#subscriber.receiveSlot() : undefined;
    this.#batch = send === "batch" ? this.#subscriber.receiveBatch().unwrap() : undefined;
    this.#listener = wait === "event" ? node.serviceBuilder(name).event().openOrCreate().unwrap().listenerBuilder().create().unwrap() : undefined;
  }

  /** The sequence number of a waiting message (read from shared memory, then released), or null. */
  tryReceive(): number | null {
    if (this.#batch !== undefined) return this.#fromBatch(this.#batch);
    const sample = (this.#slot === undefined ? this.#subscriber.receive() : this.#slot.receive()).unwrap();
    if (sample === null) return null;
    const sequence = sequenceOf(sample.payload);
    sample.release();
    return sequence;
  }

  /** The batch's next sample's sequence; the batch's next receive releases what it read. */
  #fromBatch(batch: ReceiveBatch<Bytes, undefined>): number | null {
    if (this.#next === this.#taken) {
      this.#taken = batch.receive().unwrap();
      this.#next = 0;
      if (this.#taken === 0) return null;
    }
    return sequenceOf(batch.at(this.#next++).payload);
  }

  receivePolling(deadlineNs: number): number {
    for (let spins = 1; ; spins++) {
      const sequence = this.tryReceive();
      if (sequence !== null) return sequence;
      if (spins % SPINS_PER_CLOCK_CHECK === 0 && nowNs() > deadlineNs) throw new Error("timed out waiting for a message");
    }
  }

  /** Bounded by the conversation's per-case watchdog, so the wait itself carries no timer. */
  async receiveAwaiting(): Promise<number> {
    for (;;) {
      const sequence = this.tryReceive();
      if (sequence !== null) return sequence;
      (await this.#listener!.wait()).unwrap();
    }
  }
}

/** The little-endian sequence number in a payload's first four bytes. */
function sequenceOf(payload: { get(index: number): number }): number {
  return (payload.get(0) | (payload.get(1) << 8) | (payload.get(2) << 16) | (payload.get(3) << 24)) >>> 0;
}

function pingPong(node: Node, c: Case, ping: boolean): CaseRun {
  const [outgoing, incoming] = ping ? ["a2b", "b2a"] : ["b2a", "a2b"];
  const sender = new Sender(node, `${c.service}/${outgoing}`, 1, true, c.size, c.send, c.wait);
  const receiver = new Receiver(node, `${c.service}/${incoming}`, 1, true, c.wait, c.send);
  const check = (sent: number, answer: number) => {
    if (answer !== sent) throw new Error(`sent ${sent}, got ${answer} back`);
  };
  const run = (): unknown => {
    const deadline = nowNs() + c.limitMs * 1e6;
    if (c.wait === "poll") {
      if (ping) {
        return measureRounds(c, (sequence) => {
          sender.send(sequence);
          check(sequence, receiver.receivePolling(deadline));
        });
      }
      for (;;) {
        const sequence = receiver.receivePolling(deadline);
        sender.send(sequence);
        if (sequence === STOP) return undefined;
      }
    }
    if (ping) {
      return measureRoundsAsync(c, async (sequence) => {
        sender.send(sequence);
        check(sequence, await receiver.receiveAwaiting());
      });
    }
    return (async () => {
      for (;;) {
        const sequence = await receiver.receiveAwaiting();
        sender.send(sequence);
        if (sequence === STOP) return undefined;
      }
    })();
  };
  return { run, close: () => node.close() };
}

/**
 * Publisher → subscriber on `<service>/a2b` with a queue of `buffer`; the subscriber acknowledges
 * every `buffer / 4`-th message on `<service>/b2a` and the publisher keeps at most `buffer`
 * unacknowledged (the same flow control as tools/benchmarks/rust/src/throughput.rs).
 */
function throughput(node: Node, c: Case, publishing: boolean): CaseRun {
  const data = `${c.service}/a2b`;
  const acks = `${c.service}/b2a`;
  const ackEvery = Math.max(1, Math.floor(c.buffer / 4));
  if (publishing) {
    const sender = new Sender(node, data, c.buffer, false, c.size, c.send, "poll");
    const confirmations = new Receiver(node, acks, 1, true, "poll");
    const run = () => {
      const deadline = nowNs() + c.limitMs * 1e6;
      let sent = 0;
      let confirmed = 0;
      /** Sends up to `wanted` messages from `sequence` once the window has room; returns how many. */
      const send = (sequence: number, wanted = 1) => {
        for (let spins = 1; sent - confirmed >= c.buffer; spins++) {
          const ack = confirmations.tryReceive();
          if (ack !== null) confirmed = ack + 1;
          if (spins % SPINS_PER_CLOCK_CHECK === 0 && nowNs() > deadline) throw new Error("timed out waiting for an acknowledgement");
        }
        const count = Math.min(wanted, c.buffer - (sent - confirmed));
        sender.sendMany(sequence, count);
        sent += count;
        return count;
      };
      const burst = sender.burst;
      let sequence = 0;
      while (sequence < c.warmupRounds) sequence += send(sequence, Math.min(burst, c.warmupRounds - sequence));
      const budgetEnd = nowNs() + c.budgetMs * 1e6;
      for (let measured = 0; measured < c.rounds && (measured < c.minRounds || nowNs() < budgetEnd); ) {
        const count = send(sequence, Math.min(burst, c.rounds - measured));
        sequence += count;
        measured += count;
      }
      send(STOP);
      return undefined;
    };
    return { run, close: () => node.close() };
  }
  const receiver = new Receiver(node, data, c.buffer, false, "poll", c.send);
  const acknowledger = new Sender(node, acks, 1, true, HEADER_SIZE, "loan", "poll");
  const run = (): ThroughputResult => {
    const deadline = nowNs() + c.limitMs * 1e6;
    let expected = 0;
    let start: number | undefined;
    for (;;) {
      const sequence = receiver.receivePolling(deadline);
      const now = nowNs();
      if (sequence === STOP) {
        if (start === undefined) throw new Error("STOP came before the first measured message");
        return { messages: expected - c.warmupRounds - 1, seconds: (now - start) / 1e9 };
      }
      if (sequence !== expected) throw new Error(`expected message ${expected}, got ${sequence}`);
      if (sequence === c.warmupRounds) start = now;
      expected++;
      if (expected % ackEvery === 0) acknowledger.send(sequence);
    }
  };
  return { run, close: () => node.close() };
}

/** Awaits a listener and `samples()` that nothing wakes, both ending after `durationMs`. */
async function idle(prefix: string, service: string, durationMs: number): Promise<void> {
  const node = new iox2.NodeBuilder().config({ prefix }).create().unwrap();
  const listener = node.serviceBuilder(`${service}/listener`).event().openOrCreate().unwrap().listenerBuilder().create().unwrap();
  const subscriber = pubsub(node, `${service}/samples`, 1, true).subscriberBuilder().create().unwrap();
  const signal = AbortSignal.timeout(durationMs);
  say("ready");
  const samples = (async () => {
    for await (const sample of subscriber.samples({ signal })) throw new Error(`nothing sends, yet a sample came (${sample.length} bytes)`);
  })();
  const events: Result<EventActivation[]> = await listener.wait({ timeout: durationMs });
  await samples;
  if (events.unwrap().length > 0) throw new Error("nothing notifies, yet an event came");
  node.close();
  say("done");
}

/** Per-message work in one process: loan, write the header, send, receive, read it, release. */
function cycleOnce(publisher: Publisher<Bytes, undefined>, subscriber: Subscriber<Bytes, undefined>, size: number, sequence: number): void {
  const sample = publisher.loanSliceUninit(size).unwrap();
  writeSequence(sample.payload, sequence);
  sample.send().unwrap();
  const received = subscriber.receive().unwrap()!;
  if (received.payload.get(0) !== (sequence & 0xff)) throw new Error("read the wrong message");
  received.release();
}

/** Labels shared with tools/benchmarks/rust (`calls`), so the report lines the runtimes up. */
const CYCLE_SIZES = [8, 64 * 1024, 4 * 1024 * 1024] as const;
const cycleLabel = (size: number) =>
  `loan + header + send + receive + read header + release, ${size >= 1024 * 1024 ? `${size / 1024 / 1024} MiB` : size >= 1024 ? `${size / 1024} KiB` : `${size} B`}`;

/**
 * Times single calls in one process (no peer): the cost of the boundary, of the public API
 * around it, and of the whole per-message work. Each row runs `iterations` times or for about a
 * second, whichever ends first, after a warm-up.
 */
function calls(prefix: string, service: string, iterations: number): void {
  const node = new iox2.NodeBuilder().config({ prefix }).create().unwrap();
  const bytes = pubsub(node, service, 2, true);
  const publisher = bytes.publisherBuilder().initialMaxSliceLen(CYCLE_SIZES.at(-1)!).create().unwrap();
  const subscriber = bytes.subscriberBuilder().create().unwrap();
  const notifier = node.serviceBuilder(`${service}/event`).event().openOrCreate().unwrap().notifierBuilder().create().unwrap();
  const native = iox2.nativeFor(iox2.backend);
  // The handle behind the public object (a protected getter): a raw backend call shows what the
  // runtime's boundary alone costs, apart from the API around it.
  const handle = Reflect.get(subscriber, "handle") as number;
  const prepared = new Uint8Array(8);
  const time = (body: (i: number) => void): number => {
    const warmupEnd = nowNs() + 200e6;
    for (let i = 0; i < Math.min(iterations, 20_000) && nowNs() < warmupEnd; i++) body(i);
    const start = nowNs();
    const end = start + 1e9;
    let done = 0;
    while (done < iterations && (done === 0 || nowNs() < end)) {
      const batch = Math.min(64, iterations - done);
      for (let i = 0; i < batch; i++) body(done + i);
      done += batch;
    }
    return Math.round(((nowNs() - start) / done) * 10) / 10;
  };
  const result: Record<string, number> = {
    "native subscriberHasSamples": time(() => void native.ops.subscriberHasSamples(handle, 0)),
    "native subscriberReceive, none waiting": time(() => void native.ops.subscriberReceive(handle, 0, 0)),
    "subscriber.hasSamples()": time(() => void subscriber.hasSamples()),
    "receive(), none waiting": time(() => void subscriber.receive()),
    "loanSliceUninit(8) + release()": time(() => publisher.loanSliceUninit(8).unwrap().release()),
    "notify, no listener attached": time(() => void notifier.notifyWithCustomEventId(SENT_SAMPLE).unwrap()),
    "copy-send 8 B + receive + release": time((i) => {
      writeHeader(prepared, i);
      publisher.sendCopy(prepared).unwrap();
      subscriber.receive().unwrap()!.release();
    }),
  };
  for (const size of CYCLE_SIZES) result[cycleLabel(size)] = time((i) => cycleOnce(publisher, subscriber, size, i));
  Object.assign(result, fieldCosts(node, `${service}/fields`, time));
  Object.assign(result, flatbufferCosts(node, `${service}/flatbuffer`, time));
  node.close();
  say(`result ${JSON.stringify(result)}`);
}

/**
 * What reading and writing one field of a loaned sample costs, by type: a plain f64 next to a
 * 32-character `StaticString<32>` and a 64-element `StaticVec<f64, 64>` (iceoryx2's containers).
 */
function fieldCosts(node: Node, service: string, time: (body: (i: number) => void) => number): Record<string, number> {
  const Fields = iox2.struct("FieldCosts", { value: iox2.f64, label: iox2.staticString(32), series: iox2.staticVec(iox2.f64, 64) });
  const publisher = node.serviceBuilder(service).publishSubscribe(Fields).openOrCreate().unwrap().publisherBuilder().create().unwrap();
  const sample = publisher.loan().unwrap();
  const payload = sample.payload;
  const label = "0123456789abcdefghijklmnopqrstuv";
  const series = Float64Array.from({ length: 64 }, (_, i) => i * 0.5);
  let sink = 0;
  const costs = {
    "write f64 field": time((i) => {
      payload.value = i;
    }),
    "read f64 field": time(() => {
      sink += payload.value;
    }),
    "write StaticString<32> field (32 chars)": time(() => {
      payload.label = label;
    }),
    "read StaticString<32> field (32 chars)": time(() => {
      sink += payload.label.length;
    }),
    "write StaticVec<f64, 64> field (assign 64 from a Float64Array)": time(() => payload.series.assign(series)),
    "read StaticVec<f64, 64> field (typedArray(), sum 64)": time(() => {
      const values = payload.series.typedArray();
      for (let j = 0; j < values.length; j++) sink += values[j]!;
    }),
    "read StaticVec<f64, 64> field (toArray())": time(() => {
      sink += payload.series.toArray().length;
    }),
  };
  sample.release();
  if (Number.isNaN(sink)) say("unreachable");
  return costs;
}

/**
 * A FlatBuffers message's round trip: the JS `flatbuffers` package builds on its own heap, so a
 * send copies the finished bytes into the chunk, and a receiver copies them out of read-only
 * shared memory. The bytes stand for a finished flatbuffer (their content costs nothing more).
 */
function flatbufferCosts(node: Node, service: string, time: (body: (i: number) => void) => number): Record<string, number> {
  // iceoryx2 stores a schema's bytes with the service; it does not parse them.
  const schemas = mkdtempSync(join(tmpdir(), "iox2js-bench-"));
  writeFileSync(join(schemas, "Bench.bfbs"), "benchmark schema");
  try {
    const type = iox2.flatbuffer("Bench");
    const bench = node.serviceBuilder(service).publishSubscribe(type).flatbufferSchemaPath(join(schemas, "Bench.bfbs")).openOrCreate().unwrap();
    const publisher = bench.publisherBuilder().initialReservedMemory(256).create().unwrap();
    const subscriber = bench.subscriberBuilder().create().unwrap();
    const bytes = Uint8Array.from({ length: 160 }, (_, i) => i);
    let sink = 0;
    const costs = {
      "copy-send a 160 B flatbuffer + receive + payload + release": time(() => {
        publisher.sendCopy(bytes).unwrap();
        const sample = subscriber.receive().unwrap()!;
        sink += sample.payload.length;
        sample.release();
      }),
    };
    if (sink === -1) say("unreachable");
    return costs;
  } finally {
    rmSync(schemas, { recursive: true, force: true });
  }
}

/** The per-message work of {@link cycleOnce} for `seconds`, for a profiler to watch. */
function cycle(prefix: string, service: string, size: number, seconds: number): void {
  const node = new iox2.NodeBuilder().config({ prefix }).create().unwrap();
  const bytes = pubsub(node, service, 2, true);
  const publisher = bytes.publisherBuilder().initialMaxSliceLen(size).create().unwrap();
  const subscriber = bytes.subscriberBuilder().create().unwrap();
  say("ready");
  const end = nowNs() + seconds * 1e9;
  let done = 0;
  while (nowNs() < end) {
    for (let i = 0; i < 64; i++) cycleOnce(publisher, subscriber, size, done + i);
    done += 64;
  }
  node.close();
  say(`result ${JSON.stringify({ cycles: done, nsPerCycle: Math.round((seconds * 1e9) / done) })}`);
}

async function main(): Promise<void> {
  const [role, ...rest] = process.argv.slice(2);
  const args = options(rest);
  const prefix = args.get("prefix");
  if (prefix === undefined) throw new Error("--prefix is required");
  const count = (name: string) => {
    const value = Number(args.get(name));
    if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`--${name} must be a positive integer`);
    return value;
  };
  const service = () => args.get("service") ?? die(new Error("--service is required"));
  switch (role) {
    case "ping":
    case "pong":
    case "publisher":
    case "subscriber":
      return serve((c) => {
        const node = new iox2.NodeBuilder().config({ prefix }).create().unwrap();
        return role === "ping" || role === "pong" ? pingPong(node, c, role === "ping") : throughput(node, c, role === "publisher");
      });
    case "idle":
      return idle(prefix, service(), count("duration-ms"));
    case "calls":
      return calls(prefix, service(), count("iterations"));
    case "non-notifying":
      return say(`result ${JSON.stringify(await measureNonNotifying({ prefix, service: service(), idleMs: count("idle-ms"), sends: count("sends") }))}`);
    case "allocations":
      return say(`result ${JSON.stringify(await measureAllocations({ prefix, service: service(), messages: count("messages"), windows: count("windows") }))}`);
    case "cycle":
      return cycle(prefix, service(), count("size"), count("seconds"));
    default:
      throw new Error(`unknown role '${role}' (${runtime})`);
  }
}

main().then(
  () => process.exit(0),
  (error) => die(error),
);
