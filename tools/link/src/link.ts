/**
 * What the link test and the measurement share: the processes they start on the simulated
 * hosts (TypeScript peers on each runtime, upstream's Zenoh tunnel through scripts/tunnel.sh,
 * the plain-Zenoh Python peers) and the Zenoh key a service's data crosses on.
 */
import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { runtimeCommand, workspaceRoot, type ChildRun, type Runtime } from "@iceoryx2-js/runtimes";
import type { HostName, TwoHosts } from "./hosts.js";

/** This package's folder (the test runs from source, the measurement from dist/). */
const packageDir = (): string => join(workspaceRoot(), "tools/link");

/**
 * The working directory of every process on the simulated hosts: iceoryx2 reads
 * config/iceoryx2.toml below it first (upstream's defaults with room for the tunnel's ports).
 */
export const hostDir = (): string => join(packageDir(), "host");

/** The built TypeScript peer. */
export const peerScript = (): string => join(packageDir(), "dist/peer.js");

/** The folder of upstream's iox2-link-tunnel-zenoh, built into the cache on first use. */
export function tunnelBinDir(): string {
  return execFileSync("bash", [join(workspaceRoot(), "scripts/link-tunnel.sh")], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }).trim();
}

/** The port the tunnels listen on. */
export const ZENOH_PORT = 7447;

/**
 * The Zenoh key expression the frames of an iceoryx2 service cross on: `iox2/v1/channel/<service
 * hash>/<descriptor fingerprint>`, the hash being iceoryx2's own service hash (SHA-1, hex, of the
 * messaging pattern's number, 0 publish-subscribe or 1 event, followed by the service name).
 */
export function channelKey(service: string, pattern: "publish-subscribe" | "event"): string {
  const hash = createHash("sha1")
    .update(`${pattern === "publish-subscribe" ? 0 : 1}${service}`)
    .digest("hex");
  return `iox2/v1/channel/${hash}/*`;
}

export interface TunnelOptions {
  /** Where the Zenoh peer connects to (`null`: nowhere, only listens). */
  connect: string | null;
  port?: number;
  /** Service-name wildcards (`-a`); all services when empty. */
  allow: string[];
  /** More options of iox2-link-tunnel-zenoh. */
  extra?: string[];
  label?: string;
}

/** Starts upstream's tunnel on `host` and waits for its "Tunnel started" line. */
export async function startTunnel(hosts: TwoHosts, host: HostName, binDir: string, options: TunnelOptions): Promise<ChildRun> {
  const port = options.port ?? ZENOH_PORT;
  const label = options.label ?? "tunnel";
  const config = join(hosts.workDir, `${label}-${host}-${port}.json5`);
  const run = hosts.start(
    host,
    label,
    [
      "bash",
      [
        join(packageDir(), "scripts/tunnel.sh"),
        config,
        `tcp/0.0.0.0:${port}`,
        options.connect ?? "-",
        ...options.allow.flatMap((pattern) => ["-a", pattern]),
        ...(options.extra ?? ["--reactive", "--poll", "10"]),
      ],
    ],
    { IOX2JS_LINK_TUNNEL_BIN: binDir },
  );
  await run.line(/Tunnel started/);
  return run;
}

/** Starts the TypeScript peer on `runtime` on `host` and waits for its `ready` line. */
export async function startPeer(hosts: TwoHosts, host: HostName, runtime: Runtime, role: string, args: string[]): Promise<ChildRun> {
  const [file, runtimeArgs] = runtimeCommand(runtime, peerScript());
  const run = hosts.start(host, `${role} on ${runtime}`, [file, [...runtimeArgs, role, ...args]]);
  await run.line(/^ready$/);
  return run;
}

/** Starts the plain-Zenoh Python peer on `host` and waits for its `ready` line. */
export async function startZenohPeer(hosts: TwoHosts, host: HostName, role: string, args: string[]): Promise<ChildRun> {
  const run = hosts.start(host, `zpeer ${role}`, [join(packageDir(), ".venv/bin/python"), [join(packageDir(), "python/zpeer.py"), role, ...args]]);
  await run.line(/^ready$/);
  return run;
}

/** The values of a subscriber's `recv <value>` lines, in order. */
export function received(run: ChildRun): number[] {
  return run.lines.filter((line) => line.startsWith("recv ")).map((line) => Number(line.split(" ")[1]));
}

/** Resolves once `run` printed a line `condition` accepts; rejects after `timeoutMs` or on exit. */
export async function until(run: ChildRun, condition: (lines: readonly string[]) => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  // ChildRun wakes its waiters on every line: a pattern that matches any line re-checks.
  while (!condition(run.lines)) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${run.describe()}`);
    const seen = run.lines.length;
    await run.matching(/.*/, seen + 1, remaining).catch((error: unknown) => {
      if (!condition(run.lines)) throw error;
    });
  }
}

/** Median and 99th percentile of `values`. */
export function percentiles(values: number[]): { median: number; p99: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { median: at(0.5), p99: at(0.99) };
}
