/**
 * Runs the soak (`soak.ts`) on Node, Deno and Bun, one after the other, and writes the numbers
 * to docs/soak.md. Exit code 1 when any runtime's soak fails.
 *
 * Usage: `node soak-all.js [--smoke] [--messages N] [--round-trips M] [--runtimes node,deno,bun]
 * [--out FILE]`. A full run writes docs/soak.md unless `--out` names another file; `--smoke` (the
 * package's test) writes nothing unless `--out` is given.
 */
import { spawn } from "node:child_process";
import { cpus, loadavg, totalmem } from "node:os";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { writeFileSync } from "node:fs";
import { RUNTIMES, denoConfigFile, executables as runtimeExecutables, type Runtime } from "@iceoryx2-js/runtimes";
import type { Measurement, SoakResult } from "./soak.js";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const executables: Record<Runtime, string> = {
  node: runtimeExecutables.node(),
  deno: runtimeExecutables.deno(),
  bun: runtimeExecutables.bun(),
};
const soakScript = here("./soak.js");
/** soak.ts bounds every wait itself; this only catches a soak process that hangs outright. */
const SILENCE_MS = 300_000;

function commandOf(runtime: Runtime, args: string[]): [string, string[]] {
  switch (runtime) {
    case "node":
      return [executables.node, [soakScript, ...args]];
    case "deno":
      return [executables.deno, ["run", "--quiet", "--allow-all", "--config", denoConfigFile(), soakScript, ...args]];
    case "bun":
      return [executables.bun, ["run", soakScript, ...args]];
  }
}

/** Runs the soak on `runtime`, passing its lines through; its result, or why there is none. */
function runSoak(runtime: Runtime, args: string[]): Promise<SoakResult | string> {
  const [file, fileArgs] = commandOf(runtime, args);
  const child = spawn(file, fileArgs, { stdio: ["ignore", "pipe", "inherit"] });
  let result: SoakResult | undefined;
  let silence: ReturnType<typeof setTimeout> | undefined;
  const watch = () => {
    clearTimeout(silence);
    silence = setTimeout(() => {
      child.kill("SIGTERM"); // soak.ts ends its processes and removes their files
      setTimeout(() => child.kill("SIGKILL"), 10_000).unref();
    }, SILENCE_MS);
  };
  watch();
  createInterface({ input: child.stdout! }).on("line", (line) => {
    watch();
    if (line.startsWith("SOAK_RESULT ")) result = JSON.parse(line.slice("SOAK_RESULT ".length)) as SoakResult;
    else console.log(line);
  });
  return new Promise((resolve) => {
    child.on("error", (error) => resolve(`${runtime}: cannot start ${file}: ${error.message}`));
    child.on("close", (code, signal) => {
      clearTimeout(silence);
      resolve(result ?? `${runtime}: the soak ended (${signal ?? `exit code ${code}`}) without a result; its output is above`);
    });
  });
}

const mib = (bytes: number) => (bytes / 1048576).toFixed(1);
const signedMib = (bytes: number) => `${bytes >= 0 ? "+" : "−"}${mib(Math.abs(bytes))}`;
const count = (n: number) => n.toLocaleString("en");
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const perSecond = (n: number, ms: number) => `${count(Math.round((n / Math.max(ms, 1)) * 1000))}/s`;

function rssCell(m: { start: Measurement; end: Measurement }): string {
  return `${mib(m.start.rss)} → ${mib(m.end.rss)} MiB (${signedMib(m.end.rss - m.start.rss)} MiB)`;
}

function runtimeSection(r: SoakResult): string {
  const rows = [
    ["pub-sub messages", `${count(r.messages)} (warm-up ${count(r.warmup.messages)}), ${perSecond(r.messages, r.pubsubMs)}`],
    ["request-response round trips", `${count(r.roundTrips)} (warm-up ${count(r.warmup.roundTrips)}), ${perSecond(r.roundTrips, r.requestResponseMs)}`],
    ["duration", `${seconds(r.durationMs)} (pub-sub ${seconds(r.pubsubMs)}, request-response ${seconds(r.requestResponseMs)})`],
    ["RSS, publisher + client process", rssCell(r.publisher)],
    ["RSS, subscriber + server process", rssCell(r.subscriber)],
    [
      "live heap after GC (publisher / subscriber)",
      `${mib(r.publisher.start.heapUsed)} → ${mib(r.publisher.end.heapUsed)} MiB / ${mib(r.subscriber.start.heapUsed)} → ${mib(r.subscriber.end.heapUsed)} MiB`,
    ],
    ["open descriptors (publisher / subscriber)", `${r.publisher.start.fds} → ${r.publisher.end.fds} / ${r.subscriber.start.fds} → ${r.subscriber.end.fds}`],
    ["/dev/shm entries of the prefix", `${r.shm.start} → ${r.shm.end}; ${r.shm.afterClose.length === 0 ? "none" : r.shm.afterClose.join(", ")} left after close`],
    ["result", r.failures.length === 0 ? "✅ passed" : `❌ ${r.failures.join("; ")}`],
  ];
  const name = { node: "Node", deno: "Deno", bun: "Bun" }[r.runtime as Runtime] ?? r.runtime;
  return [`### ${name} ${r.runtimeVersion}`, "", "| measure | value |", "| --- | --- |", ...rows.map(([k, v]) => `| ${k} | ${v} |`), ""].join("\n");
}

