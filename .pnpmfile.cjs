// @ts-check
// pnpm hooks of the workspace. One so far: `beforePacking` (pnpm >= 10.28), run by `pnpm pack` and
// `pnpm publish` (so also by `changeset publish` and `npm run pack`).
//
// The platform packages (packages/node/npm/*, packages/ffi/npm/*) are not workspace projects: each
// one's os/cpu/libc excludes every machine but one, and pnpm checks every workspace project
// against the machine it runs on, warning for each on every command. So @iceoryx2-js/node and
// @iceoryx2-js/ffi list no optional dependencies in the repository, and this hook writes them
// into the manifest they are packed with: every configured target's platform package, on exactly
// the version being packed (napi-rs's `napi prepublish` does the same). The list comes from
// napi.targets in packages/node/package.json (tools/release/src/workspace.mjs).
const { join } = require("node:path");
const { pathToFileURL } = require("node:url");

module.exports = {
  hooks: {
    /** @param {Record<string, any>} manifest */
    async beforePacking(manifest) {
      const { platformOptionalDependencies } = await import(pathToFileURL(join(__dirname, "tools/release/src/workspace.mjs")).href);
      const platforms = platformOptionalDependencies(manifest);
      return platforms ? { ...manifest, optionalDependencies: { ...manifest.optionalDependencies, ...platforms } } : manifest;
    },
  },
};
