// Deno-specific: how the adapter fails when it cannot load its library. The import always
// succeeds; the first call that needs the library fails with an error the caller can handle.
import { expect } from "expect";

const mod = new URL("../src/mod.ts", import.meta.url).pathname;
const config = new URL("../deno.json", import.meta.url).pathname;

async function importInSubprocess(flags: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  // A data: URL as main module: unlike `deno eval`, `deno run` grants only the flags given.
  const script =
    `const iox2 = await import(${JSON.stringify(`file://${mod}`)}); console.log("imported");` +
    `const info = iox2.libraryInfo(); if (info.isErr()) { console.error(info.error.name + " [" + info.error.kind + "]: " + info.error.message); Deno.exit(3); } console.log("loaded");`;
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--config", config, ...flags, `data:application/javascript,${encodeURIComponent(script)}`],
    env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code: output.code, stdout: new TextDecoder().decode(output.stdout), stderr: new TextDecoder().decode(output.stderr) };
}

Deno.test("without --allow-ffi the first call fails with LibraryLoadFailure naming the flag", async () => {
  const { code, stdout, stderr } = await importInSubprocess(["--allow-read", "--allow-env"]);
  expect({ code, stdout }).toEqual({ code: 3, stdout: "imported\n" });
  expect(stderr).toContain("Iox2Error [LibraryLoadFailure]");
  expect(stderr).toContain("run deno with --allow-ffi");
});

Deno.test("a missing library named by IOX2JS_FFI_PATH is reported with the path tried", async () => {
  const { code, stderr } = await importInSubprocess(["--allow-ffi", "--allow-read", "--allow-env"], {
    IOX2JS_FFI_PATH: "/nonexistent/libiox2js_ffi.so",
  });
  expect(code).toBe(3);
  expect(stderr).toContain("cannot load the iceoryx2-js native library for linux-x64-gnu; tried:");
  expect(stderr).toContain("/nonexistent/libiox2js_ffi.so");
  expect(stderr).toContain("IOX2JS_FFI_PATH names a file that does not load: correct the path or unset IOX2JS_FFI_PATH");
});

Deno.test("a library without the iceoryx2-js symbols is refused", async () => {
  const { code, stderr } = await importInSubprocess(["--allow-ffi", "--allow-read", "--allow-env"], {
    IOX2JS_FFI_PATH: "/lib/x86_64-linux-gnu/libm.so.6",
  });
  expect(code).toBe(3);
  expect(stderr).toContain("libm.so.6");
});

Deno.test("the workspace build is looked for under CARGO_TARGET_DIR, as cargo writes it there", async () => {
  const built = new URL("../../../target/release/libiox2js_ffi.so", import.meta.url).pathname;
  const targetDir = await Deno.makeTempDir({ prefix: "iox2js-target-" });
  try {
    const missing = await importInSubprocess(["--allow-ffi", "--allow-read", "--allow-env"], { CARGO_TARGET_DIR: targetDir });
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain(`${targetDir}/release/libiox2js_ffi.so`);
    expect(missing.stderr).toContain("this is a source checkout whose native library is not built yet: run 'npm run build'");
    await Deno.mkdir(`${targetDir}/release`);
    await Deno.symlink(built, `${targetDir}/release/libiox2js_ffi.so`);
    const found = await importInSubprocess(["--allow-ffi", "--allow-read", "--allow-env"], { CARGO_TARGET_DIR: targetDir });
    expect(found).toEqual({ code: 0, stdout: "imported\nloaded\n", stderr: "" });
  } finally {
    await Deno.remove(targetDir, { recursive: true });
  }
});
