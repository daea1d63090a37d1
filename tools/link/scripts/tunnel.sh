#!/usr/bin/env bash
# Runs upstream's iox2-link-tunnel-zenoh for tools/link's tests, with the Zenoh config of one host
# of a routed network: no multicast scouting (nor gossip), listening on <listen> and connecting to
# <connect> ("-" for none). The config is written to <config file> first (the caller removes it).
# Everything the tunnel logs goes to stdout, so one stream shows it.
#
#   tunnel.sh <config file> <listen endpoint> <connect endpoint|-> [iox2-link-tunnel-zenoh options…]
#   tunnel.sh /tmp/a.json5 tcp/0.0.0.0:7447 tcp/10.77.0.2:7447 --reactive --poll 10 -a 'Link/*'
set -euo pipefail
[[ $# -ge 3 ]] || { echo "usage: tunnel.sh <config file> <listen endpoint> <connect endpoint|-> [tunnel options…]" >&2; exit 2; }
config="$1" listen="$2" connect="$3"
shift 3
bin="${IOX2JS_LINK_TUNNEL_BIN:-$(bash "$(dirname "${BASH_SOURCE[0]}")/../../../scripts/link-tunnel.sh")}"
connects=""
[[ "$connect" == "-" ]] || connects="\"$connect\""
cat >"$config" <<JSON5
{
  mode: "peer",
  listen: { endpoints: ["$listen"] },
  connect: {
    endpoints: [$connects],
    // Back within a second once the peer is reachable again (the default backs off to 4 s).
    retry: { period_init_ms: 250, period_max_ms: 1000, period_increase_factor: 2 },
  },
  scouting: { multicast: { enabled: false }, gossip: { enabled: false } },
}
JSON5
exec "$bin/iox2-link-tunnel-zenoh" --zenoh-config "$config" "$@" 2>&1
