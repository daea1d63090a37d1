/**
 * What the logging test runs on each runtime: prints iceoryx2's log level as this process sees
 * it, then opens a service that does not exist (iceoryx2 logs why, at debug level) and exits.
 *
 *   log-probe --prefix <prefix>
 */
import process from "node:process";
import { iox2 } from "@iceoryx2-js/runtimes/adapter";

const prefix = process.argv[process.argv.indexOf("--prefix") + 1]!;
console.log(`level ${iox2.logLevel()}`);
const node = new iox2.NodeBuilder().config({ prefix }).create().unwrap();
const opened = node.serviceBuilder("Log/Probe").publishSubscribe(iox2.u64).open();
console.log(`open ${opened.isErr() ? opened.error.kind : "ok"}`);
node.close();
