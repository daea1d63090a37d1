/**
 * The IPC a Node user would otherwise pick, measured with the same ping-pong as iceoryx2 (see
 * protocol.ts), Node only:
 *
 *   alternatives.js ping --mechanism <uds|zeromq|ipc|worker|worker-transfer>
 *   alternatives.js pong --mechanism <uds|zeromq>
 *
 * - uds: `net` Unix domain socket stream; pong listens on the case's `service` path.
 * - zeromq: `zeromq` Request/Reply over `ipc://<service>`.
 * - ipc: `child_process.fork` IPC channel with `serialization: "advanced"` (structured clone;
 *   the default JSON would turn bytes into arrays of numbers); the child echoes each message.
 * - worker / worker-transfer: `worker_threads` `postMessage` of a Uint8Array (cloned) or of an
 *   ArrayBuffer in the transfer list (moved there and back); the worker echoes each message.
 *
 * Stream receivers count a message's bytes and read its header without assembling the message,
 * which flatters the sockets slightly.
 */
import { fork, type ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";
import net from "node:net";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { isMainThread, parentPort, Worker } from "node:worker_threads";
import { serve, die, type CaseRun } from "./conversation.js";
import { STOP, measureRoundsAsync, readHeader, writeHeader, type Case } from "./protocol.js";

type Mechanism = "uds" | "zeromq" | "ipc" | "worker" | "worker-transfer";
const MECHANISMS: readonly Mechanism[] = ["uds", "zeromq", "ipc", "worker", "worker-transfer"];

/** Answers (sequence numbers) as they arrive, handed to whoever awaits the next one. */
class Replies {
  readonly #values: number[] = [];
  readonly #waiting: { resolve: (sequence: number) => void; reject: (error: Error) => void }[] = [];
  #failure: Error | undefined;

  push(sequence: number): void {
    const waiter = this.#waiting.shift();
    if (waiter !== undefined) waiter.resolve(sequence);
    else this.#values.push(sequence);
  }

  fail(error: Error): void {
    this.#failure ??= error;
    for (const waiter of this.#waiting.splice(0)) waiter.reject(error);
  }

  next(): Promise<number> {
    const value = this.#values.shift();
    if (value !== undefined) return Promise.resolve(value);
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    return new Promise((resolve, reject) => this.#waiting.push({ resolve, reject }));
  }
}

/**
 * Splits a byte stream into messages of `size` bytes and reports each one's header. Messages
 * never overlap (ping-pong), so bytes past one message's end are a protocol error.
 */
function framer(size: number, onMessage: (sequence: number) => void): (chunk: Buffer) => void {
  let received = 0;
  const header = new Uint8Array(4);
  return (chunk) => {
    for (let i = 0; received < 4 && i < chunk.length; i++) header[received + i] = chunk[i]!;
    received += chunk.length;
    if (received > size) throw new Error(`a message was ${received} bytes, expected ${size}`);
    if (received === size) {
      received = 0;
      onMessage(readHeader(header));
    }
  };
}

interface PingChannel {
  send(sequence: number): void;
  readonly replies: Replies;
  close(): void;
}

async function udsPing(c: Case): Promise<PingChannel> {
  const socket = net.createConnection(c.service);
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("error", reject);
  });
  const replies = new Replies();
  const message = Buffer.alloc(c.size);
  const onData = framer(c.size, (sequence) => replies.push(sequence));
  socket.on("data", (chunk) => {
    try {
      onData(chunk);
    } catch (error) {
      replies.fail(error as Error);
    }
  });
  socket.on("error", (error) => replies.fail(error));
  return {
    replies,
    send(sequence) {
      writeHeader(message, sequence);
      socket.write(message);
    },
    close: () => socket.destroy(),
  };
}

function udsPong(c: Case): Promise<CaseRun> {
  const reply = Buffer.alloc(c.size);
  let finish: (() => void) | undefined;
  let fail: ((error: Error) => void) | undefined;
  const finished = new Promise<void>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  const server = net.createServer((socket) => {
    const onData = framer(c.size, (sequence) => {
      writeHeader(reply, sequence);
      socket.write(reply);
      if (sequence === STOP) finish!();
    });
    socket.on("data", (chunk) => {
      try {
        onData(chunk);
      } catch (error) {
        fail!(error as Error);
      }
    });
    socket.on("error", (error) => fail!(error));
  });
  rmSync(c.service, { force: true });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(c.service, () =>
      resolve({
        run: () => finished,
        close: () => {
          server.close();
          rmSync(c.service, { force: true });
        },
      }),
    );
  });
}

type ZeroMq = typeof import("zeromq");

async function zeroMq(): Promise<ZeroMq> {
  return import("zeromq");
}

async function zeroMqPing(c: Case): Promise<PingChannel> {
  const zmq = await zeroMq();
  const socket = new zmq.Request();
  socket.connect(`ipc://${c.service}`);
  const replies = new Replies();
  const message = Buffer.alloc(c.size);
  return {
    replies,
    send(sequence) {
      writeHeader(message, sequence);
      socket
        .send(message)
        .then(() => socket.receive())
        .then(([reply]) => {
          if (reply === undefined || reply.length !== c.size) throw new Error(`a reply of ${reply?.length} bytes, expected ${c.size}`);
          replies.push(readHeader(reply));
        })
        .catch((error: Error) => replies.fail(error));
    },
    close: () => socket.close(),
  };
}

