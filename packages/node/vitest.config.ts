import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    pool: "forks",
    // GC-reclaim tests call global.gc().
    execArgv: ["--expose-gc"],
    testTimeout: 30_000,
  },
});
