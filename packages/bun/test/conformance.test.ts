// Runs the shared conformance suite on Bun with bun:test.
import { afterAll, describe, expect, it } from "bun:test";
import { readdirSync, rmSync } from "node:fs";
import { runConformance, type Matchers } from "@iceoryx2-js/conformance";
import * as api from "../src/index.ts";

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
  removeFile: (path) => rmSync(path, { force: true }),
  pid: process.pid,
});
