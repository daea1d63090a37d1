#!/usr/bin/env bash
# Prepares a Python virtualenv with a requirements file's packages from PyPI:
#   scripts/python-venv.sh <label> <requirements.txt> <virtualenv directory>
# Idempotent: installs only when the virtualenv is missing or the requirements differ from the
# copy recorded at the last successful install.
# Says what it installs when it installs (once); on failure prints what went wrong and exits
# non-zero.
set -euo pipefail

[[ $# -eq 3 ]] || { echo "usage: python-venv.sh <label> <requirements.txt> <virtualenv directory>" >&2; exit 2; }
label="$1"
requirements="$2"
venv="$3"
installed_requirements="$venv/installed-requirements.txt"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT

fail() {
  echo "$label python setup: $1" >&2
  if [[ -s "$log" ]]; then cat "$log" >&2; fi
  exit 1
}

# Python 3.9 or newer: iceoryx2's Python modules use built-in generic annotations (list[str]).
command -v python3 >/dev/null 2>&1 || fail "python3 not found (Python >= 3.9 is needed)"
python3 -c 'import sys; sys.exit(sys.version_info < (3, 9))' ||
  fail "Python >= 3.9 is needed, found $(python3 --version 2>&1)"

# A virtualenv whose interpreter no longer starts (moved, Python upgraded) is rebuilt.
if [[ -d "$venv" ]] && ! "$venv/bin/python" -c '' >/dev/null 2>&1; then
  rm -rf "$venv"
fi

if [[ ! -d "$venv" ]]; then
  python3 -m venv "$venv" >"$log" 2>&1 ||
    { rm -rf "$venv"; fail "could not create $venv (on Debian/Ubuntu: apt-get install python3-venv)"; }
fi

if [[ -f "$installed_requirements" ]] && cmp -s "$requirements" "$installed_requirements"; then
  exit 0
fi

rm -f "$installed_requirements"
echo "$label python setup: installing the packages of $requirements from PyPI into $venv (once)" >&2
"$venv/bin/python" -m pip install --quiet --no-input --disable-pip-version-check \
  --only-binary=:all: --requirement "$requirements" >"$log" 2>&1 ||
  fail "pip install -r $requirements failed"
cp "$requirements" "$installed_requirements"
