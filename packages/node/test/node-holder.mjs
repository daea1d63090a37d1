// Child process for dead-node tests (harness.spawnNode): creates a node under the config given
// as JSON in argv, says "ready", and waits to be killed. Runs on the built package (dist).
import { NodeBuilder } from "../dist/index.js";

const [config, name] = [JSON.parse(process.argv[2]), process.argv[3]];
const node = new NodeBuilder().name(name).config(config).create().unwrap();
process.stdout.write("ready\n");
// Bounded, so an orphan never lingers; the parent kills it long before.
setTimeout(() => node.close(), 60_000);
