/**
 * Runs the interop matrix and the type-mismatch probes with real peer processes (Node, Deno,
 * Bun over this project; Rust on the iceoryx2 crate; Python on PyPI's iceoryx2), then writes the
 * report. Every run gets its own service name inside this file's own iceoryx2 prefix.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { caseName, cases, patterns, runCase } from "./matrix.js";
import { missingPeers, Peer, typescriptRuntimes } from "./peers.js";
import { writeReport, type Verdicts } from "./report.js";

const prefix = `iox2js_interop_${process.pid}_`;
/** The working directory of the config-file mode: its config/iceoryx2.toml sets the same prefix. */
const configDirectory = mkdtempSync(join(tmpdir(), "iox2js-interop-"));
mkdirSync(join(configDirectory, "config"));
/** The binary schemas of the flatbuffer pattern (tools/flatbuffer-schemas). */
const flatbufferSchemas = fileURLToPath(new URL("../../flatbuffer-schemas/bfbs", import.meta.url));
writeFileSync(
  join(configDirectory, "config", "iceoryx2.toml"),
  `[global]\nprefix = "${prefix}"\n\n[global.service]\nflatbuffer-schema-path = "${flatbufferSchemas}"\n`,
);
/** Each pattern's digest at the matrix's counts, computed from docs/interop.md by a separate script. */
const referenceDigests: Record<string, string> = {
  "pubsub-u64": "71e6f2fea9177e90",
  "pubsub-struct": "daf46885b45d0db6",
  "pubsub-slice-header": "d90ba035e79e0745",
  "pubsub-complex": "37ab1e84111caf09",
  "pubsub-flatbuffer": "0fdf142ddd06854e",
  event: "7c33ed2f09ee8ee5",
  "request-response": "fc319fae055002eb",
  blackboard: "d5f6da65ca52d333",
};
const verdicts: Verdicts = new Map();
const digests = new Map<string, Set<string>>();
const mismatch = { passed: 0, total: 0 };
let runs = 0;
const serviceName = (label: string) => `interop/${label}/${++runs}`;

/**
 * This prefix's files: shared memory in /dev/shm and node/service files under /tmp/iceoryx2.
 * iceoryx2 keeps one global management segment per prefix for the machine's lifetime by design.
 */
function leftovers({ withGlobal }: { withGlobal: boolean }): string[] {
  const found: string[] = [];
  const scan = (dir: string) => {
    let entries: string[] = [];
    try {
      entries = readdirSync(dir);
    } catch {
      return;
    }
    for (const entry of entries) if (entry.startsWith(prefix) && (withGlobal || !entry.endsWith(".global_mgmt"))) found.push(`${dir}/${entry}`);
  };
  scan("/dev/shm");
  scan("/tmp/iceoryx2/nodes");
  scan("/tmp/iceoryx2/services");
  return found;
}

beforeAll(() => {
  const missing = missingPeers();
  if (missing.length > 0) throw new Error(`peer executables missing (run the package's build:native/build and python/setup.sh): ${missing.join(", ")}`);
});

afterAll(() => {
  for (const file of leftovers({ withGlobal: true })) rmSync(file, { recursive: true, force: true });
  rmSync(configDirectory, { recursive: true, force: true });
  writeReport(cases, verdicts, mismatch);
});

describe.concurrent("interop matrix", () => {
  for (const testCase of cases) {
    const name = caseName(testCase);
    it(name, async () => {
      verdicts.set(name, false);
      const { sent, received } = await runCase(testCase, { prefix, configDirectory, flatbufferSchemas }, serviceName(testCase.pattern.id));
      expect(sent).toMatchObject({ role: testCase.pattern.sender, count: testCase.pattern.count });
      expect(received).toMatchObject({ role: testCase.pattern.receiver, count: testCase.pattern.count });
      expect(received.digest).toMatch(/^[0-9a-f]{16}$/);
      expect(received.digest).toBe(sent.digest);
      const seen = digests.get(testCase.pattern.id) ?? new Set();
      digests.set(testCase.pattern.id, seen.add(sent.digest!));
      verdicts.set(name, true);
    });
  }
});

/** The TS opener must be refused with IncompatibleTypes by a service Rust or Python created. */
const probes = [
  { payload: "TransmissionData", cases: ["struct-size", "slice-vs-fixed"] },
  // iceoryx2 accepts an opener aligned less than the service, so the probe needs a pack(4) creator.
  { payload: "TransmissionData-align4", cases: ["struct-alignment"] },
  { payload: "u64", cases: ["wrong-primitive", "wrong-width"] },
];

describe("type mismatches against Rust and Python creators", () => {
  for (const creatorLanguage of ["rust", "python"] as const) {
    for (const { payload, cases: probeCases } of probes) {
      it(`${creatorLanguage} creates a ${payload} service; TS openers on every runtime get IncompatibleTypes`, async () => {
        const service = serviceName(`mismatch-${payload}`);
        const common = ["--service", service, "--prefix", prefix, "--count", "1", "--payload", payload];
        const creator = new Peer(creatorLanguage, ["publisher", ...common, "--create"]);
        try {
          await creator.ready();
          const probeRuns = typescriptRuntimes.flatMap((runtime) => probeCases.map((probe) => ({ runtime, probe })));
          mismatch.total += probeRuns.length;
          for (const { runtime, probe } of probeRuns) {
            const opener = new Peer(runtime, ["mismatch", ...common, "--open", "--case", probe]);
            const [result, exitCode] = await Promise.all([opener.result(), opener.exitCode()]).finally(() => opener.kill());
            expect({ runtime, probe, kind: result.errorKind, exitCode }).toEqual({ runtime, probe, kind: "IncompatibleTypes", exitCode: 0 });
            expect(result.message).toMatch(/TransmissionData|u64/);
            mismatch.passed++;
          }
          creator.send("go");
          await creator.result();
          expect(await creator.finish()).toBe(0);
        } finally {
          creator.kill();
        }
      });
    }
  }
});

describe("after the matrix", () => {
  it("every pair computed the same digest for each pattern, the one docs/interop.md defines", () => {
    for (const pattern of patterns) {
      expect([pattern.id, [...(digests.get(pattern.id) ?? [])]]).toEqual([pattern.id, [referenceDigests[pattern.id]]]);
    }
  });

  it("every peer released its shared memory and node files", () => {
    expect(leftovers({ withGlobal: false })).toEqual([]);
  });
});
