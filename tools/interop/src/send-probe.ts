/**
 * What the backpressure test runs on each runtime: opens a publish-subscribe service of `u64`
 * (created by a peer without safe overflow), sends `--count` samples with backpressure
 * `retryUntilDelivered` and `--timeout-ms` as the send timeout (`infinity`: none), and prints
 * for each send `send <i> <ok|error kind> <ms the call took>`: how long it held this thread.
 * Prints `publisher` once it exists, then waits for the line `go` on stdin (the runner lets the
 * subscriber connect first).
 *
 *   send-probe --prefix <prefix> --service <name> --count <n> --timeout-ms <ms|infinity>
 */
import process from "node:process";
import { iox2 } from "@iceoryx2-js/runtimes/adapter";

const option = (name: string) => process.argv[process.argv.indexOf(`--${name}`) + 1]!;
const timeout = option("timeout-ms") === "infinity" ? Infinity : Number(option("timeout-ms"));
const node = new iox2.NodeBuilder().config({ prefix: option("prefix") }).create().unwrap();
const service = node.serviceBuilder(option("service")).publishSubscribe(iox2.u64).open().unwrap();
const publisher = service.publisherBuilder().backpressure("retryUntilDelivered").sendTimeout(timeout).create().unwrap();
console.log("publisher");
await new Promise<void>((resolve) => {
  let input = "";
  process.stdin.on("data", (chunk) => {
    input += String(chunk);
    if (input.includes("go\n")) {
      process.stdin.destroy(); // nothing more to read; an open stdin would keep the process alive
      resolve();
    }
  });
});
for (let i = 0; i < Number(option("count")); i++) {
  const start = performance.now();
  const sent = publisher.sendCopy(BigInt(i));
  const held = performance.now() - start;
  console.log(`send ${i} ${sent.isOk() ? "ok" : sent.error.kind} ${held.toFixed(1)}`);
}
node.close();
