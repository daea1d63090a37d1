/**
 * Where the prebuilt iceoryx2-js C-ABI library (`crates/ffi`) of this machine is installed.
 * Each supported platform has its own npm package holding the one binary
 * (`@iceoryx2-js/ffi-linux-x64-gnu`, ...); this package lists them all as optional dependencies,
 * so the package manager installs only the matching one. Runs on Deno (through `npm:`) and Bun.
 * @module
 */
import { createRequire } from "node:module";
import { isAbsolute, join } from "node:path";

const require = createRequire(import.meta.url);
const manifest = require("../package.json") as { name: string; optionalDependencies?: Record<string, string> };

/** The library's file name on an operating system (`process.platform` names). */
export function libraryFileName(platform: string = process.platform): string {
  if (platform === "win32") return "iox2js_ffi.dll";
  return platform === "darwin" ? "libiox2js_ffi.dylib" : "libiox2js_ffi.so";
}

/** The platform package's name for an OS and CPU; Linux builds are for glibc. */
export function platformPackageName(platform: string = process.platform, arch: string = process.arch): string {
  const abi = platform === "linux" ? "-gnu" : platform === "win32" ? "-msvc" : "";
  return `${manifest.name}-${platform}-${arch}${abi}`;
}

/**
 * Where `cargo build --release -p iceoryx2-js-ffi` in the checkout at `workspaceRoot` writes the
 * library: under `targetDir` (the caller's `$CARGO_TARGET_DIR`, relative to the workspace root
 * as cargo reads it) when set, else under the workspace's `target/`.
 */
export function workspaceLibraryPath(workspaceRoot: string, targetDir?: string): string {
  const target = targetDir ? (isAbsolute(targetDir) ? targetDir : join(workspaceRoot, targetDir)) : join(workspaceRoot, "target");
  return join(target, "release", libraryFileName());
}

/**
 * The platform packages this version is published with. A checkout's package.json lists none:
 * they are added to the manifest when it is packed (.pnpmfile.cjs at the repository root).
 */
export const PLATFORM_PACKAGES: readonly string[] = Object.keys(manifest.optionalDependencies ?? {});

/** Platform names (e.g. `linux-x64-gnu`) with a prebuilt library: the suffixes of {@link PLATFORM_PACKAGES}. */
export const PREBUILT_PLATFORMS: readonly string[] = PLATFORM_PACKAGES.map((name) => name.slice(manifest.name.length + 1));

/** This machine's platform name, as the platform packages spell it. */
export function platformName(): string {
  return platformPackageName().slice(manifest.name.length + 1);
}

/** The installed library's path, or why there is none. */
export type PackagedLibrary = { readonly path: string } | { readonly failure: string };

/** Looks for the library in this platform's package; never throws. */
export function findPackagedLibrary(): PackagedLibrary {
  const name = platformPackageName();
  if (PLATFORM_PACKAGES.length === 0) {
    return { failure: `${name}: not looked for: a checkout of ${manifest.name} lists no platform packages (packing adds them)` };
  }
  if (!PLATFORM_PACKAGES.includes(name)) {
    return { failure: `${name}: no prebuilt library for this platform (published for ${PLATFORM_PACKAGES.join(", ")})` };
  }
  const file = `${name}/${libraryFileName()}`;
  try {
    return { path: require.resolve(file) };
  } catch {
    return {
      failure: `${file}: not installed (an optional dependency of ${manifest.name}: was it installed with optional dependencies omitted, or on another machine?)`,
    };
  }
}
