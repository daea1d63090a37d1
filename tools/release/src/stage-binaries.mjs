// @ts-check
/**
 * Copies built binaries into their platform packages (packages/node/npm/<platform>,
 * packages/ffi/npm/<platform>), the only place packing and publishing take them from.
 *
 *   node stage-binaries.mjs                     this machine's build: packages/node/native and target/release
 *   node stage-binaries.mjs --from DIR --all    release: DIR/<platform>/ holds each target's two files;
 *                                               --all fails unless every configured target is there
 */
import { copyFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { hostTarget, ROOT, targets } from "./workspace.mjs";

/**
 * @param {{ from?: string, all?: boolean }} options
 * @returns {string[]} the platforms staged
 */
export function stageBinaries({ from, all = false } = {}) {
  const wanted = from ? targets() : [hostTarget()].filter((target) => target !== undefined);
  if (wanted.length === 0) throw new Error(`${process.platform}-${process.arch} is not a configured target (packages/node/package.json napi.targets)`);
  const staged = [];
  const missing = [];
  for (const target of wanted) {
    const sources = from
      ? { node: join(from, target.platform, target.node.file), ffi: join(from, target.platform, target.ffi.file) }
      : { node: join(ROOT, "packages/node/native", target.node.file), ffi: join(ROOT, "target/release", target.ffi.file) };
    const absent = Object.values(sources).filter((path) => !existsSync(path));
    if (absent.length > 0) {
      missing.push(...absent);
      continue;
    }
    copyFileSync(sources.node, join(target.node.dir, target.node.file));
    copyFileSync(sources.ffi, join(target.ffi.dir, target.ffi.file));
    staged.push(target.platform);
  }
  if (missing.length > 0 && (all || !from)) {
    throw new Error(`binaries missing (build them first: docs/distribution.md):\n  ${missing.join("\n  ")}`);
  }
  return staged;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { values } = parseArgs({ options: { from: { type: "string" }, all: { type: "boolean" } } });
  console.log(`staged: ${stageBinaries(values).join(", ")}`);
}
