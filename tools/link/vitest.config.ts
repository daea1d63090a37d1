import { defineConfig } from "vitest/config";

// One suite on two simulated hosts that share the machine-wide namespaces' setup: its cases run
// one after another (a link drop must not hit another case's traffic).
export default defineConfig({
  test: { include: ["test/**/*.test.ts"], testTimeout: 120_000, hookTimeout: 120_000, fileParallelism: false },
});
