#!/usr/bin/env bash
# Runs the pinned pnpm (package.json "packageManager") from the npm registry, so a fresh
# machine needs nothing but Node and npm.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
version="$(node -p "require('$root/package.json').packageManager.split('@')[1]")"
exec npx --yes "pnpm@$version" "$@"
