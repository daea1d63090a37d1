#!/usr/bin/env bash
# Installs upstream's Zenoh link tunnel, `iox2-link-tunnel-zenoh` from crates.io's
# iceoryx2-integrations-zenoh-link-tunnel-cli (the iceoryx2 version pinned in Cargo.toml's
# workspace dependencies, built with the crate's own --locked lockfile), into a cache outside the
# clone, once; later runs reuse it. Prints the directory holding the binary. Slow the first time
# (a cargo build of zenoh: about 10 minutes on two cores), so only tools/link's tests call it.
# `iox2 link tunnel zenoh` (scripts/iox2-cli.sh) finds the binary when this directory is on PATH.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
version="$(sed -nE 's/^iceoryx2 = \{ version = "=([0-9.]+)".*/\1/p' "$root/Cargo.toml")"
[[ -n "$version" ]] || { echo "link-tunnel: cannot read the iceoryx2 version from Cargo.toml" >&2; exit 1; }
cache="${IOX2JS_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/iceoryx2-js}/link-tunnel-zenoh-$version"
if [[ ! -x "$cache/bin/iox2-link-tunnel-zenoh" ]]; then
  log="$(mktemp)"
  trap 'rm -f "$log"' EXIT
  echo "link-tunnel: building upstream's iox2-link-tunnel-zenoh $version from crates.io into $cache (about 10 minutes, once)" >&2
  cargo install iceoryx2-integrations-zenoh-link-tunnel-cli --version "$version" --locked --root "$cache" >"$log" 2>&1 ||
    { echo "link-tunnel: cargo install iceoryx2-integrations-zenoh-link-tunnel-cli --version $version failed:" >&2; cat "$log" >&2; exit 1; }
fi
echo "$cache/bin"
