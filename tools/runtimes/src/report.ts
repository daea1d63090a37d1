/** Generated report blocks: the suites that write tables into the README and docs/ share this. */
import { readFileSync, writeFileSync } from "node:fs";

/**
 * Replaces what stands between `<!-- name:start -->` and `<!-- name:end -->` in `file` with
 * `block`; a file without both markers is left as it is. Returns whether it was written.
 */
export function replaceMarkedBlock(file: string, name: string, block: string): boolean {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const text = readFileSync(file, "utf8");
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) return false;
  writeFileSync(file, `${text.slice(0, from + start.length)}\n${block}\n${text.slice(to)}`);
  return true;
}
