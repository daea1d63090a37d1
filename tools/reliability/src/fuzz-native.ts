/**
 * Fuzzes every native entry point of iceoryx2-js from JavaScript, on the runtime this process
 * runs on: on Node every export of the napi addon, on Deno and Bun every symbol of
 * `C_ABI_SYMBOLS` through the runtime's FFI. Each iteration calls one entry point with random
 * operation names (real ones; for control, also unknown ones and invalid UTF-8), handles (live ones of
 * every kind, closed, forged, NaN, negative, huge), numbers, lengths and buffers.
 *
 * Pointers are only what docs/c-abi.md promises to validate: null (with any length), and
 * buffers at least as long as the length passed. Lengths beyond a buffer, misaligned or too
 * short `info` arrays and arbitrary addresses are the caller's guarantee and are not tried.
 * Calls that block by design (a blocking or long timed wait on a live listener) are not made.
 *
 * Every failure must be typed: a C-ABI result `-kind` with 1 <= kind <= the kind count and a
 * message; a napi exception whose `code` is an error kind (or, for JavaScript values of the
 * wrong type, the exception napi raises while converting them). Exit code 0 when every call
 * behaved; 1 with `FUZZ_FAILURE …` lines otherwise; a crash is the runtime dying.
 *
 * Usage: `<runtime> fuzz-native.js --seed N [--iterations N] [--prefix P] [--trace]`; prints
 * `FUZZ_DONE {json}` at the end. `--trace` prints every call before making it.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { Addon as NapiAddon, OpNames } from "@iceoryx2-js/node/internal";
import { iox2, runtime } from "@iceoryx2-js/runtimes/adapter/internal";
import { adapterSourceFile, workspaceRoot } from "@iceoryx2-js/runtimes";

const argv = process.argv.slice(2);
const option = (flag: string) => {
  const i = argv.indexOf(flag);
  return i < 0 ? undefined : argv[i + 1];
};
const seed = Number(option("--seed") ?? Date.now() % 2 ** 31);
const iterations = Number(option("--iterations") ?? 3000);
const prefix = option("--prefix") ?? `iox2js_fuzz_native_${runtime}_${process.pid}_`;
const trace = argv.includes("--trace");

const { ERROR_KINDS } = iox2;
const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });

// ---------------------------------------------------------------------------
// Seeded random numbers (mulberry32)
// ---------------------------------------------------------------------------

let state = seed >>> 0;
function random(): number {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const below = (n: number) => Math.floor(random() * n);
const chance = (percent: number) => random() * 100 < percent;
const pick = <T>(items: readonly T[]): T => items[below(items.length)]!;

// ---------------------------------------------------------------------------
// What to call with
// ---------------------------------------------------------------------------

type Kind = "node" | "pubsub" | "publisher" | "subscriber" | "event" | "notifier" | "listener" | "reqres" | "client" | "server" | "blackboard" | "writer" | "reader" | "entry" | "log" | "portEvents" | "batch" | "sendBatch" | "memory";

/** Live handles by kind; handles closed with their parent stay here as stale ones. */
const live: { handle: number; kind: Kind }[] = [];
/** Handles that once were valid and were closed. */
const closed: number[] = [];

/** Where config files of the valid specs live (`config.resolve` reads one). */
const sandbox = mkdtempSync(join(tmpdir(), "iox2js-fuzz-native-"));
const goodConfig = join(sandbox, "good.toml");
writeFileSync(goodConfig, "[global]\nprefix = 'iox2js_fuzz_from_file_'\n");

/** Replaces the shared file's placeholders with this run's values. */
function fill(value: unknown): unknown {
  if (value === "$config") return { prefix };
  if (typeof value === "string") return value.replaceAll("$prefix", prefix).replaceAll("$root", sandbox).replaceAll("$goodConfig", goodConfig).replaceAll("$name", "native");
  if (Array.isArray(value)) return value.map(fill);
  if (typeof value === "object" && value !== null) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, fill(item)]));
  return value;
}

