/**
 * iceoryx2 zero-copy IPC for Bun. The public API is core-api's, running over the project's
 * C-ABI library through `bun:ffi`. No native code ever calls back into JavaScript (bun:ffi
 * callbacks from native threads are unsafe).
 * @module
 */
import { toArrayBuffer, type Pointer } from "bun:ffi";
import { createCAbiBackend, installBackend, type Backend } from "@iceoryx2-js/core-api";
import { openLibrary } from "./library.js";

const library = openLibrary();

/** The Bun backend: the shared C-ABI backend with Bun's pointer views. */
export const backend: Backend = createCAbiBackend<Pointer | null>({
  runtime: "bun",
  symbols: library.symbols,
  isNull: (pointer) => pointer === null || pointer === 0,
  arrayBuffer: (pointer, length) => toArrayBuffer(pointer!, 0, length),
});
installBackend(backend);

export * from "@iceoryx2-js/core-api";
export { LIBRARY_PATH_VARIABLE } from "./library.js";
