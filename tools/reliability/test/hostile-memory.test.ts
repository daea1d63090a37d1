/**
 * Shared memory that turns hostile does not kill the process, on every runtime
 * (src/hostile-memory-peer.ts explains the cases):
 * - a peer truncates the data segment whose sample a subscriber holds: the next read of the
 *   payload returns zeros instead of SIGBUS, and the next call reports `ServiceInCorruptedState`
 *   naming the file;
 * - `/dev/shm` is too small (a private 2 MiB tmpfs, in a mount namespace of the child's own):
 *   a publisher whose segment does not fit fails `create()` with `OutOfMemory`; one that fits
 *   keeps working after someone else filled `/dev/shm`; creating services until it is full
 *   fails with a typed error, never a signal.
 * - iceoryx2's root directory is full or read-only, or file descriptors run out: the error names
 *   the cause the system reports, not only iceoryx2's variant;
 * - a service's `.dynamic` cut to half (no fault: iceoryx2 reads zeros): a port creation that
 *   then sees full limits reports the truncation instead;
 * - a service's `.dynamic`, `.data` or `.connection` file is zeroed, or overwritten with
 *   garbage, under its ports: calls fail with `ServiceInCorruptedState` carrying iceoryx2's
 *   report (a panic) or the fault it ran into (SIGSEGV on an offset read from the garbage); a
 *   new node of the same process keeps working, and closing never aborts.
 * After each, the runtime's own fault handling still works (a WebAssembly trap throws).
 */
import { afterAll, describe, expect, it } from "vitest";
import { ChildRun, RUNTIMES, runtimeCommand } from "@iceoryx2-js/runtimes";
import { prefixEntries, removePrefixEntries, script } from "../src/shared-crash-processes.js";
import { FILES_OF, overwriteProblems, stepsOf } from "../src/shared-overwrite-verdict.js";

const filePrefix = `iox2js_hostile_${process.pid}_`;
let prefixes = 0;
const EXIT_MS = 20_000;

afterAll(() => removePrefixEntries(filePrefix));

/** The `<step> <json>` lines of a finished run, by step. */
const steps = (run: ChildRun): Record<string, unknown> => stepsOf(run.lines);

/**
 * Runs `command` in a mount namespace of its own, with private tmpfs mounts on /dev/shm (of
 * `shmSize`) and /tmp/iceoryx2 (mounted with `rootMount`), after the shell commands `extra`.
 */
