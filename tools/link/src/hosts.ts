/**
 * Two simulated hosts on one machine (needs root): a network namespace each, joined by a veth
 * pair (10.77.0.1/24 and 10.77.0.2/24), and a mount namespace each with its own tmpfs on
 * /dev/shm and /tmp/iceoryx2, so iceoryx2 on one host cannot see the other's shared memory.
 *
 * Per host one long-lived "host shell" (`sleep infinity` in the host's namespaces) holds the
 * mount namespace; every process of that host joins it with `nsenter`, so processes of the same
 * host share its /dev/shm as on a real machine. `close()` kills every process it started, then
 * the shells (which frees the tmpfs mounts), then deletes the namespaces (and with them the veth
 * pair). Namespaces left by an earlier run that died are removed on `create()`.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ChildRun } from "@iceoryx2-js/runtimes";

export type HostName = "a" | "b";

const PREFIX = "iox2link-";
const ADDRESSES: Record<HostName, string> = { a: "10.77.0.1", b: "10.77.0.2" };
const STEP_MS = 15_000;

export interface Host {
  readonly name: HostName;
  /** The network namespace (`ip netns` name). */
  readonly netns: string;
  /** Its address on the veth link. */
  readonly address: string;
  /** Its end of the veth pair, inside its namespace. */
  readonly veth: string;
  /** The process holding its mount namespace. */
  readonly shell: ChildRun;
  readonly shellPid: number;
}

function sh(file: string, args: string[], input?: string): string {
  return execFileSync(file, args, { encoding: "utf8", stdio: ["pipe", "pipe", "pipe"], timeout: STEP_MS, ...(input === undefined ? {} : { input }) });
}

/** Whether this machine lets us create network and mount namespaces (root, `ip`, `unshare`, `nsenter`). */
export function namespacesAvailable(): { ok: true } | { ok: false; why: string } {
  const probe = `${PREFIX}probe-${process.pid}`;
  try {
    sh("ip", ["netns", "add", probe]);
    sh("ip", ["netns", "exec", probe, "unshare", "--mount", "--propagation", "private", "sh", "-c", "mount -t tmpfs tmpfs /dev/shm"]);
    sh("nsenter", ["--version"]);
    return { ok: true };
  } catch (error) {
    return { ok: false, why: error instanceof Error ? error.message.split("\n")[0]! : String(error) };
  } finally {
    try {
      sh("ip", ["netns", "del", probe]);
    } catch {
      // never created
    }
  }
}

/** Deletes the namespaces of earlier runs whose test process is gone, ending what still runs in them. */
function removeStaleNamespaces(): void {
  for (const line of sh("ip", ["netns", "list"]).split("\n")) {
    const name = line.split(" ")[0] ?? "";
    const match = new RegExp(`^${PREFIX}(\\d+)-[ab]$`).exec(name);
    if (match === null) continue;
    try {
      process.kill(Number(match[1]), 0);
    } catch {
      for (const pid of sh("ip", ["netns", "pids", name]).split("\n").filter((line) => line !== "")) {
        try {
          process.kill(Number(pid), "SIGKILL");
        } catch {
          // gone meanwhile
        }
      }
      sh("ip", ["netns", "del", name]);
    }
  }
}

export class TwoHosts {
  readonly hosts: Record<HostName, Host>;
  /** Scratch files (Zenoh configs) of this run. */
  readonly workDir: string;
  /** Where every process of the hosts runs (iceoryx2 reads its config/iceoryx2.toml first). */
  readonly cwd: string;
  readonly #children = new Set<ChildRun>();

  private constructor(hosts: Record<HostName, Host>, workDir: string, cwd: string) {
    this.hosts = hosts;
    this.workDir = workDir;
    this.cwd = cwd;
  }

