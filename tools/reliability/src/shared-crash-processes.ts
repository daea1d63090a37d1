/**
 * The test side of the crash and signal suites: runtime processes for each side,
 * the crash peers' command protocol, and the files iceoryx2 keeps for a prefix.
 */
import { readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ChildRun, runtimeCommand, type Runtime } from "@iceoryx2-js/runtimes";
import { formatCommand, parseReply, replyPattern, type Reply, type Side } from "./shared-crash.js";

/** A built script of this package. */
export const script = (name: string): string => fileURLToPath(new URL(`../dist/${name}.js`, import.meta.url));

/** A crash-peer.ts process: one side of a scenario's service, driven command by command. */
export class CrashPeer {
  readonly run: ChildRun;
  #seq = 0;

  constructor(
    readonly runtime: Runtime,
    readonly side: Side,
    prefix: string,
    service: string,
  ) {
    const [file, args] = runtimeCommand(runtime, script("crash-peer"));
    this.run = new ChildRun(`${side} on ${runtime}`, [file, [...args, side, prefix, service]]);
  }

  /** Sends `command` and returns the peer's answer. */
  async call(command: string, args: object = {}): Promise<Reply> {
    const seq = ++this.#seq;
    this.run.send(formatCommand(seq, command, args));
    return parseReply(await this.run.line(replyPattern(seq)));
  }

  /** The value of a command that must succeed. */
  async ok<T = unknown>(command: string, args: object = {}): Promise<T> {
    const reply = await this.call(command, args);
    if (!reply.ok) throw new Error(`${command} ${JSON.stringify(args)} failed: ${reply.kind}: ${reply.message}\n${this.run.describe()}`);
    return reply.value as T;
  }

  /** The error kind of a command that must fail. */
  async errKind(command: string, args: object = {}): Promise<string> {
    const reply = await this.call(command, args);
    if (reply.ok) throw new Error(`${command} ${JSON.stringify(args)} succeeded with ${JSON.stringify(reply.value)}, expected an error\n${this.run.describe()}`);
    return reply.kind;
  }
}

/** iceoryx2's default root of service and node files. */
const ROOT = "/tmp/iceoryx2";

/**
 * Every file iceoryx2 keeps for `prefix`: shared memory in /dev/shm; under /tmp/iceoryx2 service
 * files, listener sockets, and node directories (named by node id, holding files named by
 * prefix; a directory counts when it holds one). `withGlobal: false` leaves out the global
 * management segment iceoryx2 keeps per prefix for the machine's lifetime by design.
 */
export function prefixEntries(prefix: string, { withGlobal = true } = {}): string[] {
  const matches = (name: string) => name.startsWith(prefix) && (withGlobal || !name.endsWith(".global_mgmt"));
  const matching = (dir: string) => entries(dir).filter(matches).map((name) => join(dir, name));
  const found = [...matching("/dev/shm"), ...matching(ROOT), ...matching(`${ROOT}/services`), ...matching(`${ROOT}/nodes`)];
  for (const name of entries(`${ROOT}/nodes`)) {
    const dir = join(`${ROOT}/nodes`, name);
    const inside = isDirectory(dir) ? matching(dir) : [];
    if (inside.length > 0) found.push(dir, ...inside);
  }
  return found;
}

/** The names in `dir`; none when it does not exist (or was removed meanwhile). */
function entries(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Removes every file of `prefix`, the global management segments included. */
export function removePrefixEntries(prefix: string): void {
  for (const path of prefixEntries(prefix)) rmSync(path, { recursive: true, force: true });
}
