/**
 * A process whose shared memory turns hostile (test/hostile-memory.test.ts), on Node, Deno or Bun.
 *
 *   hostile-memory-peer <case> <prefix> [<file suffix> [<seed> [pubsub|reqres|event|blackboard]]]
 *
 * `truncate`: a subscriber holds a sample when the publisher's data segment is truncated to 0
 * bytes (as a hostile or broken peer would); it reads the payload again, then receives again.
 * `full`: run with a small tmpfs on /dev/shm: a publisher whose data segment does not fit, one
 * that does, /dev/shm filled up by someone else, then services created until /dev/shm is full.
 * `halved`: the service's dynamic config is cut to half its size (within its last page, so no
 * fault), then another publisher is created.
 * `exhausted`: run where iceoryx2's root directory is full or read-only, or with few file
 * descriptors: services are created until one fails; its error must name the cause.
 * `zeroed`, `garbled`, `flipped`: the service's shared-memory files ending in `<file suffix>`
 * (each pattern's are in `FILES_OF`) are overwritten with zeros, with pseudo-random bytes from
 * `<seed>`, or get 16 pseudo-random bytes at pseudo-random places
 * (so that a failure can be replayed), while the ports of a publish-subscribe, request-response,
 * event or blackboard service use them; the ports send and receive, another port is created, the
 * service opened again, a new node exchanges a message on a service of its own, and the first
 * node is closed (zeros) or left for the process's end to release.
 *
 * Prints one line per step (`<step> <json>`) and `done` at the end; a process ended by a
 * signal prints no `done`. Afterwards it checks that the runtime's own fault handling still
 * works: a WebAssembly out-of-bounds load must throw, as it does without this library.
 */
import { readdirSync, readFileSync, statfsSync, statSync, truncateSync, writeFileSync } from "node:fs";
import process from "node:process";
import type { Node } from "@iceoryx2-js/node";
import { iox2 } from "@iceoryx2-js/runtimes/adapter/internal";
import { FILES_OF, type Pattern } from "./shared-overwrite-verdict.js";

const { NodeBuilder, slice, u8, u64 } = iox2;
const [which, prefix, suffix, seedText, pattern = "pubsub"] = process.argv.slice(2);
const overwritten = which === "zeroed" || which === "garbled" || which === "flipped";
const patterns = Object.keys(FILES_OF);
if (
  !["truncate", "halved", "full", "zeroed", "garbled", "flipped", "exhausted"].includes(which!) ||
  prefix === undefined ||
  (overwritten && suffix === undefined) ||
  !patterns.includes(pattern)
) {
  process.stderr.write(`usage: hostile-memory-peer <truncate|halved|full|zeroed|garbled|flipped|exhausted> <prefix> [<file suffix> [<seed> [${patterns.join("|")}]]]\n`);
  process.exit(2);
}

const say = (step: string, value: unknown) => console.log(`${step} ${JSON.stringify(value)}`);
const outcome = (result: { isOk(): boolean; error?: { kind: string; message: string } }) =>
  result.isOk() ? "ok" : { kind: result.error!.kind, message: result.error!.message };

/** The data segment file of the publisher with upstream id `id` (hexadecimal; the file names it in decimal). */
function dataSegmentOf(id: string): string {
  const suffix = `_${BigInt(`0x${id}`).toString()}.data`;
  const found = readdirSync("/dev/shm").filter((name) => name.startsWith(prefix!) && name.endsWith(suffix));
  if (found.length !== 1) throw new Error(`expected one data segment ending in ${suffix}, found ${JSON.stringify(found)}`);
  return `/dev/shm/${found[0]}`;
}

/** A WebAssembly module whose one export loads from an address beyond its one-page memory. */
function wasmOutOfBounds(): string {
  // (module (memory 1) (func (export "load") (result i32) (i32.load (i32.const 70000))))
  const bytes = new Uint8Array([
    0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 127, 3, 2, 1, 0, 5, 3, 1, 0, 1, 7, 8, 1, 4, 108, 111, 97, 100, 0, 0, 10, 11, 1, 9, 0, 65, 240,
    162, 4, 40, 2, 0, 11,
  ]);
  // The global's types come with the DOM library, which this package does not include.
  const { WebAssembly: wasm } = globalThis as unknown as {
    WebAssembly: { Module: new (bytes: Uint8Array) => object; Instance: new (module: object) => { exports: Record<string, unknown> } };
  };
  const instance = new wasm.Instance(new wasm.Module(bytes));
  try {
    (instance.exports.load as () => number)();
    return "no trap";
  } catch (error) {
    return (error as Error).constructor.name;
  }
}

