/**
 * The adapter of the runtime this process runs on with this project's internals (the loaded
 * backend, the native call layer, operation symbols), loaded through the registry.
 */
import { adapterSpecifier, runtime } from "./registry.js";

export { runtime };
// A specifier in a variable: a tool's bundle must not take in any runtime's adapter.
export const iox2: typeof import("@iceoryx2-js/node/internal") = await import(/* @vite-ignore */ adapterSpecifier("internal"));
