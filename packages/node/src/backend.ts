import { createRequire } from "node:module";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join, sep } from "node:path";
import { installBackend, libraryLoadFailure, type Backend } from "@iceoryx2-js/core-api/runtime";
import type { Addon } from "./generated/addon.js";

/** Environment variable naming the addon file to load instead of the built or packaged one. */
export const ADDON_PATH_VARIABLE = "IOX2JS_NAPI_PATH";

const require = createRequire(import.meta.url);
const manifest = require("../package.json") as { name: string; optionalDependencies?: Record<string, string> };
/**
 * The platform packages this version is published with. A checkout's package.json lists none:
 * they are added to the manifest when it is packed (.pnpmfile.cjs at the repository root).
 */
const platformPackages = Object.keys(manifest.optionalDependencies ?? {});

/** napi-rs's platform name, e.g. `linux-x64-gnu`: the suffix of the addon file and platform package. */
function platformTriple(): string {
  if (process.platform === "win32") return `win32-${process.arch}-msvc`;
  if (process.platform !== "linux") return `${process.platform}-${process.arch}`;
  const report = process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined;
  const libc = report?.header?.glibcVersionRuntime === undefined ? "musl" : "gnu";
  return `linux-${process.arch}-${libc}`;
}

/** One place an addon may come from: a file, or the platform package resolved by name. */
type Candidate = { readonly file: string } | { readonly packageName: string };

/**
 * Where the addon is looked for, in order. A set `$IOX2JS_NAPI_PATH` is the only candidate: a
 * wrong path must not silently load another build. Otherwise the local build in `native/`
 * (`napi build --platform`, present only in a checkout), then this platform's npm package.
 */
function candidates(triple: string): Candidate[] {
  const fromVariable = process.env[ADDON_PATH_VARIABLE];
  if (fromVariable) return [{ file: fromVariable }];
  const here = dirname(fileURLToPath(import.meta.url));
  return [{ file: join(here, "..", "native", `iox2js.${triple}.node`) }, { packageName: `${manifest.name}-${triple}` }];
}

/** Node's own first sentence of a load error, without its generic advice about "main" entries. */
function firstSentence(message: string): string {
  return message.split("\n")[0]!.replace(/\. Please verify that the package\.json has a valid "main" entry$/, "");
}

/** Loads the first candidate that exists; the error names each one tried and why it failed. */
function loadAddon(): Addon {
  const triple = platformTriple();
  const failures: string[] = [];
  for (const candidate of candidates(triple)) {
    if ("file" in candidate) {
      if (!existsSync(candidate.file)) {
        failures.push(`${candidate.file}: not found`);
        continue;
      }
      try {
        return require(candidate.file) as Addon;
      } catch (error) {
        failures.push(`${candidate.file}: ${firstSentence((error as Error).message)}`);
      }
    } else if (platformPackages.length === 0) {
      failures.push(`${candidate.packageName}: not looked for: a checkout of ${manifest.name} lists no platform packages (packing adds them)`);
    } else if (!platformPackages.includes(candidate.packageName)) {
      failures.push(`${candidate.packageName}: no prebuilt addon for this platform (published for ${platformPackages.join(", ")})`);
    } else {
      try {
        return require(candidate.packageName) as Addon;
      } catch (error) {
        const notInstalled = (error as { code?: string }).code === "MODULE_NOT_FOUND" && (error as Error).message.includes(`'${candidate.packageName}'`);
        failures.push(
          notInstalled
            ? `${candidate.packageName}: not installed (an optional dependency of ${manifest.name}: was it installed with optional dependencies omitted, or on another machine?)`
            : `${candidate.packageName}: ${firstSentence((error as Error).message)}`,
        );
      }
    }
  }
  const prefix = `${manifest.name}-`;
  throw libraryLoadFailure({
    library: "the iceoryx2-js Node addon",
    platform: triple,
    failures,
    variable: ADDON_PATH_VARIABLE,
    variableSet: Boolean(process.env[ADDON_PATH_VARIABLE]),
    inCheckout: !fileURLToPath(import.meta.url).split(sep).includes("node_modules"),
    packageName: manifest.name,
    prebuiltPlatforms: platformPackages.map((name) => name.slice(prefix.length)),
  });
}

/** The Node backend: the napi addon, called directly (it already speaks the backend's conventions). */
export function createNodeBackend(): Backend {
  const addon = loadAddon();
  const sampleInfo = new Float64Array(addon.sampleInfoBuffer());
  return {
    runtime: "node",
    iceoryx2Version: addon.iceoryx2Version(),
    sampleInfo,
    errorKinds: () => addon.errorKinds(),
    control: (op, handle, argsJson) => addon.control(op, handle, argsJson),
    operations: addon.operations(),
    detach: (buffer) => addon.detach(buffer),
    startWaker: (onWake) => addon.wakerStartOnLoop(onWake),
  };
}

// Loaded on first use: a missing addon fails that call with LibraryLoadFailure, not the import.
installBackend(createNodeBackend);
