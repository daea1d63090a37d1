/**
 * The Bun backend, installed when this module loads. The only native-to-JS call is the reactor's
 * wake-up, through a thread-safe `JSCallback` that Bun queues onto the JS thread.
 */
import { JSCallback, toArrayBuffer, type Pointer } from "bun:ffi";
import { createCAbiBackend, installBackend, type Backend } from "@iceoryx2-js/core-api/runtime";
import { openLibrary } from "./library.js";

/** The Bun backend: the shared C-ABI backend with Bun's pointer views. */
const loadBackend = (): Backend => createCAbiBackend<Pointer | null>({
  runtime: "bun",
  symbols: openLibrary().symbols,
  isNull: (pointer) => pointer === null || pointer === 0,
  arrayBuffer: (pointer, length) => toArrayBuffer(pointer!, 0, length),
  threadSafeCallback: (callback) => new JSCallback(callback, { args: ["f64"], returns: "void", threadsafe: true }).ptr,
});
// Loaded on first use: a missing library fails that call, not the import.
installBackend(loadBackend);


export { LIBRARY_PATH_VARIABLE } from "./library.js";
