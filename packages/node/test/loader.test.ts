// Node-specific: how the adapter fails when it cannot load its addon. The import always succeeds;
// the first call that needs the addon fails with an error the caller can handle.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const adapter = fileURLToPath(new URL("../dist/index.js", import.meta.url));

const SCRIPT =
  `const iox2 = await import(${JSON.stringify(adapter)}); console.log("imported");` +
  `const info = iox2.libraryInfo(); if (info.isErr()) { console.error(info.error.kind + ": " + info.error.message); process.exit(3); }` +
  `const node = new iox2.NodeBuilder().create(); console.log("loaded " + info.value.runtime + " " + node.isOk());`;

function importWith(env: Record<string, string>): { code: number | null; stdout: string; stderr: string } {
  const { IOX2JS_NAPI_PATH: _, ...inherited } = process.env;
  const run = spawnSync(process.execPath, ["--input-type=module", "-e", SCRIPT], { env: { ...inherited, ...env }, encoding: "utf8", timeout: 60_000 });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe("loading the addon", () => {
  it("a missing file named by IOX2JS_NAPI_PATH fails the first call, not the import, with the path and the remedy", () => {
    const run = importWith({ IOX2JS_NAPI_PATH: "/nonexistent/iox2js.node" });
    expect({ code: run.code, stdout: run.stdout }).toEqual({ code: 3, stdout: "imported\n" });
    expect(run.stderr).toContain("LibraryLoadFailure: cannot load the iceoryx2-js Node addon for linux-x64-gnu; tried:\n  /nonexistent/iox2js.node: not found");
    expect(run.stderr).toContain("IOX2JS_NAPI_PATH names a file that does not load: correct the path or unset IOX2JS_NAPI_PATH");
  });

  it("the checkout's build loads", () => {
    expect(importWith({})).toEqual({ code: 0, stdout: "imported\nloaded node true\n", stderr: "" });
  });
});
