#!/usr/bin/env bash
# Installs everything (first time only), checks lint, format, types and import layers, and runs the whole
# test suite. Tests that need PostgreSQL or MariaDB fail (never skip) when CI is set and the service is down.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/bootstrap.sh
echo "==> ruff (lint and format), mypy (strict on erp_sync and procore_provider), import layers"
.venv/bin/ruff check --quiet .
.venv/bin/ruff format --check --quiet .
.venv/bin/mypy
layers=$(.venv/bin/lint-imports --no-cache 2>&1) || { echo "$layers"; exit 1; }
exec .venv/bin/python -m pytest "$@"
