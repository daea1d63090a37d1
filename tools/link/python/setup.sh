#!/usr/bin/env bash
# Prepares tools/link/.venv with the plain-Zenoh Python peers' dependency (PyPI eclipse-zenoh of
# the zenoh release the tunnel is built with, requirements.txt), once.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec bash "$here/../../../scripts/python-venv.sh" link "$here/requirements.txt" "$(dirname "$here")/.venv"
