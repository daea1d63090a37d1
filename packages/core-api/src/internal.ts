/**
 * What this project's tests, benchmarks and tools use beyond the public API: the runtime seam,
 * the native call layer, diagnostics and layout records. Not a stable interface.
 * @module
 */
export * from "./runtime.js";
export { Native, nativeFor } from "./native/native.js";
export { CONTROL_HANDLE_KINDS, type OpNames } from "./generated/control.js";
export { OPERATION_SYMBOLS } from "./generated/operations.js";
export { openHandleCount, errorKindsMatch } from "./node/diagnostics.js";
export { layoutRecord, type LayoutRecord, type LayoutRole } from "./layout/attribute.js";
export { nodeBuilderOver } from "./node/node.js";
