#!/usr/bin/env bash
# Runs the pinned pnpm (package.json "packageManager") from the npm registry, so a fresh
# machine needs nothing but Node and npm.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# Quiet output: no telemetry banner from turbo (set the variable to 0 to opt in).
export TURBO_TELEMETRY_DISABLED="${TURBO_TELEMETRY_DISABLED:-1}"
version="$(node -p "require('$root/package.json').packageManager.split('@')[1]")"
exec npx --yes "pnpm@$version" "$@"
