#!/usr/bin/env bash
# Creates .venv and installs the pinned requirements plus this project (editable, so the Procore
# connection type and plugin entry points are registered). Re-running is cheap: it reinstalls only
# when requirements.txt or pyproject.toml changed.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
"$PY" - <<'PYCHECK'
import sys
if sys.version_info < (3, 11):
    sys.exit(f"procore-erp-sync needs Python 3.11 or newer; found {sys.version.split()[0]}")
PYCHECK
if [ ! -x .venv/bin/python ]; then
  echo "==> creating .venv"
  "$PY" -m venv .venv
fi
stamp=.venv/.procore-erp-sync-installed
want=$(cat requirements.txt pyproject.toml | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "==> installing pinned requirements (about a minute the first time)"
  log=.venv/install.log
  if ! { .venv/bin/python -m pip install --upgrade pip \
         && .venv/bin/python -m pip install -r requirements.txt \
         && .venv/bin/python -m pip install --no-deps -e . ; } >"$log" 2>&1; then
    tail -n 40 "$log"
    echo "installation failed; full log in $log" >&2
    exit 1
  fi
  # The build leaves an egg-info beside pyproject.toml; with the repo root on sys.path Python would find
  # the package's entry points twice (Airflow then warns the plugin is registered twice).
  rm -rf procore_erp_sync.egg-info
  echo "$want" > "$stamp"
fi