/** A valid argument object for every control operation, shared with the Rust fuzzers. */
const SPECS: Record<string, object> = Object.fromEntries(
  Object.entries(JSON.parse(readFileSync(join(workspaceRoot(), "crates/core/tests/fixtures/valid-control-args.json"), "utf8")) as Record<string, unknown>)
    .filter(([op]) => !op.startsWith("_"))
    .map(([op, spec]) => [op, fill(spec) as object]),
);
/** This fuzzer's kind for each kind of object the core's declaration names. */
const KIND_OF: Record<string, Kind> = {
  Node: "node",
  PubSubService: "pubsub",
  Publisher: "publisher",
  Subscriber: "subscriber",
  EventService: "event",
  Notifier: "notifier",
  Listener: "listener",
  ReqResService: "reqres",
  Client: "client",
  Server: "server",
  BlackboardService: "blackboard",
  Writer: "writer",
  Reader: "reader",
  WriterEntry: "entry",
  ReaderEntry: "entry",
  LogStream: "log",
  PortEventStream: "portEvents",
  ReceiveBatch: "batch",
  SendBatch: "sendBatch",
  // Handed out by memory operations (receive), then named by control operations.
  Sample: "memory",
  ActiveRequest: "memory",
  Response: "memory",
};
/** The kind each creating control operation makes, as the core declares it. */
const MAKES: Record<string, Kind> = Object.fromEntries(
  Object.entries(iox2.CONTROL_HANDLE_KINDS).flatMap(([op, { makes }]) => (makes === null ? [] : [[op, KIND_OF[makes]!]])),
);
/** Count options of each spec, by path: the fuzz raises one of them to a huge value. */
const COUNT_OPTIONS: Record<string, readonly string[]> = {
  "node.create": [
    "config.defaults.publishSubscribe.publisherMaxLoanedSamples",
    "config.defaults.publishSubscribe.maxSubscribers",
    "config.defaults.event.eventIdMaxValue",
    "config.defaults.requestResponse.maxActiveRequestsPerClient",
  ],
  "pubsub.serviceOpen": ["historySize", "subscriberMaxBufferSize", "subscriberMaxBorrowedSamples", "maxPublishers", "maxSubscribers", "maxNodes"].map((n) => `qos.${n}`),
  "pubsub.publisherCreate": ["maxLoanedSamples", "initialMaxSliceLen"],
  "pubsub.subscriberCreate": ["bufferSize", "historyRequest"],
  "event.serviceOpen": ["maxNotifiers", "maxListeners", "maxNodes", "eventIdMaxValue"].map((n) => `qos.${n}`),
  "reqres.serviceOpen": [
    "maxActiveRequestsPerClient",
    "maxLoanedRequests",
    "maxResponseBufferSize",
    "maxServers",
    "maxClients",
    "maxNodes",
    "maxBorrowedResponsesPerPendingResponse",
  ].map((n) => `qos.${n}`),
  "reqres.clientCreate": ["maxActiveRequests", "initialMaxSliceLen"],
  "reqres.serverCreate": ["maxLoanedResponsesPerRequest", "initialMaxSliceLen"],
  "blackboard.serviceOpen": ["qos.maxReaders", "qos.maxNodes"],
};
/** Ports whose data segment may grow: their loans beyond the initial slice length are checked. */
const SENDING_PORTS = new Set(["pubsub.publisherCreate", "reqres.clientCreate", "reqres.serverCreate"]);

/**
 * The valid spec of `op`, often with one count raised to a value iceoryx2 would allocate
 * gigabytes for (beyond the core's limits, or within them but beyond the service's), and
 * sending ports often growing (`powerOfTwo`), so huge loans reach the core's growth check.
 */
function specFor(op: string): string {
  const spec = structuredClone(SPECS[op]) as Record<string, unknown>;
  const options = COUNT_OPTIONS[op];
  if (options !== undefined && chance(50)) {
    const path = pick(options).split(".");
    let target = spec;
    for (const key of path.slice(0, -1)) {
      if (typeof target[key] !== "object" || target[key] === null) target[key] = {};
      target = target[key] as Record<string, unknown>;
    }
    target[path.at(-1)!] = pick([4_097, 65_537, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 40, 2 ** 53 - 1]);
  }
  if (SENDING_PORTS.has(op) && chance(50)) spec.allocationStrategy = "powerOfTwo";
  return JSON.stringify(spec);
}

