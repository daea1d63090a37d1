/**
 * Files a process killed at the wrong moment leaves behind, and config paths that are no
 * regular files, on every runtime. iceoryx2 0.10 creates a shared-memory segment empty and
 * sizes it a moment later; a SIGKILL in between leaves a 0-byte file in /dev/shm that iceoryx2
 * waits on forever when it opens the segment again. The core refuses instead with
 * `ServiceInCorruptedState`, naming the file and the `rm` that removes it. Each case makes the
 * leftover here (or with a peer killed with SIGKILL), then runs the calls in a child on each
 * runtime (src/leftovers-peer.ts), which must answer and exit within a bound.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Node, NodeBuilder } from "@iceoryx2-js/node";
import { ChildRun, RUNTIMES, runtimeCommand, type Runtime } from "@iceoryx2-js/runtimes";
import { parseResults, type CallResult } from "../src/leftovers-cases.js";
import { removePrefixEntries, script } from "../src/shared-crash-processes.js";

const filePrefix = `iox2js_leftovers_${process.pid}_`;
let prefixes = 0;
const newPrefix = () => `${filePrefix}${++prefixes}_`;

/** How long a child may take: each refusal waits at most 1 s for a fresh empty file. */
const CHILD_BOUND_MS = 20_000;

afterAll(() => removePrefixEntries(filePrefix));

/** The file of `prefix` in /dev/shm whose name ends with `suffix`. */
function shmFile(prefix: string, suffix: string): string {
  const found = readdirSync("/dev/shm").filter((name) => name.startsWith(prefix) && name.endsWith(suffix));
  expect(found, `one ${suffix} file under ${prefix}`).toHaveLength(1);
  return join("/dev/shm", found[0]!);
}

function peer(runtime: Runtime, label: string, args: string[]): ChildRun {
  const [file, runtimeArgs] = runtimeCommand(runtime, script("leftovers-peer"));
  return new ChildRun(`${label} on ${runtime}`, [file, [...runtimeArgs, ...args]]);
}

/** A dead node under `prefix` with a service and ports: a peer killed with SIGKILL. */
async function deadNode(prefix: string): Promise<void> {
  const holder = peer("node", "holder", ["hold", prefix]);
  try {
    await holder.line(/^ready$/);
  } finally {
    holder.kill();
  }
  expect(await holder.exitCode()).toBe(128 + 9);
}

/** Runs `probe <case>` on `runtime` to its end, bounded; the results by call. */
async function probe(runtime: Runtime, prefix: string, scenario: string, extra: string[] = []): Promise<Map<string, CallResult>> {
  const child = peer(runtime, `probe ${scenario}`, ["probe", prefix, scenario, ...extra]);
  const code = await child.exitCode(CHILD_BOUND_MS);
  expect(code, `exit code (-1: still running after ${CHILD_BOUND_MS} ms)\n${child.describe()}`).toBe(0);
  return parseResults(child.lines);
}

/** Asserts the call was refused as a leftover, naming `file`. */
function expectRefused(results: Map<string, CallResult>, call: string, file: string): void {
  const result = results.get(call);
  expect(result, `${call} answered`).toBeDefined();
  expect(result).toMatchObject({ ok: false, kind: "ServiceInCorruptedState" });
  const { message } = result as { message: string };
  expect(message).toContain(file);
  expect(message).toContain(`rm '${file}'`);
}

/** An unprivileged account for the cross-user cases (CI runs as root, which may create it). */
const HOSTILE_USER = "iox2js-hostile";

/** Runs `command` as {@link HOSTILE_USER}, creating the account first if needed. */
function asHostileUser(command: string[]): void {
  const exists = () => {
    try {
      execFileSync("id", ["-u", HOSTILE_USER], { stdio: "ignore" });
      return true;
    } catch {
      return false;
    }
  };
  if (!exists()) {
    try {
      execFileSync("useradd", ["--system", "--no-create-home", "--shell", "/usr/sbin/nologin", HOSTILE_USER], { stdio: "pipe" });
    } catch (error) {
      // A concurrent case may have created it meanwhile.
      if (!exists()) throw error;
    }
  }
  execFileSync("runuser", ["-u", HOSTILE_USER, "--", ...command], { stdio: "pipe" });
}

