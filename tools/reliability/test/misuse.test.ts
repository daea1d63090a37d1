/**
 * The misuse matrix on Node, Deno and Bun: every case of src/misuse-cases.ts runs in a child
 * process of its own (dist/misuse.js), so a crash, abort or hang fails that case and nothing
 * else. A case passes when the child exits 0 after reporting the expected `Iox2Error` kind, a
 * message, and a working follow-up operation.
 *
 * Cases marked `knownDefect` for a runtime reveal a library defect there and are expected to
 * fail (`it.fails`) until it is fixed; they run under a prefix of their own, since a crashed
 * child leaves its files behind.
 */
import { readdirSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { ChildRun, runtimeCommand, RUNTIMES, type Runtime } from "@iceoryx2-js/runtimes";
import { MISUSE_CASES, type MisuseCase } from "../src/misuse-cases.js";

const prefix = `iox2js_misuse_${process.pid}_`;
const defectPrefix = `iox2js_misusedefect_${process.pid}_`;
const entry = fileURLToPath(new URL("../dist/misuse.js", import.meta.url));
/** Generous for a process that starts, runs one case and exits in well under a second. */
const CHILD_TIMEOUT_MS = 20_000;

function misuseProcess(runtime: Runtime, args: string[]): ChildRun {
  const [file, runtimeArgs] = runtimeCommand(runtime, entry);
  return new ChildRun(`${runtime} misuse ${args.join(" ")}`, [file, [...runtimeArgs, ...args]]);
}

const hasDefect = (testCase: MisuseCase, runtime: Runtime) => testCase.knownDefect?.runtimes.includes(runtime) === true;

/**
 * Entries of `prefixes` in /dev/shm and under /tmp/iceoryx2. iceoryx2 keeps one global
 * management segment per prefix for the machine's lifetime by design.
 */
function leftovers(prefixes: string[], { withGlobal }: { withGlobal: boolean }): string[] {
  const found: string[] = [];
  for (const dir of ["/dev/shm", "/tmp/iceoryx2/nodes", "/tmp/iceoryx2/services"]) {
    let entries: string[] = [];
    try {
      entries = readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of entries) {
      if (prefixes.some((p) => name.startsWith(p)) && (withGlobal || !name.endsWith(".global_mgmt"))) found.push(`${dir}/${name}`);
    }
  }
  return found;
}

afterAll(() => {
  for (const path of leftovers([prefix, defectPrefix], { withGlobal: true })) rmSync(path, { recursive: true, force: true });
});

describe.concurrent("misuse --list", () => {
  for (const runtime of RUNTIMES) {
    it(`${runtime} lists every case`, async () => {
      const child = misuseProcess(runtime, ["--list"]);
      expect(await child.exitCode(CHILD_TIMEOUT_MS), child.describe()).toBe(0);
      expect(child.lines).toEqual(MISUSE_CASES.map((testCase) => testCase.name));
    });
  }
});

describe.concurrent("misuse matrix", () => {
  for (const runtime of RUNTIMES) {
    for (const testCase of MISUSE_CASES) {
      const defect = hasDefect(testCase, runtime);
      const title = `${runtime}: ${testCase.name} → ${testCase.kind}${defect ? ` (known defect: ${testCase.knownDefect!.description})` : ""}`;
      (defect ? it.fails : it)(title, async () => {
        const child = misuseProcess(runtime, [testCase.name, "--prefix", defect ? defectPrefix : prefix]);
        const code = await child.exitCode(testCase.timeoutMs ?? CHILD_TIMEOUT_MS);
        // A crash shows as a signal exit (128 + n), a hang as -1: either way with everything printed.
        expect(code, child.describe()).toBe(0);
        const line = child.lines.find((l) => l.startsWith("result "));
        expect(line, child.describe()).toBeDefined();
        const result = JSON.parse(line!.slice("result ".length)) as Record<string, unknown>;
        expect(result).toMatchObject({ case: testCase.name, errorKind: testCase.kind, followUp: "ok" });
        expect(result.message).toMatch(/\S/);
      });
    }
  }
});

describe("after the matrix", () => {
  it("left nothing under the prefix but iceoryx2's management segment", () => {
    expect(leftovers([prefix], { withGlobal: false })).toEqual([]);
  });
});