/** Waits that block until an event arrives: never made on a live listener. */
const BLOCKING = new Set(["event.listenerBlockingWait", "event.listenerTimedWait"]);

/** The kind of handle a control operation takes, as the core declares it (undefined: none, or not a control operation). */
function controlTakes(op: string): Kind | undefined {
  const takes = (iox2.CONTROL_HANDLE_KINDS as Record<string, { takes: string | null } | undefined>)[op]?.takes;
  return takes === null || takes === undefined ? undefined : KIND_OF[takes];
}

/** The kind of handle a call, memory or send-copy operation takes, from its name. */
function numericTakes(op: string | undefined): Kind | undefined {
  if (op === undefined) return undefined;
  const kinds: [string, Kind][] = [
    ["publisher", "publisher"], ["subscriber", "subscriber"], ["notifier", "notifier"], ["listener", "listener"],
    ["client", "client"], ["server", "server"], ["blackboardEntry", "entry"], ["logStream", "log"],
    ["portEvents", "portEvents"],
    ["sampleBatchLoan", "sendBatch"], ["sampleBatchSend", "sendBatch"], ["sampleBatch", "batch"],
  ];
  return kinds.find(([start]) => op.startsWith(start))?.[1] ?? "memory";
}

/** Whether memory operation `op` hands out one sample from slot 0 (not the event take or the batches, which list theirs). */
function handsOutSample(op: string | undefined): boolean {
  return op !== "listenerTake" && op !== "sampleBatchReceive" && op !== "sampleBatchLoan";
}

/** Mostly a live handle of the kind `kind`, else any live one, a closed one or a malformed number. */
function randomHandle(kind?: Kind): number {
  const ofKind = live.filter((l) => l.kind === kind);
  if (ofKind.length > 0 && chance(65)) return pick(ofKind).handle;
  if (live.length > 0 && chance(40)) return pick(live).handle;
  if (closed.length > 0 && chance(50)) return pick(closed);
  return pick([0, -0, 1, -1, 0.5, NaN, Infinity, -Infinity, Number.MAX_VALUE, 2 ** 53, 2 ** 53 - 1, 2 ** 21 + 1, 2 ** 22 + 1, 2 ** 30 - 1, 2 ** 30, 2 ** 52 + 1, below(2 ** 30), -(2 ** 31)]);
}

/** One object of every kind, made with the valid specs through `control`. */
function buildWorld(control: (op: string, handle: number, args: string) => string): void {
  const make = (op: string, parent: number): number => {
    const handle = Number(JSON.parse(control(op, parent, JSON.stringify(SPECS[op]))));
    live.push({ handle, kind: MAKES[op]! });
    return handle;
  };
  const node = make("node.create", 0);
  const pubsub = make("pubsub.serviceOpen", node);
  make("pubsub.publisherCreate", pubsub);
  make("pubsub.subscriberCreate", pubsub);
  const event = make("event.serviceOpen", node);
  make("event.notifierCreate", event);
  make("event.listenerCreate", event);
  const reqres = make("reqres.serviceOpen", node);
  make("reqres.clientCreate", reqres);
  make("reqres.serverCreate", reqres);
  const blackboard = make("blackboard.serviceOpen", node);
  make("blackboard.writerEntry", make("blackboard.writerCreate", blackboard));
  make("blackboard.readerEntry", make("blackboard.readerCreate", blackboard));
}

function randomNumber(): number {
  return pick([0, 1, 2, 3, 16, 255, 65536, 2 ** 32 - 1, 2 ** 32, 2 ** 53 - 1, 2 ** 53, -1, -0, 0.5, NaN, Infinity, -Infinity, Number.MAX_VALUE, below(64)]);
}

function randomText(): string {
  return pick([
    "",
    "{}",
    "[]",
    "null",
    "{",
    '{"name":',
    '{"name":"x","mode":"open"}',
    '{"unknown":1}',
    "\u0000",
    "\ud800", // a lone surrogate
    "é".repeat(300),
    "[".repeat(5000),
    JSON.stringify({ config: { prefix, defaults: { publishSubscribe: { maxSubscribers: -1 } } } }),
    String(random()),
  ]);
}

