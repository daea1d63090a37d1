/**
 * What runtime adapters and this project's tests, benchmarks and tools use beyond the public
 * API: the backend interface, the native call layer and the shared C-ABI backend. Not a stable
 * interface; applications import a runtime adapter instead.
 * @module
 */
export { installBackend, currentBackend, SampleInfo, VIEW_START, type Backend, type BackendSource, type Handle } from "./backend.js";
export { Native, nativeFor } from "./native.js";
export type { OpNames } from "./generated/control.js";
export { openHandleCount, errorKindsMatch } from "./diagnostics.js";
export { layoutRecord, type LayoutRecord, type LayoutRole } from "./layout-attribute.js";
export { createCAbiBackend, C_ABI_SYMBOLS, C_ABI_VERSION, type CAbiRuntime, type CAbiSymbolName } from "./c-abi.js";
export { libraryLoadFailure, type LibrarySearch } from "./library-load.js";
export { nodeBuilderOver } from "./node.js";
