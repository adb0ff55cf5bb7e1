#!/usr/bin/env bash
# Installs everything (first time only) and runs the demo: seeds the embedded SQLite demo ERP, starts
# the Procore sandbox emulator, runs the whole erp_to_procore DAG, prints the summary, stops what it started.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/bootstrap.sh
exec .venv/bin/python -m devtools.demo "$@"
