/**
 * iceoryx2 zero-copy IPC for Deno. The public API is core-api's, running over the project's
 * C-ABI library through `Deno.dlopen`. Needs `--allow-ffi` (and `--allow-env` to honour
 * `IOX2JS_FFI_PATH`).
 * @module
 */
import { createCAbiBackend, installBackend, type Backend } from "@iceoryx2-js/core-api/runtime";
import { openLibrary } from "./library.ts";

/** The Deno backend: the shared C-ABI backend with Deno's pointer views. */
const loadBackend = (): Backend => createCAbiBackend<Deno.PointerValue>({
  runtime: "deno",
  symbols: openLibrary().symbols,
  isNull: (pointer) => pointer === null,
  arrayBuffer: (pointer, length) => Deno.UnsafePointerView.getArrayBuffer(pointer!, length),
  threadSafeCallback: (callback) => {
    const wake = Deno.UnsafeCallback.threadSafe({ parameters: ["f64"], result: "void" } as const, callback);
    // Unreferenced: core-api keeps the event loop alive only while something is awaited.
    wake.unref();
    return wake.pointer;
  },
});
// Loaded on first use: a missing library or FFI permission fails that call, not the import.
installBackend(loadBackend);

export * from "@iceoryx2-js/core-api";
export { LIBRARY_PATH_VARIABLE } from "./library.ts";
