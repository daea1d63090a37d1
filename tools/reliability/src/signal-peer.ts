/**
 * A process awaiting iceoryx2 events when SIGINT or SIGTERM arrives (test/signals.test.ts), on
 * Node, Deno or Bun.
 *
 *   signal-peer <mode> <wait> <prefix>
 *
 * `mode`:
 * - `default`: nothing signal-related; the runtime's own behaviour.
 * - `closeOnSignals`: `node.closeOnSignals()`.
 * - `handler`: a listener of the program's own, through the runtime's usual API
 *   (`Deno.addSignalListener` on Deno, `process.on` elsewhere), that prints `handled <signal>`,
 *   closes the node and exits with code 0.
 * - `handlerAndCloseOnSignals`: `closeOnSignals()` plus a `process.on` listener that prints
 *   `handled <signal> open|closed` (the node's state) and exits with code 0 without closing it.
 * - `natural`: `closeOnSignals()`, then the program simply ends (exit code 0).
 * - `nodeWait`: upstream's loop, `while ((await node.wait(20)).isOk()) {}`, then prints
 *   `exit <error kind>`, closes the node and ends by itself (exit code 0).
 *
 * `wait`: `wait` awaits `listener.wait()`; `iterate` runs `for await` over `subscriber.samples()`.
 *
 * Prints `ready <json>` once it awaits: its pid, its node's id, and the signals the process
 * catches (`SigCgt` of /proc/self/status) before the node was created and while it awaits.
 */
import { readFileSync } from "node:fs";
import process from "node:process";
import { iox2 } from "@iceoryx2-js/runtimes/adapter/internal";

const { NodeBuilder, u32 } = iox2;

const caughtSignals = () => /^SigCgt:\s*(\w+)$/m.exec(readFileSync("/proc/self/status", "utf8"))?.[1] ?? "unknown";

const [mode, wait, prefix] = process.argv.slice(2);
const modes = ["default", "closeOnSignals", "handler", "handlerAndCloseOnSignals", "natural", "nodeWait"];
if (!modes.includes(mode!) || (wait !== "wait" && wait !== "iterate") || prefix === undefined) {
  process.stderr.write(`usage: signal-peer <${modes.join("|")}> <wait|iterate> <prefix>\n`);
  process.exit(2);
}

const before = caughtSignals();
const node = new NodeBuilder().name("awaiting").config({ prefix }).create().unwrap();
const listener = node.serviceBuilder("signals/event").event().openOrCreate().unwrap().listenerBuilder().create().unwrap();
const pubsub = node.serviceBuilder("signals/data").publishSubscribe(u32).openOrCreate().unwrap();
// Held while the process awaits: one more port that must be released.
const publisher = pubsub.publisherBuilder().notifyOnSend().create().unwrap();
const subscriber = pubsub.subscriberBuilder().create().unwrap();

async function awaitEvents(): Promise<string> {
  if (wait === "wait") {
    const events = await listener.wait();
    return events.isOk() ? `events ${JSON.stringify(events.value)}` : `wait failed: ${events.error.kind}`;
  }
  for await (const sample of subscriber.samples()) return `sample ${sample.payload}`;
  return "samples ended";
}

const waiting = awaitEvents();
const during = caughtSignals();

type SignalName = "SIGINT" | "SIGTERM";
const SIGNALS: SignalName[] = ["SIGINT", "SIGTERM"];
const deno = (globalThis as { Deno?: { addSignalListener(signal: SignalName, listener: () => void): void } }).Deno;

if (mode !== "default" && mode !== "handler" && mode !== "nodeWait") node.closeOnSignals().unwrap();
for (const signal of SIGNALS) {
  if (mode === "handler") {
    const handle = () => {
      process.stdout.write(`handled ${signal}\n`);
      node.close();
      process.exit(0);
    };
    if (deno !== undefined) deno.addSignalListener(signal, handle);
    else process.on(signal, handle);
  } else if (mode === "handlerAndCloseOnSignals") {
    process.on(signal, () => {
      process.stdout.write(`handled ${signal} ${node.isClosed ? "closed" : "open"}\n`);
      process.exit(0);
    });
  }
}

// node.wait takes the signals over when first called: before `ready`, so none comes too early.
const firstWait = mode === "nodeWait" ? node.wait(20) : undefined;
process.stdout.write(`ready ${JSON.stringify({ pid: process.pid, node: node.id, caught: { before, during } })}\n`);
if (mode === "nodeWait") {
  let stopped = await firstWait!;
  while (stopped.isOk()) stopped = await node.wait(20);
  process.stdout.write(`exit ${stopped.error.kind}\n`);
  node.close(); // ends the pending wait on events too: nothing holds the process any more
  process.stdout.write(`${await waiting}\n`);
} else if (mode === "natural") {
  // Nothing awaits any more once the wait is aborted by closing: the program ends by itself.
  listener.close();
  subscriber.close();
  process.stdout.write(`${await waiting}\n`);
} else {
  // Only a signal ends the wait; a line here means it went on after the signal.
  process.stdout.write(`woke: ${await waiting}\n`);
}
