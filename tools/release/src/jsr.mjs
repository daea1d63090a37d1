// @ts-check
/**
 * Stages the JSR package (packages/deno) in a directory outside the workspace, exactly as it is
 * published: the files of `publish.include`, and a deno.json without `nodeModulesDir`, so Deno
 * resolves its `npm:` imports from a registry into its own cache, as it does for users. (Inside
 * the workspace Deno would resolve them from pnpm's node_modules instead, and offer to rewrite
 * the root package.json from pnpm-workspace.yaml.)
 *
 *   node jsr.mjs --stage DIR            stage into DIR
 *   node jsr.mjs --publish [--dry-run]  stage into a temp directory and run `deno publish` there
 *                                       (in the release workflow: keyless, through GitHub's OIDC)
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { parseArgs } from "node:util";
import { pathToFileURL } from "node:url";
import { readJson, ROOT } from "./workspace.mjs";

const PACKAGE_DIR = join(ROOT, "packages/deno");

/**
 * Turns a `publish.include` entry (`dir/**\/*.ext` or a file) into a test on relative paths.
 * @param {string} pattern
 */
function matcher(pattern) {
  const glob = /^(.*)\/\*\*\/\*(\.\w+)$/.exec(pattern);
  if (glob) return (/** @type {string} */ path) => path.startsWith(`${glob[1]}/`) && path.endsWith(glob[2] ?? "");
  if (pattern.includes("*")) throw new Error(`publish.include pattern not understood: ${pattern}`);
  return (/** @type {string} */ path) => path === pattern;
}

/** @param {string} dir @returns {string[]} */
function filesUnder(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.name === "node_modules" ? [] : entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

/**
 * @param {string} destination an empty or new directory
 * @returns {string[]} the staged files, relative to `destination`
 */
export function stageJsrPackage(destination) {
  const { nodeModulesDir: _workspaceOnly, ...manifest } = readJson(join(PACKAGE_DIR, "deno.json"));
  const included = (manifest.publish?.include ?? []).map(matcher);
  const files = filesUnder(PACKAGE_DIR)
    .map((path) => relative(PACKAGE_DIR, path))
    .filter((path) => path !== "deno.json" && included.some((/** @type {(path: string) => boolean} */ test) => test(path)));
  mkdirSync(destination, { recursive: true });
  for (const file of files) cpSync(join(PACKAGE_DIR, file), join(destination, file), { recursive: true });
  writeFileSync(join(destination, "deno.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  return [...files, "deno.json"].sort();
}

/** The Deno binary the repository installs (npm package `deno`, a dev dependency of packages/deno). */
export const DENO = join(PACKAGE_DIR, "node_modules", "deno", process.platform === "win32" ? "deno.exe" : "deno");

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { values } = parseArgs({ options: { stage: { type: "string" }, publish: { type: "boolean" }, "dry-run": { type: "boolean" } } });
  const destination = values.stage ?? (values.publish ? mkdtempSync(join(tmpdir(), "iox2js-jsr-")) : undefined);
  if (!destination) throw new Error("usage: node jsr.mjs --stage DIR | --publish [--dry-run]");
  console.log(`staged @iceoryx2-js/deno into ${destination}: ${stageJsrPackage(destination).join(", ")}`);
  if (values.publish) {
    const args = ["publish", ...(values["dry-run"] ? ["--dry-run"] : [])];
    const { status } = spawnSync(DENO, args, { cwd: destination, stdio: "inherit" });
    process.exit(status ?? 1);
  }
}
