// Runs the shared conformance suite on Node with vitest (gc needs --expose-gc, see vitest.config.ts).
import { spawn } from "node:child_process";
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { runConformance, type ChildNode } from "@iceoryx2-js/conformance";
import * as api from "../src/internal.js";

runConformance({
  runtime: "node",
  api,
  describe,
  it,
  afterAll,
  expect: (value) => expect(value),
  gc: () => (globalThis as unknown as { gc(): void }).gc(),
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
  // The child runs on the built package (dist): plain Node cannot load the TypeScript sources.
  spawnNode: (config, name, service) =>
    spawnNodeHolder([fileURLToPath(new URL("./node-holder.mjs", import.meta.url)), JSON.stringify(config), name, ...(service === undefined ? [] : [service])]),
  pid: process.pid,
});

/** Runs `node-holder.mjs` and resolves once it says its node exists. */
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