const readFileSize = (path: string): number => statSync(path).size;

/** Services (each with a publisher) created until one fails: that failure, or "ok" after 500. */
function createUntilFailure(node: Node): unknown {
  const kept: unknown[] = [];
  for (let i = 0; i < 500; i++) {
    const service = node.serviceBuilder(`hostile/exhausted/${i}`).publishSubscribe(u64).create();
    if (service.isErr()) return outcome(service);
    const publisher = service.value.publisherBuilder().create();
    if (publisher.isErr()) return outcome(publisher);
    kept.push(publisher.value);
  }
  return "ok";
}

if (which === "exhausted") {
  const created = new NodeBuilder().config({ prefix }).create();
  if (created.isErr()) say("node", outcome(created));
  else {
    say("services", createUntilFailure(created.value));
    created.value.close();
  }
  console.log("done");
  process.exit(0);
}

type Step = () => { isOk(): boolean; error?: { kind: string; message: string } };

/** A publish-subscribe service with a sample sent; its steps after the overwrite. */
function publishSubscribeSteps(node: Node): Record<string, Step> {
  const service = node.serviceBuilder("hostile/overwritten").publishSubscribe(u64).create().unwrap();
  const publisher = service.publisherBuilder().create().unwrap();
  const subscriber = service.subscriberBuilder().create().unwrap();
  publisher.sendCopy(1n).unwrap();
  return {
    send: () => publisher.sendCopy(2n),
    receive: () => subscriber.receive(),
    port: () => service.subscriberBuilder().create(),
    open: () => node.serviceBuilder("hostile/overwritten").publishSubscribe(u64).open(),
  };
}

/** A request-response service with a request sent and answered; its steps after the overwrite. */
function requestResponseSteps(node: Node): Record<string, Step> {
  const service = node.serviceBuilder("hostile/overwritten").requestResponse(u64, u64).create().unwrap();
  const client = service.clientBuilder().create().unwrap();
  const server = service.serverBuilder().create().unwrap();
  const pending = client.sendCopy(1n).unwrap();
  server.receive().unwrap()!.sendCopy(10n).unwrap();
  return {
    send: () => client.sendCopy(2n),
    receive: () => pending.receive(),
    port: () => service.serverBuilder().create(),
    open: () => node.serviceBuilder("hostile/overwritten").requestResponse(u64, u64).open(),
  };
}

/** An event service with a listener notified once; its steps after the overwrite. */
function eventSteps(node: Node): Record<string, Step> {
  const service = node.serviceBuilder("hostile/overwritten").event().create().unwrap();
  const listener = service.listenerBuilder().create().unwrap();
  const notifier = service.notifierBuilder().create().unwrap();
  notifier.notify().unwrap();
  return {
    send: () => notifier.notify(),
    receive: () => listener.tryWait(),
    port: () => service.notifierBuilder().create(),
    open: () => node.serviceBuilder("hostile/overwritten").event().open(),
  };
}

/** A blackboard with one entry written once and read; its steps after the overwrite. */
function blackboardSteps(node: Node): Record<string, Step> {
  const service = node.serviceBuilder("hostile/overwritten").blackboardCreator(u64).add(1n, u64, 7n).create().unwrap();
  const writer = service.writerBuilder().create().unwrap();
  const reader = service.readerBuilder().create().unwrap();
  const written = writer.entry(1n, u64).unwrap();
  const read = reader.entry(1n, u64).unwrap();
  written.update(8n).unwrap();
  return {
    send: () => written.update(9n),
    receive: () => read.get(),
    port: () => service.readerBuilder().create(),
    open: () => node.serviceBuilder("hostile/overwritten").blackboardOpener(u64).open(),
  };
}

const STEPS: Record<Pattern, (node: Node) => Record<string, Step>> = {
  pubsub: publishSubscribeSteps,
  reqres: requestResponseSteps,
  event: eventSteps,
  blackboard: blackboardSteps,
};

const node = new NodeBuilder().config({ prefix }).create().unwrap();

