/**
 * iceoryx2 zero-copy IPC for Bun. The public API is core-api's, running over the project's
 * C-ABI library through `bun:ffi`, which loads on first use: a missing library fails that call
 * with `LibraryLoadFailure` (check an installation with `libraryInfo()`), never the import.
 * @module
 */
export * from "@iceoryx2-js/core-api";
export { LIBRARY_PATH_VARIABLE } from "./backend.js";
