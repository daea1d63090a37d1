import { createRequire } from "node:module";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { Iox2Error, type Backend } from "@iceoryx2-js/core-api";

/** The napi addon's exports (crates/napi/src/lib.rs), as the Node backend uses them. */
interface Addon {
  errorKinds(): string[];
  iceoryx2Version(): string;
  setLogLevel(level: number): void;
  openHandleCount(): number;
  close(handle: number): boolean;
  detach(buffer: ArrayBuffer): void;
  nodeCreate(specJson: string): number;
  nodeName(node: number): string;
  pubsubServiceOpen(node: number, specJson: string): number;
  pubsubServiceInfo(service: number): string;
  publisherCreate(service: number, specJson: string): number;
  subscriberCreate(service: number, specJson: string): number;
  publisherLoan(publisher: number, elements: number, zeroed: boolean, info: Float64Array): ArrayBuffer;
  sampleSend(sample: number, buffer: ArrayBuffer): number;
  sampleRelease(sample: number, buffer: ArrayBuffer): boolean;
  publisherSendCopy(publisher: number, payload: Uint8Array, userHeader: Uint8Array | null): number;
  publisherUpdateConnections(publisher: number): void;
  subscriberReceive(subscriber: number, info: Float64Array): ArrayBuffer | null;
  subscriberHasSamples(subscriber: number): boolean;
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
    openHandleCount: () => addon.openHandleCount(),
    setLogLevel: (level) => addon.setLogLevel(level),
    close: (handle) => addon.close(handle),
    detach: (buffer) => addon.detach(buffer),
    nodeCreate: (spec) => addon.nodeCreate(spec),
    nodeName: (node) => addon.nodeName(node),
    pubSubServiceOpen: (node, spec) => addon.pubsubServiceOpen(node, spec),
    pubSubServiceInfo: (service) => addon.pubsubServiceInfo(service),
    publisherCreate: (service, spec) => addon.publisherCreate(service, spec),
    subscriberCreate: (service, spec) => addon.subscriberCreate(service, spec),
    publisherLoan: (publisher, elements, zeroed) => addon.publisherLoan(publisher, elements, zeroed, sampleInfo),
    sampleSend: (sample, buffer) => addon.sampleSend(sample, buffer),
    sampleRelease: (sample, buffer) => void addon.sampleRelease(sample, buffer),
    publisherSendCopy: (publisher, payload, userHeader) => addon.publisherSendCopy(publisher, payload, userHeader),
    publisherUpdateConnections: (publisher) => addon.publisherUpdateConnections(publisher),
    subscriberReceive: (subscriber) => addon.subscriberReceive(subscriber, sampleInfo),
    subscriberHasSamples: (subscriber) => addon.subscriberHasSamples(subscriber),
  };
}
