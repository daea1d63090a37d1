/**
 * The runtime registry (which runtime, where its adapter and executable are, how to run a
 * script on it) and the child-process harness the process-based suites use. The adapter of the
 * current runtime is on the `./adapter` and `./adapter/internal` subpaths.
 */
export * from "./registry.js";
export * from "./harness.js";
