/**
 * One process of the leftovers suite (test/leftovers.test.ts), on Node, Deno or Bun.
 *
 *   leftovers-peer hold <prefix>
 *     creates a node, a publish-subscribe service, a publisher and a subscriber (so a
 *     connection) under `prefix`, prints `ready`, and waits for the end of stdin (the test kills
 *     it with SIGKILL meanwhile: a dead node with a service and ports).
 *   leftovers-peer probe <prefix> <case> [config file]
 *     runs the calls `case` names under `prefix` and prints one line per call:
 *     `result <call> <JSON {ok, kind?, message?}>`, then `done`. A call iceoryx2 would wait on
 *     forever never prints; the test bounds the process. `service-open` and `ports` create
 *     their node first and print `node ready`, then take one step per line on stdin.
 *     `service-open`: opens the service and opens or creates another one, then closes the node
 *     (closing cleans up dead nodes, minus those it would wait on). `ports`: opens the service,
 *     then creates a publisher and a subscriber, then closes the node.
 */
import process from "node:process";
import { createInterface } from "node:readline";
import { iox2 } from "@iceoryx2-js/runtimes/adapter";
import { LEFTOVERS_SERVICE, OTHER_SERVICE, type CallResult } from "./leftovers-cases.js";

const { Node, NodeBuilder, Service, u64 } = iox2;

const [mode, prefix, scenario, file] = process.argv.slice(2);
if (prefix === undefined || (mode !== "hold" && mode !== "probe")) {
  process.stderr.write("usage: leftovers-peer hold <prefix> | probe <prefix> <case> [config file]\n");
  process.exit(2);
}

function print(call: string, result: { isOk(): boolean; error?: { kind: string; message: string } }): void {
  const line: CallResult = result.isOk() ? { ok: true } : { ok: false, kind: result.error!.kind, message: result.error!.message };
  process.stdout.write(`result ${call} ${JSON.stringify(line)}\n`);
}

if (mode === "hold") {
  const node = new NodeBuilder().config({ prefix }).create().unwrap();
  const service = node.serviceBuilder(LEFTOVERS_SERVICE).publishSubscribe(u64).create().unwrap();
  service.publisherBuilder().create().unwrap();
  service.subscriberBuilder().create().unwrap();
  process.stdout.write("ready\n");
  process.stdin.on("data", () => {}).on("end", () => process.exit(0));
} else {
  const config = { prefix };
  switch (scenario) {
    case "node": {
      const node = new NodeBuilder().config(config).create();
      print("node.create", node);
      if (node.isOk()) node.value.close();
      break;
    }
    case "dead-node": {
      // A node first: service opening cleans up dead nodes as well. Its creation is a call
      // under test too; when it is refused, there is nothing to open services with.
      print("Node.cleanupDeadNodes", Node.cleanupDeadNodes(config));
      print("Service.list", Service.list(config));
      print("Service.details", Service.details(LEFTOVERS_SERVICE, "publishSubscribe", config));
      const node = new NodeBuilder().config(config).create();
      print("node.create", node);
      break;
    }
    case "service-open": {
      // The node is made before the leftover, which would refuse its creation.
      const node = new NodeBuilder().config(config).create().unwrap();
      process.stdout.write("node ready\n");
      const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
      await lines.next();
      print("service.open", node.serviceBuilder(LEFTOVERS_SERVICE).publishSubscribe(u64).open());
      print("other.openOrCreate", node.serviceBuilder(OTHER_SERVICE).publishSubscribe(u64).openOrCreate());
      await lines.next();
      node.close();
      print("node.close", { isOk: () => true });
      break;
    }
    case "ports": {
      // The service is opened while its creator lives (opening cleans up dead nodes), its ports
      // are made once the creator is dead and its connection empty.
      const node = new NodeBuilder().config(config).create().unwrap();
      process.stdout.write("node ready\n");
      const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
      await lines.next();
      const service = node.serviceBuilder(LEFTOVERS_SERVICE).publishSubscribe(u64).open();
      print("service.open", service);
      await lines.next();
      if (service.isOk()) {
        print("publisher.create", service.value.publisherBuilder().create());
        print("subscriber.create", service.value.subscriberBuilder().create());
      }
      await lines.next();
      node.close();
      print("node.close", { isOk: () => true });
      break;
    }
    case "config-file": {
      print("node.create", new NodeBuilder().config({ ...config, file }).create());
      break;
    }
    default:
      process.stderr.write(`unknown case ${scenario}\n`);
      process.exit(2);
  }
  process.stdout.write("done\n");
  process.exit(0);
}
