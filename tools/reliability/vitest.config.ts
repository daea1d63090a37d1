import { defineConfig } from "vitest/config";

// Every case is a whole process (or several); a few at a time keep two cores busy.
export default defineConfig({
  test: { include: ["test/**/*.test.ts"], testTimeout: 120_000, hookTimeout: 60_000, maxConcurrency: 4 },
});
