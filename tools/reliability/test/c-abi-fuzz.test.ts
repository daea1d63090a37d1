/**
 * Every native entry point of iceoryx2-js, fuzzed from JavaScript on each runtime
 * (`src/fuzz-native.ts`: the napi exports on Node, every C-ABI symbol through Deno's and Bun's
 * FFI). Each runtime gets a child process, so a crash fails the test instead of the run; the
 * seed is in every failure message (rerun with IOX2JS_FUZZ_SEED=<seed>).
 */
import { describe, expect, it } from "vitest";
import { ChildRun, RUNTIMES, runtimeCommand } from "@iceoryx2-js/runtimes";
import { prefixEntries, removePrefixEntries, script } from "../src/shared-crash-processes.js";

const ITERATIONS = Number(process.env.IOX2JS_FUZZ_ITERATIONS ?? 5000);
const fixedSeed = process.env.IOX2JS_FUZZ_SEED;

describe("C ABI and napi argument validation", () => {
  for (const runtime of RUNTIMES) {
    it(`${runtime}: random handles, codes, numbers, names and buffers give typed errors, never a crash`, async () => {
      const seed = fixedSeed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(fixedSeed);
      const prefix = `iox2js_fuzz_native_${runtime}_${process.pid}_${seed}_`;
      const [file, args] = runtimeCommand(runtime, script("fuzz-native"));
      const run = new ChildRun(`fuzz-native on ${runtime}, seed ${seed}`, [
        file,
        [...args, "--seed", String(seed), "--iterations", String(ITERATIONS), "--prefix", prefix],
      ]);
      try {
        const code = await run.exitCode(100_000);
        const context = `seed ${seed} (IOX2JS_FUZZ_SEED=${seed} reproduces it; --trace prints each call)\n${run.describe()}`;
        expect(code, context).toBe(0);
        const done = run.lines.find((line) => line.startsWith("FUZZ_DONE "));
        expect(done, context).toBeDefined();
        const summary = JSON.parse(done!.slice("FUZZ_DONE ".length)) as { iterations: number; failures: number; outcomes: Record<string, number> };
        expect(summary.failures, context).toBe(0);
        // Calls that succeeded as well as typed failures: the fuzz reaches past argument checks.
        const succeeded = Object.entries(summary.outcomes).filter(([outcome]) => outcome.endsWith(" ok")).reduce((sum, [, n]) => sum + n, 0);
        expect(succeeded, context).toBeGreaterThan(ITERATIONS / 20);
        expect(prefixEntries(prefix, { withGlobal: false }), `files left after every handle was closed; ${context}`).toEqual([]);
      } finally {
        run.kill();
        removePrefixEntries(prefix);
      }
    }, 120_000);
  }
});
