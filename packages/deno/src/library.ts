import { Iox2Error } from "@iceoryx2-js/core-api";
import { C_ABI_SYMBOLS, libraryLoadFailure } from "@iceoryx2-js/core-api/runtime";
import { findPackagedLibrary, platformName, PREBUILT_PLATFORMS, workspaceLibraryPath } from "@iceoryx2-js/ffi";

/** Environment variable naming the C-ABI library file to load instead of any other. */
export const LIBRARY_PATH_VARIABLE = "IOX2JS_FFI_PATH";

/**
 * Where the library is looked for, in order: a path, or why a place has none. A set
 * `$IOX2JS_FFI_PATH` is the only candidate (a wrong path must not silently load another build).
 * Otherwise the workspace build (`cargo build --release -p iceoryx2-js-ffi`; only when this
 * module is the checkout's own file, not served from JSR or copied), then the platform package that
 * `npm:@iceoryx2-js/ffi` installed into Deno's npm cache or node_modules.
 */
function candidates(): Array<{ readonly path: string | URL } | { readonly failure: string }> {
  const fromVariable = readVariable(LIBRARY_PATH_VARIABLE);
  if (fromVariable) return [{ path: fromVariable }];
  if (!inCheckout()) return [findPackagedLibrary()];
  const root = decodeURIComponent(new URL("../../../", import.meta.url).pathname);
  return [{ path: workspaceLibraryPath(root, readVariable("CARGO_TARGET_DIR")) }, findPackagedLibrary()];
}

/**
 * True when this module is the checkout's own file (packages/deno/src): not a copy served from
 * JSR, installed in node_modules, or staged by `npm run pack` (whose ../../../ is no checkout's root).
 */
function inCheckout(): boolean {
  return import.meta.url.startsWith("file:") && import.meta.url.endsWith("/packages/deno/src/library.ts");
}

function readVariable(name: string): string | undefined {
  try {
    return Deno.env.get(name);
  } catch {
    return undefined; // without --allow-env the variable is simply not consulted
  }
}

export type Library = Deno.DynamicLibrary<typeof C_ABI_SYMBOLS>;

/** Opens the first library that exists; the error names every place tried and why it failed. */
export function openLibrary(): Library {
  const failures: string[] = [];
  for (const candidate of candidates()) {
    if ("failure" in candidate) {
      failures.push(candidate.failure);
      continue;
    }
    try {
      return Deno.dlopen(candidate.path, C_ABI_SYMBOLS);
    } catch (error) {
      if (error instanceof Deno.errors.NotCapable || error instanceof Deno.errors.PermissionDenied) {
        throw new Iox2Error(
          "LibraryLoadFailure",
          `loading the iceoryx2-js native library needs FFI permission: run deno with --allow-ffi (${(error as Error).message})`,
          { cause: error },
        );
      }
      const shown = candidate.path instanceof URL ? decodeURIComponent(candidate.path.pathname) : candidate.path;
      failures.push(`${shown}: ${(error as Error).message}`);
    }
  }
  throw libraryLoadFailure({
    library: "the iceoryx2-js native library",
    platform: platformName(),
    failures,
    variable: LIBRARY_PATH_VARIABLE,
    variableSet: Boolean(readVariable(LIBRARY_PATH_VARIABLE)),
    inCheckout: inCheckout(),
    packageName: "@iceoryx2-js/ffi (through npm:@iceoryx2-js/ffi)",
    prebuiltPlatforms: PREBUILT_PLATFORMS,
  });
}
