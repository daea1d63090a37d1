// Runs the shared conformance suite on Node with vitest (gc needs --expose-gc, see vitest.config.ts).
import { readdirSync, rmSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { runConformance } from "@iceoryx2-js/conformance";
import * as api from "../src/index.js";

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
  removeFile: (path) => rmSync(path, { force: true }),
  pid: process.pid,
});
