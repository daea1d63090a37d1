/**
 * The options every upstream-mirroring example takes. Upstream's examples loop forever at a
 * 1 s cycle; `--count` bounds the loop (tests and CI) and `--cycle-ms` shortens the cycle.
 *
 *   <example> [--count N] [--cycle-ms MS]
 */
import process from "node:process";

export interface ExampleOptions {
  /** Iterations (sends, or receive cycles) before the example exits; Infinity by default. */
  count: number;
  cycleMs: number;
}

export function exampleOptions(argv = process.argv.slice(2)): ExampleOptions {
  const options: ExampleOptions = { count: Infinity, cycleMs: 1000 };
  for (let i = 0; i < argv.length; i += 2) {
    const value = Number(argv[i + 1]);
    if (argv[i] === "--count" && Number.isInteger(value) && value >= 0) options.count = value;
    else if (argv[i] === "--cycle-ms" && value > 0) options.cycleMs = value;
    else throw new Error(`usage: [--count N] [--cycle-ms MS], got '${argv.slice(i, i + 2).join(" ")}'`);
  }
  return options;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The config every example node uses: iceoryx2's defaults, or an isolated domain when
 * `IOX2JS_EXAMPLE_PREFIX` is set (the examples' tests run them side by side that way).
 */
export function exampleConfig(): { prefix?: string } {
  const prefix = process.env.IOX2JS_EXAMPLE_PREFIX;
  return prefix ? { prefix } : {};
}
