/**
 * Crashed peers: a victim process is killed with SIGKILL in the middle of its work (a publisher
 * whose samples a subscriber holds, a subscriber holding samples, a server in the middle of a
 * response stream, a client with a pending response, a blackboard writer holding a loaned
 * value), on every runtime, against a survivor on every runtime. Then: the survivor keeps
 * working or sees a typed failure, lists the victim's node as dead, removes it with
 * `Node.cleanupDeadNodes`, works with a replacement process, and the service name can be
 * created afresh; nothing of the case is left in /dev/shm or /tmp/iceoryx2. Last, 100 crash
 * cycles leave no more files than the first.
 *
 * Each case has its own prefix under this file's prefix, since creating a node cleans up the
 * dead nodes of its prefix, and another case's node would take the victim away before its
 * survivor saw it.
 */
import { afterAll, describe, expect, it } from "vitest";
import { RUNTIMES, type Runtime } from "@iceoryx2-js/runtimes";
import { CrashPeer, prefixEntries, removePrefixEntries } from "../src/shared-crash-processes.js";
import type { Side } from "../src/shared-crash.js";

const filePrefix = `iox2js_crash_${process.pid}_`;
let prefixes = 0;
const newPrefix = () => `${filePrefix}${++prefixes}_`;

afterAll(() => removePrefixEntries(filePrefix));

type NodeRow = { state: string; id: string; name: string; pid: number };
type Opened = { id: string; pid: number };

interface Scenario {
  victim: Side;
  survivor: Side;
  /** Takes the victim's place on the survivor's service, then on the recreated one. */
  replacement: Side;
  /** Opens survivor and victim and arms the victim. */
  setup(survivor: CrashPeer, victim: CrashPeer): Promise<Opened>;
  /** The survivor right after the kill, before any cleanup. */
  afterCrash(survivor: CrashPeer): Promise<void>;
  /** The survivor once the dead node is cleaned up. */
  afterCleanup(survivor: CrashPeer): Promise<void>;
  /** Data flows between survivor and replacement (`round` 1: the survivor's ports; 2: a recreated service). */
  exchange(survivor: CrashPeer, replacement: CrashPeer, round: number): Promise<void>;
}

/** Request-response: `server` answers one request with one response, `client` awaits the stream's end. */
async function roundTrip(client: CrashPeer, server: CrashPeer, value: number): Promise<void> {
  const served = server.ok("serve", { count: 1, hold: false });
  expect(await client.ok("request", { value })).toBe(1);
  expect(await served).toEqual({ request: value, connected: true });
  expect(await client.ok("streamEnd")).toEqual([value + 1]);
}

