/**
 * The iceoryx2-js adapter of the runtime this example runs on, so one example source serves
 * Node (`@iceoryx2-js/node`), Deno (`@iceoryx2-js/deno`) and Bun (`@iceoryx2-js/bun`). Your own
 * program imports its runtime's adapter directly, e.g. `import { NodeBuilder } from "@iceoryx2-js/node"`.
 */
export { iox2, runtime } from "@iceoryx2-js/runtimes/adapter";