function inPrivateTmpfs(command: [string, string[]], shmSize: string, rootMount = "tmpfs tmpfs", extra = "true"): [string, string[]] {
  const quoted = [command[0], ...command[1]].map((word) => `'${word.replaceAll("'", `'\\''`)}'`).join(" ");
  const setup = `mount -t tmpfs -o size=${shmSize} tmpfs /dev/shm && mkdir -p /tmp/iceoryx2 && mount -t ${rootMount} /tmp/iceoryx2 && ${extra}`;
  return ["unshare", ["--mount", "--propagation", "private", "sh", "-c", `${setup} && exec ${quoted}`]];
}

/** Where iceoryx2's resources run out, and what the error must then say. */
const EXHAUSTED = {
  "a full root directory": { rootMount: "tmpfs -o size=48k tmpfs", extra: "true", step: "services", cause: /the file system of \/tmp\/iceoryx2 is full/ },
  "a read-only root directory": { rootMount: "tmpfs -o ro tmpfs", extra: "true", step: "node", cause: /Read-only file system/ },
  "too few file descriptors": { rootMount: "tmpfs tmpfs", extra: "ulimit -n 40", step: "services", cause: /file descriptors open, near its limit of 40/ },
} as const;

describe.concurrent("hostile shared memory", () => {
  for (const runtime of RUNTIMES) {
    for (const [situation, { rootMount, extra, step, cause }] of Object.entries(EXHAUSTED)) {
      it(`${runtime}: with ${situation}, creation fails with an error naming the cause`, async () => {
        const prefix = `${filePrefix}${++prefixes}_`;
        const [file, args] = runtimeCommand(runtime, script("hostile-memory-peer"));
        const child = new ChildRun(`exhausted (${situation}) on ${runtime}`, inPrivateTmpfs([file, [...args, "exhausted", prefix]], "8m", rootMount, extra));
        expect(await child.exitCode(EXIT_MS), child.describe()).toBe(0);
        const failure = steps(child)[step] as { kind: string; message: string };
        expect(failure, child.describe()).toBeDefined();
        expect(failure.message, child.describe()).toMatch(cause);
        expect(child.lines.at(-1)).toBe("done");
      });
    }

    it(`${runtime}: a dynamic config cut short without a fault is reported as truncated, not as full limits`, async () => {
      const prefix = `${filePrefix}${++prefixes}_`;
      const [file, args] = runtimeCommand(runtime, script("hostile-memory-peer"));
      const child = new ChildRun(`halved on ${runtime}`, [file, [...args, "halved", prefix]]);
      expect(await child.exitCode(EXIT_MS), child.describe()).toBe(0);
      const seen = steps(child);
      expect(seen.halved).toBe(1);
      expect(seen.publisher).toMatchObject({ kind: "ServiceInCorruptedState" });
      expect((seen.publisher as { message: string }).message).toMatch(new RegExp(`/dev/shm/${prefix}\\w+\\.dynamic was truncated`));
      expect(child.lines.at(-1)).toBe("done");
    });

    // Zeros; garbage from two fixed seeds; 16 bytes changed, with seeds that once made a call
    // retry forever (6: a warning per round, .connection), size a connection from a garbage
    // count (17, 111, and 61 for request-response: .dynamic) or break the list of servers so
    // that it finds no free slot while holding one of two servers (1, request-response:
    // .dynamic), or write another release's number into the version field (53). A failure
    // names its seed, to replay it.
    // Event and blackboard services, with their own files, get zeros and garbage, and seed 1's
    // 16 bytes, which make a blackboard's port creation fault.
    const overwrites = [
      ["pubsub", "zeroed", "0"], ["pubsub", "garbled", "1"], ["pubsub", "garbled", "7"],
      ["pubsub", "flipped", "6"], ["pubsub", "flipped", "17"], ["pubsub", "flipped", "111"],
      ["reqres", "zeroed", "0"], ["reqres", "garbled", "1"], ["reqres", "garbled", "7"],
      ["reqres", "flipped", "61"], ["reqres", "flipped", "1"], ["reqres", "flipped", "53"],
      ["event", "zeroed", "0"], ["event", "garbled", "1"],
      ["blackboard", "zeroed", "0"], ["blackboard", "garbled", "1"], ["blackboard", "flipped", "1"],
    ] as const;
    const services = { pubsub: "publish-subscribe", reqres: "request-response", event: "event", blackboard: "blackboard" } as const;
    for (const [pattern, how, seed] of overwrites) {
      for (const suffix of FILES_OF[pattern]) {
        const what = { zeroed: "zeroed", garbled: `overwritten with garbage (seed ${seed})`, flipped: `changed in 16 bytes (seed ${seed})` }[how];
        const service = services[pattern];
        it(`${runtime}: a ${service} service whose ${suffix} files are ${what} fails typed, leaves other nodes working and exits cleanly`, async () => {
          const prefix = `${filePrefix}${++prefixes}_`;
          const [file, args] = runtimeCommand(runtime, script("hostile-memory-peer"));
          const child = new ChildRun(`${how} ${suffix} (seed ${seed}, ${pattern}) on ${runtime}`, [file, [...args, how, prefix, suffix, seed, pattern]]);
          // The ports whose shared state is gone fail typed, saying what iceoryx2 reported or
          // where it faulted; the rest of the process carries on.
          const code = await child.exitCode(EXIT_MS);
          expect(overwriteProblems(how, code, child.lines), child.describe()).toEqual([]);
        });
      }
    }

    it(`${runtime}: a truncated data segment reads as zeros and is reported, no SIGBUS`, async () => {
      const prefix = `${filePrefix}${++prefixes}_`;
      const [file, args] = runtimeCommand(runtime, script("hostile-memory-peer"));
      const child = new ChildRun(`truncate on ${runtime}`, [file, [...args, "truncate", prefix]]);
      expect(await child.exitCode(EXIT_MS), child.describe()).toBe(0);
      const seen = steps(child);
      expect(seen.before).toBe("1122334455667788");
      expect(seen.after).toBe("0");
      expect(seen.next).toMatchObject({ kind: "ServiceInCorruptedState" });
      expect((seen.next as { message: string }).message).toMatch(new RegExp(`/dev/shm/${prefix}\\w+\\.data .*truncated`));
      expect(seen.then).toBe("ok"); // reported once
      expect(seen.wasm).toBe("RuntimeError");
      expect(child.lines.at(-1)).toBe("done");
      expect(prefixEntries(prefix, { withGlobal: false })).toEqual([]);
    });

    it(`${runtime}: a full /dev/shm fails creation with OutOfMemory and never raises SIGBUS`, async () => {
      const prefix = `${filePrefix}${++prefixes}_`;
      const [file, args] = runtimeCommand(runtime, script("hostile-memory-peer"));
      const child = new ChildRun(`full on ${runtime}`, inPrivateTmpfs([file, [...args, "full", prefix]], "2m"));
      expect(await child.exitCode(EXIT_MS), child.describe()).toBe(0);
      const seen = steps(child);
      const tooBig = seen.tooBig as { kind: string; message: string };
      expect(tooBig.kind).toBe("OutOfMemory");
      expect(tooBig.message).toMatch(/\/dev\/shm has no room for the publisher's data segment \/dev\/shm\/\S+\.data \(\d+ bytes, \d+ bytes free\)/);
      expect(seen.sentAfterFilling).toBe(20);
      const more = seen.moreServices as Record<string, string>;
      expect(Object.keys(more).length).toBeGreaterThan(0);
      for (const [kind, message] of Object.entries(more)) {
        expect(["OutOfMemory", "ServiceInCorruptedState", "InternalFailure"]).toContain(kind);
        expect(message).toMatch(/\/dev\/shm|space|No space/i);
      }
      expect(seen.wasm).toBe("RuntimeError");
      expect(child.lines.at(-1)).toBe("done");
    });
  }
});
