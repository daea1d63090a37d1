// Bun-specific: where the adapter looks for the C-ABI library, and how it fails. The import
// always succeeds; the first call that needs the library fails with an error the caller handles.
import { describe, expect, it } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const adapter = fileURLToPath(new URL("../src/index.ts", import.meta.url));
const built = fileURLToPath(new URL("../../../target/release/libiox2js_ffi.so", import.meta.url));

const SCRIPT =
  `const iox2 = await import(${JSON.stringify(adapter)}); console.log("imported");` +
  `const info = iox2.libraryInfo(); if (info.isErr()) { console.error(info.error.kind + ": " + info.error.message); process.exit(3); }` +
  `console.log("loaded " + info.value.runtime);`;

/** Imports the adapter in a fresh Bun process with `env` added and asks for the library. */
function importWith(env: Record<string, string>): { code: number; stdout: string; stderr: string } {
  const { IOX2JS_FFI_PATH: _, ...inherited } = process.env;
  const run = Bun.spawnSync([process.execPath, "-e", SCRIPT], { env: { ...inherited, ...env }, stderr: "pipe", stdout: "pipe" });
  return { code: run.exitCode ?? -1, stdout: run.stdout.toString(), stderr: run.stderr.toString() };
}

describe("the workspace build", () => {
  it("is looked for under CARGO_TARGET_DIR, as cargo writes it there", () => {
    const targetDir = mkdtempSync(join(tmpdir(), "iox2js-target-"));
    try {
      const missing = importWith({ CARGO_TARGET_DIR: targetDir });
      expect({ code: missing.code, stdout: missing.stdout }).toEqual({ code: 3, stdout: "imported\n" });
      expect(missing.stderr).toContain("LibraryLoadFailure: cannot load the iceoryx2-js native library for linux-x64-gnu; tried:");
      expect(missing.stderr).toContain(`${targetDir}/release/libiox2js_ffi.so`);
      expect(missing.stderr).toContain("this is a source checkout whose native library is not built yet: run 'npm run build'");
      mkdirSync(join(targetDir, "release"));
      symlinkSync(built, join(targetDir, "release", "libiox2js_ffi.so"));
      expect(importWith({ CARGO_TARGET_DIR: targetDir })).toEqual({ code: 0, stdout: "imported\nloaded bun\n", stderr: "" });
    } finally {
      rmSync(targetDir, { recursive: true, force: true });
    }
  });

  it("a missing file named by IOX2JS_FFI_PATH is the only place tried, and the remedy says so", () => {
    const run = importWith({ IOX2JS_FFI_PATH: "/nonexistent/libiox2js_ffi.so" });
    expect({ code: run.code, stdout: run.stdout }).toEqual({ code: 3, stdout: "imported\n" });
    expect(run.stderr).toContain("tried:\n  /nonexistent/libiox2js_ffi.so: ");
    expect(run.stderr).toContain("IOX2JS_FFI_PATH names a file that does not load: correct the path or unset IOX2JS_FFI_PATH");
  });
});
