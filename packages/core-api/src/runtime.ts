/**
 * The seam a runtime adapter implements and installs: the backend interface, the backend over
 * the C ABI that Deno and Bun share, and the library-load error. Applications import a runtime
 * adapter (`@iceoryx2-js/node`, `/deno`, `/bun`) instead; this is its contract with core-api.
 * @module
 */
export { installBackend, currentBackend, SampleInfo, SAMPLE_INFO_LENGTH, VIEW_START, type Backend, type BackendSource, type Handle, type NativeOperations } from "./native/backend.js";
export { createCAbiBackend, C_ABI_SYMBOLS, C_ABI_VERSION, type CAbiRuntime, type CAbiSymbolName } from "./native/c-abi.js";
export { libraryLoadFailure, type LibrarySearch } from "./native/library-load.js";
