// @ts-check
/**
 * Facts about the repository that the release tools share: where things are, which packages are
 * published, and the platform targets. The targets are written once, as napi-rs `targets` in
 * packages/node/package.json; everything else (platform package folders, optional
 * dependencies, the release matrix) is checked against them by check-release.mjs.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

/** @param {string} path */
export function readJson(path) {
  return JSON.parse(readFileSync(path, "utf8"));
}

/**
 * napi-rs's platform name for a Rust target triple, e.g. `x86_64-unknown-linux-gnu` →
 * `linux-x64-gnu`; also the suffix of each platform package's name.
 * @param {string} rustTarget
 */
export function npmPlatform(rustTarget) {
  const [arch, , system, abi] = rustTarget.split("-");
  const cpu = { x86_64: "x64", aarch64: "arm64" }[arch ?? ""];
  const os = { linux: "linux", darwin: "darwin", windows: "win32" }[system ?? ""];
  if (!cpu || !os) throw new Error(`unsupported Rust target ${rustTarget}`);
  return { name: abi ? `${os}-${cpu}-${abi}` : `${os}-${cpu}`, os, cpu, libc: abi === "gnu" ? "glibc" : undefined };
}

/** @param {string} os */
export function ffiLibraryFile(os) {
  return os === "win32" ? "iox2js_ffi.dll" : os === "darwin" ? "libiox2js_ffi.dylib" : "libiox2js_ffi.so";
}

/**
 * One configured target with its two platform packages (Node addon and C-ABI library).
 * @typedef {{ rustTarget: string, platform: string, os: string, cpu: string, libc: string | undefined,
 *   node: { dir: string, file: string }, ffi: { dir: string, file: string } }} Target
 * @returns {Target[]}
 */
export function targets() {
  const napi = readJson(join(ROOT, "packages/node/package.json")).napi;
  return napi.targets.map((/** @type {string} */ rustTarget) => {
    const { name, os, cpu, libc } = npmPlatform(rustTarget);
    return {
      rustTarget,
      platform: name,
      os,
      cpu,
      libc,
      node: { dir: join(ROOT, "packages/node/npm", name), file: `${napi.binaryName}.${name}.node` },
      ffi: { dir: join(ROOT, "packages/ffi/npm", name), file: ffiLibraryFile(os) },
    };
  });
}

/** The two packages that have one platform package per target, by the kind of binary. */
export const FRONTS = /** @type {const} */ ({ node: "@iceoryx2-js/node", ffi: "@iceoryx2-js/ffi" });

/**
 * The optional dependencies a front package is packed and published with: every configured
 * target's platform package, on exactly the front's version (all share one version). The
 * repository's package.json lists none (the platform packages are not workspace projects);
 * .pnpmfile.cjs writes these into the packed manifest. Undefined for any other package.
 * @param {{ name: string, version: string }} manifest
 * @returns {Record<string, string> | undefined}
 */
export function platformOptionalDependencies(manifest) {
  if (!Object.values(FRONTS).includes(/** @type {any} */ (manifest.name))) return undefined;
  return Object.fromEntries(
    targets()
      .map((target) => `${manifest.name}-${target.platform}`)
      .sort()
      .map((name) => [name, manifest.version]),
  );
}

/** The target this machine builds, if it is a configured one. */
export function hostTarget() {
  const libc = process.platform === "linux" ? "glibc" : undefined;
  return targets().find((target) => target.os === process.platform && target.cpu === process.arch && target.libc === libc);
}

/**
 * Every published package, all on one version: the npm packages (not private) and the JSR
 * package. `platform`: one of the platform packages (packages/node/npm/*, packages/ffi/npm/*),
 * which are not workspace projects (pnpm-workspace.yaml), so changesets does not see them.
 * @typedef {{ name: string, dir: string, version: string, registry: "npm" | "jsr", platform: boolean }} Publishable
 * @returns {Publishable[]}
 */
export function publishablePackages() {
  /** @type {Publishable[]} */
  const found = [];
  const folders = ["packages", "packages/node/npm", "packages/ffi/npm"].flatMap((parent) =>
    readdirSync(join(ROOT, parent), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => ({ dir: join(ROOT, parent, entry.name), platform: parent !== "packages" })),
  );
  for (const { dir, platform } of folders) {
    if (!existsSync(join(dir, "package.json"))) continue;
    const manifest = readJson(join(dir, "package.json"));
    if (!manifest.private) found.push({ name: manifest.name, dir, version: manifest.version, registry: "npm", platform });
    else if (existsSync(join(dir, "deno.json")) && readJson(join(dir, "deno.json")).name === manifest.name) {
      found.push({ name: manifest.name, dir, version: manifest.version, registry: "jsr", platform });
    }
  }
  return found.sort((a, b) => a.name.localeCompare(b.name));
}

/** The iceoryx2 version pinned in the root Cargo.toml. */
export function iceoryx2Version() {
  const match = /^iceoryx2\s*=\s*\{\s*version\s*=\s*"=([^"]+)"/m.exec(readFileSync(join(ROOT, "Cargo.toml"), "utf8"));
  if (!match?.[1]) throw new Error("Cargo.toml has no pinned `iceoryx2 = { version = \"=X\" ... }`");
  return match[1];
}