/** UTF-8 bytes, sometimes with bytes no UTF-8 text has. */
function randomBytes(text: string): Uint8Array {
  const encoded = encoder.encode(text);
  if (!chance(20)) return encoded;
  const out = new Uint8Array(encoded.length + 2);
  out.set(encoded);
  out.set(pick([[0xff, 0xfe], [0xc3, 0x28], [0xed, 0xa0], [0x80, 0x80]]), encoded.length);
  return out;
}

/** Node specs may name any config; they always get this run's prefix, so files stay findable. */
function pinned(op: string, args: string): string {
  if (op !== "node.create" && op !== "discovery.cleanupDeadNodes") return args;
  try {
    const spec = JSON.parse(args) as unknown;
    if (typeof spec !== "object" || spec === null || Array.isArray(spec)) return args;
    const config = (spec as { config?: unknown }).config;
    const pinnedConfig = typeof config === "object" && config !== null && !Array.isArray(config) ? { ...config, prefix } : { prefix };
    return JSON.stringify({ ...spec, config: pinnedConfig });
  } catch {
    return args;
  }
}

// ---------------------------------------------------------------------------
// Checking outcomes
// ---------------------------------------------------------------------------

const failures: string[] = [];
const outcomes = new Map<string, number>();
let iteration = 0;

function count(outcome: string): void {
  outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
}

function fail(call: string, problem: string): void {
  failures.push(`seed ${seed} iteration ${iteration}: ${call}: ${problem}`);
}

function describe(value: unknown): string {
  if (value instanceof Uint8Array) return `Uint8Array(${value.length})`;
  if (value instanceof Float64Array) return `Float64Array(${value.length})`;
  if (typeof value === "string") return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
  if (typeof value === "function") return "function";
  return String(value);
}

// ---------------------------------------------------------------------------
// Node: the napi addon's exports
// ---------------------------------------------------------------------------

/**
 * The addon's exports (generated from `crates/napi`) with every argument loosened to `unknown`:
 * this fuzzer passes wrong values on purpose.
 */
type Loose<T> = T extends (...args: infer A) => infer R
  ? (...args: { [K in keyof A]: unknown }) => R extends (...args: never[]) => unknown ? Loose<R> : R extends ArrayBuffer | string | number | void ? R : { [K in keyof R]: Loose<R[K]> }
  : T;
type Addon = { [K in keyof NapiAddon]: Loose<NapiAddon[K]> };

/** The addon the Node adapter loaded (`$IOX2JS_NAPI_PATH`, or the build in its `native/`). */
function loadAddon(): Addon {
  const require = createRequire(import.meta.url);
  const override = process.env.IOX2JS_NAPI_PATH;
  if (override) return require(override) as Addon;
  const native = `${dirname(require.resolve("@iceoryx2-js/node/package.json"))}/native`;
  const file = readdirSync(native).find((name) => name.startsWith("iox2js.") && name.endsWith(".node"));
  if (file === undefined) throw new Error(`no napi addon in ${native}: build @iceoryx2-js/node first`);
  return require(`${native}/${file}`) as Addon;
}

/** JavaScript values of the wrong type for an argument: napi must throw while converting them. */
const WRONG_TYPES: readonly unknown[] = [undefined, null, "1", 1n, {}, [], true, Symbol("x"), () => 1];

