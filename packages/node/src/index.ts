/**
 * iceoryx2 zero-copy IPC for Node.js. The public API is core-api's, running over the napi addon.
 * @module
 */
import { installBackend } from "@iceoryx2-js/core-api";
import { createNodeBackend } from "./backend.js";

export const backend = createNodeBackend();
installBackend(backend);

export * from "@iceoryx2-js/core-api";
export { ADDON_PATH_VARIABLE } from "./backend.js";
