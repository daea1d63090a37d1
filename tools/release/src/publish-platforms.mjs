// @ts-check
/**
 * Publishes the platform packages (packages/node/npm/*, packages/ffi/npm/*). They are not
 * workspace projects (pnpm-workspace.yaml), so `changeset publish` does not see them; `pnpm
 * release` runs this first, so the optional dependencies that the packed @iceoryx2-js/node and
 * @iceoryx2-js/ffi list (.pnpmfile.cjs) exist when those are published. Like changesets, it skips
 * a version the registry already has. Each package's `prepack` refuses to pack without its binary
 * (stage-binaries.mjs --from artifacts --all stages them all in the release workflow).
 *
 *   node publish-platforms.mjs [--dry-run]
 *
 * `npm publish` reads the token and NPM_CONFIG_PROVENANCE as `changeset publish` does.
 */
import { spawnSync } from "node:child_process";
import { parseArgs } from "node:util";
import { publishablePackages } from "./workspace.mjs";

const { values } = parseArgs({ options: { "dry-run": { type: "boolean" } } });

/** Whether the registry has this version: `npm view` prints it, or fails with E404. */
function published(/** @type {string} */ name, /** @type {string} */ version) {
  const view = spawnSync("npm", ["view", `${name}@${version}`, "version"], { encoding: "utf8" });
  if (view.status === 0) return view.stdout.trim() === version;
  if (/E404|404 Not Found/.test(view.stderr)) return false;
  throw new Error(`npm view ${name}@${version} failed:\n${view.stderr}`);
}

let failed = false;
for (const pkg of publishablePackages().filter((p) => p.platform)) {
  if (published(pkg.name, pkg.version)) {
    console.log(`${pkg.name}@${pkg.version}: already published`);
    continue;
  }
  console.log(`${pkg.name}@${pkg.version}: publishing`);
  const args = ["publish", "--access", "public", ...(values["dry-run"] ? ["--dry-run"] : [])];
  const { status } = spawnSync("npm", args, { cwd: pkg.dir, stdio: "inherit" });
  if (status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