function fuzzNapi(addon: Addon, opNames: OpNames): void {
  const kinds = addon.errorKinds();
  /** Runs `action`; an exception must be a typed one (or, when `wrongType`, any Error). */
  const attempt = (call: string, action: () => unknown, wrongType = false): unknown => {
    if (trace) console.log(`#${iteration} ${call}`);
    try {
      const result = action();
      count(`${call.split("(")[0]} ok`);
      return result;
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (!(error instanceof Error)) fail(call, `threw a non-Error ${describe(error)}`);
      else if (kinds.includes(code as string)) count(`${call.split("(")[0]} ${String(code)}`);
      else if (wrongType && typeof code === "string") count(`${call.split("(")[0]} napi ${code}`);
      else fail(call, `threw ${String(code)}: ${error.message}`);
      return undefined;
    }
  };
  const maybeWrong = (value: unknown): [unknown, boolean] => (chance(8) ? [pick(WRONG_TYPES), true] : [value, false]);
  buildWorld((op, handle, args) => addon.control(op, handle, args));

  const entryPoints = ["errorKinds", "iceoryx2Version", "sampleInfoBuffer", "detach", "control", "call", "consume", "memory", "view", "sendCopy", "wakerStart", "wakerStartOnLoop"];
  const info = new Float64Array(addon.sampleInfoBuffer());
  // Loosened: the fuzzer passes values of the wrong type on purpose.
  const ops = addon.operations() as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (iteration = 0; iteration < iterations; iteration++) {
    const entry = pick(entryPoints);
    switch (entry) {
      case "errorKinds":
        if (attempt("errorKinds()", () => addon.errorKinds())?.toString() !== ERROR_KINDS.toString()) fail("errorKinds()", "differs from ERROR_KINDS");
        break;
      case "iceoryx2Version":
        attempt("iceoryx2Version()", () => addon.iceoryx2Version());
        break;
      case "sampleInfoBuffer":
        if ((attempt("sampleInfoBuffer()", () => addon.sampleInfoBuffer()) as ArrayBuffer | undefined)?.byteLength !== info.byteLength) {
          fail("sampleInfoBuffer()", "changed length");
        }
        break;
      case "detach": {
        const [buffer, wrong] = maybeWrong(new ArrayBuffer(below(16)));
        attempt(`detach(${describe(buffer)})`, () => addon.detach(buffer), wrong);
        break;
      }
      case "control": {
        const op = chance(85) ? pick(opNames.control) : randomText();
        const handle = randomHandle(controlTakes(op));
        if (BLOCKING.has(op) && live.some((l) => l.handle === handle && l.kind === "listener")) break;
        const args = pinned(op, chance(60) && SPECS[op] !== undefined ? specFor(op) : randomText());
        const [a, wrongA] = maybeWrong(op);
        const [h, wrongH] = maybeWrong(handle);
        const [j, wrongJ] = maybeWrong(args);
        const result = attempt(`control(${describe(a)}, ${describe(h)}, ${describe(j)})`, () => addon.control(a, h, j), wrongA || wrongH || wrongJ);
        if (typeof result === "string" && MAKES[op] !== undefined) live.push({ handle: Number(JSON.parse(result)), kind: MAKES[op] });
        break;
      }
      case "call": {
        const name = pick(opNames.call);
        const [h, wrong] = maybeWrong(randomHandle(numericTakes(name)));
        const arg = randomNumber();
        attempt(`${name}(${describe(h)}, ${arg})`, () => ops[name]!(h, arg), wrong);
        if (name === "setLogLevel") ops.setLogLevel!(0, 5);
        break;
      }
      case "consume": {
        const name = pick(opNames.consume);
        const handle = randomHandle(numericTakes(name));
        const [h, wrongH] = maybeWrong(handle);
        const [buffer, wrongB] = maybeWrong(chance(50) ? null : new ArrayBuffer(below(8)));
        const result = attempt(`${name}(${describe(h)}, ${describe(buffer)})`, () => ops[name]!(h, buffer), wrongH || wrongB);
        if (name === "close" && result === 1) closed.push(handle);
        break;
      }
      case "memory": {
        const name = pick(opNames.memory);
        const [h, wrong] = maybeWrong(randomHandle(numericTakes(name)));
        const a = randomNumber();
        const b = randomNumber();
        const made = attempt(`${name}(${describe(h)}, ${a}, ${b})`, () => ops[name]!(h, a, b), wrong);
        if (made === true && handsOutSample(name)) live.push({ handle: info[0]!, kind: "memory" });
        break;
      }
      case "view": {
        const name = pick(opNames.view);
        const [h, wrong] = maybeWrong(randomHandle("memory"));
        // The buffer is never read: a view over a sample that closes later must not be touched.
        attempt(`${name}(${describe(h)})`, () => ops[name]!(h), wrong);
        break;
      }
      case "sendCopy": {
        const name = pick(opNames.sendCopy);
        const payload = new Uint8Array(pick([0, 1, 8, 9, 64, 4096]));
        const [header, wrongHeader] = maybeWrong(chance(50) ? null : new Uint8Array(pick([0, 4, 8])));
        const [p, wrong] = maybeWrong(payload);
        const handle = randomHandle(numericTakes(name));
        attempt(`${name}(${handle}, ${describe(p)}, ${describe(header)})`, () => ops[name]!(handle, p, header), wrong || wrongHeader);
        break;
      }
      case "wakerStart":
      case "wakerStartOnLoop": {
        const [callback, wrong] = maybeWrong(() => {});
        attempt(`${entry}(${describe(callback)})`, () => addon[entry](callback), wrong);
        break;
      }
    }
  }
  for (const { handle } of live) ops.close!(handle, null);
}

