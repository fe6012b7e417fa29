#!/usr/bin/env bash
# Builds a wheel from this checkout, installs it with plain `pip install` into a fresh venv (no
# --no-deps, no editable install, nothing from this tree on the path) and analyses the sample with
# it, then checks that torch was not pulled in and that pip finds no broken requirement.
#   bash scripts/check_wheel.sh [WORKDIR]      # default: a new temporary folder, removed afterwards
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
python="${PYTHON:-python3}"
work="${1:-$(mktemp -d)}"
[ -n "${1:-}" ] || trap 'rm -rf "$work"' EXIT
mkdir -p "$work"
"$python" -m venv "$work/build-venv"
"$work/build-venv/bin/python" -m pip --disable-pip-version-check -q wheel --no-deps -w "$work/dist" "$repo"
wheel=$(ls "$work"/dist/storyweave-*.whl)
echo "built $wheel"
"$python" -m venv "$work/venv"
"$work/venv/bin/python" -m pip --disable-pip-version-check -q install "$wheel"
cd "$work"  # away from the checkout: only the installed package can be imported
if "$work/venv/bin/python" -c "import torch" 2>/dev/null; then echo "error: torch was installed"; exit 1; fi
"$work/venv/bin/python" -m pip --disable-pip-version-check check
"$work/venv/bin/python" -c "import storyweave, sys; assert '$repo' not in storyweave.__file__, storyweave.__file__; print('package at', storyweave.__file__)"
STORYWEAVE_SAMPLE="$repo/examples/sample" "$work/venv/bin/storyweave" demo --out "$work/report" --quiet
"$work/venv/bin/storyweave" validate "$work/report/report.json"
"$work/venv/bin/python" - "$work/report/report.json" <<'PY'
import json, sys
report = json.load(open(sys.argv[1], encoding="utf-8"))
# the cross-article stages ran (they need the embedder): statements and claims are there
assert report["claims"] and report["statements"], "cross-article stages produced nothing"
print(f"ok: {len(report['articles'])} articles, {len(report['claims'])} claims, {len(report['statements'])} statements")
PY
