/**
 * One process of the crashed-peer suite (test/crash.test.ts), on Node, Deno or Bun: the victim
 * the test kills with SIGKILL, the survivor that outlives it, or a replacement that takes the
 * victim's place afterwards.
 *
 *   crash-peer <side> <prefix> <service>
 *
 * `side` is one end of a scenario's service (see `SIDES` in shared-crash.ts). The test sends
 * commands on stdin, one per line, `<seq> <command> <json args>`, and the peer answers each with
 * `<seq> ok <json>` or `<seq> err <error kind> <message>`. `arm` puts a victim into the state it
 * is killed in and prints `ready` first. At the end of stdin the peer closes its node and exits.
 */
import process from "node:process";
import { createInterface } from "node:readline";
import type { Node, Result } from "@iceoryx2-js/node";
import { iox2 } from "@iceoryx2-js/runtimes/adapter/internal";
import { isSide, parseCommand, replyErr, replyOk, STEP_WAIT_MS, type OpenMode, type Side } from "./shared-crash.js";

const { NodeBuilder, Service, u32 } = iox2;

class CommandFailure extends Error {
  constructor(
    readonly kind: string,
    message: string,
  ) {
    super(message);
  }
}

function unwrap<T>(result: Result<T>, what: string): T {
  if (result.isErr()) throw new CommandFailure(result.error.kind, `${what}: ${result.error.message}`);
  return result.value;
}

const [sideArg, prefix, serviceName] = process.argv.slice(2);
if (!isSide(sideArg) || prefix === undefined || serviceName === undefined) {
  process.stderr.write("usage: crash-peer <side> <prefix> <service>\n");
  process.exit(2);
}
const side: Side = sideArg;
const config = { prefix };

// Small queues with room for the samples a victim or survivor holds at once.
const openPubSub = (node: Node, mode: OpenMode) =>
  unwrap(
    node.serviceBuilder(serviceName).publishSubscribe(u32).subscriberMaxBufferSize(4).subscriberMaxBorrowedSamples(4)[mode](),
    `${mode} publish-subscribe service`,
  );
const openRequestResponse = (node: Node, mode: OpenMode) =>
  unwrap(node.serviceBuilder(serviceName).requestResponse(u32, u32)[mode](), `${mode} request-response service`);
/** Blackboard key 1 holds a u32 that starts at 7. */
const openBlackboard = (node: Node, mode: OpenMode) =>
  mode === "open"
    ? unwrap(node.serviceBuilder(serviceName).blackboardOpener(u32).open(), "open blackboard")
    : unwrap(node.serviceBuilder(serviceName).blackboardCreator(u32).add(1, u32, 7).create(), "create blackboard");
const KEY = 1;

/** The state of this process's side: its node and ports, and what it holds. */
type Ports = ReturnType<typeof openPorts>;

function openPorts(node: Node, mode: OpenMode) {
  switch (side) {
    case "publisher": {
      const publisher = unwrap(openPubSub(node, mode).publisherBuilder().maxLoanedSamples(2).create(), "create publisher");
      return { side, publisher, loans: [] as unknown[] };
    }
    case "subscriber": {
      const subscriber = unwrap(openPubSub(node, mode).subscriberBuilder().create(), "create subscriber");
      type Held = NonNullable<ReturnType<typeof subscriber.receive> extends Result<infer S> ? S : never>;
      return { side, subscriber, held: [] as Held[] };
    }
    case "client": {
      const client = unwrap(openRequestResponse(node, mode).clientBuilder().notifyOnSend().create(), "create client");
      type Pending = ReturnType<typeof client.sendCopy> extends Result<infer P> ? P : never;
      return { side, client, pending: undefined as Pending | undefined };
    }
    case "server": {
      const server = unwrap(openRequestResponse(node, mode).serverBuilder().notifyOnSend().create(), "create server");
      type Active = NonNullable<ReturnType<typeof server.receive> extends Result<infer A> ? A : never>;
      return { side, server, active: undefined as Active | undefined };
    }
    case "writer": {
      const service = openBlackboard(node, mode);
      const writer = unwrap(service.writerBuilder().create(), "create writer");
      const entry = unwrap(writer.entry(KEY, u32), "writer entry");
      return { side, service, entry, loans: [] as unknown[] };
    }
    case "reader": {
      const service = openBlackboard(node, mode);
      const reader = unwrap(service.readerBuilder().create(), "create reader");
      const entry = unwrap(reader.entry(KEY, u32), "reader entry");
      return { side, service, entry };
    }
  }
}

