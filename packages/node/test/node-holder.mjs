// Child process for dead-node tests (harness.spawnNode): creates a node under the config given
// as JSON in argv (and a subscriber of the service named next, if any), says "ready", and waits to be killed. Runs on the built package (dist).
import { NodeBuilder, u64 } from "../dist/index.js";

const [config, name, service] = [JSON.parse(process.argv[2]), process.argv[3], process.argv[4]];
const node = new NodeBuilder().name(name).config(config).create().unwrap();
// With a service name: a port in it, so that the service lists this node.
const port = service === undefined ? undefined : node.serviceBuilder(service).publishSubscribe(u64).openOrCreate().unwrap().subscriberBuilder().create().unwrap();
process.stdout.write("ready\n");
// Bounded, so an orphan never lingers; the parent kills it long before.
setTimeout(() => (port?.close(), node.close()), 60_000);
