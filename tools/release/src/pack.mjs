// @ts-check
/**
 * Packs every npm package this machine can build into one folder, as a release packs them
 * (`pnpm pack`; .pnpmfile.cjs gives @iceoryx2-js/node and @iceoryx2-js/ffi their platform packages
 * as optional dependencies), writes a Deno package folder beside the tarballs, and prints the
 * commands that install all of it into a user's own project, with no registry holding our
 * packages. `npm run pack` builds and then runs this into dist-packages/; the pack test
 * (pack-test.mjs) runs the same function and then exactly the commands it prints.
 *
 * The Deno folder (`deno/`) is the JSR package's files with the npm packages it imports
 * (@iceoryx2-js/core-api, @iceoryx2-js/ffi and this platform's @iceoryx2-js/ffi-*) unpacked from the
 * tarballs into its own node_modules. A project with `"nodeModulesDir": "manual"` that maps
 * `@iceoryx2-js/deno` to its `src/mod.ts` resolves those imports there, like Node does, so Deno
 * needs neither JSR nor an npm registry, and only `--allow-ffi`.
 *
 *   node pack.mjs             into dist-packages/ (rewritten on each run), then print the commands
 *   node pack.mjs --out DIR   into DIR
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { stageJsrPackage } from "./jsr.mjs";
import { manifestOf, tarballEntries } from "./local-registry.mjs";
import { run } from "./run.mjs";
import { stageBinaries } from "./stage-binaries.mjs";
import { publishablePackages, ROOT } from "./workspace.mjs";

/** Where `npm run pack` writes (git-ignored). */
export const PACKS_DIR = join(ROOT, "dist-packages");
/** Marks a folder as ours, so that rewriting it never deletes anything else. */
const MARKER = ".iceoryx2-js-packs";

/**
 * What one run packed.
 * @typedef {{ dir: string, version: string, platform: string, tarballs: Map<string, string>, denoDir: string }} Packs
 */

/**
 * Stages this machine's binaries, packs every npm package that can be built here into `outDir`
 * (emptied first) and writes the Deno folder `outDir/deno`.
 * @param {string} outDir
 * @returns {Promise<Packs>}
 */
export async function pack(outDir = PACKS_DIR) {
  const [platform, ...others] = stageBinaries();
  if (!platform || others.length > 0) throw new Error(`expected this machine's one platform, staged: ${[platform, ...others].join(", ")}`);
  const dir = resolve(outDir);
  if (existsSync(dir)) {
    if (readdirSync(dir).length > 0 && !existsSync(join(dir, MARKER))) throw new Error(`${dir} exists and was not written by this script: not replacing it`);
    rmSync(dir, { recursive: true, force: true });
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, MARKER), "Written by `npm run pack` (tools/release/src/pack.mjs), which replaces this folder on each run.\n");

  const npmPackages = publishablePackages().filter((pkg) => pkg.registry === "npm");
  const workspacePackages = npmPackages.filter((pkg) => !pkg.platform);
  const platformPackages = npmPackages.filter((pkg) => pkg.platform && pkg.name.endsWith(`-${platform}`));
  const pnpm = join(ROOT, "scripts/pnpm.sh");
  await run("bash", [pnpm, "-r", ...workspacePackages.flatMap((pkg) => ["--filter", pkg.name]), "pack", "--pack-destination", dir], { cwd: ROOT });
  // Not workspace projects (pnpm-workspace.yaml): packed one by one in their own folders.
  for (const pkg of platformPackages) await run("bash", [pnpm, "pack", "--pack-destination", dir], { cwd: pkg.dir });

  /** @type {Map<string, string>} */
  const tarballs = new Map();
  for (const file of readdirSync(dir).filter((name) => name.endsWith(".tgz"))) {
    tarballs.set(manifestOf(readFileSync(join(dir, file))).name, join(dir, file));
  }
  const expected = [...workspacePackages, ...platformPackages].map((pkg) => pkg.name).sort();
  if ([...tarballs.keys()].sort().join() !== expected.join()) {
    throw new Error(`packed ${[...tarballs.keys()].sort().join(", ")}, expected ${expected.join(", ")}`);
  }
  const version = manifestOf(readFileSync(/** @type {string} */ (tarballs.get("@iceoryx2-js/core-api")))).version;
  const packs = { dir, version, platform, tarballs, denoDir: join(dir, "deno") };
  writeDenoFolder(packs);
  writeFileSync(join(dir, "INSTALL.txt"), `${installText(packs)}\n`);
  return packs;
}

