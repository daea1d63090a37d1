/**
 * Fuzzes what a hostile peer can do to a service's shared memory, on Node, Deno and Bun: runs
 * `hostile-memory-peer` for every combination of runtime, pattern, overwrite, file and seed, and
 * judges each run as the test suite does (`shared-overwrite-verdict.ts`). A run that ends by a
 * signal, outlives the time limit or shows anything else wrong is printed with the command that
 * replays it. Exit code 1 when any run went wrong.
 *
 *   fuzz-shared-memory [--runtimes node,deno,bun] [--patterns pubsub,reqres,event,blackboard]
 *     [--overwrites flipped,garbled] [--files .dynamic,.data,.connection,.blackboard_mgmt,…]
 *     [--seeds 1-100] [--jobs 2] [--timeout-ms 30000]
 *
 * Each pattern's runs cover the files its services have (`--files` narrows them).
 */
import { cpus } from "node:os";
import { parseArgs } from "node:util";
import { ChildRun, RUNTIMES, runtimeCommand, type Runtime } from "@iceoryx2-js/runtimes";
import { removePrefixEntries, script } from "./shared-crash-processes.js";
import { FILES_OF, overwriteProblems, type Overwrite, type Pattern } from "./shared-overwrite-verdict.js";

const PATTERNS = Object.keys(FILES_OF) as Pattern[];
const ALL_FILES = [...new Set(Object.values(FILES_OF).flat())];

const { values: options } = parseArgs({
  options: {
    runtimes: { type: "string", default: RUNTIMES.join(",") },
    patterns: { type: "string", default: PATTERNS.join(",") },
    overwrites: { type: "string", default: "flipped,garbled" },
    files: { type: "string", default: ALL_FILES.join(",") },
    seeds: { type: "string", default: "1-20" },
    jobs: { type: "string", default: String(cpus().length) },
    "timeout-ms": { type: "string", default: "30000" },
  },
});

/** The comma-separated `text`, each item checked against `allowed`. */
function listOf<T extends string>(name: string, text: string, allowed: readonly T[]): T[] {
  const items = text.split(",").filter((item) => item !== "");
  const unknown = items.filter((item) => !(allowed as readonly string[]).includes(item));
  if (unknown.length > 0 || items.length === 0) usage(`--${name} takes a comma-separated list of ${allowed.join(", ")}; got ${JSON.stringify(text)}`);
  return items as T[];
}

function usage(problem: string): never {
  process.stderr.write(`fuzz-shared-memory: ${problem}\n`);
  process.exit(2);
}

const seedRange = /^(\d+)-(\d+)$/.exec(options.seeds) ?? usage(`--seeds takes a range like 1-100; got ${JSON.stringify(options.seeds)}`);
const [firstSeed, lastSeed] = [Number(seedRange[1]), Number(seedRange[2])];
if (lastSeed < firstSeed) usage(`--seeds ${options.seeds} is empty`);
const jobs = Number(options.jobs);
const timeoutMs = Number(options["timeout-ms"]);
if (!(jobs >= 1 && Number.isInteger(jobs))) usage(`--jobs takes a whole number of at least 1; got ${options.jobs}`);
if (!(timeoutMs > 0)) usage(`--timeout-ms takes a positive number; got ${options["timeout-ms"]}`);

interface Run {
  runtime: Runtime;
  pattern: Pattern;
  how: Overwrite;
  file: string;
  seed: number;
}

const files = listOf("files", options.files, ALL_FILES);
const runs: Run[] = [];
for (const runtime of listOf("runtimes", options.runtimes, RUNTIMES))
  for (const pattern of listOf("patterns", options.patterns, PATTERNS))
    for (const how of listOf("overwrites", options.overwrites, ["flipped", "garbled", "zeroed"] as const))
      for (const file of files.filter((file) => (FILES_OF[pattern] as readonly string[]).includes(file)))
        for (let seed = firstSeed; seed <= lastSeed; seed++) runs.push({ runtime, pattern, how, file, seed });

/** Counts per runtime: clean runs, and the ones that went wrong by how. */
const tally = new Map<Runtime, { runs: number; signal: number; hung: number; wrong: number }>();
const prefixBase = `iox2js_fuzzshm_${process.pid}_`;
let next = 0;
let problems = 0;
const started = Date.now();

async function fuzz(run: Run, index: number): Promise<void> {
  const prefix = `${prefixBase}${index}_`;
  const [file, args] = runtimeCommand(run.runtime, script("hostile-memory-peer"));
  const command: [string, string[]] = [file, [...args, run.how, prefix, run.file, String(run.seed), run.pattern]];
  const child = new ChildRun(`${run.how} ${run.file} seed ${run.seed} ${run.pattern} on ${run.runtime}`, command);
  const code = await child.exitCode(timeoutMs);
  removePrefixEntries(prefix);
  const counts = tally.get(run.runtime) ?? { runs: 0, signal: 0, hung: 0, wrong: 0 };
  tally.set(run.runtime, counts);
  counts.runs++;
  const found = overwriteProblems(run.how, code, child.lines);
  if (found.length === 0) return;
  problems++;
  if (code === -1) counts.hung++;
  else if (code > 128) counts.signal++;
  else counts.wrong++;
  const replay = [command[0], ...command[1]].map((word) => (/^[\w./=-]+$/.test(word) ? word : `'${word}'`)).join(" ");
  console.log(`FAIL ${child.label}: ${found.join("; ")}\n  replay: ${replay}\n  stderr: ${child.errorLines.slice(-4).join(" | ").slice(0, 600)}`);
}

async function worker(): Promise<void> {
  while (next < runs.length) {
    const index = next++;
    await fuzz(runs[index]!, index);
    if ((index + 1) % 100 === 0) console.log(`${index + 1} of ${runs.length} runs, ${problems} went wrong, ${Math.round((Date.now() - started) / 1000)} s`);
  }
}

console.log(`fuzz-shared-memory: ${runs.length} runs, ${jobs} at a time, ${timeoutMs} ms each at most`);
await Promise.all(Array.from({ length: jobs }, worker));
for (const [runtime, { runs: count, signal, hung, wrong }] of tally)
  console.log(`${runtime}: ${count} runs, ${count - signal - hung - wrong} clean, ${signal} ended by a signal, ${hung} hung, ${wrong} otherwise wrong`);
console.log(`${runs.length} runs in ${Math.round((Date.now() - started) / 1000)} s: ${problems} went wrong`);
process.exit(problems === 0 ? 0 : 1);
