/**
 * Cross-host cost of the link (needs root; run with `pnpm --filter @iceoryx2-js/link measure`
 * after a build): on two simulated hosts joined by a veth pair (src/hosts.ts),
 *
 * - latency: round trips (ping on host A, pong on host B), median and p99, of 8 B and 64 KiB;
 * - throughput: samples and bytes per second a receiver on B gets from a sender on A that sends
 *   as fast as it can (8 B and 64 KiB), and how many of them were lost (plain Zenoh blocks the
 *   sender instead of dropping; the tunnel has no such choice: it drops what does not fit);
 *
 * each through upstream's Zenoh tunnel between TypeScript peers on Node (iceoryx2 on each host,
 * the tunnels in between), and through plain Zenoh between Python peers (PyPI eclipse-zenoh) over
 * the same veth: the engine's own cost. Prints a table and the ratios tunnel / plain Zenoh.
 *
 *   node dist/measure.js [--rounds <n>] [--flood <n>]
 */
import process from "node:process";
import type { ChildRun } from "@iceoryx2-js/runtimes";
import { namespacesAvailable, TwoHosts } from "./hosts.js";
import { hostDir, percentiles, startPeer, startTunnel, startZenohPeer, tunnelBinDir } from "./link.js";

const option = (name: string, fallback: number) => {
  const at = process.argv.indexOf(`--${name}`);
  return at < 0 ? fallback : Number(process.argv[at + 1]);
};
const ROUNDS = option("rounds", 1000);
const FLOOD = option("flood", 20_000);
const SIZES = [8, 65_536];
/** Fewer of the big ones. */
const scaled = (count: number, size: number) => (size > 1024 ? Math.max(100, Math.floor(count / 4)) : count);

interface Row {
  what: string;
  size: number;
  tunnel: number;
  zenoh: number;
  unit: string;
  note?: string;
}

const result = async (run: ChildRun) => JSON.parse((await run.line(/^result /, 120_000)).slice("result ".length)) as Record<string, unknown>;

/** The tunnels' wake-up options: how a sample gets from one host's shared memory onto Zenoh and back. */
const CONFIGS = [
  {
    name: "woken",
    // Zenoh arrivals wake the tunnel (--reactive); so do the publishers' wake-up events (--listener).
    args: (host: "a" | "b") => ["--reactive", "--poll", "100", ...(host === "a" ? ["Link/Measure/Ping", "Link/Measure/Flood"] : ["Link/Measure/Pong"]).flatMap((s) => ["--listener", s])],
  },
  { name: "polling", args: () => ["--reactive", "--poll", "10"] },
];

