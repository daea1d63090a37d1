/**
 * The public API of the adapter of the runtime this process runs on, loaded through the
 * registry: one source serves Node, Deno and Bun.
 */
import { adapterSpecifier, runtime } from "./registry.js";

export { runtime };
// A specifier in a variable: a tool's bundle must not take in any runtime's adapter.
export const iox2: typeof import("@iceoryx2-js/node") = await import(/* @vite-ignore */ adapterSpecifier("public"));