/** Removes what the case left: the leftover first (cleanup would refuse), then every file. */
function cleanUp(prefix: string, leftover?: string): void {
  if (leftover !== undefined) rmSync(leftover, { force: true });
  Node.cleanupDeadNodes({ prefix }, { timeoutMs: 5_000 });
  removePrefixEntries(prefix);
}

describe.concurrent("leftovers of killed processes are refused, not waited on forever", () => {
  for (const runtime of RUNTIMES) {
    it(`an empty node-id segment fails node creation on ${runtime}`, async () => {
      const prefix = newPrefix();
      new NodeBuilder().config({ prefix }).create().unwrap().close();
      const segment = shmFile(prefix, ".global_mgmt");
      try {
        truncateSync(segment, 0);
        const results = await probe(runtime, prefix, "node");
        expectRefused(results, "node.create", segment);
        expect((results.get("node.create") as { message: string }).message).toContain("node-id segment");
      } finally {
        cleanUp(prefix, segment);
      }
    });

    it(`random bytes in the node-id segment fail node creation, naming it, on ${runtime}`, async () => {
      const prefix = newPrefix();
      new NodeBuilder().config({ prefix }).create().unwrap().close();
      const segment = shmFile(prefix, ".global_mgmt");
      try {
        writeFileSync(segment, Buffer.alloc(16, 0xa5));
        const results = await probe(runtime, prefix, "node");
        expect(results.get("node.create")).toMatchObject({ ok: false, kind: "ServiceInCorruptedState" });
        const { message } = results.get("node.create") as { message: string };
        expect(message).toContain(`rm '${segment}'`);
        expect(message).toContain("version field reads 0xa5a5a5a5a5a5a5a5");
      } finally {
        cleanUp(prefix, segment);
      }
    });

    it(`another user who empties or overwrites the world-writable node-id segment blocks no one, on ${runtime}`, async () => {
      const prefix = newPrefix();
      new NodeBuilder().config({ prefix }).create().unwrap().close();
      const segment = shmFile(prefix, ".global_mgmt");
      try {
        // iceoryx2 makes this segment writable by everyone; an unprivileged user empties it.
        asHostileUser(["truncate", "-s", "0", segment]);
        const emptied = await probe(runtime, prefix, "node");
        expectRefused(emptied, "node.create", segment);
        asHostileUser(["sh", "-c", `head -c 16 /dev/urandom > '${segment}'`]);
        const overwritten = await probe(runtime, prefix, "node");
        expect(overwritten.get("node.create")).toMatchObject({ ok: false, kind: "ServiceInCorruptedState" });
        expect((overwritten.get("node.create") as { message: string }).message).toContain(`rm '${segment}'`);
      } finally {
        cleanUp(prefix, segment);
      }
    });

    it(`an empty connection of a dead node fails its cleanup and node creation on ${runtime}`, async () => {
      const prefix = newPrefix();
      let connection: string | undefined;
      try {
        await deadNode(prefix);
        connection = shmFile(prefix, ".connection");
        truncateSync(connection, 0);
        const results = await probe(runtime, prefix, "dead-node");
        expectRefused(results, "Node.cleanupDeadNodes", connection);
        expectRefused(results, "node.create", connection);
        // Reading services does not touch connections.
        expect(results.get("Service.list")).toEqual({ ok: true });
        expect(results.get("Service.details")).toEqual({ ok: true });
      } finally {
        cleanUp(prefix, connection);
      }
    });

    it(`an empty dynamic config fails cleanup, service discovery and node creation on ${runtime}`, async () => {
      const prefix = newPrefix();
      let dynamic: string | undefined;
      try {
        await deadNode(prefix);
        dynamic = shmFile(prefix, ".dynamic");
        truncateSync(dynamic, 0);
        const results = await probe(runtime, prefix, "dead-node");
        for (const call of ["Node.cleanupDeadNodes", "Service.list", "Service.details", "node.create"]) {
          expectRefused(results, call, dynamic);
        }
      } finally {
        cleanUp(prefix, dynamic);
      }
    });

    it(`an empty dynamic config fails opening its service, not another one nor closing, on ${runtime}`, async () => {
      const prefix = newPrefix();
      let dynamic: string | undefined;
      const child = peer(runtime, "probe service-open", ["probe", prefix, "service-open"]);
      try {
        await child.line(/^node ready$/);
        await deadNode(prefix);
        dynamic = shmFile(prefix, ".dynamic");
        truncateSync(dynamic, 0);
        child.send("open");
        await child.line(/^result other\.openOrCreate /, CHILD_BOUND_MS);
        const results = parseResults(child.lines);
        expectRefused(results, "service.open", dynamic);
        // The leftover is that service's: the others of the prefix open as ever.
        expect(results.get("other.openOrCreate")).toEqual({ ok: true });
        // Closing cleans up dead nodes too; the dead node it would wait on is skipped.
        child.send("close");
        expect(await child.exitCode(CHILD_BOUND_MS), child.describe()).toBe(0);
        expect(parseResults(child.lines).get("node.close")).toEqual({ ok: true });
        expect(Node.list({ prefix }).unwrap().map((n) => n.state)).toEqual(["dead"]);
      } finally {
        child.kill();
        cleanUp(prefix, dynamic);
      }
    });

    it(`an empty connection of a dead node holds up neither port creation nor closing on ${runtime}`, async () => {
      const prefix = newPrefix();
      let connection: string | undefined;
      const child = peer(runtime, "probe ports", ["probe", prefix, "ports"]);
      const holder = peer("node", "holder", ["hold", prefix]);
      try {
        await child.line(/^node ready$/);
        await holder.line(/^ready$/);
        child.send("open");
        await child.line(/^result service\.open /, CHILD_BOUND_MS);
        holder.kill();
        expect(await holder.exitCode()).toBe(128 + 9);
        connection = shmFile(prefix, ".connection");
        truncateSync(connection, 0);
        // New ports connect under their own new ids: the dead node's connection is not theirs.
        child.send("ports");
        await child.line(/^result subscriber\.create /, CHILD_BOUND_MS);
        child.send("close");
        expect(await child.exitCode(CHILD_BOUND_MS), child.describe()).toBe(0);
        const results = parseResults(child.lines);
        for (const call of ["service.open", "publisher.create", "subscriber.create", "node.close"]) {
          expect(results.get(call), call).toEqual({ ok: true });
        }
        expect(Node.list({ prefix }).unwrap().map((n) => n.state)).toEqual(["dead"]);
      } finally {
        holder.kill();
        child.kill();
        cleanUp(prefix, connection);
      }
    });

    it(`a FIFO given as config file is refused without blocking on ${runtime}`, async () => {
      const prefix = newPrefix();
      const dir = mkdtempSync(join(tmpdir(), "iox2js_leftovers_config_"));
      const fifo = join(dir, "iceoryx2.toml");
      try {
        execFileSync("mkfifo", [fifo]);
        const results = await probe(runtime, prefix, "config-file", [fifo]);
        expect(results.get("node.create")).toMatchObject({ ok: false, kind: "ConfigError" });
        const { message } = results.get("node.create") as { message: string };
        expect(message).toContain(JSON.stringify(fifo));
        expect(message).toContain("is a FIFO (named pipe), not a regular file");
      } finally {
        rmSync(dir, { recursive: true, force: true });
        removePrefixEntries(prefix);
      }
    });
  }
});
