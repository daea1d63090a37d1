#!/usr/bin/env bash
# Installs upstream's official CLI, `iox2` from crates.io's iceoryx2-cli (the version pinned in
# Cargo.toml's workspace dependencies), into a cache outside the clone, once; later runs reuse it.
# Prints the directory holding the `iox2` binaries. Slow the first time (a cargo build), so only
# the tests that use the CLI as an external peer call it, never the README's critical path.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
version="$(sed -nE 's/^iceoryx2 = \{ version = "=([0-9.]+)".*/\1/p' "$root/Cargo.toml")"
[[ -n "$version" ]] || { echo "iox2-cli: cannot read the iceoryx2 version from Cargo.toml" >&2; exit 1; }
cache="${IOX2JS_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/iceoryx2-js}/iox2-cli-$version"
if [[ ! -x "$cache/bin/iox2" || ! -x "$cache/bin/iox2-service" ]]; then
  log="$(mktemp)"
  trap 'rm -f "$log"' EXIT
  echo "iox2-cli: building upstream's iox2 $version from crates.io into $cache (about 2 minutes, once)" >&2
  cargo install iceoryx2-cli --version "$version" --locked --root "$cache" >"$log" 2>&1 ||
    { echo "iox2-cli: cargo install iceoryx2-cli --version $version failed:" >&2; cat "$log" >&2; exit 1; }
fi
echo "$cache/bin"