let node: Node | undefined;
let ports: Ports | undefined;

function need<S extends Side>(...sides: S[]): Extract<Ports, { side: S }> {
  if (ports === undefined) throw new CommandFailure("HandleClosed", "no open ports: send 'open' first");
  if (!(sides as Side[]).includes(ports.side)) throw new CommandFailure("InvalidArgument", `not a command of side ${side}`);
  return ports as Extract<Ports, { side: S }>;
}

const timeout = () => AbortSignal.timeout(STEP_WAIT_MS);

/** Each command returns what the test checks; failures throw CommandFailure. */
const commands: Record<string, (args: Record<string, unknown>) => unknown> = {
  /** A node named after the side, the service (`mode`: create, open or openOrCreate) and the side's ports. */
  open({ mode }) {
    node = unwrap(new NodeBuilder().name(side).config(config).create(), "create node");
    ports = openPorts(node, mode as OpenMode);
    return { id: node.id, pid: process.pid };
  },
  /** Closes the node with everything from it; the process stays for further commands. */
  close() {
    node?.close();
    node = ports = undefined;
    return null;
  },
  nodes: () => unwrap(iox2.Node.list(config), "list nodes").map(({ state, id, name, pid }) => ({ state, id, name, pid })),
  cleanup() {
    const report = unwrap(iox2.Node.cleanupDeadNodes(config), "clean up dead nodes");
    return { removed: report.removed.map((n) => n.id), failed: report.failed.map((f) => `${f.node.id}: ${f.reason}`) };
  },
  exists() {
    const pattern = side === "publisher" || side === "subscriber" ? "publishSubscribe" : side === "client" || side === "server" ? "requestResponse" : "blackboard";
    return unwrap(Service.doesExist(serviceName, pattern, config), "service exists");
  },

  /** Publisher: sends each value; returns how many subscribers each reached. */
  send({ values }) {
    const { publisher } = need("publisher");
    return (values as number[]).map((value) => unwrap(publisher.sendCopy(value), `send ${value}`));
  },
  /** Subscriber: receives `count` samples that are already queued and holds them. */
  take({ count }) {
    const state = need("subscriber");
    for (let i = 0; i < (count as number); i++) {
      const sample = unwrap(state.subscriber.receive(), "receive");
      if (sample === null) throw new CommandFailure("InvalidArgument", `only ${i} of ${String(count)} samples were queued`);
      state.held.push(sample);
    }
    return state.held.map((sample) => sample.payload);
  },
  /** Subscriber: the held samples' values, read again, then released. */
  release() {
    const state = need("subscriber");
    const values = state.held.map((sample) => sample.payload);
    for (const sample of state.held) sample.release();
    state.held = [];
    return values;
  },
  /** Subscriber: every queued sample's value (each released at once). */
  drain() {
    const { subscriber } = need("subscriber");
    const values: number[] = [];
    for (let sample = unwrap(subscriber.receive(), "receive"); sample !== null; sample = unwrap(subscriber.receive(), "receive")) {
      values.push(sample.payload);
      sample.release();
    }
    return values;
  },

  /** Client: sends `value` and holds the pending response; returns the servers it reached. */
  request({ value }) {
    const state = need("client");
    state.pending?.close();
    state.pending = unwrap(state.client.sendCopy(value as number), "send request");
    return state.pending.numberOfServerConnections;
  },
  /** Client: the held pending response's queued responses (each released) and whether a server still holds the request. */
  responses() {
    const { pending } = need("client");
    if (pending === undefined) throw new CommandFailure("InvalidArgument", "no pending response");
    const values: number[] = [];
    for (let response = unwrap(pending.receive(), "receive response"); response !== null; response = unwrap(pending.receive(), "receive response")) {
      values.push(response.payload);
      response.release();
    }
    return { values, connected: pending.isConnected };
  },
  /** Client: awaits the rest of the response stream (bounded); returns its values once it ends. */
  async streamEnd() {
    const { pending } = need("client");
    if (pending === undefined) throw new CommandFailure("InvalidArgument", "no pending response");
    const signal = timeout();
    const values: number[] = [];
    for await (const response of pending.responses({ signal })) values.push(response.payload);
    if (signal.aborted) throw new CommandFailure("Aborted", `the response stream did not end within ${STEP_WAIT_MS} ms`);
    return values;
  },

  /** Server: awaits the next request, answers `count` responses (request + 1, + 2, ...), then holds or ends the stream. */
  async serve({ count, hold }) {
    const state = need("server");
    state.active?.close();
    state.active = undefined;
    const signal = timeout();
    for await (const active of state.server.requests({ signal })) {
      const request = active.payload;
      for (let i = 1; i <= (count as number); i++) unwrap(active.sendCopy(request + i), `respond ${request + i}`);
      const connected = active.isConnected;
      if (hold) state.active = active;
      else active.close();
      return { request, connected };
    }
    throw new CommandFailure("Aborted", `no request arrived within ${STEP_WAIT_MS} ms`);
  },
  /** Server: whether the client of the held request still holds its pending response. */
  active() {
    const { active } = need("server");
    if (active === undefined) throw new CommandFailure("InvalidArgument", "no held request");
    return { connected: active.isConnected };
  },
  /** Server: one more response on the held request. */
  respond({ value }) {
    const { active } = need("server");
    if (active === undefined) throw new CommandFailure("InvalidArgument", "no held request");
    unwrap(active.sendCopy(value as number), `respond ${String(value)}`);
    return null;
  },

  /** Writer, or a reader taking over writing: updates key 1 (a reader first creates its own writer). */
  write({ value }) {
    const state = need("writer", "reader");
    if (state.side === "writer") return unwrap(state.entry.update(value as number), "update");
    const writer = unwrap(state.service.writerBuilder().create(), "create writer");
    try {
      return unwrap(unwrap(writer.entry(KEY, u32), "writer entry").update(value as number), "update");
    } finally {
      writer.close();
    }
  },
  /** Reader: key 1's current value. */
  get() {
    const { entry } = need("reader");
    return unwrap(entry.get(), "get").value;
  },

  /** Puts a victim into the state it is killed in, then prints `ready`. */
  async arm() {
    const state = need("publisher", "subscriber", "client", "server", "writer");
    let armed: unknown;
    switch (state.side) {
      case "publisher": {
        // Sent while the subscriber holds them, plus one loan that is never sent.
        armed = commands.send!({ values: [1, 2, 3] });
        const loan = unwrap(state.publisher.loan(), "loan");
        loan.payload = 99;
        state.loans.push(loan);
        break;
      }
      case "subscriber":
        armed = commands.take!({ count: 3 });
        break;
      case "client":
        armed = commands.request!({ value: 10 });
        break;
      case "server":
        // Two responses of a stream that never ends.
        armed = await commands.serve!({ count: 2, hold: true });
        break;
      case "writer": {
        // A value readers see, and a loaned next value they never will.
        unwrap(state.entry.update(8), "update");
        const loan = unwrap(state.entry.loan(), "loan entry value");
        loan.value = 9;
        state.loans.push(loan);
        armed = 8;
        break;
      }
    }
    process.stdout.write("ready\n");
    return armed;
  },
};

async function run(line: string): Promise<void> {
  const parsed = parseCommand(line);
  if (parsed === undefined) return;
  const { seq, command, args } = parsed;
  try {
    const handler = commands[command];
    if (handler === undefined) throw new CommandFailure("InvalidArgument", `unknown command '${command}'`);
    process.stdout.write(replyOk(seq, await handler(args)));
  } catch (error) {
    const kind = error instanceof CommandFailure ? error.kind : "InternalFailure";
    process.stdout.write(replyErr(seq, kind, error instanceof Error ? error.message : String(error)));
  }
}

// One command at a time, in order.
let queue = Promise.resolve();
const lines = createInterface({ input: process.stdin });
lines.on("line", (line) => (queue = queue.then(() => run(line))));
lines.on("close", () => {
  void queue.then(() => {
    node?.close();
    process.exit(0);
  });
});