const scenarios: Record<string, Scenario> = {
  "publisher while the subscriber holds its samples": {
    victim: "publisher",
    survivor: "subscriber",
    replacement: "publisher",
    async setup(survivor, victim) {
      await survivor.ok("open", { mode: "create" });
      const opened = await victim.ok<Opened>("open", { mode: "open" });
      expect(await victim.ok("arm")).toEqual([1, 1, 1]); // plus one loan it never sends
      expect(await survivor.ok("take", { count: 3 })).toEqual([1, 2, 3]);
      return opened;
    },
    async afterCrash(survivor) {
      // The dead publisher's memory stays mapped: held samples read and release normally.
      expect(await survivor.ok("release")).toEqual([1, 2, 3]);
      expect(await survivor.ok("drain")).toEqual([]);
    },
    async afterCleanup(survivor) {
      expect(await survivor.ok("drain")).toEqual([]);
    },
    async exchange(survivor, replacement, round) {
      expect(await replacement.ok("send", { values: [round * 10, round * 10 + 1] })).toEqual([1, 1]);
      expect(await survivor.ok("drain")).toEqual([round * 10, round * 10 + 1]);
    },
  },
  "subscriber holding samples": {
    victim: "subscriber",
    survivor: "publisher",
    replacement: "subscriber",
    async setup(survivor, victim) {
      await survivor.ok("open", { mode: "create" });
      const opened = await victim.ok<Opened>("open", { mode: "open" });
      expect(await survivor.ok("send", { values: [1, 2, 3] })).toEqual([1, 1, 1]);
      expect(await victim.ok("arm")).toEqual([1, 2, 3]);
      return opened;
    },
    async afterCrash(survivor) {
      // Until cleanup, the dead subscriber's queue still takes samples.
      expect(await survivor.ok("send", { values: [4] })).toEqual([1]);
    },
    async afterCleanup(survivor) {
      expect(await survivor.ok("send", { values: [5] })).toEqual([0]);
    },
    async exchange(survivor, replacement, round) {
      expect(await survivor.ok("send", { values: [round * 10, round * 10 + 1] })).toEqual([1, 1]);
      expect(await replacement.ok("drain")).toEqual([round * 10, round * 10 + 1]);
    },
  },
  "server in the middle of a response stream": {
    victim: "server",
    survivor: "client",
    replacement: "server",
    async setup(survivor, victim) {
      await survivor.ok("open", { mode: "create" });
      const opened = await victim.ok<Opened>("open", { mode: "open" });
      const armed = victim.ok("arm"); // awaits the request, sends two responses, never ends the stream
      expect(await survivor.ok("request", { value: 10 })).toBe(1);
      expect(await armed).toEqual({ request: 10, connected: true });
      expect(await survivor.ok("responses")).toEqual({ values: [11, 12], connected: true });
      return opened;
    },
    async afterCrash(survivor) {
      // A dead server looks like a slow one until cleanup.
      expect(await survivor.ok("responses")).toEqual({ values: [], connected: true });
    },
    async afterCleanup(survivor) {
      expect(await survivor.ok("responses")).toEqual({ values: [], connected: false });
      expect(await survivor.ok("streamEnd")).toEqual([]);
    },
    exchange: (survivor, replacement, round) => roundTrip(survivor, replacement, round * 10),
  },
  "client with a pending response": {
    victim: "client",
    survivor: "server",
    replacement: "client",
    async setup(survivor, victim) {
      await survivor.ok("open", { mode: "create" });
      const opened = await victim.ok<Opened>("open", { mode: "open" });
      expect(await victim.ok("arm")).toBe(1); // one request sent, its pending response held
      expect(await survivor.ok("serve", { count: 1, hold: true })).toEqual({ request: 10, connected: true });
      return opened;
    },
    async afterCrash(survivor) {
      expect(await survivor.ok("active")).toEqual({ connected: true });
      expect(await survivor.ok("respond", { value: 12 })).toBeNull();
    },
    async afterCleanup(survivor) {
      // iceoryx2 0.10 discards responses to a gone client without an error.
      expect(await survivor.ok("active")).toEqual({ connected: false });
      expect(await survivor.ok("respond", { value: 13 })).toBeNull();
    },
    exchange: (survivor, replacement, round) => roundTrip(replacement, survivor, round * 10),
  },
  "blackboard writer holding a loaned value": {
    victim: "writer",
    survivor: "reader",
    replacement: "reader",
    async setup(survivor, victim) {
      const opened = await victim.ok<Opened>("open", { mode: "create" });
      expect(await victim.ok("arm")).toBe(8); // 8 updated, 9 loaned and never updated
      await survivor.ok("open", { mode: "open" });
      expect(await survivor.ok("get")).toBe(8);
      return opened;
    },
    async afterCrash(survivor) {
      expect(await survivor.ok("get")).toBe(8);
      const write = await survivor.call("write", { value: 10 });
      expect(write).toMatchObject({ ok: false, kind: "LimitReached", message: expect.stringMatching(/^create writer: .*ExceedsMaxSupportedWriters/) });
    },
    async afterCleanup(survivor) {
      // Cleanup frees the writer port, but the entry the dead writer held stays taken while the
      // service lives (upstream eclipse-iceoryx/iceoryx2#2008): typed, and the reader still reads.
      const write = await survivor.call("write", { value: 10 });
      expect(write).toMatchObject({ ok: false, kind: "LimitReached", message: expect.stringMatching(/^writer entry: .*HandleAlreadyExists/) });
      expect(await survivor.ok("get")).toBe(8);
    },
    async exchange(survivor, replacement, round) {
      if (round === 1) {
        expect(await replacement.ok("get")).toBe(8);
        return;
      }
      await survivor.ok("write", { value: round * 10 });
      expect(await replacement.ok("get")).toBe(round * 10);
    },
  },
};

