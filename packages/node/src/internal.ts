/**
 * This project's tests, benchmarks and tools: the public API, core-api's internals and the
 * loaded backend (importing this entry loads the addon). Not a stable interface.
 * @module
 */
import { currentBackend } from "@iceoryx2-js/core-api/internal";

// Each entry re-exports core-api itself: esbuild drops `export *` of an external module that
// sits in a chunk shared by two entries.
export * from "@iceoryx2-js/core-api";
export * from "@iceoryx2-js/core-api/internal";
export { ADDON_PATH_VARIABLE } from "./backend.js";
export type { Addon } from "./generated/addon.js";
export const backend = currentBackend();
