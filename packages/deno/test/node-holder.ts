// Child process for dead-node tests (harness.spawnNode): creates a node under the config given
// as JSON in the arguments (and a subscriber of the service named next, if any), says "ready", and waits to be killed.
import { NodeBuilder, u64 } from "../src/mod.ts";

const [config, name, service] = [JSON.parse(Deno.args[0]!), Deno.args[1]!, Deno.args[2]];
const node = new NodeBuilder().name(name).config(config).create().unwrap();
// With a service name: a port in it, so that the service lists this node.
const port = service === undefined ? undefined : node.serviceBuilder(service).publishSubscribe(u64).openOrCreate().unwrap().subscriberBuilder().create().unwrap();
await Deno.stdout.write(new TextEncoder().encode("ready\n"));
// Bounded, so an orphan never lingers; the parent kills it long before.
setTimeout(() => (port?.close(), node.close()), 60_000);
