import { C_ABI_SYMBOLS, Iox2Error } from "@iceoryx2-js/core-api";

/** Environment variable naming the C-ABI library file to load before any other. */
export const LIBRARY_PATH_VARIABLE = "IOX2JS_FFI_PATH";

const LIBRARY_FILE: Record<string, string> = {
  linux: "libiox2js_ffi.so",
  darwin: "libiox2js_ffi.dylib",
  windows: "iox2js_ffi.dll",
};

/**
 * Where the library is looked for: only the variable's path when it is set (a wrong path must
 * not silently load another build), else the workspace build, then the packaged binary.
 */
function candidates(): string[] {
  const file = LIBRARY_FILE[Deno.build.os] ?? "libiox2js_ffi.so";
  const fromVariable = readVariable();
  if (fromVariable) return [fromVariable];
  return [
    new URL(`../../../target/release/${file}`, import.meta.url).pathname,
    new URL(`../native/${file}`, import.meta.url).pathname,
  ];
}

function readVariable(): string | undefined {
  try {
    return Deno.env.get(LIBRARY_PATH_VARIABLE);
  } catch {
    return undefined; // without --allow-env the variable is simply not consulted
  }
}

export type Library = Deno.DynamicLibrary<typeof C_ABI_SYMBOLS>;

/** Opens the first library that exists; the error names every path tried and why it failed. */
export function openLibrary(): Library {
  const failures: string[] = [];
  for (const path of candidates()) {
    try {
      return Deno.dlopen(path, C_ABI_SYMBOLS);
    } catch (error) {
      if (error instanceof Deno.errors.NotCapable || error instanceof Deno.errors.PermissionDenied) {
        throw new Iox2Error(
          "LibraryLoadFailure",
          `loading the iceoryx2-js native library needs FFI permission: run deno with --allow-ffi (${(error as Error).message})`,
          { cause: error },
        );
      }
      failures.push(`${path}: ${(error as Error).message}`);
    }
  }
  throw new Iox2Error(
    "LibraryLoadFailure",
    `cannot load the iceoryx2-js native library; tried:\n  ${failures.join("\n  ")}\n` +
      `build it with 'cargo build --release -p iceoryx2-js-ffi' or set ${LIBRARY_PATH_VARIABLE}`,
  );
}
