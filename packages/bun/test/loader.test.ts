// Bun-specific: where the adapter looks for the C-ABI library of a checkout.
import { describe, expect, it } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const adapter = fileURLToPath(new URL("../src/index.ts", import.meta.url));
const built = fileURLToPath(new URL("../../../target/release/libiox2js_ffi.so", import.meta.url));

/** Imports the adapter in a fresh Bun process with `env` added; its exit code and stderr. */
function importWith(env: Record<string, string>): { code: number; stderr: string } {
  const { IOX2JS_FFI_PATH: _, ...inherited } = process.env;
  const run = Bun.spawnSync([process.execPath, "-e", `await import(${JSON.stringify(adapter)}); console.log("loaded")`], {
    env: { ...inherited, ...env },
    stderr: "pipe",
    stdout: "pipe",
  });
  return { code: run.exitCode ?? -1, stderr: run.stderr.toString() };
}

describe("the workspace build", () => {
  it("is looked for under CARGO_TARGET_DIR, as cargo writes it there", () => {
    const targetDir = mkdtempSync(join(tmpdir(), "iox2js-target-"));
    try {
      const missing = importWith({ CARGO_TARGET_DIR: targetDir });
      expect(missing.code).not.toBe(0);
      expect(missing.stderr).toContain(`${targetDir}/release/libiox2js_ffi.so`);
      mkdirSync(join(targetDir, "release"));
      symlinkSync(built, join(targetDir, "release", "libiox2js_ffi.so"));
      expect(importWith({ CARGO_TARGET_DIR: targetDir })).toEqual({ code: 0, stderr: "" });
    } finally {
      rmSync(targetDir, { recursive: true, force: true });
    }
  });
});
