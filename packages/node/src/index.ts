/**
 * iceoryx2 zero-copy IPC for Node.js. The public API is core-api's, running over the napi addon,
 * which loads on first use: a missing addon fails that call with `LibraryLoadFailure` (check an
 * installation with `libraryInfo()`), never the import.
 * @module
 */
export * from "@iceoryx2-js/core-api";
export { ADDON_PATH_VARIABLE } from "./backend.js";
