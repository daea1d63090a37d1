/**
 * What every upstream-mirroring example shares: its command line, its cycle, and the end of its
 * loop. Upstream's examples loop until SIGINT or SIGTERM (`node.wait` fails), then print `exit`
 * and return 0; these do the same. Two options bound them for tests:
 *
 *   <example> [--count N] [--cycle-ms MS] [--<option> VALUE]...
 *
 * `--count` ends the loop after N cycles (default: never), `--cycle-ms` shortens the cycle; any
 * other `--name value` is one of the example's own options (repeatable where it takes a list).
 */
import process from "node:process";
import type { ConfigOptions, Node } from "@iceoryx2-js/node";
import { iox2 } from "./adapter.js";

export interface ExampleOptions {
  /** Cycles before the example exits on its own; Infinity by default. */
  count: number;
  cycleMs: number;
  /** The example's own `--name value` options, each value in order of appearance. */
  named: Record<string, string[]>;
}

/** Parses the command line; `cycleMs` is the example's default cycle (upstream's). */
export function exampleOptions(defaults: { cycleMs?: number; names?: readonly string[] } = {}, argv = process.argv.slice(2)): ExampleOptions {
  const options: ExampleOptions = { count: Infinity, cycleMs: defaults.cycleMs ?? 1000, named: {} };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, text] = [argv[i]!, argv[i + 1]];
    const value = Number(text);
    const name = flag.replace(/^--/, "").replace(/-(\w)/g, (_, c: string) => c.toUpperCase());
    if (flag === "--count" && Number.isInteger(value) && value >= 0) options.count = value;
    else if (flag === "--cycle-ms" && value > 0) options.cycleMs = value;
    else if (flag.startsWith("--") && text !== undefined && defaults.names?.includes(name)) (options.named[name] ??= []).push(text);
    else {
      const names = (defaults.names ?? []).map((n) => ` [--${n.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} VALUE]`).join("");
      throw new Error(`usage: [--count N] [--cycle-ms MS]${names}, got '${argv.slice(i, i + 2).join(" ")}'`);
    }
  }
  return options;
}

/**
 * The node every example runs on: upstream's config lookup (config files included). Like an
 * upstream node, it takes SIGINT and SIGTERM over from its creation on, so a signal that comes
 * before the loop starts ends the loop too, instead of killing the process.
 */
export function exampleNode(config: ConfigOptions = {}, name?: string): Node {
  iox2.terminationSignal().unwrap();
  const builder = new iox2.NodeBuilder().config(config);
  return (name === undefined ? builder : builder.name(name)).create().unwrap();
}

/**
 * Upstream's `while node.wait(CYCLE_TIME).is_ok() { counter += 1; ... }`: yields 1, 2, ... once
 * per cycle until a termination request arrives (or `count` cycles passed).
 */
export async function* cycles(node: Node, { count, cycleMs }: ExampleOptions): AsyncGenerator<number, void, undefined> {
  for (let counter = 1; counter <= count; counter++) {
    if ((await node.wait(cycleMs)).isErr()) return;
    yield counter;
  }
}

/**
 * An AbortSignal that aborts on SIGINT or SIGTERM, or after `count` steps counted with the
 * returned `step()`: for the examples whose loops are `for await` or a WaitSet.
 */
export function untilTerminated({ count }: ExampleOptions): { signal: AbortSignal; step(): void } {
  const controller = new AbortController();
  const terminated = iox2.terminationSignal().unwrap();
  const abort = () => controller.abort();
  if (terminated.aborted || count <= 0) abort();
  else terminated.addEventListener("abort", abort, { once: true });
  let steps = 0;
  return {
    signal: controller.signal,
    step: () => {
      if (++steps >= count) abort();
    },
  };
}
