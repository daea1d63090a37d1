#!/usr/bin/env node
/**
 * Runs one pair of interop peers by hand, the way docs/interop.md's runner does, and says whether
 * both exited 0 with equal digests.
 *
 *   node scripts/pair.mjs <runtime>:<role> <runtime>:<role> [--count N] [--payload KIND] [--case CASE]
 *
 * The first peer creates the service, the second opens it. Runtimes: node, deno, bun (dist/peer.js,
 * build first), rust (target/release/iox2js-interop-peer), python (python/peer.py in .venv).
 * With `<runtime>:mismatch` as the opener the creator is a publisher of `--count 0`, which gets
 * `go` once the probe is done.
 */
import { spawn } from "node:child_process";
import { existsSync, readdirSync, rmSync } from "node:fs";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const packageDir = here("..");
const peerJs = here("../dist/peer.js");
const launchers = {
  node: () => [process.execPath, [peerJs]],
  deno: () => [here("../node_modules/.bin/deno"), ["run", "--quiet", "--config", here("../../../packages/deno/deno.json"), "--allow-all", peerJs]],
  bun: () => [here("../node_modules/.bin/bun"), ["run", peerJs]],
  rust: () => [here("../../../target/release/iox2js-interop-peer"), []],
  python: () => [here("../.venv/bin/python"), [here("../python/peer.py")]],
};
const LIMIT_MS = 60_000;

function usage(message) {
  console.error(`${message}\nusage: node scripts/pair.mjs <runtime>:<role> <runtime>:<role> [--count N] [--payload KIND] [--case CASE]`);
  process.exit(2);
}

const [creatorSpec, openerSpec, ...rest] = process.argv.slice(2);
if (!creatorSpec?.includes(":") || !openerSpec?.includes(":")) usage("two peers needed");
const options = { count: "100" };
for (let i = 0; i < rest.length; i += 2) {
  const name = rest[i]?.replace(/^--/, "");
  if (!["count", "payload", "case"].includes(name) || rest[i + 1] === undefined) usage(`unexpected '${rest[i]}'`);
  options[name] = rest[i + 1];
}

const prefix = `iox2js_interop_pair_${process.pid}_`;
const service = `iox2js/interop/${process.pid}`;

function start(spec, mode) {
  const [runtime, role] = spec.split(":");
  const launcher = launchers[runtime];
  if (launcher === undefined) usage(`unknown runtime '${runtime}'`);
  const [command, launchArgs] = launcher();
  if (!existsSync(command)) usage(`${runtime} peer not found: ${command}`);
  const probing = openerSpec.endsWith(":mismatch");
  const args = [role, "--service", service, "--prefix", prefix, "--count", probing ? "0" : options.count, `--${mode}`];
  if (["publisher", "subscriber"].includes(role)) args.push("--payload", options.payload ?? "u64");
  if (role === "mismatch" && options.payload !== undefined) args.push("--payload", options.payload);
  if (role === "mismatch") args.push("--case", options.case ?? "struct-size");
  const child = spawn(command, [...launchArgs, ...args], { cwd: packageDir, stdio: ["pipe", "pipe", "pipe"], timeout: LIMIT_MS });
  const peer = { name: `${spec} (${mode})`, child, lines: [], errors: [], waiters: [] };
  createInterface({ input: child.stdout }).on("line", (line) => {
    peer.lines.push(line);
    console.log(`[${peer.name}] ${line}`);
    for (const waiter of peer.waiters.filter((w) => line.startsWith(w.start))) waiter.resolve(line);
  });
  createInterface({ input: child.stderr }).on("line", (line) => {
    peer.errors.push(line);
    console.log(`[${peer.name}] stderr: ${line}`);
  });
  child.stdin.on("error", () => {}); // a peer that already exited
  peer.exit = new Promise((resolve) => {
    child.on("exit", (code, signal) => resolve(code ?? `signal ${signal}`));
    child.on("error", (error) => resolve(`spawn error ${error.message}`));
  });
  peer.printed = (start) =>
    Promise.race([
      new Promise((resolve) => {
        const line = peer.lines.find((l) => l.startsWith(start));
        if (line !== undefined) resolve(line);
        else peer.waiters.push({ start, resolve });
      }),
      peer.exit.then(() => null),
    ]);
  return peer;
}

/** Removes this run's files; other processes may remove their own meanwhile, so a vanished directory is fine. */
function cleanUp(dir = "/tmp/iceoryx2") {
  let entries = [];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const path = `${dir}/${entry.name}`;
    if (entry.name.startsWith(prefix)) rmSync(path, { recursive: true, force: true });
    else if (entry.isDirectory()) cleanUp(path);
  }
}

const digestOf = (line) => (line === null ? null : JSON.parse(line.slice("result ".length)));
let passed = false;
const creator = start(creatorSpec, "create");
try {
  if ((await creator.printed("ready")) === null) throw new Error("the creator exited before 'ready'");
  const opener = start(openerSpec, "open");
  if (openerSpec.endsWith(":mismatch")) {
    const result = digestOf(await opener.printed("result"));
    const code = await opener.exit;
    creator.child.stdin.write("go\n");
    await creator.printed("result");
    creator.child.stdin.end();
    const creatorCode = await creator.exit;
    passed = code === 0 && creatorCode === 0 && result?.errorKind === "IncompatibleTypes";
    console.log(`mismatch: exit ${code}, creator exit ${creatorCode}, ${JSON.stringify(result)}`);
  } else {
    if ((await opener.printed("ready")) === null) throw new Error("the opener exited before 'ready'");
    creator.child.stdin.write("go\n");
    opener.child.stdin.write("go\n");
    const results = await Promise.all([creator.printed("result"), opener.printed("result")]);
    creator.child.stdin.end();
    opener.child.stdin.end();
    const codes = await Promise.all([creator.exit, opener.exit]);
    const [a, b] = results.map(digestOf);
    passed = codes.every((c) => c === 0) && a !== null && b !== null && a.digest === b.digest;
    console.log(`exit codes ${codes.join(", ")}; digests ${a?.digest} ${b?.digest}`);
  }
} catch (error) {
  console.log(String(error));
} finally {
  creator.child.stdin.end();
  cleanUp("/dev/shm");
  cleanUp();
}
console.log(passed ? "PASS" : "FAIL");
process.exit(passed ? 0 : 1);
