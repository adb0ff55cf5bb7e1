"""The demo never touches the user's ERP, ledger or Procore connection, even when the README's step 2
variables are exported: it says so loudly and uses only its own files."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from devtools.demo import OUTSIDE_WORLD, isolate


def test_isolate_drops_only_the_settings_that_point_outside():
    environ = {
        "PROCORE_SYNC_ERP_URL": "postgresql://erp",
        "PROCORE_SYNC_LEDGER_URL": "postgresql://ledger",
        "PROCORE_SYNC_PROCORE_CONN_ID": "procore_production",
        "PROCORE_SYNC_COMMITMENT_CHANGE_ORDER_TIERS": "2",
        "HOME": "/root",
    }
    ignored = isolate(environ)
    assert ignored == ["PROCORE_SYNC_ERP_URL", "PROCORE_SYNC_LEDGER_URL", "PROCORE_SYNC_PROCORE_CONN_ID"]
    assert environ == {"PROCORE_SYNC_COMMITMENT_CHANGE_ORDER_TIERS": "2", "HOME": "/root"}
    assert set(ignored) <= set(OUTSIDE_WORLD)


@pytest.mark.slow
def test_the_demo_with_a_real_erp_url_exported_leaves_that_database_alone(tmp_path: Path):
    real_erp, real_ledger = tmp_path / "real_erp.sqlite", tmp_path / "real_ledger.sqlite"
    for path in (real_erp, real_ledger):
        with sqlite3.connect(path) as conn:
            conn.execute("CREATE TABLE vendor (vendor_no TEXT, name TEXT)")
            conn.execute("INSERT INTO vendor VALUES ('V1', 'Our real vendor')")
    env = {
        **os.environ,
        "PROCORE_SYNC_ERP_URL": f"sqlite:///{real_erp}",
        "PROCORE_SYNC_LEDGER_URL": f"sqlite:///{real_ledger}",
    }
    done = subprocess.run(
        [sys.executable, "-m", "devtools.demo", "--data-dir", str(tmp_path / "demo"), "--scale", "0.05"],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "PROCORE_SYNC_ERP_URL is set in your environment and IGNORED" in done.stdout
    assert "PROCORE_SYNC_LEDGER_URL is set in your environment and IGNORED" in done.stdout
    for path in (real_erp, real_ledger):
        with sqlite3.connect(path) as conn:
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            assert tables == {"vendor"}, (path, tables)
            assert conn.execute("SELECT * FROM vendor").fetchall() == [("V1", "Our real vendor")]
    assert (tmp_path / "demo" / "demo_erp.sqlite").exists()
