/**
 * Writes the matrix (pair × pattern → pass/fail) to docs/interop-matrix.md and into the README
 * between its interop-matrix markers, so the README always shows the last run.
 */
import { writeFileSync } from "node:fs";
import { replaceMarkedBlock } from "@iceoryx2-js/runtimes";
import { fileURLToPath } from "node:url";
import { caseName, modes, patterns, type Case } from "./matrix.js";
import { languages, type Language } from "./peers.js";

const root = (path: string) => fileURLToPath(new URL(`../../../${path}`, import.meta.url));
const names: Record<Language, string> = { node: "Node", deno: "Deno", bun: "Bun", rust: "Rust", python: "Python" };

export type Verdicts = Map<string, boolean>;

function table(cases: readonly Case[], verdicts: Verdicts): string {
  const mark = (c: Case | undefined) => {
    if (c === undefined) return "";
    const verdict = verdicts.get(caseName(c));
    return verdict === undefined ? "–" : verdict ? "✅" : "❌";
  };
  const rows: string[] = [];
  for (const sender of languages) {
    for (const receiver of languages) {
      const pair = cases.filter((c) => c.sender === sender && c.receiver === receiver);
      if (pair.length === 0) continue;
      const cells = patterns.map((p) => {
        const of = (creator: string, mode: string) => pair.find((c) => c.pattern === p && c.creator === creator && c.mode === mode);
        return modes.map((mode) => `${mark(of("sender", mode))} ${mark(of("receiver", mode))}`).join(" · ");
      });
      rows.push(`| ${names[sender]} → ${names[receiver]} | ${cells.join(" | ")} |`);
    }
  }
  return [
    `| sender → receiver | ${patterns.map((p) => p.title).join(" | ")} |`,
    `| --- | ${patterns.map(() => "---").join(" | ")} |`,
    ...rows,
  ].join("\n");
}

export function writeReport(cases: readonly Case[], verdicts: Verdicts, mismatch: { passed: number; total: number }): void {
  const passed = [...verdicts.values()].filter(Boolean).length;
  const summary =
    `${passed} of ${cases.length} runs passed: ${cases.length / patterns.length / 2 / modes.length} ordered pairs × ${patterns.length} patterns × ` +
    `2 creators × 2 modes. Per cell, before the dot: every peer isolated by \`--prefix\`; after it: every peer started as upstream's programs start ` +
    `(no prefix option: each finds the prefix in the working directory's \`config/iceoryx2.toml\`; the Rust peer keeps iceoryx2's signal handling). ` +
    `In each pair of marks, first: the sender created the service; second: the receiver did. ` +
    `Type-mismatch probes: ${mismatch.passed} of ${mismatch.total} passed.`;
  const block = `${summary}\n\n${table(cases, verdicts)}`;
  writeFileSync(
    root("docs/interop-matrix.md"),
    `# Interop matrix\n\nWritten by \`tools/interop/test/matrix.test.ts\` on every test run; the peers and their protocol are in [interop.md](interop.md).\n\n${block}\n`,
  );
  replaceMarkedBlock(root("README.md"), "interop-matrix", block);
}