async function zeroMqPong(c: Case): Promise<CaseRun> {
  const zmq = await zeroMq();
  const socket = new zmq.Reply();
  rmSync(c.service, { force: true });
  await socket.bind(`ipc://${c.service}`);
  const reply = Buffer.alloc(c.size);
  return {
    async run() {
      for (;;) {
        const [message] = await socket.receive();
        if (message === undefined || message.length !== c.size) throw new Error(`a message of ${message?.length} bytes, expected ${c.size}`);
        const sequence = readHeader(message);
        writeHeader(reply, sequence);
        await socket.send(reply);
        if (sequence === STOP) return undefined;
      }
    },
    close: () => {
      socket.close();
      rmSync(c.service, { force: true });
    },
  };
}

const here = fileURLToPath(import.meta.url);

/** The forked child and the worker live as long as this process; cases reuse them. */
let child: ChildProcess | undefined;
let worker: Worker | undefined;
const echoed = { replies: new Replies() };

function ipcPing(c: Case): PingChannel {
  if (child === undefined) {
    child = fork(here, ["ipc-echo"], { serialization: "advanced", stdio: ["ignore", "ignore", "inherit", "ipc"] });
    child.on("message", (message) => echoed.replies.push(readHeader(message as Uint8Array)));
    child.on("exit", (code) => echoed.replies.fail(new Error(`the IPC child exited (${code})`)));
  }
  const forked = child;
  const message = new Uint8Array(c.size);
  return {
    replies: echoed.replies,
    send(sequence) {
      writeHeader(message, sequence);
      forked.send(message);
    },
    close() {},
  };
}

function workerPing(c: Case, transfer: boolean): PingChannel {
  if (worker === undefined) {
    worker = new Worker(here);
    worker.unref();
    worker.on("error", (error) => echoed.replies.fail(error));
  }
  const thread = worker;
  // Transferred: one ArrayBuffer that moves to the worker and back each round.
  let buffer: ArrayBuffer | undefined = new ArrayBuffer(c.size);
  const cloned = new Uint8Array(c.size);
  const onMessage = (message: ArrayBuffer | Uint8Array) => {
    if (message instanceof ArrayBuffer) {
      buffer = message;
      echoed.replies.push(readHeader(new Uint8Array(message, 0, 4)));
    } else {
      echoed.replies.push(readHeader(message));
    }
  };
  thread.on("message", onMessage);
  return {
    replies: echoed.replies,
    send(sequence) {
      if (transfer) {
        const outgoing = buffer;
        if (outgoing === undefined) throw new Error("the buffer is still with the worker");
        writeHeader(new Uint8Array(outgoing, 0, 4), sequence);
        buffer = undefined;
        thread.postMessage(outgoing, [outgoing]);
      } else {
        writeHeader(cloned, sequence);
        thread.postMessage(cloned);
      }
    },
    close: () => void thread.off("message", onMessage),
  };
}

function pingRun(channel: PingChannel, c: Case): CaseRun {
  return {
    run: () =>
      measureRoundsAsync(c, async (sequence) => {
        channel.send(sequence);
        const answer = await channel.replies.next();
        if (answer !== sequence) throw new Error(`sent ${sequence}, got ${answer} back`);
      }),
    close: () => channel.close(),
  };
}

async function main(): Promise<void> {
  const [role, flag, value] = process.argv.slice(2);
  if (role === "ipc-echo") {
    process.on("message", (message) => process.send!(message));
    process.on("disconnect", () => process.exit(0));
    return;
  }
  if (flag !== "--mechanism" || !MECHANISMS.includes(value as Mechanism)) {
    throw new Error(`usage: alternatives.js <ping|pong> --mechanism <${MECHANISMS.join("|")}>`);
  }
  const mechanism = value as Mechanism;
  if (role === "ping") {
    await serve(async (c) => {
      switch (mechanism) {
        case "uds":
          return pingRun(await udsPing(c), c);
        case "zeromq":
          return pingRun(await zeroMqPing(c), c);
        case "ipc":
          return pingRun(ipcPing(c), c);
        case "worker":
        case "worker-transfer":
          return pingRun(workerPing(c, mechanism === "worker-transfer"), c);
      }
    });
    child?.disconnect();
    await worker?.terminate();
    return;
  }
  if (role === "pong" && (mechanism === "uds" || mechanism === "zeromq")) {
    await serve((c) => (mechanism === "uds" ? udsPong(c) : zeroMqPong(c)));
    return;
  }
  throw new Error(`no '${role}' role for ${mechanism}`);
}

if (isMainThread) {
  main().catch((error) => die(error));
} else {
  // The echoing end of `worker` and `worker-transfer`: an ArrayBuffer goes back in the transfer list.
  parentPort!.on("message", (message: ArrayBuffer | Uint8Array) =>
    message instanceof ArrayBuffer ? parentPort!.postMessage(message, [message]) : parentPort!.postMessage(message),
  );
}
