/**
 * The misuse matrix. Each case sets up what it needs under the isolated prefix
 * it is given, misuses the public API once, and returns the error it got together with the next
 * valid operation, which must work in the same process afterwards. `misuse.ts` runs one case per
 * child process, so a crash shows as a failed case instead of a lost test run.
 *
 * This module only describes cases: it loads no native code (the adapter comes in through the
 * context), so the test runner can import it for names and expected kinds.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import type * as Iox2 from "@iceoryx2-js/node/internal";
import type { Runtime } from "@iceoryx2-js/runtimes";

type Api = typeof Iox2;
type ErrorKind = Iox2.ErrorKind;

/** What the child process hands each case. */
export interface MisuseContext {
  /** The iceoryx2-js adapter of the runtime the case runs on. */
  readonly iox2: Api;
  readonly runtime: Runtime;
  /** The isolated iceoryx2 prefix every node of the case must use. */
  readonly prefix: string;
  /** A node under the prefix (over `backend`, default the adapter's); the runner closes it after the case. */
  node(backend?: Iox2.Backend): Iox2.Node;
  /** A service name no other case, runtime or process uses. */
  serviceName(label: string): string;
}

/** The error a misuse produced, and the valid operation that must work after it. */
export interface MisuseOutcome {
  readonly error: unknown;
  followUp(): void | Promise<void>;
}

export interface MisuseCase {
  readonly name: string;
  /** The `Iox2Error` kind the misuse must produce. */
  readonly kind: ErrorKind;
  /**
   * A library defect this case reveals, on the runtimes listed: the runner expects the case to
   * fail there until the library is fixed (then this entry must go).
   */
  readonly knownDefect?: { readonly runtimes: readonly Runtime[]; readonly description: string };
  /** How long the child may run (default: the runner's); shorter for cases whose defect is a hang. */
  readonly timeoutMs?: number;
  run(ctx: MisuseContext): MisuseOutcome | Promise<MisuseOutcome>;
}

/** A case went wrong in a way that is neither the expected error nor a crash. */
export class Unexpected extends Error {
  override name = "Unexpected";
}

function ensure(condition: boolean, message: string): asserts condition {
  if (!condition) throw new Unexpected(message);
}

function show(value: unknown): string {
  if (typeof value === "bigint") return `${value}n`;
  if (typeof value === "number") return Object.is(value, -0) ? "-0" : String(value);
  if (typeof value === "function" || typeof value === "symbol" || value === undefined) return String(value);
  try {
    return JSON.stringify(value, (_, v: unknown) => (typeof v === "bigint" ? `${v}n` : v)) ?? String(value);
  } catch {
    return String(value);
  }
}

function isErrResult(value: unknown): value is { isErr(): true; error: unknown } {
  return typeof value === "object" && value !== null && "isErr" in value && typeof value.isErr === "function" && value.isErr() === true;
}

/** What `misuse` produced: the error of an `Err` result, or what it threw. A success is unexpected. */
function refusal(what: string, misuse: () => unknown): unknown {
  let value: unknown;
  try {
    value = misuse();
  } catch (error) {
    return error;
  }
  if (isErrResult(value)) return value.error;
  throw new Unexpected(`${what} did not fail (returned ${show(value)})`);
}

async function asyncRefusal(what: string, misuse: () => Promise<unknown>): Promise<unknown> {
  let value: unknown;
  try {
    value = await misuse();
  } catch (error) {
    return error;
  }
  if (isErrResult(value)) return value.error;
  throw new Unexpected(`${what} did not fail (resolved ${show(value)})`);
}

