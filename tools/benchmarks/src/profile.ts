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

export const PERF_HZ = 999;

/** Samples `pid` for `seconds` into `file`; resolves when perf has written it. */
export function perfRecord(pid: number, seconds: number, file: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const perf = spawn("perf", ["record", "-F", String(PERF_HZ), "-p", String(pid), "-o", file, "--", "sleep", String(seconds)], {
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

/** V8's `StateTag` order (v8-unwinder.h), which `tick` lines carry as the VM state. */
const V8_STATES = ["JS", "GC", "parser", "bytecode compiler", "compiler", "other (C++ runtime)", "external (native call)", "atomics wait", "idle", "logging"];

/**
 * Deno has no CPU-profile flag and a stripped binary, so its profile comes from V8's own tick
 * log (`--prof`): per tick the VM state and the code the program counter was in (a JS function
 * or builtin by name, else the shared object), attributed to the innermost JS function on the
 * stack when the program counter is in native code.
 */
export function v8LogSummary(file: string): { functions: Share[]; states: Share[] } {
  const code: { start: number; end: number; name: string; js: boolean }[] = [];
  const libraries: { start: number; end: number; name: string }[] = [];
  const find = (address: number) => {
    for (let i = code.length - 1; i >= 0; i--) if (address >= code[i]!.start && address < code[i]!.end) return code[i];
    return undefined;
  };
  const library = (address: number) => libraries.find((l) => address >= l.start && address < l.end)?.name ?? "unknown code";
  const places = new Map<string, number>();
  const states = new Map<string, number>();
  let ticks = 0;
  // Lines are CSV, but names may hold commas: split the fixed fields off the front only.
  for (const line of readFileSync(file, "utf8").split("\n")) {
    if (line.startsWith("code-creation,")) {
      const fields = line.split(",");
      const [type, , , address, size] = fields.slice(1, 6);
      const name = fields.slice(6, type === "JS" ? -2 : undefined).join(",");
      const start = Number(address);
      code.push({ start, end: start + Number(size), name: type === "JS" ? name.replace(/ \S*\/([^/]+:\d+):\d+$/, " ($1)") : `${name} (V8 ${type})`, js: type === "JS" });
    } else if (line.startsWith("code-move,")) {
      const [, from, to] = line.split(",");
      const entry = code.find((c) => c.start === Number(from));
      if (entry !== undefined) {
        entry.end = Number(to) + (entry.end - entry.start);
        entry.start = Number(to);
      }
    } else if (line.startsWith("shared-library,")) {
      const fields = line.split(",");
      const name = fields[1]!.split("/").pop()!;
      libraries.push({ start: Number(fields[2]), end: Number(fields[3]), name: name.includes("iox2js") ? `iceoryx2-js native library (${name})` : name });
    } else if (line.startsWith("tick,")) {
      const [, pc, , , , state, ...stack] = line.split(",");
      ticks++;
      const stateName = V8_STATES[Number(state)] ?? `state ${state}`;
      states.set(stateName, (states.get(stateName) ?? 0) + 1);
      const here = find(Number(pc));
      let place = here?.name ?? library(Number(pc));
      if (here === undefined || !here.js) {
        const caller = stack.map((address) => find(Number(address))).find((entry) => entry?.js);
        if (caller !== undefined) place = `${place} ← ${caller.name}`;
      }
      places.set(place, (places.get(place) ?? 0) + 1);
    }
  }
  const shares = (map: Map<string, number>, count: number) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, count)
      .map(([name, n]) => ({ name, percent: Math.round((1000 * n) / Math.max(ticks, 1)) / 10 }));
  return { functions: shares(places, 20), states: shares(states, 10) };
}
