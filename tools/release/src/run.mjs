// @ts-check
/** Child processes for the release tools (pack.mjs, pack-test.mjs). */
import { spawn } from "node:child_process";

export const MINUTE = 60_000;

/** The environment for child processes: no npm/pnpm settings leaking in from the caller. */
export const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(npm_|pnpm_)/i.test(key)));

/**
 * Runs a command to completion and returns its stdout; throws with the output's tail when it
 * fails or outlives `timeout` (then it is killed). Asynchronous, so a registry served by the
 * calling process keeps answering while a client installs from it.
 * @param {string} command
 * @param {string[]} args
 * @param {{ cwd: string, env?: Record<string, string | undefined>, timeout?: number }} where
 * @returns {Promise<string>}
 */
export function run(command, args, { cwd, env = {}, timeout = 3 * MINUTE }) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...cleanEnv, NO_COLOR: "1", ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeout);
    const fail = (/** @type {string} */ why) => {
      const output = `${stdout}\n${stderr}`.trim().split("\n").slice(-40).join("\n");
      reject(new Error(`${[command, ...args].join(" ")}: ${why}\n${output}`));
    };
    child.on("error", (error) => {
      clearTimeout(timer);
      fail(error.message);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(stdout);
      else fail(signal === "SIGKILL" ? `no result within ${timeout / 1000} s` : signal ? `killed by ${signal}` : `exit code ${code}`);
    });
  });
}
