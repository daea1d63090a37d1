import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/peer.ts", "src/log-probe.ts", "src/send-probe.ts"],
  outDir: "dist",
  format: ["esm"],
  sourcemap: true,
  clean: true,
  // One self-contained file: the runtime registry (bundled) finds the adapters from the checkout.
  splitting: false,
  target: "es2022",
  external: [/^@iceoryx2-js\//],
  // TypeScript sources (flatc's classes, the runtime registry): bundled into the peer.
  noExternal: ["@iceoryx2-js/flatbuffer-schemas", "@iceoryx2-js/runtimes"],
});