/** A bounded wait, so a case that would hang fails with a message instead. */
function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Unexpected(`${what} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

const WAIT_MS = 10_000;

// --- publish-subscribe fixtures -------------------------------------------------------------

type U64 = Api["u64"];
type U64Publisher = Iox2.Publisher<U64, undefined>;
type U64Subscriber = Iox2.Subscriber<U64, undefined>;

interface U64Options {
  maxLoanedSamples?: number;
  subscriberMaxBorrowedSamples?: number;
}

function u64PubSub(ctx: MisuseContext, options: U64Options = {}, node = ctx.node()) {
  let builder = node.serviceBuilder(ctx.serviceName("u64")).publishSubscribe(ctx.iox2.u64).subscriberMaxBufferSize(4);
  if (options.subscriberMaxBorrowedSamples !== undefined) builder = builder.subscriberMaxBorrowedSamples(options.subscriberMaxBorrowedSamples);
  const service = builder.create().unwrap();
  let publisherBuilder = service.publisherBuilder();
  if (options.maxLoanedSamples !== undefined) publisherBuilder = publisherBuilder.maxLoanedSamples(options.maxLoanedSamples);
  const publisher = publisherBuilder.create().unwrap();
  const subscriber = service.subscriberBuilder().create().unwrap();
  return { node, service, publisher, subscriber };
}

/** Loans, writes, sends, receives and compares one value: the publish-subscribe follow-up. */
function sendAndReceive(publisher: U64Publisher, subscriber: U64Subscriber, value: bigint): void {
  const sample = publisher.loan().unwrap();
  sample.payload = value;
  sample.send().unwrap();
  const received = subscriber.receive().unwrap();
  ensure(received !== null, `sent ${value}n but the subscriber received nothing`);
  const got = received.payload;
  received.release();
  ensure(got === value, `sent ${value}n, received ${show(got)}`);
}

const READING_VALUES = { id: 7, count: 9_007_199_254_740_993n, level: -5, ratio: 0.5, value: 2.25, valid: true, tags: [1, 2, 3] };

function readingType(api: Api) {
  return api.struct("MisuseReading", {
    id: api.u32,
    count: api.u64,
    level: api.i32,
    ratio: api.f32,
    value: api.f64,
    valid: api.bool,
    tags: api.array(api.u16, 3),
  });
}

function readingPubSub(ctx: MisuseContext) {
  const node = ctx.node();
  const service = node.serviceBuilder(ctx.serviceName("reading")).publishSubscribe(readingType(ctx.iox2)).create().unwrap();
  return { node, service, publisher: service.publisherBuilder().create().unwrap(), subscriber: service.subscriberBuilder().create().unwrap() };
}

type ReadingPair = ReturnType<typeof readingPubSub>;
type ReadingSample = Iox2.SampleMut<ReturnType<typeof readingType>, undefined>;
type ReadingView = ReadingSample["payload"];

/** Receives one sample and compares it with `expected` field by field. */
function receiveReading(subscriber: ReadingPair["subscriber"], expected: object): void {
  const received = subscriber.receive().unwrap();
  ensure(received !== null, "the subscriber received nothing");
  const got = received.payload.$toPlain();
  received.release();
  ensure(show(got) === show(expected), `received ${show(got)}, expected ${show(expected)}`);
}

/**
 * A loaned reading holding known values, a write into it that must be refused, and a check that
 * the refused write changed nothing; the follow-up sends the same sample and receives it intact.
 */
function refusedWrite(ctx: MisuseContext, what: string, write: (payload: ReadingView, sample: ReadingSample) => void): MisuseOutcome {
  const { publisher, subscriber } = readingPubSub(ctx);
  const sample = publisher.loan().unwrap();
  sample.payload = READING_VALUES;
  const error = refusal(what, () => write(sample.payload, sample));
  const after = sample.payload.$toPlain();
  ensure(show(after) === show(READING_VALUES), `the refused write changed the payload to ${show(after)}`);
  return {
    error,
    followUp: () => {
      sample.send().unwrap();
      receiveReading(subscriber, READING_VALUES);
    },
  };
}

/** Moves `buffer` away as the runtime allows: ES2024 `transfer()`, else a structured-clone transfer; undefined if refused. */
function transferAway(buffer: ArrayBufferLike): ArrayBuffer | undefined {
  try {
    const transfer = (buffer as ArrayBuffer & { transfer?: () => ArrayBuffer }).transfer;
    return typeof transfer === "function" ? transfer.call(buffer) : structuredClone(buffer as ArrayBuffer, { transfer: [buffer as ArrayBuffer] });
  } catch {
    return undefined;
  }
}

/** `start` padded with "x" to exactly `bytes` characters (ASCII: one byte each). */
function padded(start: string, bytes: number): string {
  return start.padEnd(bytes, "x");
}

// --- event fixtures ---------------------------------------------------------------------------

function eventPair(ctx: MisuseContext, node = ctx.node(), eventIdMaxValue?: number) {
  let builder = node.serviceBuilder(ctx.serviceName("event")).event();
  if (eventIdMaxValue !== undefined) builder = builder.eventIdMaxValue(eventIdMaxValue);
  const service = builder.create().unwrap();
  return { node, service, notifier: service.notifierBuilder().create().unwrap(), listener: service.listenerBuilder().create().unwrap() };
}

/** Notifies `id` and sees it with a non-blocking wait. */
function notifyAndTake(notifier: Iox2.Notifier, listener: Iox2.Listener, id: number): void {
  notifier.notifyWithCustomEventId(id).unwrap();
  const events = listener.tryWait().unwrap();
  ensure(
    events.some((event) => event.id === id),
    `notified id ${id}, the listener took ${show(events)}`,
  );
}

/** Awaits the listener (armed before the notification) and sees `id`: the async follow-up. */
async function notifyAndAwait(notifier: Iox2.Notifier, listener: Iox2.Listener, id: number): Promise<void> {
  const waiting = listener.wait({ timeout: WAIT_MS });
  notifier.notifyWithCustomEventId(id).unwrap();
  const events = (await waiting).unwrap();
  ensure(
    events.some((event) => event.id === id),
    `notified id ${id}, the awaited listener got ${show(events)}`,
  );
}

// --- request-response fixtures ----------------------------------------------------------------

interface RequestResponseOptions {
  maxLoanedRequests?: number;
  maxActiveRequestsPerClient?: number;
  maxLoanedResponsesPerRequest?: number;
}

function requestResponse(ctx: MisuseContext, options: RequestResponseOptions = {}) {
  const node = ctx.node();
  let builder = node.serviceBuilder(ctx.serviceName("request-response")).requestResponse(ctx.iox2.u64, ctx.iox2.u64);
  if (options.maxLoanedRequests !== undefined) builder = builder.maxLoanedRequests(options.maxLoanedRequests);
  if (options.maxActiveRequestsPerClient !== undefined) builder = builder.maxActiveRequestsPerClient(options.maxActiveRequestsPerClient);
  const service = builder.create().unwrap();
  let serverBuilder = service.serverBuilder();
  if (options.maxLoanedResponsesPerRequest !== undefined) serverBuilder = serverBuilder.maxLoanedResponsesPerRequest(options.maxLoanedResponsesPerRequest);
  return { node, service, client: service.clientBuilder().create().unwrap(), server: serverBuilder.create().unwrap() };
}

type RequestResponsePair = ReturnType<typeof requestResponse>;

/** A loaned request answered by a loaned response: the request-response follow-up. */
function requestAndRespond({ client, server }: Pick<RequestResponsePair, "client" | "server">, value: bigint): void {
  const request = client.loan().unwrap();
  request.payload = value;
  const pending = request.send().unwrap();
  const active = server.receive().unwrap();
  ensure(active !== null, `sent request ${value}n, the server received nothing`);
  ensure(active.payload === value, `sent request ${value}n, the server read ${show(active.payload)}`);
  const response = active.loan().unwrap();
  response.payload = value + 1n;
  response.send().unwrap();
  active.close();
  const received = pending.receive().unwrap();
  ensure(received !== null, "the client received no response");
  const got = received.payload;
  received.release();
  pending.close();
  ensure(got === value + 1n, `expected response ${value + 1n}n, received ${show(got)}`);
}

// --- blackboard fixtures ----------------------------------------------------------------------

function blackboard(ctx: MisuseContext) {
  const { u32, u64, f64 } = ctx.iox2;
  const node = ctx.node();
  const service = node.serviceBuilder(ctx.serviceName("blackboard")).blackboardCreator(u32).add(1, u64, 10n).add(2, f64, 0.5).create().unwrap();
  return { node, service, writer: service.writerBuilder().create().unwrap(), reader: service.readerBuilder().create().unwrap() };
}

type BlackboardParts = ReturnType<typeof blackboard>;

/** Writes entry 1 through the writer and reads it back through the reader: the blackboard follow-up. */
function writeAndRead(ctx: MisuseContext, { writer, reader }: Pick<BlackboardParts, "writer" | "reader">, value: bigint): void {
  const entry = writer.entry(1, ctx.iox2.u64).unwrap();
  entry.update(value).unwrap();
  entry.close();
  const read = reader.entry(1, ctx.iox2.u64).unwrap();
  const got = read.get().unwrap().value;
  read.close();
  ensure(got === value, `wrote ${value}n to the entry, read ${show(got)}`);
}

// --- the cases --------------------------------------------------------------------------------

const lifecycle: MisuseCase[] = [
  {
    name: "publisher-use-after-close",
    kind: "HandleClosed",
    run(ctx) {
      const { service, publisher, subscriber } = u64PubSub(ctx);
      publisher.close();
      const error = refusal("loan() on a closed publisher", () => publisher.loan());
      return { error, followUp: () => sendAndReceive(service.publisherBuilder().create().unwrap(), subscriber, 1n) };
    },
  },
  {
    name: "double-close-then-use",
    kind: "HandleClosed",
    run(ctx) {
      const { node, service, publisher, subscriber } = u64PubSub(ctx);
      const sample = publisher.loan().unwrap();
      for (const resource of [sample, subscriber, publisher, service, node]) {
        resource.close();
        resource.close();
        ensure(resource.isClosed, "close() left the object open");
      }
      const error = refusal("a service builder of a node closed twice", () => node.serviceBuilder(ctx.serviceName("after")).event().create());
      return {
        error,
        followUp: () => {
          const fresh = u64PubSub(ctx);
          sendAndReceive(fresh.publisher, fresh.subscriber, 2n);
        },
      };
    },
  },
  {
    name: "sample-send-twice",
    kind: "SampleReleased",
    run(ctx) {
      const { publisher, subscriber } = u64PubSub(ctx);
      const sample = publisher.loan().unwrap();
      sample.payload = 3n;
      sample.send().unwrap();
      const error = refusal("a second send() of one sample", () => sample.send());
      return {
        error,
        followUp: () => {
          const first = subscriber.receive().unwrap();
          ensure(first?.payload === 3n, `the one sent sample arrived as ${show(first?.payload)}`);
          first.release();
          ensure(subscriber.receive().unwrap() === null, "the refused second send delivered a sample");
          sendAndReceive(publisher, subscriber, 4n);
        },
      };
    },
  },
  {
    name: "loaned-views-after-send",
    kind: "SampleReleased",
    run(ctx) {
      const { publisher, subscriber } = readingPubSub(ctx);
      const sample = publisher.loan().unwrap();
      sample.payload = READING_VALUES;
      const view = sample.payload;
      const tags = view.tags;
      const raw = tags.typedArray();
      const bytes = sample.payloadBytes;
      sample.send().unwrap();
      ensure(bytes.length === 0 && raw.length === 0, `raw views still reach the sent sample (${bytes.length} bytes, ${raw.length} tags)`);
      const error = refusal("reading a field through the accessor of a sent sample", () => view.value);
      return { error, followUp: () => receiveReading(subscriber, READING_VALUES) };
    },
  },
  {
    name: "received-views-after-release",
    kind: "SampleReleased",
    run(ctx) {
      const { publisher, subscriber } = readingPubSub(ctx);
      publisher.sendCopy(READING_VALUES).unwrap();
      const received = subscriber.receive().unwrap();
      ensure(received !== null, "nothing received");
      const tags = received.payload.tags;
      received.release();
      const error = refusal("reading a nested array of a released sample", () => tags.get(0));
      return {
        error,
        followUp: () => {
          publisher.sendCopy(READING_VALUES).unwrap();
          receiveReading(subscriber, READING_VALUES);
        },
      };
    },
  },
  {
    name: "slice-views-after-release",
    kind: "SampleReleased",
    run(ctx) {
      const { u32, slice } = ctx.iox2;
      const service = ctx.node().serviceBuilder(ctx.serviceName("slice")).publishSubscribe(slice(u32)).create().unwrap();
      const publisher = service.publisherBuilder().initialMaxSliceLen(4).create().unwrap();
      const subscriber = service.subscriberBuilder().create().unwrap();
      const sample = publisher.loanSlice(4).unwrap();
      const view = sample.payload;
      const raw = view.typedArray();
      sample.release();
      ensure(raw.length === 0, `a typed array still reaches the released slice (${raw.length} elements)`);
      const error = refusal("writing through the slice view of a released sample", () => view.write([1, 2]));
      return {
        error,
        followUp: () => {
          const next = publisher.loanSlice(4).unwrap();
          next.payload.write([5, 6, 7, 8]);
          next.send().unwrap();
          const received = subscriber.receive().unwrap();
          const got = received?.payload.toArray();
          received?.release();
          ensure(show(got) === show([5, 6, 7, 8]), `received ${show(got)}`);
        },
      };
    },
  },
  {
    name: "release-then-send",
    kind: "SampleReleased",
    run(ctx) {
      const { publisher, subscriber } = u64PubSub(ctx);
      const sample = publisher.loan().unwrap();
      sample.release();
      const error = refusal("send() of a released sample", () => sample.send());
      return {
        error,
        followUp: () => {
          ensure(subscriber.receive().unwrap() === null, "the released sample was delivered");
          sendAndReceive(publisher, subscriber, 5n);
        },
      };
    },
  },
  {
    name: "request-use-after-send",
    kind: "SampleReleased",
    run(ctx) {
      const parts = requestResponse(ctx);
      const request = parts.client.loan().unwrap();
      request.payload = 6n;
      const pending = request.send().unwrap();
      const error = refusal("writing a request after send()", () => {
        request.payload = 7n;
      });
      return {
        error,
        followUp: () => {
          const active = parts.server.receive().unwrap();
          ensure(active?.payload === 6n, `the server read ${show(active?.payload)}`);
          active.close();
          pending.close();
          requestAndRespond(parts, 8n);
        },
      };
    },
  },
  {
    name: "entry-value-update-twice",
    kind: "HandleClosed",
    run(ctx) {
      const parts = blackboard(ctx);
      const entry = parts.writer.entry(1, ctx.iox2.u64).unwrap();
      const loaned = entry.loan().unwrap();
      loaned.value = 11n;
      loaned.update().unwrap();
      const error = refusal("a second update() of one loaned entry value", () => loaned.update());
      return {
        error,
        followUp: () => {
          entry.close();
          writeAndRead(ctx, parts, 12n);
        },
      };
    },
  },
];

const parentsClosedFirst: MisuseCase[] = [
  {
    name: "publisher-after-service-close",
    kind: "HandleClosed",
    run(ctx) {
      const { node, service, publisher } = u64PubSub(ctx);
      const name = service.name;
      service.close();
      const error = refusal("sendCopy() on a publisher whose service was closed", () => publisher.sendCopy(1n));
      return {
        error,
        followUp: () => {
          const reopened = node.serviceBuilder(name).publishSubscribe(ctx.iox2.u64).openOrCreate().unwrap();
          sendAndReceive(reopened.publisherBuilder().create().unwrap(), reopened.subscriberBuilder().create().unwrap(), 9n);
        },
      };
    },
  },
  {
    name: "listener-after-node-close",
    kind: "HandleClosed",
    run(ctx) {
      const { node, listener } = eventPair(ctx);
      node.close();
      const error = refusal("tryWait() on a listener whose node was closed", () => listener.tryWait());
      return {
        error,
        followUp: () => {
          const fresh = eventPair(ctx);
          notifyAndTake(fresh.notifier, fresh.listener, 3);
        },
      };
    },
  },
  {
    name: "sample-after-subscriber-close",
    kind: "SampleReleased",
    run(ctx) {
      const { service, publisher, subscriber } = u64PubSub(ctx);
      publisher.sendCopy(10n).unwrap();
      const received = subscriber.receive().unwrap();
      ensure(received !== null, "nothing received");
      subscriber.close();
      ensure(received.isClosed, "closing the subscriber left its sample open");
      const error = refusal("reading a sample of a closed subscriber", () => received.payload);
      return { error, followUp: () => sendAndReceive(publisher, service.subscriberBuilder().create().unwrap(), 11n) };
    },
  },
  {
    name: "receive-from-closed-subscriber",
    kind: "HandleClosed",
    async run(ctx) {
      const { service, publisher, subscriber } = u64PubSub(ctx);
      publisher.sendCopy(12n).unwrap();
      subscriber.close();
      const error = refusal("receive() on a closed subscriber", () => subscriber.receive());
      const iterated = await within(WAIT_MS, "samples() of a closed subscriber", subscriber.samples().next());
      ensure(iterated.done === true, "samples() of a closed subscriber yielded a sample");
      return { error, followUp: () => sendAndReceive(publisher, service.subscriberBuilder().create().unwrap(), 13n) };
    },
  },
  {
    name: "loan-sent-after-node-close",
    kind: "SampleReleased",
    run(ctx) {
      const { node, publisher } = u64PubSub(ctx);
      const sample = publisher.loan().unwrap();
      node.close();
      const error = refusal("send() of a sample loaned from a closed node's publisher", () => sample.send());
      return {
        error,
        followUp: () => {
          const fresh = u64PubSub(ctx);
          sendAndReceive(fresh.publisher, fresh.subscriber, 14n);
        },
      };
    },
  },
  {
    name: "pending-response-after-client-close",
    kind: "HandleClosed",
    run(ctx) {
      const parts = requestResponse(ctx);
      const pending = parts.client.sendCopy(15n).unwrap();
      parts.client.close();
      const error = refusal("receive() on a pending response of a closed client", () => pending.receive());
      return {
        error,
        followUp: () => {
          parts.server.receive().unwrap()?.close(); // the request sent before the close
          requestAndRespond({ client: parts.service.clientBuilder().create().unwrap(), server: parts.server }, 16n);
        },
      };
    },
  },
  {
    name: "wait-ends-when-node-closes",
    kind: "Aborted",
    async run(ctx) {
      const { node, listener } = eventPair(ctx);
      const waiting = listener.wait();
      node.close();
      const error = await within(WAIT_MS, "a wait whose node was closed", asyncRefusal("a wait whose node closed", () => waiting));
      return {
        error,
        followUp: async () => {
          const fresh = eventPair(ctx);
          await notifyAndAwait(fresh.notifier, fresh.listener, 4);
        },
      };
    },
  },
];

const limits: MisuseCase[] = [
  {
    name: "publisher-loans-beyond-max",
    kind: "ExceedsMaxLoans",
    run(ctx) {
      const { publisher, subscriber } = u64PubSub(ctx, { maxLoanedSamples: 2 });
      const held = [publisher.loan().unwrap(), publisher.loan().unwrap()];
      const error = refusal("a third loan with maxLoanedSamples 2", () => publisher.loan());
      return {
        error,
        followUp: () => {
          held[0]!.release();
          sendAndReceive(publisher, subscriber, 17n);
          held[1]!.release();
        },
      };
    },
  },
  {
    name: "subscriber-borrows-beyond-max",
    kind: "ExceedsMaxBorrows",
    run(ctx) {
      const { publisher, subscriber } = u64PubSub(ctx, { subscriberMaxBorrowedSamples: 1 });
      publisher.sendCopy(18n).unwrap();
      publisher.sendCopy(19n).unwrap();
      const held = subscriber.receive().unwrap();
      ensure(held?.payload === 18n, `received ${show(held?.payload)}`);
      const error = refusal("a second borrowed sample with subscriberMaxBorrowedSamples 1", () => subscriber.receive());
      return {
        error,
        followUp: () => {
          held.release();
          const next = subscriber.receive().unwrap();
          ensure(next?.payload === 19n, `after the release the queued sample arrived as ${show(next?.payload)}`);
          next.release();
          sendAndReceive(publisher, subscriber, 20n);
        },
      };
    },
  },
  {
    name: "client-loans-beyond-max",
    kind: "ExceedsMaxLoans",
    run(ctx) {
      const parts = requestResponse(ctx, { maxLoanedRequests: 1 });
      const held = parts.client.loan().unwrap();
      const error = refusal("a second request loan with maxLoanedRequests 1", () => parts.client.loan());
      return {
        error,
        followUp: () => {
          held.release();
          requestAndRespond(parts, 21n);
        },
      };
    },
  },
  {
    name: "server-response-loans-beyond-max",
    kind: "ExceedsMaxLoans",
    run(ctx) {
      const parts = requestResponse(ctx, { maxLoanedResponsesPerRequest: 1 });
      const pending = parts.client.sendCopy(22n).unwrap();
      const active = parts.server.receive().unwrap();
      ensure(active !== null, "the server received nothing");
      const held = active.loan().unwrap();
      const error = refusal("a second response loan with maxLoanedResponsesPerRequest 1", () => active.loan());
      return {
        error,
        followUp: () => {
          held.payload = 23n;
          held.send().unwrap();
          active.close();
          const response = pending.receive().unwrap();
          ensure(response?.payload === 23n, `the client received ${show(response?.payload)}`);
          response.release();
          pending.close();
          requestAndRespond(parts, 24n);
        },
      };
    },
  },
  {
    name: "client-active-requests-beyond-max",
    kind: "LimitReached",
    run(ctx) {
      const parts = requestResponse(ctx, { maxActiveRequestsPerClient: 1 });
      const pending = parts.client.sendCopy(25n).unwrap();
      const error = refusal("a second request in flight with maxActiveRequestsPerClient 1", () => parts.client.sendCopy(26n));
      return {
        error,
        followUp: () => {
          parts.server.receive().unwrap()?.close();
          pending.close();
          requestAndRespond(parts, 27n);
        },
      };
    },
  },
  {
    name: "publisher-loans-beyond-memory",
    kind: "InvalidArgument",
    run(ctx) {
      const { service, subscriber } = u64PubSub(ctx);
      const error = refusal("a publisher allowed 2^32-1 loans", () => service.publisherBuilder().maxLoanedSamples(0xffff_ffff).create());
      return { error, followUp: () => sendAndReceive(service.publisherBuilder().create().unwrap(), subscriber, 28n) };
    },
  },
];

/**
 * Counts and sizes that would make iceoryx2 allocate gigabytes (it has no bounds of its own): one
 * huge option, or options within their bounds whose product the native core refuses.
 */
const hugeCounts: MisuseCase[] = [
  {
    name: "service-subscribers-beyond-limit",
    kind: "InvalidArgument",
    run(ctx) {
      const node = ctx.node();
      const error = refusal("a service for 2^32-1 subscribers", () =>
        node.serviceBuilder(ctx.serviceName("subscribers")).publishSubscribe(ctx.iox2.u64).maxSubscribers(0xffff_ffff).create(),
      );
      return { error, followUp: () => sendAndReceive(...publisherAndSubscriber(ctx, node), 29n) };
    },
  },
  {
    name: "service-buffers-times-subscribers-beyond-limit",
    kind: "InvalidArgument",
    run(ctx) {
      const node = ctx.node();
      // Each count is within its bound; every publisher would need 4096 × 65536 chunks.
      const error = refusal("a service whose publishers need 2^28 chunks", () =>
        node.serviceBuilder(ctx.serviceName("product")).publishSubscribe(ctx.iox2.u64).maxSubscribers(4_096).subscriberMaxBufferSize(65_536).create(),
      );
      return { error, followUp: () => sendAndReceive(...publisherAndSubscriber(ctx, node), 30n) };
    },
  },
  {
    name: "subscriber-buffer-beyond-limit",
    kind: "InvalidArgument",
    run(ctx) {
      const { service, publisher, subscriber } = u64PubSub(ctx);
      const error = refusal("a subscriber buffer of 2^32-1 samples", () => service.subscriberBuilder().bufferSize(0xffff_ffff).create());
      return { error, followUp: () => sendAndReceive(publisher, subscriber, 31n) };
    },
  },
  {
    name: "initial-slice-length-beyond-memory",
    kind: "InvalidArgument",
    run(ctx) {
      const parts = slicePubSub(ctx);
      // 2^28 u16 elements: 512 MiB per chunk, for every chunk of the data segment.
      const error = refusal("a publisher for slices of 2^28 u16", () => parts.service.publisherBuilder().initialMaxSliceLen(2 ** 28).create());
      return { error, followUp: () => sliceRoundTrip(parts, 4) };
    },
  },
  {
    name: "growing-slice-loan-beyond-memory",
    kind: "InvalidArgument",
    run(ctx) {
      const parts = slicePubSub(ctx);
      const growing = parts.service.publisherBuilder().allocationStrategy("powerOfTwo").create().unwrap();
      const error = refusal("a growing publisher's loan of 2^32-1 u16", () => growing.loanSlice(0xffff_ffff));
      return {
        error,
        followUp: () => {
          sliceRoundTrip({ ...parts, publisher: growing }, 1000);
          sliceRoundTrip(parts, 4);
        },
      };
    },
  },
  {
    name: "event-id-max-beyond-limit",
    kind: "InvalidArgument",
    run(ctx) {
      const node = ctx.node();
      const error = refusal("an event service with ids up to 2^32-1", () =>
        node.serviceBuilder(ctx.serviceName("event-ids")).event().eventIdMaxValue(0xffff_ffff).create(),
      );
      return {
        error,
        followUp: () => {
          const { notifier, listener } = eventPair(ctx, node, 65_535);
          notifyAndTake(notifier, listener, 65_535);
        },
      };
    },
  },
  {
    name: "active-requests-beyond-limit",
    kind: "InvalidArgument",
    run(ctx) {
      const node = ctx.node();
      const error = refusal("a request-response service for 2^32-1 active requests per client", () =>
        node.serviceBuilder(ctx.serviceName("active")).requestResponse(ctx.iox2.u64, ctx.iox2.u64).maxActiveRequestsPerClient(0xffff_ffff).create(),
      );
      return { error, followUp: () => requestAndRespond(requestResponse(ctx), 32n) };
    },
  },
  {
    name: "active-requests-times-response-channels-beyond-limit",
    kind: "InvalidArgument",
    run(ctx) {
      const node = ctx.node();
      // Within its bound, but every server-to-client connection would need 4098 channels × 81920 chunks.
      const error = refusal("a request-response service whose servers need 2^28 chunk slots", () =>
        node.serviceBuilder(ctx.serviceName("product")).requestResponse(ctx.iox2.u64, ctx.iox2.u64).maxActiveRequestsPerClient(1_024).create(),
      );
      return { error, followUp: () => requestAndRespond(requestResponse(ctx, { maxActiveRequestsPerClient: 16 }), 33n) };
    },
  },
  {
    name: "blackboard-readers-beyond-limit",
    kind: "InvalidArgument",
    run(ctx) {
      const { u32, u64 } = ctx.iox2;
      const node = ctx.node();
      const error = refusal("a blackboard for 2^32-1 readers", () =>
        node.serviceBuilder(ctx.serviceName("readers")).blackboardCreator(u32).add(1, u64, 0n).maxReaders(0xffff_ffff).create(),
      );
      return { error, followUp: () => writeAndRead(ctx, blackboard(ctx), 34n) };
    },
  },
  {
    name: "config-default-loans-beyond-limit",
    kind: "InvalidArgument",
    run(ctx) {
      const error = refusal("a node whose publishers default to 2^32-1 loans", () =>
        new ctx.iox2.NodeBuilder().config({ prefix: ctx.prefix, defaults: { publishSubscribe: { publisherMaxLoanedSamples: 0xffff_ffff } } }).create(),
      );
      return { error, followUp: () => configuredNode(ctx, { defaults: { publishSubscribe: { publisherMaxLoanedSamples: 1_000 } } }).close() };
    },
  },
];

/** A publisher and a subscriber of a fresh u64 service on `node`. */
function publisherAndSubscriber(ctx: MisuseContext, node: Iox2.Node): [U64Publisher, U64Subscriber] {
  const parts = u64PubSub(ctx, {}, node);
  return [parts.publisher, parts.subscriber];
}

/** A slice(u16) service whose publisher holds at most 4 elements. */
function slicePubSub(ctx: MisuseContext) {
  const { u16, slice } = ctx.iox2;
  const service = ctx.node().serviceBuilder(ctx.serviceName("slice")).publishSubscribe(slice(u16)).create().unwrap();
  return { service, publisher: service.publisherBuilder().initialMaxSliceLen(4).create().unwrap(), subscriber: service.subscriberBuilder().create().unwrap() };
}

/** Loans `length` elements, writes 1..length, sends and receives them: the slice follow-up. */
function sliceRoundTrip({ publisher, subscriber }: ReturnType<typeof slicePubSub>, length: number): void {
  const values = Array.from({ length }, (_, i) => i + 1);
  const sample = publisher.loanSlice(length).unwrap();
  sample.payload.write(values);
  sample.send().unwrap();
  const received = subscriber.receive().unwrap();
  const got = received?.payload.toArray();
  received?.release();
  ensure(show(got) === show(values), `sent ${show(values)}, received ${show(got)}`);
}

const slices: MisuseCase[] = [
  {
    name: "slice-length-zero",
    kind: "InvalidArgument",
    run(ctx) {
      const parts = slicePubSub(ctx);
      const error = refusal("loanSlice(0)", () => parts.publisher.loanSlice(0));
      return { error, followUp: () => sliceRoundTrip(parts, 1) };
    },
  },
  {
    name: "slice-beyond-max-length",
    kind: "OutOfMemory",
    run(ctx) {
      const parts = slicePubSub(ctx);
      const error = refusal("loanSlice(5) with initialMaxSliceLen 4", () => parts.publisher.loanSlice(5));
      return { error, followUp: () => sliceRoundTrip(parts, 4) };
    },
  },
  {
    name: "slice-write-past-end",
    kind: "OutOfBounds",
    run(ctx) {
      const parts = slicePubSub(ctx);
      const sample = parts.publisher.loanSlice(3).unwrap();
      sample.payload.write([7, 8, 9]);
      const error = refusal("writing 2 elements at index 2 of 3", () => sample.payload.write([1, 2], 2));
      const after = sample.payload.toArray();
      ensure(show(after) === show([7, 8, 9]), `the refused write changed the slice to ${show(after)}`);
      return {
        error,
        followUp: () => {
          sample.release();
          sliceRoundTrip(parts, 3);
        },
      };
    },
  },
  {
    name: "slice-send-copy-of-undefined",
    kind: "InvalidArgument",
    run(ctx) {
      const parts = slicePubSub(ctx);
      const error = refusal("sendCopy(undefined) on a slice publisher", () => parts.publisher.sendCopy(undefined as never));
      return { error, followUp: () => sliceRoundTrip(parts, 2) };
    },
  },
];

const payloadKinds: MisuseCase[] = [
  {
    name: "nan-into-integer-field",
    kind: "InvalidArgument",
    run: (ctx) =>
      refusedWrite(ctx, "NaN into a u32 field", (payload) => {
        payload.id = NaN;
      }),
  },
  {
    name: "negative-into-unsigned-field",
    kind: "InvalidArgument",
    run: (ctx) =>
      refusedWrite(ctx, "-1 into a u32 field", (payload) => {
        payload.id = -1;
      }),
  },
  {
    name: "bigint-above-u64",
    kind: "InvalidArgument",
    run: (ctx) =>
      refusedWrite(ctx, "2^64 into a u64 field", (payload) => {
        payload.count = 2n ** 64n;
      }),
  },
  {
    name: "unsafe-integer-into-u64",
    kind: "InvalidArgument",
    run: (ctx) =>
      refusedWrite(ctx, "the number 2^60 (not exactly representable) into a u64 field", (payload) => {
        payload.count = (2 ** 60) as never; // a number, as a caller without bigints would pass it
      }),
  },
  {
    name: "string-into-number-field",
    kind: "InvalidArgument",
    run: (ctx) =>
      refusedWrite(ctx, 'the string "5" into an i32 field', (payload) => {
        payload.level = "5" as never;
      }),
  },
  {
    name: "object-into-number-field",
    kind: "InvalidArgument",
    run: (ctx) =>
      refusedWrite(ctx, "an object into an f64 field", (payload) => {
        payload.value = { valueOf: () => 1 } as never;
      }),
  },
  {
    name: "undefined-into-field",
    kind: "InvalidArgument",
    run: (ctx) =>
      refusedWrite(ctx, "undefined into an f32 field", (payload) => {
        payload.ratio = undefined as never;
      }),
  },
  {
    name: "infinity-into-integer-field",
    kind: "InvalidArgument",
    run: (ctx) =>
      refusedWrite(ctx, "Infinity into an i32 field", (payload) => {
        payload.level = Infinity;
      }),
  },
  {
    name: "number-into-bool-field",
    kind: "InvalidArgument",
    run: (ctx) =>
      refusedWrite(ctx, "1 into a bool field", (payload) => {
        payload.valid = 1 as never;
      }),
  },
  {
    name: "f32-overflow",
    kind: "InvalidArgument",
    run: (ctx) =>
      refusedWrite(ctx, "1e39 into an f32 field", (payload) => {
        payload.ratio = 1e39;
      }),
  },
  {
    name: "array-field-wrong-length",
    kind: "InvalidArgument",
    run: (ctx) =>
      refusedWrite(ctx, "2 elements into a [u16; 3] field", (payload) => {
        payload.tags = [1, 2] as never;
      }),
  },
  {
    name: "partial-struct-assignment",
    kind: "InvalidArgument",
    run: (ctx) =>
      refusedWrite(ctx, "a whole payload missing a field", (_, sample) => {
        const { valid: _valid, ...incomplete } = { ...READING_VALUES, id: 99 };
        sample.payload = incomplete as never;
      }),
  },
  {
    name: "unknown-field-assignment",
    kind: "InvalidArgument",
    run: (ctx) =>
      refusedWrite(ctx, "a field the struct does not have", (payload) => {
        (payload as unknown as Record<string, unknown>).vallue = 1;
      }),
  },
  {
    name: "negative-zero-and-tiny-negative",
    kind: "InvalidArgument",
    run(ctx) {
      const { publisher, subscriber } = readingPubSub(ctx);
      const sample = publisher.loan().unwrap();
      sample.payload = { ...READING_VALUES, id: -0, count: -0, value: -0 };
      const { id, count, value } = sample.payload;
      ensure(Object.is(id, 0) && count === 0n, `-0 into integer fields read back as ${show(id)} and ${show(count)}, not 0`);
      ensure(Object.is(value, -0), `-0 into an f64 field read back as ${show(value)}: the sign was lost`);
      const error = refusal("-1e-9 into a u32 field", () => {
        sample.payload.id = -1e-9;
      });
      ensure(Object.is(sample.payload.id, 0), `the refused write changed the field to ${show(sample.payload.id)}`);
      return {
        error,
        followUp: () => {
          sample.send().unwrap();
          const received = subscriber.receive().unwrap();
          ensure(received !== null, "nothing received");
          const got = received.payload.$toPlain();
          received.release();
          ensure(Object.is(got.id, 0) && got.count === 0n && Object.is(got.value, -0), `received ${show(got)}`);
        },
      };
    },
  },
  {
    name: "send-copy-of-wrong-kind",
    kind: "InvalidArgument",
    run(ctx) {
      const { publisher, subscriber } = readingPubSub(ctx);
      const error = refusal("sendCopy() of a string into a struct service", () => publisher.sendCopy("reading" as never));
      return {
        error,
        followUp: () => {
          ensure(subscriber.receive().unwrap() === null, "the refused sendCopy() delivered a sample");
          publisher.sendCopy(READING_VALUES).unwrap();
          receiveReading(subscriber, READING_VALUES);
        },
      };
    },
  },
];

/** Creates an event service named `name` and passes a notification through it. */
function eventServiceNamed(ctx: MisuseContext, name: string): void {
  const service = ctx.node().serviceBuilder(name).event().create().unwrap();
  notifyAndTake(service.notifierBuilder().create().unwrap(), service.listenerBuilder().create().unwrap(), 1);
  ensure(service.name === name, `the service is named ${show(service.name)}`);
}

/** A node named `name`, and a publish-subscribe round trip through it. */
function namedNode(ctx: MisuseContext, name: string): void {
  const node = new ctx.iox2.NodeBuilder().name(name).config({ prefix: ctx.prefix }).create().unwrap();
  try {
    ensure(node.name === name, `the node is named ${show(node.name)}`);
    const parts = u64PubSub(ctx, {}, node);
    sendAndReceive(parts.publisher, parts.subscriber, 29n);
  } finally {
    node.close();
  }
}


const names: MisuseCase[] = [
  {
    name: "service-name-lone-surrogate",
    kind: "InvalidName",
    run(ctx) {
      const error = refusal("a service name with a lone surrogate", () => ctx.node().serviceBuilder(`${ctx.serviceName("lone")}\uD800`).event().create());
      return { error, followUp: () => eventServiceNamed(ctx, ctx.serviceName("after-lone")) };
    },
  },
  {
    name: "service-name-with-nul",
    kind: "InvalidName",
    run(ctx) {
      const error = refusal("a service name with NUL", () => ctx.node().serviceBuilder(`${ctx.serviceName("nul")}\0x`).event().create());
      return { error, followUp: () => eventServiceNamed(ctx, ctx.serviceName("after-nul")) };
    },
  },
  {
    name: "service-name-over-long",
    kind: "InvalidName",
    run(ctx) {
      const error = refusal("a 256-byte service name", () => ctx.node().serviceBuilder(padded(ctx.serviceName("long"), 256)).event().create());
      return { error, followUp: () => eventServiceNamed(ctx, padded(ctx.serviceName("longest"), 255)) };
    },
  },
  {
    name: "service-name-non-ascii",
    kind: "InvalidName",
    run(ctx) {
      // iceoryx2 names are ASCII: a JS string that encodes to valid UTF-8 is still refused.
      const error = refusal("a service name with 'é'", () => ctx.node().serviceBuilder(`${ctx.serviceName("accent")}é`).event().create());
      return { error, followUp: () => eventServiceNamed(ctx, ctx.serviceName("after-accent")) };
    },
  },
  {
    name: "service-name-empty",
    kind: "InvalidName",
    run(ctx) {
      const error = refusal("an empty service name", () => ctx.node().serviceBuilder("").publishSubscribe(ctx.iox2.u64).create());
      return { error, followUp: () => eventServiceNamed(ctx, ctx.serviceName("after-empty")) };
    },
  },
  {
    name: "node-name-over-long",
    kind: "InvalidName",
    run(ctx) {
      const error = refusal("a 300-byte node name", () => new ctx.iox2.NodeBuilder().name("n".repeat(300)).config({ prefix: ctx.prefix }).create());
      return { error, followUp: () => namedNode(ctx, "misuse-node") };
    },
  },
  {
    name: "node-name-lone-surrogate",
    kind: "InvalidName",
    run(ctx) {
      const error = refusal("a node name with a lone surrogate", () => new ctx.iox2.NodeBuilder().name("node\uDC00").config({ prefix: ctx.prefix }).create());
      return { error, followUp: () => namedNode(ctx, "misuse-node") };
    },
  },
  {
    name: "node-name-with-nul",
    kind: "InvalidName",
    run(ctx) {
      const error = refusal("a node name with NUL", () => new ctx.iox2.NodeBuilder().name("node\0x").config({ prefix: ctx.prefix }).create());
      return { error, followUp: () => namedNode(ctx, "misuse-node") };
    },
  },
];

const waiting: MisuseCase[] = [
  {
    name: "event-id-above-max",
    kind: "OutOfBounds",
    run(ctx) {
      const { notifier, listener } = eventPair(ctx, undefined, 7);
      const error = refusal("notifying id 8 with eventIdMaxValue 7", () => notifier.notifyWithCustomEventId(8));
      return {
        error,
        followUp: () => {
          ensure(listener.tryWait().unwrap().length === 0, "the refused notification reached the listener");
          notifyAndTake(notifier, listener, 7);
        },
      };
    },
  },
  {
    name: "wait-on-closed-listener",
    kind: "HandleClosed",
    async run(ctx) {
      const { service, notifier, listener } = eventPair(ctx);
      listener.close();
      const error = await within(WAIT_MS, "wait() on a closed listener", asyncRefusal("wait() on a closed listener", () => listener.wait()));
      return { error, followUp: () => notifyAndAwait(notifier, service.listenerBuilder().create().unwrap(), 5) };
    },
  },
  {
    name: "blocking-wait-on-closed-listener",
    kind: "HandleClosed",
    run(ctx) {
      const { service, notifier, listener } = eventPair(ctx);
      listener.close();
      // Must fail at once: a blocking wait on a closed listener would hang the thread.
      const error = refusal("blockingWait() on a closed listener", () => listener.blockingWait());
      return { error, followUp: () => notifyAndTake(notifier, service.listenerBuilder().create().unwrap(), 6) };
    },
  },
  {
    name: "wait-with-aborted-signal",
    kind: "Aborted",
    async run(ctx) {
      const { notifier, listener } = eventPair(ctx);
      const controller = new AbortController();
      controller.abort(new Error("stopped before waiting"));
      const error = await within(WAIT_MS, "wait() with an aborted signal", asyncRefusal("wait() with an aborted signal", () => listener.wait({ signal: controller.signal })));
      return { error, followUp: () => notifyAndAwait(notifier, listener, 7) };
    },
  },
  {
    name: "wait-aborted-while-waiting",
    kind: "Aborted",
    async run(ctx) {
      const { notifier, listener } = eventPair(ctx);
      const controller = new AbortController();
      const waiting = listener.wait({ signal: controller.signal });
      setTimeout(() => controller.abort(), 10);
      const error = await within(WAIT_MS, "an aborted wait", asyncRefusal("a wait aborted meanwhile", () => waiting));
      return { error, followUp: () => notifyAndAwait(notifier, listener, 8) };
    },
  },
  {
    name: "listener-closed-while-waiting",
    kind: "Aborted",
    async run(ctx) {
      const { service, notifier, listener } = eventPair(ctx);
      const waiting = listener.wait();
      setTimeout(() => listener.close(), 10);
      const error = await within(WAIT_MS, "a wait whose listener closed", asyncRefusal("a wait whose listener closed meanwhile", () => waiting));
      return { error, followUp: () => notifyAndAwait(notifier, service.listenerBuilder().create().unwrap(), 9) };
    },
  },
  {
    name: "samples-bad-poll-interval",
    kind: "InvalidArgument",
    async run(ctx) {
      const { publisher, subscriber } = u64PubSub(ctx);
      const error = await within(WAIT_MS, "samples({ pollInterval: 0 })", asyncRefusal("samples({ pollInterval: 0 })", () => subscriber.samples({ pollInterval: 0 }).next()));
      return { error, followUp: () => sendAndReceive(publisher, subscriber, 21n) };
    },
  },
  {
    name: "node-wait-negative",
    kind: "InvalidArgument",
    async run(ctx) {
      const { node, publisher, subscriber } = u64PubSub(ctx);
      const error = await within(WAIT_MS, "node.wait(-1)", asyncRefusal("node.wait(-1)", () => node.wait(-1)));
      return {
        error,
        followUp: async () => {
          (await node.wait(1)).unwrap();
          sendAndReceive(publisher, subscriber, 22n);
        },
      };
    },
  },
  {
    name: "node-wait-after-close",
    kind: "HandleClosed",
    async run(ctx) {
      const closed = ctx.node();
      closed.close();
      const error = await within(WAIT_MS, "node.wait() on a closed node", asyncRefusal("node.wait() on a closed node", () => closed.wait(1)));
      const { publisher, subscriber } = u64PubSub(ctx);
      return { error, followUp: () => sendAndReceive(publisher, subscriber, 23n) };
    },
  },
  {
    name: "timed-wait-negative-timeout",
    kind: "InvalidArgument",
    timeoutMs: 5_000,
    run(ctx) {
      const { listener } = eventPair(ctx);
      const error = refusal("timedWait(-1)", () => listener.timedWait(-1));
      return {
        error,
        followUp: () => {
          const events = listener.timedWait(0).unwrap();
          ensure(events.length === 0, `timedWait(0) returned ${show(events)} without any notification`);
        },
      };
    },
  },
  {
    name: "waitset-attach-closed-listener",
    kind: "HandleClosed",
    async run(ctx) {
      const { service, notifier, listener } = eventPair(ctx);
      listener.close();
      const waitSet = new ctx.iox2.WaitSetBuilder().create().unwrap();
      const error = refusal("attaching a closed listener to a WaitSet", () => waitSet.attachNotification(listener));
      return {
        error,
        followUp: async () => {
          const open = service.listenerBuilder().create().unwrap();
          const guard = waitSet.attachNotification(open).unwrap();
          notifier.notifyWithCustomEventId(10).unwrap();
          let seen = false;
          const run = await within(
            WAIT_MS,
            "a WaitSet with a notified listener",
            waitSet.waitAndProcessOnce((attachment) => {
              seen ||= attachment.hasEventFrom(guard);
              open.tryWait().unwrap();
              return "stop";
            }, { timeout: WAIT_MS }),
          );
          ensure(run.unwrap() === "stopRequest" && seen, `the WaitSet returned ${show(run)} without the listener's event`);
          waitSet.close();
        },
      };
    },
  },
  {
    name: "samples-with-invalid-signal",
    kind: "InvalidArgument",
    async run(ctx) {
      const node = ctx.node();
      const service = node.serviceBuilder(ctx.serviceName("iterate")).publishSubscribe(ctx.iox2.u64).create().unwrap();
      const publisher = service.publisherBuilder().notifyOnSend().create().unwrap();
      const subscriber = service.subscriberBuilder().create().unwrap();
      const error = await asyncRefusal("samples() with a string as its signal", () => subscriber.samples({ signal: "stop" as never }).next());
      return {
        error,
        followUp: async () => {
          const controller = new AbortController();
          const next = subscriber.samples({ signal: controller.signal }).next();
          publisher.sendCopy(30n).unwrap();
          const step = await within(WAIT_MS, "samples() after a notifying send", next);
          ensure(!step.done && step.value.payload === 30n, `samples() yielded ${show(step.done ? "the end" : step.value.payload)}`);
          controller.abort();
        },
      };
    },
  },
];

