import { dlopen, FFIType, type Library } from "bun:ffi";
import { existsSync } from "node:fs";
import { sep } from "node:path";
import { fileURLToPath } from "node:url";
import { C_ABI_SYMBOLS, libraryLoadFailure, type CAbiSymbolName } from "@iceoryx2-js/core-api/runtime";
import { findPackagedLibrary, platformName, PREBUILT_PLATFORMS, workspaceLibraryPath } from "@iceoryx2-js/ffi";

/** Environment variable naming the C-ABI library file to load instead of any other. */
export const LIBRARY_PATH_VARIABLE = "IOX2JS_FFI_PATH";

/** `Deno.dlopen` type names (core-api's one symbol table) in bun:ffi's vocabulary. */
const BUN_TYPE = {
  u32: FFIType.u32,
  i32: FFIType.i32,
  f64: FFIType.f64,
  usize: FFIType.u64,
  buffer: FFIType.ptr,
  pointer: FFIType.ptr,
  function: FFIType.function,
} as const;

type DenoType = keyof typeof BUN_TYPE;

function bunSymbols() {
  const symbols: Record<string, { args: FFIType[]; returns: FFIType }> = {};
  for (const [name, { parameters, result }] of Object.entries(C_ABI_SYMBOLS)) {
    symbols[name] = {
      args: (parameters as readonly DenoType[]).map((type) => BUN_TYPE[type]),
      returns: BUN_TYPE[result as DenoType],
    };
  }
  return symbols as Record<CAbiSymbolName, { args: FFIType[]; returns: FFIType }>;
}

/**
 * Where the library is looked for, in order: a path, or why a place has none. A set
 * `$IOX2JS_FFI_PATH` is the only candidate (a wrong path must not silently load another build).
 * Otherwise the workspace build (`cargo build --release -p iceoryx2-js-ffi`; only when this
 * package runs from a checkout, not from node_modules), then the platform package that
 * `@iceoryx2-js/ffi` installed.
 */
function candidates(): Array<{ readonly path: string } | { readonly failure: string }> {
  const fromVariable = process.env[LIBRARY_PATH_VARIABLE];
  if (fromVariable) return [{ path: fromVariable }];
  const workspaceBuild = workspaceLibraryPath(fileURLToPath(new URL("../../../", import.meta.url)), process.env.CARGO_TARGET_DIR);
  return [...(inCheckout() ? [{ path: workspaceBuild }] : []), findPackagedLibrary()];
}

/** True when this package runs from a source checkout, not from node_modules. */
function inCheckout(): boolean {
  return !fileURLToPath(import.meta.url).split(sep).includes("node_modules");
}

/** Opens the first library that exists; the error names every place tried and why it failed. */
export function openLibrary(): Library<Record<CAbiSymbolName, { args: FFIType[]; returns: FFIType }>> {
  const failures: string[] = [];
  for (const candidate of candidates()) {
    if ("failure" in candidate) {
      failures.push(candidate.failure);
      continue;
    }
    if (!existsSync(candidate.path)) {
      failures.push(`${candidate.path}: not found`);
      continue;
    }
    try {
      return dlopen(candidate.path, bunSymbols());
    } catch (error) {
      failures.push(`${candidate.path}: ${(error as Error).message}`);
    }
  }
  throw libraryLoadFailure({
    library: "the iceoryx2-js native library",
    platform: platformName(),
    failures,
    variable: LIBRARY_PATH_VARIABLE,
    variableSet: Boolean(process.env[LIBRARY_PATH_VARIABLE]),
    inCheckout: inCheckout(),
    packageName: "@iceoryx2-js/bun",
    prebuiltPlatforms: PREBUILT_PLATFORMS,
  });
}
