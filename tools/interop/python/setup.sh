#!/usr/bin/env bash
# Prepares tools/interop/.venv with the Python interop peer's dependencies (PyPI iceoryx2 of the
# pinned version, requirements.txt), once.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec bash "$here/../../../scripts/python-venv.sh" interop "$here/requirements.txt" "$(dirname "$here")/.venv"