const requestResponseMisuse: MisuseCase[] = [
  {
    name: "respond-after-request-closed",
    kind: "HandleClosed",
    run(ctx) {
      const parts = requestResponse(ctx);
      const pending = parts.client.sendCopy(31n).unwrap();
      const active = parts.server.receive().unwrap();
      ensure(active !== null, "the server received nothing");
      active.close();
      const error = refusal("sendCopy() on a closed active request", () => active.sendCopy(32n));
      return {
        error,
        followUp: () => {
          ensure(pending.receive().unwrap() === null, "the refused response reached the client");
          pending.close();
          requestAndRespond(parts, 33n);
        },
      };
    },
  },
  {
    name: "response-after-request-closed",
    kind: "SampleReleased",
    run(ctx) {
      const parts = requestResponse(ctx);
      const pending = parts.client.sendCopy(34n).unwrap();
      const active = parts.server.receive().unwrap();
      ensure(active !== null, "the server received nothing");
      const response = active.loan().unwrap();
      active.close();
      const error = refusal("send() of a response whose active request was closed", () => response.send());
      return {
        error,
        followUp: () => {
          ensure(pending.receive().unwrap() === null, "the refused response reached the client");
          pending.close();
          requestAndRespond(parts, 35n);
        },
      };
    },
  },
];

