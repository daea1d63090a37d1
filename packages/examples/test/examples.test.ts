import { readdirSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { ChildRun, runtimeCommand, type Runtime } from "@iceoryx2-js/process-harness";
import { afterAll, describe, expect, it } from "vitest";

/** Each upstream-mirroring example pair, run bounded (--count) across runtimes in its own domain. */
const prefix = `iox2js_examples_${process.pid}_`;
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** One example process, in this file's domain; waits are bounded by the harness. */
function run(runtime: Runtime, example: string, args: string[]) {
  const [command, runtimeArgs] = runtimeCommand(runtime, here(`../dist/${example}.js`));
  const child = new ChildRun(`${runtime} ${example}`, [command, [...runtimeArgs, ...args]], {
    env: { IOX2JS_EXAMPLE_PREFIX: prefix },
  });
  return {
    lines: child.lines,
    describe: () => child.describe(),
    exit: child.exitCode(60_000),
    printed: (pattern: RegExp) => child.line(pattern, 60_000).then(() => undefined),
  };
}

/** Starts the receiver, waits for its ready line, runs the sender; both must exit 0. */
async function pair(receiver: [Runtime, string, string[]], ready: RegExp, sender: [Runtime, string, string[]]) {
  const received = run(...receiver);
  await received.printed(ready);
  const sent = run(...sender);
  expect(await sent.exit, sent.describe()).toBe(0);
  expect(await received.exit, received.describe()).toBe(0);
  return { sent: sent.lines, received: received.lines };
}

const bounded = ["--count", "3", "--cycle-ms", "30"];

afterAll(() => {
  for (const file of readdirSync("/dev/shm").filter((f) => f.startsWith(prefix))) rmSync(`/dev/shm/${file}`);
});

describe("upstream's examples, mirrored", () => {
  it("publish-subscribe: a Deno publisher and a Bun subscriber print upstream's lines", async () => {
    const { sent, received } = await pair(
      ["bun", "publish-subscribe/upstream-subscriber", bounded],
      /Subscriber ready to receive data!/,
      ["deno", "publish-subscribe/upstream-publisher", bounded],
    );
    expect(sent).toEqual(["Send sample 1 ...", "Send sample 2 ...", "Send sample 3 ...", "exit"]);
    expect(received).toContain("received: TransmissionData { x: 1, y: 3, funky: 812.12 }");
    expect(received).toContain("received: TransmissionData { x: 3, y: 9, funky: 2436.36 }");
  });

  it("publish-subscribe with a user header: Node to Node", async () => {
    const { received } = await pair(
      ["node", "publish-subscribe-user-header/subscriber", bounded],
      /Subscriber ready/,
      ["node", "publish-subscribe-user-header/publisher", bounded],
    );
    expect(received).toContain("received: 2, user_header: CustomHeader { version: 123, timestamp: 80339 }");
  });

  it("event: a Node notifier wakes an awaiting Deno listener", async () => {
    const { received } = await pair(
      ["deno", "event/listener", ["--count", "3"]],
      /Listener ready to receive events!/,
      ["node", "event/notifier", bounded],
    );
    expect(received).toContain("event was triggered with id: EventId { value: 1 } 1 times");
    expect(received).toContain("event was triggered with id: EventId { value: 3 } 1 times");
  });

  it("event multiplexing: a Bun WaitSet tells two Node notifiers apart", async () => {
    const waiter = run("bun", "event-multiplexing/wait", ["fuu", "bar", "--count", "4"]);
    await waiter.printed(/Waiting on the following services/);
    const fuu = run("node", "event-multiplexing/notifier", ["fuu", "12", ...["--count", "2", "--cycle-ms", "30"]]);
    const bar = run("node", "event-multiplexing/notifier", ["bar", "7", ...["--count", "2", "--cycle-ms", "30"]]);
    expect([await fuu.exit, await bar.exit, await waiter.exit], [fuu, bar, waiter].map((p) => p.describe()).join("\n")).toEqual([0, 0, 0]);
    expect(waiter.lines).toContain('Received trigger from "fuu"');
    expect(waiter.lines).toContain('Received trigger from "bar"');
    expect(waiter.lines).toContain("EventId { value: 12 }");
    expect(waiter.lines).toContain("EventId { value: 7 }");
  });

  it("event-based communication: samples() wakes a Node subscriber on each Bun send", async () => {
    const { received } = await pair(
      ["node", "event-based-communication/subscriber", ["--count", "3"]],
      /Subscriber ready/,
      ["bun", "event-based-communication/publisher", bounded],
    );
    expect(received.filter((l) => l.startsWith("received: "))).toEqual([
      "received: TransmissionData { x: 1, y: 3, funky: 812.12 }",
      "received: TransmissionData { x: 2, y: 6, funky: 1624.24 }",
      "received: TransmissionData { x: 3, y: 9, funky: 2436.36 }",
    ]);
  });

  it("request-response: a Bun client awaits each response stream from an awaiting Deno server", async () => {
    const { sent: client, received: server } = await pair(
      ["deno", "request-response/server", ["--count", "3"]],
      /Server ready to receive requests!/,
      ["bun", "request-response/client", bounded],
    );
    expect(server).toContain("received request: 1");
    expect(client).toEqual([
      "send request 0 ...",
      "received response 0: TransmissionData { x: 5, y: 0, funky: 7.77 }",
      "send request 1 ...",
      "received response 1: TransmissionData { x: 6, y: 6, funky: 7.77 }",
      "received response 2: TransmissionData { x: 1, y: 1, funky: 0.1234 }",
      "send request 2 ...",
      "received response 3: TransmissionData { x: 7, y: 12, funky: 7.77 }",
      "exit",
    ]);
  });

  it("blackboard: a Node opener reads what a Bun creator writes", async () => {
    const creator = run("bun", "blackboard/creator", ["--count", "3", "--cycle-ms", "40"]);
    await creator.printed(/Blackboard created\./);
    const opener = run("node", "blackboard/opener", ["--count", "3", "--cycle-ms", "40"]);
    expect([await opener.exit, await creator.exit], `${opener.describe()}\n${creator.describe()}`).toEqual([0, 0]);
    expect(creator.lines).toContain("Write new value for key 0: 2");
    expect(opener.lines).toContain("read values:");
    const values0 = opener.lines.filter((l) => l.startsWith("key: 0, value: ")).map((l) => Number(l.slice(15)));
    expect(values0.length).toBe(3);
    expect(values0.every((v) => v >= 0 && v <= 3)).toBe(true);
  });
});
