/**
 * One process of the exit-release suite (test/exit-release.test.ts), on Node, Deno or Bun: it
 * creates a node, a publish-subscribe service, a publisher and a subscriber holding a sample
 * under `prefix`, prints `ready <node id>`, and ends as `ending` says without closing any of them.
 *
 *   exit-peer <prefix> <ending>
 *
 * `end`: the program runs out of work; `exit`: `process.exit(3)`; `throw`: an uncaught exception;
 * `hold`: waits for the end of stdin (the test kills it with SIGKILL meanwhile, to show that its
 * checks find what a dead node leaves).
 */
import process from "node:process";
import { iox2 } from "@iceoryx2-js/runtimes/adapter";

const { NodeBuilder, u32 } = iox2;

const ENDINGS = ["end", "exit", "throw", "hold"] as const;

const [prefix, ending] = process.argv.slice(2);
if (prefix === undefined || !(ENDINGS as readonly string[]).includes(ending ?? "")) {
  process.stderr.write(`usage: exit-peer <prefix> <${ENDINGS.join("|")}>\n`);
  process.exit(2);
}

const node = new NodeBuilder().config({ prefix }).create().unwrap();
const service = node.serviceBuilder("exit/release").publishSubscribe(u32).create().unwrap();
const publisher = service.publisherBuilder().create().unwrap();
const subscriber = service.subscriberBuilder().create().unwrap();
publisher.sendCopy(7).unwrap();
const held = subscriber.receive().unwrap();
if (held?.payload !== 7) throw new Error(`expected to hold sample 7, got ${String(held?.payload)}`);
process.stdout.write(`ready ${node.id}\n`);

if (ending === "exit") process.exit(3);
if (ending === "throw") throw new Error("uncaught on purpose, with the node open");
if (ending === "hold") process.stdin.on("data", () => {}).on("end", () => process.exit(0));