const blackboardMisuse: MisuseCase[] = [
  {
    name: "blackboard-missing-key",
    kind: "EntryNotFound",
    run(ctx) {
      const parts = blackboard(ctx);
      const error = refusal("the writer entry of a key the blackboard lacks", () => parts.writer.entry(99, ctx.iox2.u64));
      return { error, followUp: () => writeAndRead(ctx, parts, 36n) };
    },
  },
  {
    name: "blackboard-wrong-value-type",
    kind: "IncompatibleTypes",
    run(ctx) {
      const parts = blackboard(ctx);
      const error = refusal("reading a u64 entry as f64", () => parts.reader.entry(1, ctx.iox2.f64));
      return { error, followUp: () => writeAndRead(ctx, parts, 37n) };
    },
  },
  {
    name: "blackboard-second-writer",
    kind: "LimitReached",
    run(ctx) {
      const parts = blackboard(ctx);
      const error = refusal("a second blackboard writer", () => parts.service.writerBuilder().create());
      return { error, followUp: () => writeAndRead(ctx, parts, 38n) };
    },
  },
  {
    name: "blackboard-key-of-wrong-kind",
    kind: "InvalidArgument",
    run(ctx) {
      const parts = blackboard(ctx);
      const error = refusal('the string "1" as a u32 key', () => parts.writer.entry("1" as never, ctx.iox2.u64));
      return { error, followUp: () => writeAndRead(ctx, parts, 39n) };
    },
  },
];

