// @ts-check
/**
 * Keeps what a release carries consistent, so `changeset version` plus this script is the whole
 * version bump:
 * - every configured target (napi `targets`) has its two platform packages with matching
 *   `os`/`cpu`/`libc` and a row in the release matrix; @iceoryx2-js/node and @iceoryx2-js/ffi list
 *   no optional dependencies in the repository (packing adds the platform packages:
 *   .pnpmfile.cjs, workspace.mjs `platformOptionalDependencies`);
 * - every publishable package has the same version, the changeset fixed group lists exactly
 *   the workspace's ones (the platform packages are not workspace projects: `--write` carries
 *   the version into them), and the JSR manifest (packages/deno/deno.json) carries that version
 *   in its own version and in its `npm:` imports;
 * - every publishable package's README states the iceoryx2 version pinned in Cargo.toml.
 *
 *   node check-release.mjs           report problems, exit 1 if any
 *   node check-release.mjs --write   first rewrite what can be derived (deno.json, README lines)
 *   node check-release.mjs --repository OWNER/NAME
 *                                    also require every npm package's `repository` to name that
 *                                    GitHub repository, which npm's provenance check insists on
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { iceoryx2Version, publishablePackages, readJson, ROOT, targets } from "./workspace.mjs";

const README_LINE = /^iceoryx2 version: \*\*([^*]+)\*\*$/m;

/**
 * @param {{ write?: boolean, repository?: string }} options
 * @returns {string[]} the problems found (after writing, when asked to)
 */
export function checkRelease({ write = false, repository } = {}) {
  /** @type {string[]} */
  const problems = [];
  const packages = publishablePackages();
  const version = readJson(join(ROOT, "packages/core-api/package.json")).version;

  // Platform packages against the configured targets.
  const configured = targets();
  for (const [kind, parent] of /** @type {const} */ ([["node", "@iceoryx2-js/node"], ["ffi", "@iceoryx2-js/ffi"]])) {
    const folders = readdirSync(join(ROOT, "packages", kind, "npm"), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    const expected = configured.map((target) => target.platform);
    for (const extra of folders.filter((folder) => !expected.includes(folder))) {
      problems.push(`packages/${kind}/npm/${extra}: not a configured target (packages/node/package.json napi.targets)`);
    }
    for (const target of configured) {
      const { dir, file } = target[kind];
      const where = `packages/${kind}/npm/${target.platform}/package.json`;
      let manifest;
      try {
        manifest = readJson(join(dir, "package.json"));
      } catch {
        problems.push(`${where}: missing`);
        continue;
      }
      const want = { name: `${parent}-${target.platform}`, os: [target.os], cpu: [target.cpu], libc: target.libc ? [target.libc] : undefined, files: [file] };
      for (const [field, value] of Object.entries(want)) {
        if (JSON.stringify(manifest[field]) !== JSON.stringify(value)) problems.push(`${where}: "${field}" is ${JSON.stringify(manifest[field])}, expected ${JSON.stringify(value)}`);
      }
      if (kind === "node" && manifest.main !== file) problems.push(`${where}: "main" must be ${file}`);
    }
    const optional = Object.keys(readJson(join(ROOT, "packages", kind, "package.json")).optionalDependencies ?? {});
    if (optional.length > 0) {
      problems.push(`packages/${kind}/package.json: lists optionalDependencies ${optional.join(", ")}; packing adds the platform packages (.pnpmfile.cjs), remove them`);
    }
  }
  const workflow = readFileSync(join(ROOT, ".github/workflows/release.yml"), "utf8");
  const matrixTargets = [...workflow.matchAll(/^\s*- target: (\S+)$/gm)].map((match) => match[1]).sort();
  const rustTargets = configured.map((target) => target.rustTarget).sort();
  if (matrixTargets.join() !== rustTargets.join()) {
    problems.push(`.github/workflows/release.yml: matrix targets ${matrixTargets.join(", ")} differ from napi.targets ${rustTargets.join(", ")}`);
  }

  // One version for the fixed group; changesets bumps the workspace's packages, the platform
  // packages follow here.
  for (const pkg of packages.filter((p) => p.version !== version)) {
    if (write && pkg.platform) {
      const path = join(pkg.dir, "package.json");
      writeFileSync(path, `${JSON.stringify({ ...readJson(path), version }, null, 2)}\n`);
    } else problems.push(`${pkg.name}: version ${pkg.version}, the group is at ${version}${pkg.platform ? " (run with --write)" : ""}`);
  }
  const fixed = readJson(join(ROOT, ".changeset/config.json")).fixed ?? [];
  const names = packages.filter((pkg) => !pkg.platform).map((pkg) => pkg.name);
  if (fixed.length !== 1 || [...fixed[0]].sort().join() !== names.join()) {
    problems.push(`.changeset/config.json: "fixed" must be one group of exactly ${names.join(", ")}`);
  }
  const denoJsonPath = join(ROOT, "packages/deno/deno.json");
  const denoJson = readJson(denoJsonPath);
  const denoVersion = readJson(join(ROOT, "packages/deno/package.json")).version;
  const imports = Object.fromEntries(
    Object.entries(denoJson.imports ?? {}).map(([name, target]) => [name, String(target).replace(/^(npm:@iceoryx2-js\/[^@]+)@[^/]*(\/.*)?$/, `$1@${denoVersion}$2`)]),
  );
  if (denoJson.version !== denoVersion || JSON.stringify(imports) !== JSON.stringify(denoJson.imports)) {
    if (write) writeFileSync(denoJsonPath, `${JSON.stringify({ ...denoJson, version: denoVersion, imports }, null, 2)}\n`);
    else problems.push(`packages/deno/deno.json: version and @iceoryx2-js imports must be ${denoVersion} (run with --write)`);
  }

  if (repository) {
    const accepted = [`https://github.com/${repository}`, `git+https://github.com/${repository}.git`];
    for (const pkg of packages.filter((p) => p.registry === "npm")) {
      const declared = readJson(join(pkg.dir, "package.json")).repository;
      const url = typeof declared === "string" ? declared : declared?.url;
      if (!accepted.includes(url)) problems.push(`${pkg.name}: "repository" must be ${accepted[1]} for provenance (is ${JSON.stringify(declared)})`);
    }
  }

  // The iceoryx2 version in every README.
  const carried = iceoryx2Version();
  for (const pkg of packages) {
    const readmePath = join(pkg.dir, "README.md");
    let readme;
    try {
      readme = readFileSync(readmePath, "utf8");
    } catch {
      problems.push(`${pkg.name}: no README.md`);
      continue;
    }
    const stated = README_LINE.exec(readme)?.[1];
    if (stated === carried) continue;
    if (stated !== undefined && write) writeFileSync(readmePath, readme.replace(README_LINE, `iceoryx2 version: **${carried}**`));
    else problems.push(`${pkg.name}: README.md must have the line "iceoryx2 version: **${carried}**" (Cargo.toml pins ${carried})`);
  }
  return problems;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { values } = parseArgs({ options: { write: { type: "boolean" }, repository: { type: "string" } } });
  const problems = checkRelease(values);
  for (const problem of problems) console.error(`release check: ${problem}`);
  if (problems.length > 0) process.exit(1);
  console.log("release check: platform packages, versions and READMEs are consistent");
}
