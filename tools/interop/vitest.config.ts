import { defineConfig } from "vitest/config";

// Runs are whole processes; four at a time keeps two cores busy while peers start up.
export default defineConfig({
  test: { include: ["test/**/*.test.ts"], testTimeout: 120_000, hookTimeout: 60_000, maxConcurrency: 4 },
});