const attributes: MisuseCase[] = [
  {
    name: "attributes-over-limit",
    kind: "LimitReached",
    run(ctx) {
      const node = ctx.node();
      const withAttributes = (count: number) => {
        let builder = node.serviceBuilder(ctx.serviceName("attributes")).event();
        for (let i = 0; i < count; i++) builder = builder.defineAttribute(`key${i}`, `value${i}`);
        return builder;
      };
      const error = refusal("nine attributes", () => withAttributes(9).create());
      return {
        error,
        followUp: () => {
          const service = withAttributes(8).create().unwrap();
          const count = service.staticConfig().unwrap().attributes.length;
          ensure(count === 8, `a service with eight attributes stores ${count}`);
        },
      };
    },
  },
  {
    name: "attribute-value-over-long",
    kind: "InvalidArgument",
    run(ctx) {
      const node = ctx.node();
      const withValue = (value: string) => node.serviceBuilder(ctx.serviceName("attribute")).event().defineAttribute("key", value).create();
      const error = refusal("a 257-character attribute value", () => withValue("v".repeat(257)));
      return {
        error,
        followUp: () => {
          const [stored] = withValue("v".repeat(256)).unwrap().staticConfig().unwrap().attributes;
          ensure(stored?.value.length === 256, `a 256-character value was stored as ${show(stored)}`);
        },
      };
    },
  },
];