  /**
   * Creates both hosts and the link between them; on a failure, removes what it made. Their
   * processes run in `cwd`.
   */
  static async create(cwd: string): Promise<TwoHosts> {
    removeStaleNamespaces();
    const tag = `${PREFIX}${process.pid}`;
    const netns = { a: `${tag}-a`, b: `${tag}-b` };
    const veth = { a: `l${process.pid}a`, b: `l${process.pid}b` };
    const shells: ChildRun[] = [];
    try {
      for (const name of ["a", "b"] as const) sh("ip", ["netns", "add", netns[name]]);
      sh("ip", ["link", "add", veth.a, "netns", netns.a, "type", "veth", "peer", "name", veth.b, "netns", netns.b]);
      for (const name of ["a", "b"] as const) {
        const inNs = (...args: string[]) => sh("ip", ["-n", netns[name], ...args]);
        inNs("addr", "add", `${ADDRESSES[name]}/24`, "dev", veth[name]);
        inNs("link", "set", veth[name], "up");
        inNs("link", "set", "lo", "up");
      }
      const hosts = {} as Record<HostName, Host>;
      for (const name of ["a", "b"] as const) {
        const shell = new ChildRun(`host ${name} shell`, [
          "ip",
          [
            "netns",
            "exec",
            netns[name],
            "unshare",
            "--mount",
            "--propagation",
            "private",
            "sh",
            "-c",
            'mount -t tmpfs tmpfs /dev/shm && mkdir -p /tmp/iceoryx2 && mount -t tmpfs tmpfs /tmp/iceoryx2 && echo "ready $$" && exec sleep infinity',
          ],
        ]);
        shells.push(shell);
        const shellPid = Number((await shell.line(/^ready \d+$/, STEP_MS)).split(" ")[1]);
        hosts[name] = { name, netns: netns[name], address: ADDRESSES[name], veth: veth[name], shell, shellPid };
      }
      return new TwoHosts(hosts, mkdtempSync(join(tmpdir(), `${tag}-`)), cwd);
    } catch (error) {
      for (const shell of shells) shell.kill();
      await Promise.all(shells.map((shell) => shell.exitCode(STEP_MS)));
      for (const name of ["a", "b"] as const) {
        try {
          sh("ip", ["netns", "del", netns[name]]);
        } catch {
          // not created
        }
      }
      throw error;
    }
  }

  /**
   * `command` as run inside `host`: its network namespace and its mount namespace, in `cwd`
   * (entering a mount namespace would otherwise move it to /).
   */
  command(host: HostName, [file, args]: [string, string[]]): [string, string[]] {
    const { shellPid, netns } = this.hosts[host];
    return ["nsenter", [`--mount=/proc/${shellPid}/ns/mnt`, `--net=/var/run/netns/${netns}`, `--wd=${this.cwd}`, "--", file, ...args]];
  }

  /**
   * Starts `command` on `host` in `cwd` (default: the hosts' working directory); `close()` kills
   * it if it still runs then.
   */
  start(host: HostName, label: string, command: [string, string[]], env?: Record<string, string>): ChildRun {
    const run = new ChildRun(`${label} on host ${host}`, this.command(host, command), { cwd: this.cwd, ...(env === undefined ? {} : { env }) });
    this.#children.add(run);
    return run;
  }

  /** Runs `command` on `host` to its end and returns its stdout (throws on failure). */
  exec(host: HostName, file: string, args: string[]): string {
    const [nsenter, wrapped] = this.command(host, [file, args]);
    return sh(nsenter, wrapped);
  }

  /** The names in `host`'s /dev/shm. */
  sharedMemory(host: HostName): string[] {
    return this.exec(host, "ls", ["-A", "/dev/shm"]).split("\n").filter((name) => name !== "");
  }

  /** Takes `host`'s end of the link down or up (as a pulled cable: the address stays). */
  setLink(host: HostName, state: "up" | "down"): void {
    sh("ip", ["-n", this.hosts[host].netns, "link", "set", this.hosts[host].veth, state]);
  }

  /** Kills every process started here, then the host shells, then removes the namespaces. */
  async close(): Promise<void> {
    const children = [...this.#children];
    for (const child of children) child.kill();
    await Promise.all(children.map((child) => child.exitCode(STEP_MS)));
    const shells = Object.values(this.hosts).map((host) => host.shell);
    for (const shell of shells) shell.kill();
    await Promise.all(shells.map((shell) => shell.exitCode(STEP_MS)));
    const failures: string[] = [];
    for (const host of Object.values(this.hosts)) {
      try {
        sh("ip", ["netns", "del", host.netns]);
      } catch (error) {
        failures.push(`ip netns del ${host.netns}: ${String(error)}`);
      }
    }
    rmSync(this.workDir, { recursive: true, force: true });
    if (failures.length > 0) throw new Error(failures.join("\n"));
  }
}
