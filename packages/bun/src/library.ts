import { dlopen, FFIType, suffix, type Library } from "bun:ffi";
import { existsSync } from "node:fs";
import { C_ABI_SYMBOLS, Iox2Error, type CAbiSymbolName } from "@iceoryx2-js/core-api";

/** Environment variable naming the C-ABI library file to load before any other. */
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

/** Only the variable's path when it is set, else the workspace build, then the packaged binary. */
function candidates(): string[] {
  const file = `${process.platform === "win32" ? "" : "lib"}iox2js_ffi.${suffix}`;
  const fromVariable = process.env[LIBRARY_PATH_VARIABLE];
  if (fromVariable) return [fromVariable];
  return [
    new URL(`../../../target/release/${file}`, import.meta.url).pathname,
    new URL(`../native/${file}`, import.meta.url).pathname,
  ];
}

/** Opens the first library that exists; the error names every path tried and why it failed. */
export function openLibrary(): Library<Record<CAbiSymbolName, { args: FFIType[]; returns: FFIType }>> {
  const failures: string[] = [];
  for (const path of candidates()) {
    if (!existsSync(path)) {
      failures.push(`${path}: not found`);
      continue;
    }
    try {
      return dlopen(path, bunSymbols());
    } catch (error) {
      failures.push(`${path}: ${(error as Error).message}`);
    }
  }
  throw new Iox2Error(
    "LibraryLoadFailure",
    `cannot load the iceoryx2-js native library; tried:\n  ${failures.join("\n  ")}\n` +
      `build it with 'cargo build --release -p iceoryx2-js-ffi' or set ${LIBRARY_PATH_VARIABLE}`,
  );
}