/** A node built with `config` plus the prefix, and a round trip through it. */
function configuredNode(ctx: MisuseContext, config: Iox2.ConfigOptions = {}): Iox2.Node {
  const node = new ctx.iox2.NodeBuilder().config({ ...config, prefix: ctx.prefix }).create().unwrap();
  const parts = u64PubSub(ctx, {}, node);
  sendAndReceive(parts.publisher, parts.subscriber, 40n);
  return node;
}

const config: MisuseCase[] = [
  {
    name: "config-file-missing",
    kind: "ConfigError",
    run(ctx) {
      const error = refusal("a config file that does not exist", () =>
        new ctx.iox2.NodeBuilder().config({ prefix: ctx.prefix, file: `/nonexistent/iox2js-misuse-${ctx.runtime}/iceoryx2.toml` }).create(),
      );
      return { error, followUp: () => configuredNode(ctx).close() };
    },
  },
  {
    name: "config-prefix-over-long",
    kind: "ConfigError",
    run(ctx) {
      const error = refusal("a 200-byte prefix", () => new ctx.iox2.NodeBuilder().config({ prefix: `${ctx.prefix}${"p".repeat(200)}` }).create());
      return { error, followUp: () => configuredNode(ctx).close() };
    },
  },
  {
    name: "config-prefix-with-slash",
    kind: "InvalidName",
    run(ctx) {
      const error = refusal("a prefix with '/'", () => new ctx.iox2.NodeBuilder().config({ prefix: `${ctx.prefix}a/b` }).create());
      return { error, followUp: () => configuredNode(ctx).close() };
    },
  },
  {
    name: "config-prefix-with-nul",
    kind: "InvalidName",
    run(ctx) {
      const error = refusal("a prefix with a NUL byte", () => new ctx.iox2.NodeBuilder().config({ prefix: `${ctx.prefix}a\0b` }).create());
      return { error, followUp: () => configuredNode(ctx).close() };
    },
  },
  {
    name: "config-root-path-unusable",
    kind: "ConfigError",
    run(ctx) {
      const error = refusal("a root path iceoryx2 cannot create directories under", () =>
        new ctx.iox2.NodeBuilder().config({ prefix: ctx.prefix, rootPath: "/proc" }).create(),
      );
      return { error, followUp: () => configuredNode(ctx).close() };
    },
  },
  {
    name: "config-unknown-option",
    kind: "InvalidArgument",
    run(ctx) {
      const error = refusal("an unknown config option", () => new ctx.iox2.NodeBuilder().config({ prefix: ctx.prefix, prefx: "typo" } as never).create());
      return { error, followUp: () => configuredNode(ctx).close() };
    },
  },
  {
    name: "config-defaults-negative-count",
    kind: "InvalidArgument",
    run(ctx) {
      const error = refusal("defaults with maxSubscribers -1", () =>
        new ctx.iox2.NodeBuilder().config({ prefix: ctx.prefix, defaults: { publishSubscribe: { maxSubscribers: -1 } } }).create(),
      );
      return {
        error,
        followUp: () => {
          const node = configuredNode(ctx, { defaults: { publishSubscribe: { maxSubscribers: 3 } } });
          const service = node.serviceBuilder(ctx.serviceName("defaults")).publishSubscribe(ctx.iox2.u64).create().unwrap();
          const maxSubscribers = service.staticConfig().unwrap().qos.maxSubscribers;
          node.close();
          ensure(maxSubscribers === 3, `the node's default maxSubscribers 3 gave a service ${maxSubscribers}`);
        },
      };
    },
  },
  {
    name: "log-level-unknown",
    kind: "InvalidArgument",
    run(ctx) {
      const error = refusal("an unknown log level", () => ctx.iox2.setLogLevel("loud" as never));
      return {
        error,
        followUp: () => {
          ctx.iox2.setLogLevel("error");
          configuredNode(ctx).close();
        },
      };
    },
  },
];

