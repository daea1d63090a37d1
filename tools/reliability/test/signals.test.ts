/**
 * SIGINT and SIGTERM to a process that awaits iceoryx2 events (`await listener.wait()` or
 * `for await` over `subscriber.samples()`), on every runtime.
 *
 * "Ends cleanly" means, all within SIGNAL_EXIT_MS:
 * 1. it exits the way the runtime exits on that signal: killed by the signal without a handler
 *    of the program's own (also with `closeOnSignals()`, which re-raises it), or with the exit
 *    code the program's own handler chooses;
 * 2. its iceoryx2 node and ports are released: `Node.list` shows no node of it, alive or dead,
 *    and /dev/shm and /tmp/iceoryx2 hold no file of its prefix (but iceoryx2's per-prefix global
 *    management segment). Without `closeOnSignals()` or a handler that closes the node, the
 *    runtime ends the process at once and the node is left dead, as after SIGKILL; the test
 *    checks that a peer's `Node.cleanupDeadNodes` then reclaims everything;
 * 3. iceoryx2 takes no signal from the runtime: the process catches the same signals while it
 *    awaits as before it created its node (but SIGBUS, which the library's shared-memory guard
 *    catches and chains to the runtime's handler), the program's own handler runs, and without one the
 *    signal still ends the process.
 */
import { afterAll, describe, expect, it } from "vitest";
import { iox2 } from "@iceoryx2-js/runtimes/adapter/internal";
import { ChildRun, RUNTIMES, runtimeCommand, type Runtime } from "@iceoryx2-js/runtimes";
import { prefixEntries, removePrefixEntries, script } from "../src/shared-crash-processes.js";

const filePrefix = `iox2js_signals_${process.pid}_`;
let prefixes = 0;
const SIGNAL_EXIT_MS = 5_000;
const SIGNAL_NUMBERS = { SIGINT: 2, SIGTERM: 15 } as const;
type Signal = keyof typeof SIGNAL_NUMBERS;

afterAll(() => removePrefixEntries(filePrefix));

interface Ready {
  pid: number;
  node: string;
  caught: { before: string; during: string };
}

/** A `SigCgt` mask without SIGBUS (signal 7, bit 6). */
const withoutSigbus = (mask: string): string => (mask === "unknown" ? mask : (BigInt(`0x${mask}`) & ~(1n << 6n)).toString(16));

/** Starts a signal peer and waits until it awaits events (or, `natural`, until it is about to end). */
async function start(runtime: Runtime, mode: string, wait: string) {
  const prefix = `${filePrefix}${++prefixes}_`;
  const [file, args] = runtimeCommand(runtime, script("signal-peer"));
  const run = new ChildRun(`signal-peer ${mode} ${wait} on ${runtime}`, [file, [...args, mode, wait, prefix]]);
  const ready = JSON.parse((await run.line(/^ready /)).slice("ready ".length)) as Ready;
  expect(ready.pid).toBe(run.pid);
  // iceoryx2 added no signal handler of its own; the library's only one is its SIGBUS guard
  // for shared memory (which chains to the runtime's).
  expect(withoutSigbus(ready.caught.during)).toBe(withoutSigbus(ready.caught.before));
  if (mode !== "natural") expect(iox2.Node.list({ prefix }).unwrap().map((n) => [n.state, n.pid])).toEqual([["alive", run.pid]]);
  return { run, prefix, ready };
}

/** Sends `signal` and returns the exit code (-1 when the process outlived SIGNAL_EXIT_MS and was killed). */
async function signalAndWait(run: ChildRun, signal: Signal): Promise<number> {
  run.kill(signal);
  return run.exitCode(SIGNAL_EXIT_MS);
}

function expectReleased(prefix: string): void {
  expect(iox2.Node.list({ prefix }).unwrap()).toEqual([]);
  expect(prefixEntries(prefix, { withGlobal: false })).toEqual([]);
}

describe.concurrent("a process awaiting events", () => {
  for (const runtime of RUNTIMES) {
    for (const wait of ["wait", "iterate"]) {
      for (const signal of ["SIGINT", "SIGTERM"] as const) {
        const killedBy = 128 + SIGNAL_NUMBERS[signal];

        it(`${runtime}, ${wait}, ${signal}, no handler: killed by the signal; a peer's cleanup reclaims its dead node`, async () => {
          const { run, prefix, ready } = await start(runtime, "default", wait);
          expect(await signalAndWait(run, signal), run.describe()).toBe(killedBy);
          expect(run.signal).toBe(signal);
          expect(run.lines.filter((line) => line.startsWith("woke"))).toEqual([]);
          expect(iox2.Node.list({ prefix }).unwrap().map((n) => [n.state, n.id, n.pid])).toEqual([["dead", ready.node, ready.pid]]);
          expect(iox2.Node.cleanupDeadNodes({ prefix }).unwrap().removed.map((n) => n.id)).toEqual([ready.node]);
          expectReleased(prefix);
        });

        it(`${runtime}, ${wait}, ${signal}, closeOnSignals: node closed, then killed by the signal`, async () => {
          const { run, prefix } = await start(runtime, "closeOnSignals", wait);
          expect(await signalAndWait(run, signal), run.describe()).toBe(killedBy);
          expect(run.signal).toBe(signal);
          expect(run.lines.filter((line) => line.startsWith("woke"))).toEqual([]);
          expectReleased(prefix);
        });

        it(`${runtime}, ${wait}, ${signal}, the program's own handler: it runs, closes the node and picks the exit code`, async () => {
          const { run, prefix } = await start(runtime, "handler", wait);
          expect(await signalAndWait(run, signal), run.describe()).toBe(0);
          expect(run.lines.slice(1)).toEqual([`handled ${signal}`]);
          expectReleased(prefix);
        });

        it(`${runtime}, ${wait}, ${signal}, upstream's node.wait loop: it ends, the program closes the node and exits 0`, async () => {
          const { run, prefix } = await start(runtime, "nodeWait", wait);
          expect(await signalAndWait(run, signal), run.describe()).toBe(0);
          expect(run.lines.slice(1)).toEqual(["exit Interrupted", wait === "wait" ? "wait failed: Aborted" : "samples ended"]);
          expectReleased(prefix);
        });

        it(`${runtime}, ${wait}, ${signal}, closeOnSignals and a process.on handler: the handler decides, exiting closes the node`, async () => {
          const { run, prefix } = await start(runtime, "handlerAndCloseOnSignals", wait);
          expect(await signalAndWait(run, signal), run.describe()).toBe(0);
          expect(run.lines.slice(1)).toEqual([`handled ${signal} open`]);
          expectReleased(prefix);
        });
      }
    }

    it(`${runtime}: closeOnSignals keeps no process alive, and closes the node at the natural end`, async () => {
      const { run, prefix } = await start(runtime, "natural", "wait");
      expect(await run.exitCode(SIGNAL_EXIT_MS), run.describe()).toBe(0);
      expect(run.lines.slice(1)).toEqual(["wait failed: Aborted"]);
      expectReleased(prefix);
    });
  }
});
