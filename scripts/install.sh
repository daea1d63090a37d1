#!/usr/bin/env bash
# Installs the workspace's dependencies (pinned pnpm, frozen lockfile), unless the last install
# here was of exactly these manifests on this Node: an up-to-date `pnpm install` still takes
# about 30 s on this project (it re-links every package and re-runs the Node, Deno and Bun
# packages' install scripts), and every root script starts with it. Delete node_modules to force
# a fresh install.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
stamp=node_modules/.iox2js-installed
digest="$({
  node --version
  cat pnpm-lock.yaml pnpm-workspace.yaml .pnpmfile.cjs package.json
  find packages tools -path '*/node_modules' -prune -o -name package.json -print | sort | xargs cat
} | sha256sum | cut -d' ' -f1)"
if [[ -f "$stamp" && "$(cat "$stamp")" == "$digest" ]]; then
  echo "dependencies: up to date (lockfile and manifests unchanged since the last install)"
  exit 0
fi
bash scripts/pnpm.sh install --frozen-lockfile
echo "$digest" >"$stamp"
