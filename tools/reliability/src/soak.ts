/**
 * Soak: a long run on the runtime this script runs on that must not leak.
 *
 * Two processes of this runtime (`soak-roles.ts`) exchange N publish-subscribe messages and M
 * request-response round trips: a publisher/client and a subscriber/server (see that file for
 * how each side sends, waits and checks). This script only starts them, tells them when to
 * measure, and judges. After a warm-up (10 % of each count, at most 500 k messages and 50 k round
 * trips, and at least 2 s) and at the end, both processes collect garbage and report resident set
 * size (VmRSS), live heap and open descriptors (/proc/self/fd); this script counts the /dev/shm
 * entries of the run's prefix. V8 runtimes start with their young generation at its maximum
 * size, so V8 growing it once under load is not taken for a leak.
 *
 * Exit code 1 when a process's RSS grew by 16 MiB or more (full runs only), its descriptor count changed, the
 * shared-memory entries changed, a message or response was lost or wrong, a process failed, or
 * iceoryx2 files of the prefix outlived both nodes.
 *
 * Usage: `<runtime> soak.js [--messages N] [--round-trips M] [--smoke]` (defaults 10 M and 1 M;
 * `--smoke` 200 k and 20 k). Progress lines on stdout; the last line is `SOAK_RESULT <json>`
 * ({@link SoakResult}), which `soak-all.ts` reads.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, rmSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { denoConfigFile } from "@iceoryx2-js/runtimes";

const runtime: "node" | "deno" | "bun" = "Deno" in globalThis ? "deno" : "Bun" in globalThis ? "bun" : "node";
const globals = globalThis as unknown as { Deno?: { version: { deno: string } }; Bun?: { version: string } };
const runtimeVersion = globals.Deno?.version.deno ?? globals.Bun?.version ?? process.versions.node;

const FULL = { messages: 10_000_000, roundTrips: 1_000_000 };
const SMOKE = { messages: 200_000, roundTrips: 20_000 };
/** RSS growth from the end of the warm-up to the end that fails the run. */
const RSS_GROWTH_LIMIT = 16 * 1024 * 1024;
/** Message counts are multiples of the subscriber's acknowledgement interval (soak-roles.ts). */
const ACK_EVERY = 64;
/** A process that prints nothing for this long is stuck (the publisher prints progress every 5 s). */
const SILENCE_MS = 120_000;
/** V8's young generation at its default maximum from the start (16 MiB semi-spaces). */
const V8_FLAGS = ["--expose-gc", "--min-semi-space-size=16", "--max-semi-space-size=16"];
/** Where iceoryx2 keeps node and service files (its default root path). */
const ICEORYX2_ROOT = "/tmp/iceoryx2";

export interface Measurement {
  rss: number;
  heapUsed: number;
  fds: number;
  /** Whether a garbage collection ran first. */
  collected: boolean;
}

export interface SoakResult {
  runtime: string;
  runtimeVersion: string;
  messages: number;
  roundTrips: number;
  warmup: { messages: number; roundTrips: number };
  durationMs: number;
  pubsubMs: number;
  requestResponseMs: number;
  publisher: { start: Measurement; end: Measurement };
  subscriber: { start: Measurement; end: Measurement };
  shm: { start: number; end: number; afterClose: string[] };
  failures: string[];
}

function say(line: string): void {
  writeSync(1, `${line}\n`);
}

const smokeRun = process.argv.includes("--smoke");

const roundUp = (n: number, multiple: number) => Math.ceil(n / multiple) * multiple;

function parseCounts(argv: readonly string[]) {
  const defaults = argv.includes("--smoke") ? SMOKE : FULL;
  const count = (flag: string, fallback: number): number => {
    const i = argv.indexOf(flag);
    if (i < 0) return fallback;
    const n = Number(argv[i + 1]?.replace(/_/g, ""));
    if (!Number.isSafeInteger(n) || n < 1) throw new Error(`${flag} needs a positive integer, got ${argv[i + 1]}`);
    return n;
  };
  const messages = roundUp(count("--messages", defaults.messages), ACK_EVERY);
  const roundTrips = count("--round-trips", defaults.roundTrips);
  return {
    messages,
    roundTrips,
    warmupMessages: Math.min(roundUp(messages / 10, ACK_EVERY), roundUp(500_000, ACK_EVERY)),
    warmupRoundTrips: Math.min(Math.ceil(roundTrips / 10), 50_000),
  };
}

/** One role process: its stdout lines, waited for with a bound on silence. */
class Role {
  readonly #child: ChildProcess;
  readonly #lines: string[] = [];
  #wake: () => void = () => {};
  #lastOutput = Date.now();
  #exitCode: number | undefined;
  readonly exited: Promise<number>;

