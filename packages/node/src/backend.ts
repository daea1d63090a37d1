import { createRequire } from "node:module";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { Iox2Error, type Backend } from "@iceoryx2-js/core-api";

/** The napi addon's exports (crates/napi/src/lib.rs). */
interface Addon {
  errorKinds(): string[];
  iceoryx2Version(): string;
  detach(buffer: ArrayBuffer): void;
  control(op: string, handle: number, argsJson: string): string;
  call(op: number, handle: number, arg: number): number;
  memory(op: number, handle: number, a: number, b: number, info: Float64Array): ArrayBuffer | null;
  consume(op: number, handle: number, buffer: ArrayBuffer | null, arg: number): number;
  sendCopy(op: number, handle: number, payload: Uint8Array, header: Uint8Array | null): number;
  wakerStart(callback: (token: number) => void): void;
}

/** Environment variable naming the addon file to load instead of the built or packaged one. */
export const ADDON_PATH_VARIABLE = "IOX2JS_NAPI_PATH";

/** napi-rs's platform name, e.g. `linux-x64-gnu`. */
function platformTriple(): string {
  if (process.platform !== "linux") return `${process.platform}-${process.arch}`;
  const report = process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined;
  const libc = report?.header?.glibcVersionRuntime === undefined ? "musl" : "gnu";
  return `linux-${process.arch}-${libc}`;
}

/** Loads the addon: only `$IOX2JS_NAPI_PATH` when set, else the build in `native/`. */
function loadAddon(): Addon {
  const require = createRequire(import.meta.url);
  const here = dirname(fileURLToPath(import.meta.url));
  const fromVariable = process.env[ADDON_PATH_VARIABLE];
  const candidates = fromVariable ? [fromVariable] : [join(here, "..", "native", `iox2js.${platformTriple()}.node`)];
  const failures: string[] = [];
  for (const path of candidates) {
    if (!existsSync(path)) {
      failures.push(`${path}: not found`);
      continue;
    }
    try {
      return require(path) as Addon;
    } catch (error) {
      failures.push(`${path}: ${(error as Error).message}`);
    }
  }
  throw new Iox2Error(
    "LibraryLoadFailure",
    `cannot load the iceoryx2-js Node addon for ${platformTriple()}; tried:\n  ${failures.join("\n  ")}\n` +
      `build it with 'pnpm --filter @iceoryx2-js/node build:native' or set ${ADDON_PATH_VARIABLE}`,
  );
}

/** The Node backend: the napi addon, called directly (it already speaks the backend's conventions). */
export function createNodeBackend(): Backend {
  const addon = loadAddon();
  const sampleInfo = new Float64Array(4);
  return {
    runtime: "node",
    iceoryx2Version: addon.iceoryx2Version(),
    sampleInfo,
    errorKinds: () => addon.errorKinds(),
    control: (op, handle, argsJson) => addon.control(op, handle, argsJson),
    call: (op, handle, arg) => addon.call(op, handle, arg),
    memory: (op, handle, a, b) => addon.memory(op, handle, a, b, sampleInfo),
    consume: (op, handle, buffer, arg) => addon.consume(op, handle, buffer, arg),
    sendCopy: (op, handle, payload, header) => addon.sendCopy(op, handle, payload, header),
    detach: (buffer) => addon.detach(buffer),
    startWaker: (onWake) => addon.wakerStart(onWake),
  };
}