async function main(): Promise<void> {
  const available = namespacesAvailable();
  if (!available.ok) throw new Error(`network namespaces cannot be created here: ${available.why}`);
  const binDir = tunnelBinDir();
  const hosts = await TwoHosts.create(hostDir());
  const rows: Row[] = [];
  const warnings: string[] = [];
  try {
    const a = hosts.hosts.a.address;
    const b = hosts.hosts.b.address;
    for (const config of CONFIGS) {
      const tunnels = await Promise.all([
        startTunnel(hosts, "a", binDir, { connect: `tcp/${b}:7447`, allow: ["Link/Measure/*"], extra: config.args("a"), label: `${config.name}-tunnel` }),
        startTunnel(hosts, "b", binDir, { connect: `tcp/${a}:7447`, allow: ["Link/Measure/*"], extra: config.args("b"), label: `${config.name}-tunnel` }),
      ]);
      for (const size of SIZES) {
        const rounds = size > 1024 ? Math.max(100, Math.floor(ROUNDS / 4)) : ROUNDS;
        // Through the tunnel: TypeScript on Node on both hosts.
        const pong = await startPeer(hosts, "b", "node", "ponger", ["--size", String(size), "--notify"]);
        const ping = await startPeer(hosts, "a", "node", "pinger", ["--size", String(size), "--count", String(rounds), "--warmup", "50", "--notify"]);
        const tunnelRtt = percentiles((await result(ping))["rtt_us"] as number[]);
        await ping.finish();
        await pong.finish();
        // Plain Zenoh over the same veth.
        const zpong = await startZenohPeer(hosts, "b", "pong", ["--listen", "tcp/0.0.0.0:7451"]);
        const zping = await startZenohPeer(hosts, "a", "ping", ["--connect", `tcp/${b}:7451`, "--size", String(size), "--count", String(rounds), "--warmup", "50"]);
        const zenohRtt = percentiles((await result(zping))["rtt_us"] as number[]);
        await zping.finish();
        await zpong.finish();
        rows.push({ what: `round trip, median (${config.name})`, size, tunnel: tunnelRtt.median, zenoh: zenohRtt.median, unit: "µs" });
        rows.push({ what: `round trip, p99 (${config.name})`, size, tunnel: tunnelRtt.p99, zenoh: zenohRtt.p99, unit: "µs" });
      }
      for (const size of config.name === "woken" ? SIZES : []) {
        const count = scaled(FLOOD, size);
        const sink = await startPeer(hosts, "b", "node", "sink", ["--service", "Link/Measure/Flood"]);
        const source = await startPeer(hosts, "a", "node", "source", ["--service", "Link/Measure/Flood", "--size", String(size), "--count", String(count), "--notify"]);
        source.send("probe");
        await sink.line(/^probe$/);
        source.send("go");
        const tunnel = await result(sink);
        await source.finish();
        await sink.finish();
        const zsink = await startZenohPeer(hosts, "b", "sink", ["--listen", "tcp/0.0.0.0:7452"]);
        const zsource = await startZenohPeer(hosts, "a", "source", ["--connect", `tcp/${b}:7452`, "--size", String(size), "--count", String(count)]);
        const zenoh = await result(zsink);
        await zsource.finish();
        await zsink.finish();
        const rate = (r: Record<string, unknown>) => (r["count"] as number) / Math.max(r["seconds"] as number, 1e-9);
        const lost = (r: Record<string, unknown>) => count - (r["count"] as number);
        rows.push({
          what: `throughput (${config.name})`,
          size,
          tunnel: rate(tunnel),
          zenoh: rate(zenoh),
          unit: "msg/s",
          note: `${count} sent at full speed; lost: tunnel ${lost(tunnel)}, Zenoh ${lost(zenoh)}; MiB/s: tunnel ${((rate(tunnel) * size) / 2 ** 20).toFixed(1)}, Zenoh ${((rate(zenoh) * size) / 2 ** 20).toFixed(1)}`,
        });
      }
      for (const run of tunnels) {
        run.kill("SIGINT");
        await run.exitCode();
        // iceoryx2's log: a "N [W] origin" line, then the message.
        run.lines.forEach((line, i) => {
          if (/^\d+ \[W\]/.test(line)) warnings.push(`${run.label}: ${run.lines[i + 1] ?? ""}`);
        });
      }
    }
  } finally {
    await hosts.close();
  }

  const format = (value: number) => (value >= 100 ? value.toFixed(0) : value.toFixed(1));
  console.log("| measurement | size | through the tunnel (TS on Node) | plain Zenoh (Python) | ratio tunnel / Zenoh | |");
  console.log("|---|---:|---:|---:|---:|---|");
  for (const row of rows) {
    const label = row.size >= 1024 ? `${row.size / 1024} KiB` : `${row.size} B`;
    console.log(`| ${row.what} | ${label} | ${format(row.tunnel)} ${row.unit} | ${format(row.zenoh)} ${row.unit} | ${(row.tunnel / row.zenoh).toFixed(2)} | ${row.note ?? ""} |`);
  }
  const warned = new Map<string, number>();
  for (const warning of warnings) warned.set(warning, (warned.get(warning) ?? 0) + 1);
  for (const [warning, times] of warned) console.log(`tunnel warning (${times}×): ${warning}`);
  console.log(`load average at the end: ${(await import("node:os")).loadavg().map((l) => l.toFixed(2)).join(" ")}`);
}

await main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
