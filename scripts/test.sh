#!/usr/bin/env bash
# Installs everything (first time only) and runs the whole test suite.
# Tests that need PostgreSQL or MariaDB fail (never skip) when CI is set and the service is down.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/bootstrap.sh
exec .venv/bin/python -m pytest "$@"