function report(results: (SoakResult | string)[], startedAt: Date, elapsedMs: number, load: { before: number; after: number }): string {
  return [
    "# Soak",
    "",
    "<!-- Written by tools/reliability (src/soak-all.ts); rerun instead of editing. -->",
    "",
    `Run ${startedAt.toISOString().replace(/\.\d+Z$/, "Z")}, ${seconds(elapsedMs)} for all runtimes, with`,
    "`bash scripts/pnpm.sh --filter @iceoryx2-js/reliability soak` (`soak:smoke` for the short version the",
    "package's test runs).",
    "",
    "Per runtime, two processes of that runtime exchange the messages and round trips below",
    "(`src/soak-roles.ts`): a publisher of a `SoakMessage { sequence: u64, value: f64 }` struct",
    "(loaned, written in place, sent) and a subscriber that checks every sequence number and value,",
    "with at most 256 messages unacknowledged so none is dropped; then a client that sends a loaned",
    "`u64` request and polls for its one response (request + 1, checked), served from",
    "`server.requests()`. The subscriber waits in `subscriber.samples()`, woken through the native",
    "reactor. After a warm-up (10 % of each count, at most 500 k messages and 50 k round trips, at",
    "least 2 s) and at the end, each process collects garbage and reports its resident set size",
    "(VmRSS), live heap and open descriptors; the orchestrator (`src/soak.ts`) counts the /dev/shm",
    "entries of the run's prefix. Node and Deno run with V8's young generation at its default",
    "maximum from the start (`--min-semi-space-size=16 --max-semi-space-size=16`), so V8 growing it",
    "once under load does not count as growth. A run fails when a process's RSS grows by 16 MiB or",
    "more, its descriptors or the shared-memory entries change, a message or response is lost or",
    "wrong, or iceoryx2 files of the prefix outlive both nodes (iceoryx2's per-prefix management",
    "segment excepted).",
    "",
    `Machine: ${cpus().length} cores (${cpus()[0]?.model.trim() ?? "unknown CPU"}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB;`,
    `1-minute load average ${load.before.toFixed(2)} before, ${load.after.toFixed(2)} after (other work shared the machine, so rates`,
    "vary; the memory, descriptor and shared-memory figures are what the soak judges).",
    "",
    ...results.map((r) => (typeof r === "string" ? `### ${r.split(":")[0]}\n\n❌ ${r}\n` : runtimeSection(r))),
  ].join("\n");
}

const argv = process.argv.slice(2);
const option = (flag: string) => {
  const i = argv.indexOf(flag);
  return i < 0 ? undefined : argv[i + 1];
};
const smoke = argv.includes("--smoke");
const runtimes = (option("--runtimes")?.split(",") ?? RUNTIMES) as Runtime[];
for (const runtime of runtimes) {
  if (!RUNTIMES.includes(runtime)) throw new Error(`unknown runtime '${runtime}' (node, deno, bun)`);
}
const soakArgs = [
  ...(smoke ? ["--smoke"] : []),
  ...["--messages", "--round-trips"].flatMap((flag) => (option(flag) === undefined ? [] : [flag, option(flag)!])),
];
const out = option("--out") ?? (smoke ? undefined : here("../../../docs/soak.md"));

const startedAt = new Date();
const loadBefore = loadavg()[0]!;
const results: (SoakResult | string)[] = [];
for (const runtime of runtimes) results.push(await runSoak(runtime, soakArgs));
const elapsedMs = Date.now() - startedAt.getTime();

const failed = results.filter((r) => typeof r === "string" || r.failures.length > 0);
for (const r of results) {
  console.log(typeof r === "string" ? `soak FAILED: ${r}` : `soak ${r.runtime}: ${r.failures.length === 0 ? "passed" : `FAILED: ${r.failures.join("; ")}`}`);
}
if (out !== undefined) {
  writeFileSync(out, report(results, startedAt, elapsedMs, { before: loadBefore, after: loadavg()[0]! }));
  console.log(`wrote ${out}`);
}
console.log(`soak: ${results.length - failed.length} of ${results.length} runtimes passed in ${seconds(elapsedMs)}`);
process.exit(failed.length === 0 ? 0 : 1);
