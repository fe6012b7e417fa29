#!/usr/bin/env bash
# Creates .venv and installs storyweave into it, with everything it needs to run offline.
#   bash scripts/install.sh          # the tool
#   bash scripts/install.sh --dev    # the tool plus the test and benchmark dependencies
set -euo pipefail
cd "$(dirname "$0")/.."
python="${PYTHON:-python3}"
[ -x .venv/bin/python ] || "$python" -m venv .venv
pip=(.venv/bin/python -m pip --disable-pip-version-check -q)
extra=""
[ "${1:-}" = "--dev" ] && extra="[dev]"
"${pip[@]}" install -e ".${extra}"