  constructor(readonly name: string, args: string[]) {
    const script = fileURLToPath(new URL(`./soak-roles${import.meta.url.endsWith(".ts") ? ".ts" : ".js"}`, import.meta.url));
    const denoConfig = denoConfigFile();
    const runtimeArgs =
      runtime === "node"
        ? V8_FLAGS
        : runtime === "deno"
          ? ["run", "--quiet", "--allow-all", "--config", denoConfig, `--v8-flags=${V8_FLAGS.join(",")}`]
          : ["run"];
    this.#child = spawn(process.execPath, [...runtimeArgs, script, "--role", name, ...args], { stdio: ["pipe", "pipe", "inherit"] });
    this.#child.stdin!.on("error", () => {}); // a process that already exited: its exit code tells
    createInterface({ input: this.#child.stdout! }).on("line", (line) => {
      this.#lastOutput = Date.now();
      if (line.startsWith("[soak ")) say(line);
      else this.#lines.push(line);
      this.#wake();
    });
    this.exited = new Promise((resolve) =>
      this.#child.on("close", (code, signal) => {
        this.#exitCode = code ?? (signal === null ? 1 : 128);
        this.#wake();
        resolve(this.#exitCode);
      }),
    );
  }

  send(command: string): void {
    if (this.#exitCode === undefined) this.#child.stdin!.write(`${command}\n`);
  }

  /** The JSON after `tag` on the next line starting with it (lines are consumed in order). */
  async expect<T>(tag: string, silenceMs = SILENCE_MS): Promise<T> {
    const waitingSince = Date.now();
    for (;;) {
      const index = this.#lines.findIndex((line) => line === tag || line.startsWith(`${tag} `));
      if (index >= 0) {
        const [line] = this.#lines.splice(index, 1);
        return (line === tag ? undefined : JSON.parse(line!.slice(tag.length + 1))) as T;
      }
      if (this.#exitCode !== undefined) throw new Error(`the ${this.name} process exited with ${this.#exitCode} before printing ${tag}`);
      if (Date.now() - Math.max(this.#lastOutput, waitingSince) > silenceMs) {
        this.kill();
        throw new Error(`the ${this.name} process printed nothing for ${silenceMs / 1000} s while the soak waited for ${tag}`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 1_000);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /** Its exit code; killed (and -1) if it has not exited within `timeoutMs`. */
  async exitCode(timeoutMs: number): Promise<number> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<number>((resolve) => (timer = setTimeout(() => resolve(-1), timeoutMs)));
    const code = await Promise.race([this.exited, timeout]);
    clearTimeout(timer);
    if (code === -1) this.kill();
    return code;
  }

  kill(): void {
    if (this.#exitCode === undefined) this.#child.kill("SIGKILL");
  }

  /** Asks it to close its node and leave; killed if it has not within 10 s. */
  async stop(): Promise<void> {
    this.send("done");
    await this.exitCode(10_000);
  }
}

/** Every /dev/shm entry and iceoryx2 file of the prefix (node files sit in a directory per node). */
function filesOf(prefix: string): string[] {
  const matching = (directory: string, depth: number): string[] =>
    existsSync(directory)
      ? readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
          const path = `${directory}/${entry.name}`;
          if (entry.name.startsWith(prefix)) return [path];
          return entry.isDirectory() && depth > 0 ? matching(path, depth - 1) : [];
        })
      : [];
  return [
    ...matching("/dev/shm", 0),
    ...matching(ICEORYX2_ROOT, 0), // event sockets
    ...matching(`${ICEORYX2_ROOT}/services`, 0),
    ...matching(`${ICEORYX2_ROOT}/nodes`, 1),
  ];
}

/** Removes the files of the prefix, and node directories that held only such files. */
function removeFiles(prefix: string): void {
  for (const path of filesOf(prefix)) {
    rmSync(path, { force: true });
    const directory = dirname(path);
    if (dirname(directory) === `${ICEORYX2_ROOT}/nodes` && readdirSync(directory).length === 0) rmSync(directory, { recursive: true, force: true });
  }
}

const shmCount = (prefix: string) => readdirSync("/dev/shm").filter((name) => name.startsWith(prefix)).length;

async function soak(counts: ReturnType<typeof parseCounts>, prefix: string, roles: Role[]): Promise<SoakResult> {
  const started = Date.now();
  const failures: string[] = [];
  const publisher = new Role("publisher", [
    "--prefix", prefix,
    "--messages", String(counts.messages),
    "--round-trips", String(counts.roundTrips),
    "--warmup-messages", String(counts.warmupMessages),
    "--warmup-round-trips", String(counts.warmupRoundTrips),
  ]);
  roles.push(publisher);
  await publisher.expect("READY", 30_000); // it creates the services the subscriber opens
  const subscriber = new Role("subscriber", ["--prefix", prefix]);
  roles.push(subscriber);
  await subscriber.expect("READY", 30_000);
  say(`[soak ${runtime}] ${counts.messages.toLocaleString("en")} messages, ${counts.roundTrips.toLocaleString("en")} round trips, two processes, prefix ${prefix}`);

  const measureBoth = async () => {
    publisher.send("measure");
    subscriber.send("measure");
    return { publisher: await publisher.expect<Measurement>("MEASURE"), subscriber: await subscriber.expect<Measurement>("MEASURE") };
  };
  publisher.send("start");
  const warmup = await publisher.expect<{ messages: number; roundTrips: number }>("WARMED");
  const start = await measureBoth();
  const shmStart = shmCount(prefix);
  say(`[soak ${runtime}] warmed up with ${warmup.messages.toLocaleString("en")} messages and ${warmup.roundTrips.toLocaleString("en")} round trips`);
  publisher.send("go");
  const times = await publisher.expect<{ pubsubMs: number; requestResponseMs: number }>("FINISHED");
  const end = await measureBoth();
  const shmEnd = shmCount(prefix);

  publisher.send("done");
  subscriber.send("done");
  const totals = await subscriber.expect<{ received: number; served: number }>("TOTALS", 30_000);
  for (const role of [publisher, subscriber]) {
    const code = await role.exitCode(30_000);
    if (code !== 0) failures.push(`the ${role.name} process exited with ${code}`);
  }
  if (totals.received !== counts.messages) failures.push(`the subscriber received ${totals.received} of ${counts.messages} messages`);
  if (totals.served !== counts.roundTrips) failures.push(`the server answered ${totals.served} of ${counts.roundTrips} requests`);

  // iceoryx2 keeps one management segment per prefix and process lifetime; anything else
  // outliving both nodes is a leak.
  const afterClose = filesOf(prefix).filter((path) => !path.endsWith(".global_mgmt"));
  const judge = (who: string, from: Measurement, to: Measurement) => {
    const growth = to.rss - from.rss;
    // The limit is the full run's: a smoke run is too short to tell allocator and JIT warm-up
    // (up to ~12 MiB) from growth, so it reports RSS and judges descriptors and files only.
    if (growth >= RSS_GROWTH_LIMIT && !smokeRun) failures.push(`${who}: RSS grew by ${mib(growth)} (limit ${mib(RSS_GROWTH_LIMIT)})`);
    if (to.fds !== from.fds) failures.push(`${who}: open descriptors changed from ${from.fds} to ${to.fds}`);
    if (!from.collected) failures.push(`${who}: no garbage collection before measuring (V8 runtimes need --expose-gc)`);
  };
  judge("publisher", start.publisher, end.publisher);
  judge("subscriber", start.subscriber, end.subscriber);
  if (shmEnd !== shmStart) failures.push(`/dev/shm entries of the prefix changed from ${shmStart} to ${shmEnd}`);
  if (afterClose.length > 0) failures.push(`left after both nodes closed: ${afterClose.join(", ")}`);

  return {
    runtime,
    runtimeVersion,
    messages: counts.messages,
    roundTrips: counts.roundTrips,
    warmup,
    durationMs: Date.now() - started,
    ...times,
    publisher: { start: start.publisher, end: end.publisher },
    subscriber: { start: start.subscriber, end: end.subscriber },
    shm: { start: shmStart, end: shmEnd, afterClose },
    failures,
  };
}

const mib = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MiB`;

function summary(r: SoakResult): string {
  const rss = (m: { start: Measurement; end: Measurement }) => `${mib(m.start.rss)} → ${mib(m.end.rss)} (${mib(m.end.rss - m.start.rss)})`;
  return (
    `${r.failures.length === 0 ? "passed" : "FAILED"} in ${(r.durationMs / 1000).toFixed(1)} s: ` +
    `publisher rss ${rss(r.publisher)}, subscriber rss ${rss(r.subscriber)}, ` +
    `fds ${r.publisher.start.fds}/${r.publisher.end.fds} and ${r.subscriber.start.fds}/${r.subscriber.end.fds}, ` +
    `shm entries ${r.shm.start}/${r.shm.end}`
  );
}

const prefix = `iox2js_soak_${runtime}_${process.pid}_`;
const roles: Role[] = [];

async function main(): Promise<number> {
  const counts = parseCounts(process.argv.slice(2));
  try {
    const result = await soak(counts, prefix, roles);
    say(`[soak ${runtime}] ${summary(result)}`);
    for (const failure of result.failures) say(`[soak ${runtime}] FAILURE: ${failure}`);
    say(`SOAK_RESULT ${JSON.stringify(result)}`);
    return result.failures.length === 0 ? 0 : 1;
  } catch (error) {
    say(`[soak ${runtime}] FAILED: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    // After a failure the roles may still run: let them close their nodes, then clean up.
    await Promise.all(roles.map((role) => role.stop()));
    removeFiles(prefix);
  }
}

// Interrupted (Ctrl-C, or soak-all giving up): end the roles and remove what they leave.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    say(`[soak ${runtime}] interrupted by ${signal}`);
    for (const role of roles) role.kill();
    removeFiles(prefix);
    process.exit(130);
  });
}
process.exit(await main());
