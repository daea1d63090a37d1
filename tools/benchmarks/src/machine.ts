/** Facts about the machine and the tools, and CPU time of a process, from /proc. */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";
import { executables } from "./processes.js";

export interface Machine {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  kernel: string;
  clocksource: string;
  versions: Record<string, string>;
}

function firstLine(command: string, args: string[]): string {
  try {
    return execFileSync(command, args, { encoding: "utf8", timeout: 20_000, stdio: ["ignore", "pipe", "ignore"] }).split("\n")[0]!.trim();
  } catch {
    return "unknown";
  }
}

export function describeMachine(iceoryx2Version: string): Machine {
  const cpuinfo = readFileSync("/proc/cpuinfo", "utf8");
  const models = [...cpuinfo.matchAll(/^model name\s*:\s*(.*)$/gm)].map((match) => match[1]!.trim());
  let clocksource = "unknown";
  try {
    clocksource = readFileSync("/sys/devices/system/clocksource/clocksource0/current_clocksource", "utf8").trim();
  } catch {
    // Not every kernel exposes it; the report says unknown.
  }
  return {
    cpuModel: models[0] ?? "unknown",
    cores: models.length || os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    kernel: `${os.type()} ${os.release()}`,
    clocksource,
    versions: {
      node: process.version,
      deno: firstLine(executables.deno, ["--version"]),
      bun: firstLine(executables.bun, ["--version"]),
      rustc: firstLine("rustc", ["--version"]),
      iceoryx2: iceoryx2Version,
    },
  };
}

/** 1-minute load average, to show how busy the machine was around the run. */
export const loadAverage = (): number => os.loadavg()[0]!;

const CLOCK_TICKS = Number(firstLine("getconf", ["CLK_TCK"])) || 100;

/** User + system CPU seconds of `pid` (all its threads) so far. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // Fields after the command name (which may hold spaces) start at state; utime and stime are 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

export const cpuTickSeconds = 1 / CLOCK_TICKS;
