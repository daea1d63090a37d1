/**
 * Where the time goes in a measured process: `perf` (whole process, every thread, native and
 * JIT code; V8 runtimes name JS frames through --perf-basic-prof) and, on Node and Bun, the
 * runtime's own CPU profile (self time per JS function).
 */
import { execFile, spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";

export interface Share {
  name: string;
  percent: number;
}

export interface ProfileSummary {
  /** Which miss this explains, and what ran. */
  title: string;
  process: string;
  /** perf: self time by shared object, and the heaviest symbols. */
  objects: Share[];
  symbols: Share[];
  /** The runtime's CPU profile: self time per JS function (Node, Bun). */
  functions: Share[];
  notes: string[];
}

export function perfAvailable(): Promise<boolean> {
  return new Promise((resolve) => execFile("perf", ["--version"], { timeout: 10_000 }, (error) => resolve(error === null)));
}

/** Samples `pid` for `seconds` into `file`; resolves when perf has written it. */
export function perfRecord(pid: number, seconds: number, file: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const perf = spawn("perf", ["record", "-F", "1999", "-p", String(pid), "-o", file, "--", "sleep", String(seconds)], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    perf.stderr.on("data", (chunk) => (stderr += chunk));
    const timer = setTimeout(() => perf.kill("SIGKILL"), (seconds + 30) * 1000);
    perf.on("close", (code) => {
      clearTimeout(timer);
      if (code === 0 && existsSync(file)) resolve();
      else reject(new Error(`perf record exited ${code}: ${stderr.trim().split("\n").slice(-2).join(" ")}`));
    });
  });
}

function perfReport(file: string, sort: string): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(
      "perf",
      ["report", "-i", file, "--stdio", "--no-children", "--sort", sort, "--percent-limit", "0.5"],
      { maxBuffer: 64 * 1024 * 1024, timeout: 120_000 },
      (error, stdout) => (error === null ? resolve(stdout) : reject(error)),
    ),
  );
}

/** Shared objects, named for what they are. */
function objectName(dso: string): string {
  if (dso.startsWith("[JIT]") || dso.startsWith("perf-")) return "JIT-compiled JavaScript";
  if (dso === "[kernel.kallsyms]") return "kernel";
  if (dso.includes("iox2js")) return `iceoryx2-js native library (${dso})`;
  return dso;
}

/** perf's `--sort dso` and `--sort dso,sym` reports, summed per shared object and per symbol. */
export async function perfSummary(file: string): Promise<{ objects: Share[]; symbols: Share[] }> {
  const rows = (text: string) =>
    text
      .split("\n")
      .filter((line) => /^\s+\d+\.\d+%/.test(line))
      .map((line) => line.trim().split(/\s+/));
  const objects = new Map<string, number>();
  for (const [percent, ...dso] of rows(await perfReport(file, "dso"))) {
    const name = objectName(dso.join(" ").replace(/^\[JIT\] tid \d+$/, "[JIT]"));
    objects.set(name, (objects.get(name) ?? 0) + parseFloat(percent!));
  }
  const symbols = new Map<string, number>();
  for (const row of rows(await perfReport(file, "dso,sym"))) {
    // "12.3%  <dso words...>  [.] <symbol words...>"
    const marker = row.findIndex((word) => word === "[.]" || word === "[k]");
    if (marker < 0) continue;
    const dso = row.slice(1, marker).join(" ").replace(/^\[JIT\] tid \d+$/, "[JIT]");
    let symbol = row.slice(marker + 1).join(" ");
    if (/^0x[0-9a-f]+$/.test(symbol)) symbol = "(unnamed JIT code)";
    const name = `${symbol.length > 110 ? `${symbol.slice(0, 107)}...` : symbol} — ${objectName(dso)}`;
    symbols.set(name, (symbols.get(name) ?? 0) + parseFloat(row[0]!));
  }
  const sorted = (map: Map<string, number>, count: number) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, count)
      .map(([name, percent]) => ({ name, percent: Math.round(percent * 10) / 10 }));
  return { objects: sorted(objects, 8), symbols: sorted(symbols, 20) };
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
}

/**
 * Self time per function of the `.cpuprofile` in `directory` (Node's and Bun's --cpu-prof), over
 * the process's whole life (the profiled case runs long enough for start-up to be a small part).
 */
export function cpuProfileSummary(directory: string): Share[] {
  const file = readdirSync(directory).find((name) => name.endsWith(".cpuprofile"));
  if (file === undefined) return [];
  const profile = JSON.parse(readFileSync(`${directory}/${file}`, "utf8")) as CpuProfile;
  const nodes = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const self = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const frame = nodes.get(id);
    const delta = profile.timeDeltas[i] ?? 0;
    if (frame === undefined) return;
    const where = frame.url === "" ? "" : ` (${frame.url.split("/").slice(-2).join("/")}:${frame.lineNumber + 1})`;
    const name = `${frame.functionName || "(anonymous)"}${where}`;
    self.set(name, (self.get(name) ?? 0) + delta);
    total += delta;
  });
  return [...self]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 20)
    .map(([name, time]) => ({ name, percent: Math.round((1000 * time) / total) / 10 }));
}

/** Removes the perf maps a V8 runtime wrote for `pid` (--perf-basic-prof). */
export function removePerfMap(pid: number): void {
  rmSync(`/tmp/perf-${pid}.map`, { force: true });
}
