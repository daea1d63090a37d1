/**
 * A program that ends without `node.close()` releases its node as if it had closed it, on every
 * runtime and for every ending: the end of the program, `process.exit(n)`, an uncaught
 * exception. Node and Deno end with `exit()`, whose thread-local destructors drop the native
 * handle table; Bun ends with `quick_exit()`, for which the C-ABI library closes the thread's
 * nodes from an `at_quick_exit` handler. Afterwards nothing of the child's prefix is left in
 * /dev/shm or /tmp/iceoryx2 (but the global management segment iceoryx2 keeps per prefix by
 * design), and no node is listed under it, dead or alive.
 */
import { afterAll, describe, expect, it } from "vitest";
import { Node } from "@iceoryx2-js/node";
import { ChildRun, RUNTIMES, runtimeCommand, type Runtime } from "@iceoryx2-js/runtimes";
import { prefixEntries, removePrefixEntries, script } from "../src/shared-crash-processes.js";

const filePrefix = `iox2js_exit_${process.pid}_`;
let prefixes = 0;
const newPrefix = () => `${filePrefix}${++prefixes}_`;

afterAll(() => removePrefixEntries(filePrefix));

/** Each ending of exit-peer.ts, with the exit code it ends with. */
const ENDINGS = {
  "the end of the program": { arg: "end", code: 0 },
  "process.exit(3)": { arg: "exit", code: 3 },
  "an uncaught exception": { arg: "throw", code: 1 },
} as const;

/** Starts exit-peer.ts on `runtime`; resolves with the child and its node's id once it is ready. */
async function startPeer(runtime: Runtime, prefix: string, ending: string): Promise<{ child: ChildRun; id: string }> {
  const [file, args] = runtimeCommand(runtime, script("exit-peer"));
  const child = new ChildRun(`exit-peer ${ending} on ${runtime}`, [file, [...args, prefix, ending]]);
  try {
    return { child, id: (await child.line(/^ready \S+$/)).split(" ")[1]! };
  } catch (error) {
    child.kill();
    throw error;
  }
}

describe.concurrent("a program that ends without closing its node", () => {
  for (const runtime of RUNTIMES) {
    for (const [ending, { arg, code }] of Object.entries(ENDINGS)) {
      it(`releases it on ${runtime} at ${ending}`, async () => {
        const prefix = newPrefix();
        const { child, id } = await startPeer(runtime, prefix, arg);
        try {
          expect(await child.exitCode(), child.describe()).toBe(code);
          expect(prefixEntries(prefix, { withGlobal: false }), `files the ${runtime} child left under ${prefix}`).toEqual([]);
          expect(Node.list({ prefix }).unwrap(), `nodes under ${prefix} once the ${runtime} child (node ${id}) exited`).toEqual([]);
        } finally {
          child.kill();
          removePrefixEntries(prefix);
        }
      });
    }
  }

  it("(the checks find what a process killed with SIGKILL leaves behind)", async () => {
    const prefix = newPrefix();
    const { child, id } = await startPeer("node", prefix, "hold");
    try {
      child.kill();
      expect(await child.exitCode()).toBe(128 + 9);
      expect(prefixEntries(prefix, { withGlobal: false }).length).toBeGreaterThan(0);
      expect(Node.list({ prefix }).unwrap()).toMatchObject([{ state: "dead", id, pid: child.pid }]);
    } finally {
      child.kill();
      removePrefixEntries(prefix);
    }
  });
});
