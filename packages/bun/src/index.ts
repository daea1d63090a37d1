/**
 * iceoryx2 zero-copy IPC for Bun. The public API is core-api's, running over the project's
 * C-ABI library through `bun:ffi`. The only native-to-JS call is the reactor's wake-up, through
 * a thread-safe `JSCallback` that Bun queues onto the JS thread.
 * @module
 */
import { JSCallback, toArrayBuffer, type Pointer } from "bun:ffi";
import { createCAbiBackend, installBackend, type Backend } from "@iceoryx2-js/core-api";
import { openLibrary } from "./library.js";

const library = openLibrary();

/** The Bun backend: the shared C-ABI backend with Bun's pointer views. */
export const backend: Backend = createCAbiBackend<Pointer | null>({
  runtime: "bun",
  symbols: library.symbols,
  isNull: (pointer) => pointer === null || pointer === 0,
  arrayBuffer: (pointer, length) => toArrayBuffer(pointer!, 0, length),
  threadSafeCallback: (callback) => new JSCallback(callback, { args: ["f64"], returns: "void", threadsafe: true }).ptr,
});
installBackend(backend);

export * from "@iceoryx2-js/core-api";
export { LIBRARY_PATH_VARIABLE } from "./library.js";
