/**
 * The TypeScript peer of tools/link: one source for Node, Deno and Bun, on the public API only,
 * with iceoryx2's default config (each simulated host has its own /dev/shm and /tmp/iceoryx2).
 * The test drives it line by line: commands on stdin, reports on stdout.
 *
 *   peer <role> [--service <name>] [--type u64|u32|bytes] [--size <bytes>] [--count <n>] [--warmup <n>] [--notify]
 *
 * Roles and their lines:
 * - `publisher`: prints `ready`. Commands: `probe` (sends value 0 every 20 ms until the next
 *   command), `stream <from> <count> <intervalMs>` (sends the values from..from+count-1, prints
 *   `sent <last> errors <n>`), `pace <from> <intervalMs>` (sends from, from+1, … until the next
 *   command, printing `at <value>` every 50 values). A send that fails prints
 *   `send-error <value> <kind>`; the peer goes on.
 * - `subscriber`: prints `ready`, `probe` at the first value 0, `recv <value>` for every other
 *   value (for `bytes`, the value is the first 8 bytes; the rest is checked against it), and
 *   `order-error <previous> <value>` for a value not above the previous one.
 * - `notifier`: prints `ready`. Commands: `probe <id>` (notifies `id` every 20 ms until the next
 *   command), `notify <id>` (once; prints `notified <id> <listeners reached>`).
 * - Sending roles end at `quit` or when stdin ends.
 * - `listener`: prints `ready`, then `event <id>` for every id that arrives.
 * - `pinger` / `ponger`: round trips of `--size` bytes over `Link/Measure/Ping` and
 *   `Link/Measure/Pong`; the pinger prints `result {"rtt_us": [...]}` after `--warmup` + `--count`.
 * - `source` / `sink`: `--count` samples of `--size` bytes on `--service` as fast as they go
 *   (the source after a `go` line); the sink prints `first` and, once none came for a second,
 *   `result {"count", "bytes", "seconds", "lost"}`.
 *
 * Every role exits when stdin ends; `error <what>` on stderr and exit code 1 for anything
 * unexpected. No wait is unbounded: a role that waits for data gives up after 60 s.
 */
import process from "node:process";
import { createInterface } from "node:readline";
import type { Node, Publisher, Subscriber } from "@iceoryx2-js/node";
import { iox2 } from "@iceoryx2-js/runtimes/adapter";

const LIMIT_MS = 60_000;
const PING = "Link/Measure/Ping";
const PONG = "Link/Measure/Pong";

const print = (line: string) => process.stdout.write(`${line}\n`);
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function die(what: string): never {
  process.stderr.write(`error ${what}\n`);
  process.exit(1);
}

function unwrap<T>(result: { isOk(): boolean; value?: T; error?: unknown }, what: string): T {
  if (!result.isOk()) die(`${what}: ${describe(result.error)}`);
  return result.value as T;
}

