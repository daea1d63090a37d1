// Child process for dead-node tests (harness.spawnNode): creates a node under the config given
// as JSON in the arguments, says "ready", and waits to be killed.
import { NodeBuilder } from "../src/mod.ts";

const [config, name] = [JSON.parse(Deno.args[0]!), Deno.args[1]!];
const node = new NodeBuilder().name(name).config(config).create().unwrap();
await Deno.stdout.write(new TextEncoder().encode("ready\n"));
// Bounded, so an orphan never lingers; the parent kills it long before.
setTimeout(() => node.close(), 60_000);