/** The worker's report for `worker-gets-foreign-handles` (see misuse-worker.ts). */
export interface ForeignHandleReport {
  /** Every operation tried on a handle of the main thread: the error kind it failed with, or "succeeded". */
  attempts: { handle: number; op: string; outcome: string; message: string }[];
  /** Whether the worker's own node could publish afterwards. */
  published: boolean;
}

/** Waits for one message from `worker`; rejects if it fails or exits first. */
function nextMessage<T>(worker: import("node:worker_threads").Worker): Promise<T> {
  return within(
    WAIT_MS,
    "the worker's report",
    new Promise<T>((resolve, reject) => {
      worker.once("message", resolve);
      worker.once("error", reject);
      worker.once("exit", (code) => reject(new Unexpected(`the worker exited with ${code} before reporting`)));
    }),
  );
}

const workers: MisuseCase[] = [
  {
    name: "worker-gets-foreign-handles",
    kind: "HandleClosed",
    async run(ctx) {
      // Handles are per-thread table entries; a Worker receiving this thread's numbers must get
      // typed failures. The numbers are read off a recording backend, as only internals see them.
      const handles: number[] = [];
      const backend = ctx.iox2.backend;
      const recording: Iox2.Backend = {
        ...backend,
        control: (op, handle, argsJson) => {
          const result = backend.control(op, handle, argsJson);
          if (/\.(create|serviceOpen|publisherCreate|subscriberCreate)$/.test(op)) handles.push(JSON.parse(result) as number);
          return result;
        },
      };
      const { service, publisher, subscriber } = u64PubSub(ctx, {}, ctx.node(recording));
      const loaned = publisher.loan().unwrap();
      handles.push(backend.sampleInfo[ctx.iox2.SampleInfo.handle]!);
      const { Worker } = await import("node:worker_threads");
      const worker = new Worker(new URL("./misuse-worker.js", import.meta.url), {
        workerData: { handles, prefix: ctx.prefix, service: service.name, value: "41" },
      });
      try {
        const report = await nextMessage<ForeignHandleReport>(worker);
        const accepted = report.attempts.filter((attempt) => attempt.outcome === "succeeded");
        ensure(accepted.length === 0, `the worker used this thread's handles: ${show(accepted)}`);
        const first = report.attempts[0];
        ensure(first !== undefined, "the worker tried nothing");
        const otherKinds = report.attempts.filter((attempt) => attempt.outcome !== first.outcome);
        ensure(otherKinds.length === 0, `foreign handles failed with different kinds: ${show(report.attempts)}`);
        ensure(report.published, "the worker's own node could not publish");
        const fromWorker = subscriber.receive().unwrap();
        ensure(fromWorker?.payload === 41n, `the worker's sample arrived as ${show(fromWorker?.payload)}`);
        fromWorker.release();
        worker.postMessage("done");
        await within(WAIT_MS, "the worker's exit", new Promise((resolve) => worker.once("exit", resolve)));
        return {
          error: new ctx.iox2.Iox2Error(first.outcome as ErrorKind, first.message),
          followUp: () => {
            loaned.payload = 42n;
            loaned.send().unwrap();
            const received = subscriber.receive().unwrap();
            ensure(received?.payload === 42n, `received ${show(received?.payload)}`);
            received.release();
            sendAndReceive(publisher, subscriber, 43n);
          },
        };
      } finally {
        await worker.terminate();
      }
    },
  },
  {
    name: "sample-read-after-buffer-transfer",
    kind: "SampleReleased",
    run(ctx) {
      const { publisher, subscriber } = u64PubSub(ctx);
      const sample = publisher.loan().unwrap();
      transferAway(sample.payloadBytes.buffer);
      // The payload accessors do not read through the sample's own buffer: the sample stays usable.
      sample.payload = 44n;
      sample.send().unwrap();
      const received = subscriber.receive().unwrap();
      ensure(received?.payload === 44n, `the sample sent after its buffer was transferred carried ${show(received?.payload)}`);
      received?.release();
      const error = refusal("reading a sample after send()", () => sample.payload);
      return { error, followUp: () => sendAndReceive(publisher, subscriber, 45n) };
    },
  },
  {
    name: "transferred-buffer-after-send",
    kind: "SampleReleased",
    run(ctx) {
      const { publisher, subscriber } = u64PubSub(ctx);
      const sample = publisher.loan().unwrap();
      sample.payload = 46n;
      const bytes = sample.payloadBytes;
      const offset = bytes.byteOffset;
      const moved = transferAway(bytes.buffer);
      sample.send().unwrap();
      subscriber.receive().unwrap()?.release();
      // Once the sample is sent, the moved buffer must no longer reach shared memory: a marker
      // written through it must not show up in the chunks the publisher lends next.
      const marker = 0x5eed_5eedn;
      const movedView = moved !== undefined && moved.byteLength >= offset + 8 ? new DataView(moved) : undefined;
      movedView?.setBigUint64(offset, marker, true);
      for (let i = 0; i < 4; i++) {
        const next = publisher.loanUninit().unwrap();
        const seen = next.payload;
        next.release();
        ensure(seen !== marker, "a buffer transferred out of a sample still reaches shared memory after send()");
      }
      const error = refusal("reading a sample after send()", () => sample.payload);
      return {
        error,
        followUp: () => {
          sendAndReceive(publisher, subscriber, 47n);
          // Reading the moved buffer after its publisher is gone must not fault.
          publisher.close();
          movedView?.getBigUint64(offset, true);
        },
      };
    },
  },
];

// --- iceoryx2's containers, enums and 128-bit integers ---------------------------------------

/** A publish-subscribe service of a struct with a StaticString, a StaticVec, an enum and a u128. */
function messagePubSub(ctx: MisuseContext) {
  const { staticString, staticVec, enumOf, fixedSizeQueue, struct, u8, u32, u128 } = ctx.iox2;
  const Message = struct("MisuseMessage", {
    label: staticString(8),
    values: staticVec(u32, 4),
    status: enumOf("MisuseStatus", u8, { Idle: 0, Running: 1 }),
    id: u128,
    recent: fixedSizeQueue(u8, 2),
  });
  const node = ctx.node();
  const service = node.serviceBuilder(ctx.serviceName("message")).publishSubscribe(Message).create().unwrap();
  const publisher = service.publisherBuilder().create().unwrap();
  const subscriber = service.subscriberBuilder().create().unwrap();
  const valid = { label: "pump-7", values: [1, 2], status: "Running" as const, id: 1n << 100n, recent: [7] };
  const recentOffset = Message.fields.find((field) => field.name === "recent")!.offset;
  return { node, publisher, subscriber, valid, recentOffset };
}

type MessagePayload = ReturnType<ReturnType<ReturnType<typeof messagePubSub>["publisher"]["loan"]>["unwrap"]>["payload"];

/** Sends `valid` and receives it intact: the follow-up of every message case. */
function sendAndReceiveMessage(fixture: ReturnType<typeof messagePubSub>): void {
  fixture.publisher.sendCopy(fixture.valid).unwrap();
  const received = fixture.subscriber.receive().unwrap();
  ensure(received !== null && show(received.payload.$toPlain()) === show(fixture.valid), `received ${show(received?.payload.$toPlain())}`);
  received.release();
}

/** A refused write into a loaned message holding valid values; nothing changes, and the follow-up sends it intact. */
function refusedMessageWrite(ctx: MisuseContext, what: string, write: (payload: MessagePayload) => void): MisuseOutcome {
  const fixture = messagePubSub(ctx);
  const sample = fixture.publisher.loan().unwrap();
  sample.payload = fixture.valid;
  const error = refusal(what, () => write(sample.payload));
  const after = sample.payload.$toPlain();
  ensure(show(after) === show(fixture.valid), `the refused write changed the payload to ${show(after)}`);
  return {
    error,
    followUp: () => {
      sample.release();
      sendAndReceiveMessage(fixture);
    },
  };
}

/**
 * A peer's invalid bytes: the sender writes them through a second view of the sample's payload
 * bytes (as a buggy Rust or C++ peer's memory would hold them); the receiver's typed read must
 * report them, never crash or read past the value, and the next valid message arrives intact.
 */
function invalidFromPeer(
  ctx: MisuseContext,
  what: string,
  corrupt: (bytes: DataView, fixture: ReturnType<typeof messagePubSub>) => void,
  read: (payload: MessagePayload) => unknown,
): MisuseOutcome {
  const fixture = messagePubSub(ctx);
  const sample = fixture.publisher.loan().unwrap();
  sample.payload = fixture.valid;
  const raw = sample.payloadBytes;
  corrupt(new DataView(raw.buffer, raw.byteOffset, raw.byteLength), fixture);
  sample.send().unwrap();
  const received = fixture.subscriber.receive().unwrap();
  ensure(received !== null, "the corrupted message did not arrive");
  const error = refusal(what, () => read(received.payload));
  received.release();
  return { error, followUp: () => sendAndReceiveMessage(fixture) };
}