/**
 * The npm packages an install of `names` brings in, from the tarballs: their dependencies and
 * optional dependencies that were packed here (another platform's package was not).
 * @param {Map<string, string>} tarballs
 * @param {string[]} names
 */
export function closure(tarballs, names) {
  const found = new Set();
  const pending = [...names];
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    const file = tarballs.get(name);
    if (!file || found.has(name)) continue;
    found.add(name);
    const manifest = manifestOf(readFileSync(file));
    pending.push(...Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies }));
  }
  return [...found].sort();
}

/**
 * The JSR package's files (as `deno publish` takes them) with the npm packages its deno.json
 * imports unpacked into `node_modules/`, each exactly as packed.
 * @param {Packs} packs
 */
function writeDenoFolder({ tarballs, denoDir }) {
  stageJsrPackage(denoDir);
  const imports = JSON.parse(readFileSync(join(denoDir, "deno.json"), "utf8")).imports ?? {};
  const npmNames = Object.values(imports).flatMap((target) => /^npm:(@?[^@]+)@/.exec(String(target))?.slice(1, 2) ?? []);
  for (const name of closure(tarballs, npmNames)) {
    const target = join(denoDir, "node_modules", name);
    for (const [path, bytes] of tarballEntries(readFileSync(/** @type {string} */ (tarballs.get(name))))) {
      if (!path.startsWith("package/") || path.endsWith("/")) continue;
      const file = join(target, path.slice("package/".length));
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, bytes);
    }
  }
}

/** @param {string} word */
const shellQuote = (word) => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`);

/**
 * The commands that install the packs into a user's own project, one per runtime.
 * @param {Packs} packs
 */
export function installCommands({ tarballs, denoDir }) {
  const files = (/** @type {string[]} */ names) => closure(tarballs, names).map((name) => /** @type {string} */ (tarballs.get(name)));
  const node = `npm i ${files(["@iceoryx2-js/node"]).map(shellQuote).join(" ")}`;
  // Bun resolves a tarball's dependencies from the registry even when they are given as tarballs
  // too; overrides in package.json point them at the tarballs.
  const bunDependencies = closure(tarballs, ["@iceoryx2-js/bun"]).filter((name) => name !== "@iceoryx2-js/bun");
  const overrides = bunDependencies.map((name) => shellQuote(`overrides.${name}=file:${tarballs.get(name)}`));
  const bun = `bun pm pkg set ${overrides.join(" ")} && bun add ${shellQuote(/** @type {string} */ (tarballs.get("@iceoryx2-js/bun")))}`;
  const denoConfig = { nodeModulesDir: "manual", imports: { "@iceoryx2-js/deno": join(denoDir, "src", "mod.ts") } };
  return { node, bun, denoConfig, denoRun: "deno run --allow-ffi main.ts" };
}

/** @param {Packs} packs */
export function installText(packs) {
  const { node, bun, denoConfig, denoRun } = installCommands(packs);
  const denoLines = JSON.stringify(denoConfig, null, 2).split("\n").slice(1, -1);
  return [
    `Packed iceoryx2-js ${packs.version} for ${packs.platform} into ${packs.dir}.`,
    "Install it in your own project (these lines are also in INSTALL.txt there):",
    "",
    "Node >= 20.17:",
    `  ${node}`,
    "",
    "Bun (in a project with a package.json; the overrides make Bun take the dependencies from the tarballs):",
    `  ${bun}`,
    "",
    "Deno 2 (no JSR needed: the Deno package and its npm dependencies are in deno/ there); in your deno.json:",
    ...denoLines,
    `then run with: ${denoRun}`,
    "",
    `Until the first release, Bun warns that the other platforms' packages are not on npm (404); nothing is missing.`,
  ].join("\n");
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { values } = parseArgs({ options: { out: { type: "string" } } });
  const packs = await pack(values.out ?? PACKS_DIR);
  console.log(`\n${installText(packs)}`);
}
