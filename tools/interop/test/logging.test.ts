/**
 * iceoryx2's log level and log records as upstream's programs have them: `IOX2_LOG_LEVEL` read at
 * start (info when unset; an invalid value named on stderr). The same action runs in the Python
 * binding (PyPI iceoryx2, whose programs call `set_log_level_from_env_or(Info)` as upstream's
 * examples do; it hands records to Python's `logging`, here printed as `LEVEL|origin|message`)
 * and in iceoryx2-js on Node, Deno and Bun (records on stderr as upstream's Rust console logger
 * writes them: `<counter> [<level letter>] <origin>`, then `| <message>`).
 */
import { spawnSync } from "node:child_process";
import { readdirSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it, afterAll } from "vitest";
import { RUNTIMES, runtimeCommand } from "@iceoryx2-js/runtimes";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const prefix = `iox2js_log_${process.pid}_`;

const PYTHON_PROBE = `
import ctypes, logging, sys, iceoryx2 as iox2
logging.basicConfig(level=logging.DEBUG, format="%(levelname)s|%(name)s|%(message)s")
iox2.set_log_level_from_env_or(iox2.LogLevel.Info)
config = iox2.config.default()
config.global_cfg.prefix = iox2.FileName.new(sys.argv[1])
node = iox2.NodeBuilder.new().config(config).create(iox2.ServiceType.Ipc)
try:
    node.service_builder(iox2.ServiceName.new("Log/Probe")).publish_subscribe(ctypes.c_uint64).open()
    print("open ok")
except Exception as error:
    print("open failed", type(error).__name__)
`;

/** Runs the probe of `who` with `IOX2_LOG_LEVEL` set to `level` (unset when undefined). */
function probe(who: string, level: string | undefined): { stdout: string; stderr: string } {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.IOX2_LOG_LEVEL;
  if (level !== undefined) env.IOX2_LOG_LEVEL = level;
  const [file, args] =
    who === "python"
      ? [here("../.venv/bin/python"), ["-c", PYTHON_PROBE, prefix]]
      : (() => {
          const [executable, base] = runtimeCommand(who as (typeof RUNTIMES)[number], here("../dist/log-probe.js"));
          return [executable, [...base, "--prefix", prefix]] as const;
        })();
  const run = spawnSync(file, args, { env, encoding: "utf8", timeout: 60_000 });
  expect(run.status, `${who}: ${run.stderr}`).toBe(0);
  return { stdout: run.stdout, stderr: run.stderr };
}

const NOT_FOUND = "Unable to open publish subscribe service since the service does not exist.";

/** The debug records' messages: Python's `DEBUG|origin|message` lines, or the Rust console format's `| message` lines after a `<counter> [D] origin` line. */
function debugMessages(who: string, stderr: string): string[] {
  const lines = stderr.split("\n");
  if (who === "python") return lines.filter((line) => line.startsWith("DEBUG|")).map((line) => line.slice(line.lastIndexOf("|") + 1));
  return lines.flatMap((line, i) => (/^\d+ \[D\] /.test(line) && lines[i + 1]?.startsWith("| ") ? [lines[i + 1]!.slice(2)] : []));
}

afterAll(() => {
  for (const name of readdirSync("/dev/shm")) if (name.startsWith(prefix)) rmSync(`/dev/shm/${name}`, { force: true });
});

describe("IOX2_LOG_LEVEL and log lines, as upstream's programs", () => {
  for (const who of ["python", ...RUNTIMES]) {
    it(`${who}: debug shows why an open failed`, () => {
      const { stdout, stderr } = probe(who, "debug");
      if (who !== "python") expect(stdout).toContain("level debug");
      expect(debugMessages(who, stderr)).toContain(NOT_FOUND);
    });

    it(`${who}: unset is info: no debug lines`, () => {
      const { stdout, stderr } = probe(who, undefined);
      if (who !== "python") expect(stdout).toContain("level info");
      expect(debugMessages(who, stderr)).toEqual([]);
      expect(stdout).toContain("open");
    });

    it(`${who}: an invalid value is named on stderr and info applies`, () => {
      const { stdout, stderr } = probe(who, "loud");
      if (who !== "python") expect(stdout).toContain("level info");
      expect(stderr).toContain("Invalid value for 'IOX2_LOG_LEVEL' environment variable!");
    });
  }
});