// ---------------------------------------------------------------------------
// Deno and Bun: the C ABI through the runtime's FFI
// ---------------------------------------------------------------------------

type Symbols = Record<string, (...args: unknown[]) => unknown>;

/**
 * Wakers handed to the core, referenced until the process ends: a watch armed under a waker
 * that was replaced since still calls its function pointer.
 */
const callbacks: { pointer: unknown }[] = [];

interface Ffi {
  symbols: Symbols;
  isNull(pointer: unknown): boolean;
  /** A thread-safe `void (*)(double)` that does nothing; it lives as long as the process. */
  callback(): { pointer: unknown };
}

async function openFfi(): Promise<Ffi> {
  const library = adapterSourceFile(runtime === "deno" ? "deno" : "bun", "library.ts");
  const { openLibrary } = (await import(/* @vite-ignore */ library)) as { openLibrary(): { symbols: Symbols } };
  const symbols = openLibrary().symbols;
  if (runtime === "deno") {
    const deno = (globalThis as unknown as { Deno: { UnsafeCallback: { threadSafe(def: object, fn: (token: number) => void): { pointer: unknown; unref(): void } } } }).Deno;
    return {
      symbols,
      isNull: (pointer) => pointer === null,
      callback: () => {
        const callback = deno.UnsafeCallback.threadSafe({ parameters: ["f64"], result: "void" }, () => {});
        callback.unref();
        return { pointer: callback.pointer };
      },
    };
  }
  const bunFfi = "bun:ffi"; // in a variable: Node's type check and build must not resolve it
  const ffi = (await import(/* @vite-ignore */ bunFfi)) as unknown as { JSCallback: new (fn: (token: number) => void, def: object) => { ptr: unknown } };
  return {
    symbols,
    isNull: (pointer) => pointer === null || pointer === 0,
    callback: () => {
      const callback = new ffi.JSCallback(() => {}, { args: ["f64"], returns: "void", threadsafe: true });
      return { pointer: callback.ptr };
    },
  };
}

