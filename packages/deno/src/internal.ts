/**
 * This project's tests, benchmarks and tools: the public API, core-api's internals and the
 * loaded backend (importing this entry loads the library). Not a stable interface.
 * @module
 */
import { currentBackend, type Backend } from "@iceoryx2-js/core-api/internal";

export * from "./mod.ts";
export * from "@iceoryx2-js/core-api/internal";
// Typed explicitly: JSR refuses inferred types in the public API ("slow types").
export const backend: Backend = currentBackend();