const messageTypes: MisuseCase[] = [
  {
    name: "static-string-too-long",
    kind: "InvalidArgument",
    run: (ctx) =>
      refusedMessageWrite(ctx, "9 characters into a StaticString<8>", (payload) => {
        payload.label = "123456789";
      }),
  },
  {
    name: "static-string-not-ascii",
    kind: "InvalidArgument",
    run: (ctx) =>
      refusedMessageWrite(ctx, "an emoji and a lone surrogate into a StaticString (ASCII only)", (payload) => {
        payload.label = "\u{1F600}\ud800";
      }),
  },
  {
    name: "static-string-non-string",
    kind: "InvalidArgument",
    run: (ctx) =>
      refusedMessageWrite(ctx, "a number into a StaticString field", (payload) => {
        payload.label = 7 as never;
      }),
  },
  {
    name: "static-vec-over-capacity",
    kind: "InvalidArgument",
    run: (ctx) =>
      refusedMessageWrite(ctx, "5 elements into a StaticVec<u32, 4>", (payload) => {
        payload.values.assign([1, 2, 3, 4, 5]);
      }),
  },
  {
    name: "static-vec-push-when-full",
    kind: "OutOfBounds",
    run: (ctx) =>
      refusedMessageWrite(ctx, "a push onto a full StaticVec", (payload) => {
        payload.values.assign([9, 9, 9, 9]);
        try {
          payload.values.push(5);
        } finally {
          payload.values.assign([1, 2]); // the valid contents again, so only the push is judged
        }
      }),
  },
  {
    name: "enum-unknown-name",
    kind: "InvalidArgument",
    run: (ctx) =>
      refusedMessageWrite(ctx, 'the name "Stopped" into an enum without it', (payload) => {
        payload.status = "Stopped" as never;
      }),
  },
  {
    name: "u128-out-of-range",
    kind: "InvalidArgument",
    run: (ctx) =>
      refusedMessageWrite(ctx, "2^128 into a u128 field", (payload) => {
        payload.id = 1n << 128n;
      }),
  },
  {
    name: "peer-string-length-beyond-capacity",
    kind: "InvalidPayload",
    run: (ctx) =>
      invalidFromPeer(
        ctx,
        "reading a StaticString whose length field says 2^64-1",
        (bytes) => bytes.setBigUint64(16, 0xffff_ffff_ffff_ffffn, true),
        (payload) => payload.label,
      ),
  },
  {
    name: "peer-string-invalid-bytes",
    kind: "InvalidPayload",
    run: (ctx) =>
      invalidFromPeer(
        ctx,
        "reading a StaticString holding the bytes of invalid UTF-8",
        (bytes) => {
          bytes.setUint8(0, 0xff);
          bytes.setUint8(1, 0xfe);
        },
        (payload) => payload.label,
      ),
  },
  {
    name: "peer-vec-length-beyond-capacity",
    kind: "InvalidPayload",
    run: (ctx) =>
      invalidFromPeer(
        ctx,
        "iterating a StaticVec whose length field says 1000",
        (bytes) => bytes.setBigUint64(40, 1000n, true),
        (payload) => [...payload.values],
      ),
  },
  {
    name: "peer-queue-invalid-state",
    kind: "InvalidPayload",
    run: (ctx) =>
      invalidFromPeer(
        ctx,
        "iterating a FixedSizeQueue whose capacity field says 1000",
        (bytes, { recentOffset }) => bytes.setBigUint64(recentOffset + 24, 1000n, true),
        (payload) => [...payload.recent],
      ),
  },
  {
    name: "queue-push-when-full",
    kind: "OutOfBounds",
    run: (ctx) =>
      refusedMessageWrite(ctx, "a push onto a full FixedSizeQueue", (payload) => {
        payload.recent.assign([1, 2]);
        try {
          payload.recent.push(3);
        } finally {
          payload.recent.assign([7]); // the valid contents again, so only the push is judged
        }
      }),
  },
  {
    name: "peer-enum-unknown-value",
    kind: "InvalidPayload",
    run: (ctx) =>
      invalidFromPeer(
        ctx,
        "reading an enum holding 200",
        (bytes) => bytes.setUint8(48, 200),
        (payload) => payload.status,
      ),
  },
];

/**
 * A flatbuffer publish-subscribe service under a schema directory of the case's own (iceoryx2
 * stores a schema's bytes; it does not parse them), with a publisher that starts at 64 bytes.
 */
function flatbufferPubSub(ctx: MisuseContext) {
  // Cases run side by side under one prefix: a directory of the case's own.
  const schemas = `/tmp/${ctx.prefix}${ctx.serviceName("schemas").replace(/\W/g, "_")}`;
  mkdirSync(`${schemas}/v2`, { recursive: true });
  writeFileSync(`${schemas}/Reading.bfbs`, "binary schema of Reading");
  writeFileSync(`${schemas}/v2/Reading.bfbs`, "binary schema of Reading, version 2");
  writeFileSync(`${schemas}/Reading.fbs`, "table Reading { value: int; }");
  const node = new ctx.iox2.NodeBuilder().config({ prefix: ctx.prefix, builtInDefaults: true, flatbufferSchemaPath: schemas }).create().unwrap();
  const name = ctx.serviceName("flatbuffer");
  const type = ctx.iox2.flatbuffer("Reading");
  const service = node.serviceBuilder(name).publishSubscribe(type).create().unwrap();
  const publisher = service.publisherBuilder().initialReservedMemory(64).create().unwrap();
  const subscriber = service.subscriberBuilder().create().unwrap();
  return {
    node,
    name,
    type,
    publisher,
    /** The follow-up of every flatbuffer case: a valid flatbuffer arrives intact. */
    sendAndReceive() {
      const bytes = Uint8Array.from({ length: 48 }, (_, i) => i);
      publisher.sendCopy(bytes).unwrap();
      const received = subscriber.receive().unwrap();
      ensure(received !== null && show([...received.payload]) === show([...bytes]), `received ${show(received && [...received.payload])}`);
      received.release();
      node.close();
      rmSync(schemas, { recursive: true, force: true });
    },
  };
}

function refusedFlatbuffer(ctx: MisuseContext, what: string, misuse: (fixture: ReturnType<typeof flatbufferPubSub>) => unknown): MisuseOutcome {
  const fixture = flatbufferPubSub(ctx);
  return { error: refusal(what, () => misuse(fixture)), followUp: () => fixture.sendAndReceive() };
}

const flatbuffers: MisuseCase[] = [
  {
    name: "flatbuffer-unfinished-builder",
    kind: "InvalidArgument",
    run: (ctx) =>
      refusedFlatbuffer(ctx, "a flatbuffers Builder before finish()", ({ publisher }) =>
        publisher.sendCopy({ finished: false, asUint8Array: () => new Uint8Array(16) } as never),
      ),
  },
  {
    name: "flatbuffer-not-bytes",
    kind: "InvalidArgument",
    run: (ctx) => refusedFlatbuffer(ctx, "a number as a flatbuffer", ({ publisher }) => publisher.sendCopy(42 as never)),
  },
  {
    name: "flatbuffer-too-short",
    kind: "InvalidArgument",
    run: (ctx) => refusedFlatbuffer(ctx, "a 3-byte flatbuffer", ({ publisher }) => publisher.sendCopy(new Uint8Array(3))),
  },
  {
    name: "flatbuffer-loan",
    kind: "InvalidArgument",
    run: (ctx) => refusedFlatbuffer(ctx, "a loan on a flatbuffer publisher", ({ publisher }) => publisher.loan()),
  },
  {
    name: "flatbuffer-beyond-static-memory",
    kind: "OutOfMemory",
    run: (ctx) =>
      refusedFlatbuffer(ctx, "a 1000-byte flatbuffer into 64 bytes under the static strategy", ({ publisher }) =>
        publisher.sendCopy(new Uint8Array(1000)),
      ),
  },
  {
    name: "flatbuffer-schema-mismatch",
    kind: "IncompatibleTypes",
    run: (ctx) =>
      refusedFlatbuffer(ctx, "opening with another schema", ({ node, name, type }) =>
        node.serviceBuilder(name).publishSubscribe(type).flatbufferSchemaPath("v2/Reading.bfbs").open(),
      ),
  },
  {
    name: "flatbuffer-schema-source-file",
    kind: "InvalidArgument",
    run: (ctx) =>
      refusedFlatbuffer(ctx, "a .fbs source as the schema", ({ node, type }) =>
        node.serviceBuilder(ctx.serviceName("source")).publishSubscribe(type).flatbufferSchemaPath("Reading.fbs").create(),
      ),
  },
  {
    name: "flatbuffer-schema-missing",
    kind: "TypeDefinitionUnavailable",
    run: (ctx) =>
      refusedFlatbuffer(ctx, "a root type without a schema file", ({ node }) =>
        node.serviceBuilder(ctx.serviceName("unknown")).publishSubscribe(ctx.iox2.flatbuffer("Unknown")).create(),
      ),
  },
];

export const MISUSE_CASES: readonly MisuseCase[] = [
  ...lifecycle,
  ...parentsClosedFirst,
  ...limits,
  ...hugeCounts,
  ...slices,
  ...payloadKinds,
  ...messageTypes,
  ...flatbuffers,
  ...names,
  ...waiting,
  ...requestResponseMisuse,
  ...blackboardMisuse,
  ...attributes,
  ...config,
  ...workers,
];