async function fuzzCAbi(ffi: Ffi, opNames: OpNames): Promise<void> {
  const s = ffi.symbols;
  const kindCount = s.iox2js_error_kind_count!() as number;
  const message = new Uint8Array(64 * 1024);
  const lastMessage = (): string => {
    const length = s.iox2js_last_message!(message, message.length) as number;
    return decoder.decode(message.subarray(0, Math.min(length, message.length)));
  };
  /** A `-kind` result must name a kind and come with a UTF-8 message. */
  const checkResult = (call: string, result: number): boolean => {
    if (result >= 0) {
      count(`${call.split("(")[0]} ok`);
      return true;
    }
    const kind = -result;
    if (!Number.isInteger(kind) || kind < 1 || kind > kindCount) fail(call, `returned ${result}, not -kind`);
    else {
      let text = "";
      try {
        text = lastMessage();
      } catch (error) {
        fail(call, `its message is not UTF-8: ${(error as Error).message}`);
      }
      if (text === "") fail(call, `${ERROR_KINDS[kind - 1]} without a message`);
      count(`${call.split("(")[0]} ${ERROR_KINDS[kind - 1]}`);
    }
    return false;
  };
  /** A buffer for a (pointer, length) pair: null with any length, or at least `length` bytes. */
  const bufferFor = (content: Uint8Array): [Uint8Array | null, number] => {
    if (chance(10)) return [null, pick([0, 1, content.length, 2 ** 20])];
    if (chance(10)) return [content, below(content.length + 1)]; // a prefix of it
    const padded = new Uint8Array(content.length + below(4));
    padded.set(content);
    return [padded, content.length];
  };
  const info = new Float64Array(iox2.SAMPLE_INFO_LENGTH);
  buildWorld((op, handle, args) => {
    const [name, json] = [encoder.encode(op), encoder.encode(args)];
    const result = s.iox2js_control!(name, name.length, handle, json, json.length) as number;
    if (result < 0) throw new Error(`${op} ${args}: ${ERROR_KINDS[-result - 1]}: ${lastMessage()}`);
    return lastMessage();
  });

  // The per-message symbols by shape, and the rest by name.
  const symbolOf = iox2.OPERATION_SYMBOLS as Record<string, string>;
  const perMessage = new Set(Object.values(symbolOf));
  const shapes = ["call", "consume", "memory", "view", "sendCopy"] as const;
  const entryPoints = [...Object.keys(iox2.C_ABI_SYMBOLS).filter((name) => !perMessage.has(name)), ...shapes];
  for (iteration = 0; iteration < iterations; iteration++) {
    const entry = pick(entryPoints);
    const say = (call: string) => {
      if (trace) console.log(`#${iteration} ${call}`);
      return call;
    };
    switch (entry) {
      case "call": {
        const name = pick(opNames.call);
        const symbol = symbolOf[name]!;
        const handle = randomHandle(numericTakes(name));
        const arg = randomNumber();
        const call = say(`${symbol}(${handle}, ${arg})`);
        checkResult(call, s[symbol]!(handle, arg) as number);
        if (name === "setLogLevel") s[symbol]!(0, 5);
        break;
      }
      case "consume": {
        const name = pick(opNames.consume);
        const symbol = symbolOf[name]!;
        const handle = randomHandle(numericTakes(name));
        const call = say(`${symbol}(${handle})`);
        const result = s[symbol]!(handle) as number;
        checkResult(call, result);
        if (name === "close" && result === 1) closed.push(handle);
        break;
      }
      case "memory": {
        const name = pick(opNames.memory);
        const symbol = symbolOf[name]!;
        const handle = randomHandle(numericTakes(name));
        const a = randomNumber();
        const b = randomNumber();
        const out = chance(10) ? null : info; // null info is validated; shorter arrays are the caller's guarantee
        const call = say(`${symbol}(${handle}, ${a}, ${b}, ${describe(out)})`);
        const status = s[symbol]!(handle, a, b, out) as number;
        if (out === null && status >= 0) fail(call, "succeeded without an info array");
        if (status === 1 && out !== null && handsOutSample(name)) live.push({ handle: out[0]!, kind: "memory" });
        else if (status === 0) count(`${symbol} none`);
        else checkResult(call, status);
        break;
      }
      case "view": {
        const symbol = symbolOf[pick(opNames.view)]!;
        const handle = randomHandle("memory");
        const out = chance(10) ? null : info;
        const call = say(`${symbol}(${handle}, ${describe(out)})`);
        // The pointer is never read: a view over a sample that closes later must not be touched.
        const pointer = s[symbol]!(handle, out);
        if (out === null) {
          if (!ffi.isNull(pointer)) fail(call, "returned a pointer without an info array");
          count(`${symbol} null info`);
        } else if (!ffi.isNull(pointer)) count(`${symbol} ok`);
        else checkResult(call, out[0]!);
        break;
      }
      case "sendCopy": {
        const name = pick(opNames.sendCopy);
        const symbol = symbolOf[name]!;
        const handle = randomHandle(numericTakes(name));
        const [payload, payloadLength] = bufferFor(new Uint8Array(pick([0, 1, 8, 9, 64, 4096])));
        const [header, headerLength] = bufferFor(new Uint8Array(pick([0, 4, 8])));
        const call = say(`${symbol}(${handle}, ${describe(payload)}/${payloadLength}, ${describe(header)}/${headerLength})`);
        checkResult(call, s[symbol]!(handle, payload, payloadLength, header, headerLength) as number);
        break;
      }
      case "iox2js_abi_version":
      case "iox2js_error_kind_count":
      case "iox2js_iceoryx2_version": {
        const result = s[entry]!() as number;
        if (entry === "iox2js_abi_version" && result !== iox2.C_ABI_VERSION) fail(entry, `returned ${result}`);
        if (entry === "iox2js_error_kind_count" && result !== ERROR_KINDS.length) fail(entry, `returned ${result}`);
        count(`${entry} ok`);
        break;
      }
      case "iox2js_error_kind_name": {
        const code = pick([0, -1, 1, below(kindCount) + 1, kindCount, kindCount + 1, 2 ** 31 - 1, -(2 ** 31)]);
        const call = say(`${entry}(${code})`);
        const result = s[entry]!(code) as number;
        if (code >= 1 && code <= kindCount ? lastMessage() !== ERROR_KINDS[code - 1] || result < 0 : result !== -1) fail(call, `returned ${result}`);
        count(`${entry} ${result < 0 ? "none" : "ok"}`);
        break;
      }
      case "iox2js_last_message": {
        const buffer = chance(20) ? null : new Uint8Array(below(300));
        const capacity = buffer === null ? pick([0, 1, 2 ** 31]) : below(buffer.length + 1);
        say(`${entry}(${describe(buffer)}, ${capacity})`);
        const result = s[entry]!(buffer, capacity) as number;
        if (!(result >= 0)) fail(entry, `returned ${result}`);
        count(`${entry} ok`);
        break;
      }
      case "iox2js_control": {
        const name = chance(85) ? pick(opNames.control) : randomText();
        const handle = randomHandle(controlTakes(name));
        if (BLOCKING.has(name) && live.some((l) => l.handle === handle && l.kind === "listener")) break;
        const args = pinned(name, chance(60) && SPECS[name] !== undefined ? specFor(name) : randomText());
        const [op, opLength] = bufferFor(randomBytes(name));
        const [json, jsonLength] = bufferFor(randomBytes(args));
        const call = say(`${entry}(${describe(name)} as ${describe(op)}/${opLength}, ${handle}, ${describe(args)} as ${describe(json)}/${jsonLength})`);
        const result = s[entry]!(op, opLength, handle, json, jsonLength) as number;
        if (checkResult(call, result) && MAKES[name] !== undefined) {
          const made = lastMessage();
          if (/^\d+$/.test(made)) live.push({ handle: Number(made), kind: MAKES[name]! });
        }
        break;
      }
      case "iox2js_waker_start": {
        const callback = chance(50) ? null : ffi.callback();
        if (callback !== null) callbacks.push(callback);
        const call = say(`${entry}(${callback === null ? "null" : "a thread-safe callback"})`);
        let result: number;
        try {
          result = s[entry]!(callback?.pointer ?? null) as number;
        } catch (error) {
          // Bun's FFI refuses a null function pointer itself, before the call.
          if (callback === null && runtime === "bun" && error instanceof TypeError) count(`${entry} refused by bun:ffi`);
          else fail(call, `threw ${String(error)}`);
          break;
        }
        checkResult(call, result);
        break;
      }
      default:
        fail(entry, "a C-ABI symbol this fuzzer does not know: add it");
    }
  }
  for (const { handle } of live) s.iox2js_close!(handle);
}

// ---------------------------------------------------------------------------

const backend = iox2.backend;
backend.operations.setLogLevel(0, 5); // failed calls log; keep it quiet
const opNames = JSON.parse(backend.control("ops", 0, "")) as OpNames;
console.log(`fuzz-native on ${runtime}: seed ${seed}, ${iterations} iterations, prefix ${prefix}`);
if (runtime === "node") fuzzNapi(loadAddon(), opNames);
else await fuzzCAbi(await openFfi(), opNames);

rmSync(sandbox, { recursive: true, force: true });
for (const failure of failures.slice(0, 20)) console.log(`FUZZ_FAILURE ${failure}`);
console.log(`FUZZ_DONE ${JSON.stringify({ seed, iterations, failures: failures.length, outcomes: Object.fromEntries([...outcomes].sort()) })}`);
process.exit(failures.length === 0 ? 0 : 1);