function describe(error: unknown): string {
  if (error instanceof iox2.Iox2Error) return `${error.kind}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

function option(name: string, fallback?: string): string {
  const at = process.argv.indexOf(`--${name}`);
  const value = at < 0 ? fallback : process.argv[at + 1];
  if (value === undefined) die(`missing --${name}`);
  return value;
}

/** Stdin, line by line; `ended` aborts once it closes. */
const commands: string[] = [];
let wakeCommands: (() => void) | undefined;
const ended = new AbortController();
createInterface({ input: process.stdin })
  .on("line", (line) => {
    commands.push(line.trim());
    wakeCommands?.();
  })
  .on("close", () => {
    ended.abort();
    wakeCommands?.();
  });

async function nextCommand(): Promise<string | undefined> {
  while (commands.length === 0 && !ended.signal.aborted) await new Promise<void>((resolve) => (wakeCommands = resolve));
  return commands.shift();
}

/**
 * The settings every host's copy of a stream service is created with: room for the tunnel's own
 * publisher and subscriber (and a restarted tunnel's, while the dead one's ports are reclaimed),
 * and queues long enough for the tunnel's polling period.
 */
function streamService<P extends Parameters<ReturnType<Node["serviceBuilder"]>["publishSubscribe"]>[0]>(node: Node, name: string, type: P) {
  return unwrap(
    node.serviceBuilder(name).publishSubscribe(type).maxPublishers(4).maxSubscribers(8).subscriberMaxBufferSize(256).historySize(0).openOrCreate(),
    `open or create ${name}`,
  );
}

type Kind = "u64" | "u32" | "bytes";
const payloadTypes = { u64: iox2.u64, u32: iox2.u32, bytes: iox2.slice(iox2.u8) };

/** Sends `value`: a number type as itself, `bytes` as `size` bytes led by the value (u64 LE) and filled with its low byte. */
function sender(publisher: Publisher<any, any>, kind: Kind, size: number): (value: number) => string | undefined {
  return (value) => {
    let sent: { isOk(): boolean; error?: unknown };
    if (kind === "bytes") {
      const loaned = publisher.loanSliceUninit(size);
      if (loaned.isErr()) return describeKind(loaned.error);
      const bytes = loaned.value.payloadBytes as Uint8Array;
      bytes.fill(value & 0xff);
      new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).setBigUint64(0, BigInt(value), true);
      sent = loaned.value.send();
    } else {
      sent = publisher.sendCopy(kind === "u64" ? BigInt(value) : value);
    }
    return sent.isOk() ? undefined : describeKind(sent.error);
  };
}

/** `--notify`: publishers wake the event service of the same name on every send (a tunnel's `--listener`). */
const notify = process.argv.includes("--notify");

const describeKind = (error: unknown) => (error instanceof iox2.Iox2Error ? error.kind : String(error));

/** A slice payload as received: element access without copying the shared memory. */
interface ByteView {
  readonly length: number;
  get(index: number): number;
}

/** The value a received sample carries, checking a `bytes` payload's filling (every 997th byte). */
function valueOf(payload: unknown, kind: Kind): number {
  if (kind !== "bytes") return Number(payload as bigint | number);
  const bytes = payload as ByteView;
  let value = 0;
  for (let i = 7; i >= 0; i--) value = value * 256 + bytes.get(i);
  for (let i = 8; i < bytes.length; i += 997) if (bytes.get(i) !== (value & 0xff)) die(`value ${value}: byte ${i} is ${bytes.get(i)}`);
  return value;
}

async function publisher(node: Node, service: string, kind: Kind, size: number): Promise<void> {
  const port = unwrap(streamService(node, service, payloadTypes[kind]).publisherBuilder().initialMaxSliceLen(Math.max(size, 8)).notifyOnSend(notify).create(), "create publisher");
  const send = sender(port, kind, size);
  let errors = 0;
  const sendOrReport = (value: number) => {
    const failure = send(value);
    if (failure !== undefined && ++errors <= 20) print(`send-error ${value} ${failure}`);
  };
  print("ready");
  const interrupted = () => commands.length > 0 || ended.signal.aborted;
  for (let command = await nextCommand(); command !== undefined; command = await nextCommand()) {
    const [verb, ...args] = command.split(" ");
    const numbers = args.map(Number);
    if (verb === "probe") {
      while (!interrupted()) {
        sendOrReport(0);
        await sleep(20);
      }
    } else if (verb === "stream") {
      const [from, count, interval] = numbers as [number, number, number];
      errors = 0;
      for (let value = from; value < from + count; value++) {
        sendOrReport(value);
        if (interval > 0) await sleep(interval);
        else if (value % 64 === 0) await new Promise((resolve) => setImmediate(resolve));
      }
      print(`sent ${from + count - 1} errors ${errors}`);
    } else if (verb === "pace") {
      const [from, interval] = numbers as [number, number];
      for (let value = from; !interrupted(); value++) {
        sendOrReport(value);
        if (value % 50 === 0) print(`at ${value}`);
        await sleep(interval);
      }
    } else if (verb === "quit") {
      break;
    } else if (verb !== "") {
      die(`unknown command ${command}`);
    }
  }
  port.close();
}

async function subscriber(node: Node, service: string, kind: Kind): Promise<void> {
  const port = unwrap(streamService(node, service, payloadTypes[kind]).subscriberBuilder().create(), "create subscriber");
  print("ready");
  let previous = 0;
  let probed = false;
  for await (const sample of port.samples({ signal: ended.signal })) {
    const value = valueOf(sample.payload, kind);
    sample.release();
    if (value === 0) {
      if (!probed) print("probe");
      probed = true;
      continue;
    }
    if (value <= previous) print(`order-error ${previous} ${value}`);
    else print(`recv ${value}`);
    previous = Math.max(previous, value);
  }
  port.close();
}

function eventService(node: Node, name: string) {
  return unwrap(node.serviceBuilder(name).event().openOrCreate(), `open or create ${name}`);
}

async function notifier(node: Node, service: string): Promise<void> {
  const port = unwrap(eventService(node, service).notifierBuilder().create(), "create notifier");
  print("ready");
  for (let command = await nextCommand(); command !== undefined; command = await nextCommand()) {
    const [verb, id] = command.split(" ");
    if (verb === "probe") {
      while (commands.length === 0 && !ended.signal.aborted) {
        unwrap(port.notifyWithCustomEventId(Number(id)), `notify ${id}`);
        await sleep(20);
      }
    } else if (verb === "notify") {
      print(`notified ${id} ${unwrap(port.notifyWithCustomEventId(Number(id)), `notify ${id}`)}`);
    } else if (verb === "quit") {
      break;
    } else if (verb !== "") {
      die(`unknown command ${command}`);
    }
  }
  port.close();
}

async function listener(node: Node, service: string): Promise<void> {
  const port = unwrap(eventService(node, service).listenerBuilder().create(), "create listener");
  print("ready");
  while (!ended.signal.aborted) {
    const events = await port.wait({ signal: ended.signal });
    if (events.isErr()) break;
    for (const { id } of events.value) print(`event ${id}`);
  }
  port.close();
}

/**
 * Round trips wait in `samples()` checking every millisecond (the tunnel's publisher sends no
 * wake-up events): no spinning, so the tunnels keep a core on a two-core machine.
 */
const ROUND_TRIP_POLL_MS = 1;

/** The next sample of `stream` whose value is `value`; `resend()` every 200 ms until then. */
async function awaitValue(stream: AsyncIterator<{ payload: unknown; release(): void }>, value: number, resend: () => void): Promise<boolean> {
  const timer = setInterval(resend, 200);
  const limit = setTimeout(() => ended.abort(), LIMIT_MS);
  try {
    for (;;) {
      const next = await stream.next();
      if (next.done) return false;
      const got = valueOf(next.value.payload, "bytes");
      next.value.release();
      if (got === value) return true;
    }
  } finally {
    clearInterval(timer);
    clearTimeout(limit);
  }
}

async function pinger(node: Node, size: number, count: number, warmup: number): Promise<void> {
  const out = unwrap(streamService(node, PING, payloadTypes.bytes).publisherBuilder().initialMaxSliceLen(size).notifyOnSend(notify).create(), "create publisher");
  const back = unwrap(streamService(node, PONG, payloadTypes.bytes).subscriberBuilder().create(), "create subscriber");
  const stream = back.samples({ signal: ended.signal, pollInterval: ROUND_TRIP_POLL_MS });
  const send = sender(out, "bytes", size);
  print("ready");
  const rtts: number[] = [];
  for (let i = 1; i <= warmup + count; i++) {
    const start = process.hrtime.bigint();
    send(i);
    if (!(await awaitValue(stream, i, () => send(i)))) die(`no answer to round trip ${i}`);
    if (i > warmup) rtts.push(Number(process.hrtime.bigint() - start) / 1000);
  }
  print(`result ${JSON.stringify({ rtt_us: rtts })}`);
  await nextCommand();
}

async function ponger(node: Node, size: number): Promise<void> {
  const inbound = unwrap(streamService(node, PING, payloadTypes.bytes).subscriberBuilder().create(), "create subscriber");
  const out = unwrap(streamService(node, PONG, payloadTypes.bytes).publisherBuilder().initialMaxSliceLen(size).notifyOnSend(notify).create(), "create publisher");
  const send = sender(out, "bytes", size);
  print("ready");
  for await (const sample of inbound.samples({ signal: ended.signal, pollInterval: ROUND_TRIP_POLL_MS })) {
    const value = valueOf(sample.payload, "bytes");
    sample.release();
    send(value);
  }
}

async function source(node: Node, service: string, size: number, count: number): Promise<void> {
  const port = unwrap(streamService(node, service, payloadTypes.bytes).publisherBuilder().initialMaxSliceLen(size).notifyOnSend(notify).create(), "create publisher");
  const send = sender(port, "bytes", size);
  print("ready");
  for (let command = await nextCommand(); command !== undefined; command = await nextCommand()) {
    if (command === "probe") {
      while (commands.length === 0 && !ended.signal.aborted) {
        send(0);
        await sleep(20);
      }
    } else if (command === "go") {
      let failed = 0;
      for (let value = 1; value <= count; value++) {
        if (send(value) !== undefined) failed++;
        if (value % 16 === 0) await new Promise((resolve) => setImmediate(resolve));
      }
      print(`sent ${count} errors ${failed}`);
    }
  }
}

async function sink(node: Node, service: string): Promise<void> {
  const port = unwrap(streamService(node, service, payloadTypes.bytes).subscriberBuilder().create(), "create subscriber");
  print("ready");
  let first = 0;
  let last = 0;
  let count = 0;
  let bytes = 0;
  let highest = 0;
  let probed = false;
  const limit = Date.now() + LIMIT_MS;
  while (!ended.signal.aborted && Date.now() < limit) {
    const received = unwrap(port.receive(), "receive");
    if (received === null) {
      if (count > 0 && performance.now() - last > 1000) break;
      await new Promise((resolve) => setImmediate(resolve));
      continue;
    }
    const length = (received.payload as unknown as ByteView).length;
    const value = valueOf(received.payload, "bytes");
    received.release();
    if (value === 0) {
      if (!probed) print("probe");
      probed = true;
      continue;
    }
    last = performance.now();
    if (count === 0) {
      first = last;
      print("first");
    }
    count++;
    bytes += length;
    highest = Math.max(highest, value);
  }
  print(`result ${JSON.stringify({ count, bytes, seconds: (last - first) / 1000, lost: highest - count })}`);
}

async function main(): Promise<void> {
  const role = process.argv[2];
  const node = unwrap(new iox2.NodeBuilder().name(`link-${role}`).create(), "create node");
  const service = () => option("service");
  const kind = option("type", "u64") as Kind;
  if (!(kind in payloadTypes)) die(`unknown --type ${kind}`);
  const size = Number(option("size", "8"));
  try {
    await run(role, node, service, kind, size);
  } finally {
    node.close();
  }
}

async function run(role: string | undefined, node: Node, service: () => string, kind: Kind, size: number): Promise<void> {
  switch (role) {
    case "publisher":
      return publisher(node, service(), kind, size);
    case "subscriber":
      return subscriber(node, service(), kind);
    case "notifier":
      return notifier(node, service());
    case "listener":
      return listener(node, service());
    case "pinger":
      return pinger(node, size, Number(option("count", "1000")), Number(option("warmup", "50")));
    case "ponger":
      return ponger(node, size);
    case "source":
      return source(node, service(), size, Number(option("count", "1000")));
    case "sink":
      return sink(node, service());
    default:
      die(`unknown role ${String(role)}`);
  }
}

await main().catch((error: unknown) => die(describe(error)));
process.exit(0);