async function crashCase(scenario: Scenario, victimRuntime: Runtime, survivorRuntime: Runtime): Promise<void> {
  const prefix = newPrefix();
  const service = "crash/service";
  const survivor = new CrashPeer(survivorRuntime, scenario.survivor, prefix, service);
  const victim = new CrashPeer(victimRuntime, scenario.victim, prefix, service);
  const replacement = new CrashPeer(victimRuntime, scenario.replacement, prefix, service);
  try {
    const dead = await scenario.setup(survivor, victim);
    expect(dead.pid).toBe(victim.run.pid);
    victim.run.kill("SIGKILL");
    expect(await victim.run.exitCode()).toBe(137);
    expect(victim.run.signal).toBe("SIGKILL");

    await scenario.afterCrash(survivor);
    const nodes = await survivor.ok<NodeRow[]>("nodes");
    expect(nodes).toContainEqual({ state: "dead", id: dead.id, name: scenario.victim, pid: dead.pid });
    expect(nodes.filter((n) => n.id !== dead.id).map((n) => [n.state, n.name])).toEqual([["alive", scenario.survivor]]);
    expect(await survivor.ok("cleanup")).toEqual({ removed: [dead.id], failed: [] });
    expect((await survivor.ok<NodeRow[]>("nodes")).map((n) => n.name)).toEqual([scenario.survivor]);
    await scenario.afterCleanup(survivor);

    await replacement.ok("open", { mode: "open" });
    await scenario.exchange(survivor, replacement, 1);

    // The name is free once everyone closed: a new node creates the service afresh.
    await replacement.ok("close");
    await survivor.ok("close");
    expect(await survivor.ok("exists")).toBe(false);
    await survivor.ok("open", { mode: "create" });
    await replacement.ok("open", { mode: "open" });
    await scenario.exchange(survivor, replacement, 2);

    expect(await replacement.run.finish()).toBe(0);
    expect(await survivor.run.finish()).toBe(0);
    expect(prefixEntries(prefix, { withGlobal: false })).toEqual([]);
  } finally {
    for (const peer of [survivor, victim, replacement]) peer.run.kill();
  }
}

describe.concurrent("a peer killed with SIGKILL", () => {
  for (const [name, scenario] of Object.entries(scenarios)) {
    for (const victim of RUNTIMES) {
      for (const survivor of RUNTIMES) {
        it(`${name}: ${victim} victim, ${survivor} survivor`, () => crashCase(scenario, victim, survivor));
      }
    }
  }
});

describe("crash cycles", () => {
  const CYCLES = 100;

  it(`${CYCLES} publishers killed while subscribers hold their samples leave no more files than the first`, async () => {
    const prefix = newPrefix();
    // One survivor per runtime, each on its own service; victims rotate through the runtimes,
    // each against the next runtime's survivor.
    const survivors = RUNTIMES.map((runtime) => new CrashPeer(runtime, "subscriber", prefix, `crash/cycles/${runtime}`));
    try {
      const survivorIds = new Set<string>();
      for (const survivor of survivors) survivorIds.add((await survivor.ok<Opened>("open", { mode: "create" })).id);
      let afterFirst: string[] = [];
      for (let cycle = 0; cycle < CYCLES; cycle++) {
        const victimRuntime = RUNTIMES[cycle % RUNTIMES.length]!;
        const survivor = survivors[(cycle + 1) % RUNTIMES.length]!;
        const victim = new CrashPeer(victimRuntime, "publisher", prefix, `crash/cycles/${survivor.runtime}`);
        try {
          const dead = await victim.ok<Opened>("open", { mode: "open" });
          expect(await victim.ok("arm")).toEqual([1, 1, 1]);
          expect(await survivor.ok("take", { count: 3 })).toEqual([1, 2, 3]);
          victim.run.kill("SIGKILL");
          expect(await victim.run.exitCode()).toBe(137);
          expect(await survivor.ok("release")).toEqual([1, 2, 3]);
          expect(await survivor.ok("cleanup")).toEqual({ removed: [dead.id], failed: [] });
          // Receiving drops the subscriber's connection to the dead publisher.
          expect(await survivor.ok("drain")).toEqual([]);
        } finally {
          victim.run.kill();
        }
        if (cycle === 0) afterFirst = prefixEntries(prefix);
      }
      const afterLast = prefixEntries(prefix);
      expect(new Set((await survivors[0]!.ok<NodeRow[]>("nodes")).map((n) => n.id))).toEqual(survivorIds);
      expect(afterLast.sort()).toEqual(afterFirst.sort());
      console.log(`crash cycles: ${CYCLES}, files of the prefix after cycle 1: ${afterFirst.length}, after cycle ${CYCLES}: ${afterLast.length}`);
      for (const survivor of survivors) expect(await survivor.run.finish()).toBe(0);
      expect(prefixEntries(prefix, { withGlobal: false })).toEqual([]);
    } finally {
      for (const survivor of survivors) survivor.run.kill();
    }
  }, 90_000);
});
