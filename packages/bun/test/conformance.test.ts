// Runs the shared conformance suite on Bun with bun:test.
import { afterAll, describe, expect, it } from "bun:test";
import { spawn } from "node:child_process";
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { runConformance, type ChildNode, type Matchers } from "@iceoryx2-js/conformance";
import * as api from "../src/internal.ts";

runConformance({
  runtime: "bun",
  api,
  describe,
  it,
  afterAll,
  expect: (value) => expect(value) as unknown as Matchers,
  gc: () => Bun.gc(true),
  nextTurn: () => new Promise((resolve) => setImmediate(resolve)),
  listDirectory: (path) => {
    try {
      return readdirSync(path);
    } catch (error) {
      if ((error as { code?: string }).code === "ENOENT") return [];
      throw error;
    }
  },
  removeFile: (path) => rmSync(path, { force: true, recursive: true }),
  writeFile: (path, text) => {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  },
  spawnNode: (config, name, service) =>
    spawnNodeHolder([fileURLToPath(new URL("./node-holder.ts", import.meta.url)), JSON.stringify(config), name, ...(service === undefined ? [] : [service])]),
  pid: process.pid,
});

/** Runs `node-holder.ts` on Bun and resolves once it says its node exists. */
function spawnNodeHolder(args: string[]): Promise<ChildNode> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
    const exited = new Promise<void>((done) => child.once("exit", () => done()));
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("ready\n")) {
        resolve({ pid: child.pid!, kill: () => (child.kill("SIGKILL"), exited) });
      }
    });
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`node holder exited (${code}) before it was ready: ${output}`)));
  });
}
