/**
 * The iceoryx2-js adapter of the runtime this peer runs on, so one source serves Node
 * (`@iceoryx2-js/node`), Deno (`packages/deno`, from source) and Bun (`packages/bun`).
 */
type Adapter = typeof import("@iceoryx2-js/node/internal");

export const runtime: "node" | "deno" | "bun" = "Deno" in globalThis ? "deno" : "Bun" in globalThis ? "bun" : "node";

// Specifiers in variables: the Node build must not bundle or type-check the other runtimes'
// adapters. src/*.ts and dist/peer.js both sit one folder below the package.
const adapters = {
  node: "@iceoryx2-js/node/internal",
  deno: new URL("../../deno/src/internal.ts", import.meta.url).href,
  bun: new URL("../../bun/src/internal.ts", import.meta.url).href,
};

export const iox2: Adapter = await import(/* @vite-ignore */ adapters[runtime]);