if (which === "truncate") {
  const service = node.serviceBuilder("hostile/truncate").publishSubscribe(u64).create().unwrap();
  const publisher = service.publisherBuilder().create().unwrap();
  const subscriber = service.subscriberBuilder().create().unwrap();
  publisher.sendCopy(0x1122334455667788n).unwrap();
  const sample = subscriber.receive().unwrap()!;
  say("before", sample.payload.toString(16));
  truncateSync(dataSegmentOf(publisher.id), 0);
  say("after", sample.payload.toString(16));
  say("next", outcome(subscriber.receive()));
  say("then", outcome(subscriber.receive()));
} else if (which === "halved") {
  const service = node.serviceBuilder("hostile/halved").publishSubscribe(u64).create().unwrap();
  const publisher = service.publisherBuilder().create().unwrap();
  const dynamic = readdirSync("/dev/shm").filter((name) => name.startsWith(prefix) && name.endsWith(".dynamic"));
  for (const name of dynamic) truncateSync(`/dev/shm/${name}`, Math.floor(readFileSize(`/dev/shm/${name}`) / 2));
  say("halved", dynamic.length);
  say("publisher", outcome(service.publisherBuilder().create()));
  say("send", outcome(publisher.sendCopy(1n)));
} else if (overwritten) {
  // The steps on the service whose files are overwritten: a send, a receive, a new port and
  // opening the service again, for each pattern.
  const steps = STEPS[pattern as Pattern](node);
  const files = readdirSync("/dev/shm").filter((name) => name.startsWith(prefix) && name.endsWith(suffix!));
  for (const name of files) {
    let seed = Number(seedText ?? 0x9e3779b9) >>> 0;
    const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8;
    if (which === "flipped") {
      // 16 bytes at random places get random values: mostly intact, subtly wrong.
      const bytes = readFileSync(`/dev/shm/${name}`);
      for (let i = 0; i < 16; i++) bytes[random() % bytes.length] = random() & 0xff;
      writeFileSync(`/dev/shm/${name}`, bytes);
      continue;
    }
    const bytes = new Uint8Array(readFileSize(`/dev/shm/${name}`));
    if (which === "garbled") for (let i = 0; i < bytes.length; i++) bytes[i] = random() & 0xff;
    writeFileSync(`/dev/shm/${name}`, bytes);
  }
  say("zeroed", files.length);
  for (const [step, run] of Object.entries(steps)) say(step, outcome(run()));
  // A new node of the same process, on a service of its own, is unaffected.
  const fresh = new NodeBuilder().config({ prefix }).create().unwrap();
  const healthy = fresh.serviceBuilder("hostile/healthy").publishSubscribe(u64).create().unwrap();
  const healthyPublisher = healthy.publisherBuilder().create().unwrap();
  const healthySubscriber = healthy.subscriberBuilder().create().unwrap();
  healthyPublisher.sendCopy(42n).unwrap();
  say("freshNode", healthySubscriber.receive().unwrap()?.payload.toString());
  fresh.close();
} else {
  const free = () => {
    const stats = statfsSync("/dev/shm");
    return stats.bavail * stats.bsize;
  };
  say("free", free());
  const service = node.serviceBuilder("hostile/full").publishSubscribe(slice(u8)).maxSubscribers(1).create().unwrap();
  say("tooBig", outcome(service.publisherBuilder().initialMaxSliceLen(4 * 1024 * 1024).create()));
  const publisher = service.publisherBuilder().initialMaxSliceLen(1024).create().unwrap();
  const subscriber = service.subscriberBuilder().create().unwrap();
  // Someone else fills /dev/shm: the publisher's segment was reserved, so it keeps working.
  writeFileSync("/dev/shm/hostile-filler", new Uint8Array(Math.max(0, free() - 4096)));
  say("filled", free());
  let sent = 0;
  for (let i = 0; i < 20; i++) {
    const sample = publisher.loanSlice(1024).unwrap();
    sample.payload.write(new Uint8Array(1024).fill(i), 0);
    sent += sample.send().unwrap();
    const received = subscriber.receive().unwrap()!;
    if (received.payload.get(1023) !== i) throw new Error(`message ${i} arrived as ${received.payload.get(1023)}`);
    received.release();
  }
  say("sentAfterFilling", sent);
  // New services until /dev/shm cannot hold one more: each attempt fails with a typed error.
  const failures = new Map<string, string>();
  for (let i = 0; i < 64 && failures.size === 0; i++) {
    const created = node.serviceBuilder(`hostile/more/${i}`).publishSubscribe(u64).create();
    if (created.isErr()) failures.set(created.error.kind, created.error.message);
  }
  say("moreServices", Object.fromEntries(failures));
  say("after", outcome(node.serviceBuilder("hostile/after").event().openOrCreate()));
}
say("wasm", wasmOutOfBounds());
// After garbage the node is left open: the process's end releases it (and leaks what the
// garbage made unusable) as it does for a program that never closes.
if (which !== "garbled" && which !== "flipped") node.close();
console.log("done");
