"""The client secret and the bearer tokens appear nowhere a whole-DAG run leaves something behind:
task logs, XComs, rendered templates, staged files, the ledger, origin_data, the emulator's request log
and the texts of the failures it reports."""

from __future__ import annotations

import logging
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import demo_erp
import pytest
import sqlalchemy as sa
from devtools.localrun import run_dag
from erp_sync.settings import load_settings

from .conftest import CLIENT_SECRET

pytestmark = pytest.mark.slow

NIGHT = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)


def files_under(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


def test_secret_and_tokens_are_nowhere(airflow_db, serve_emulator, sync_data_dir, tmp_path, caplog, capfd):
    assert len(CLIENT_SECRET) >= 12
    caplog.set_level(logging.INFO)
    request_log = tmp_path / "requests.jsonl"
    demo_erp.seed(load_settings().resolved_erp_url, scale=0.3, dirty_share=0.05, seed=11)
    with serve_emulator(hourly_limit=1_000_000, spike_limit=100_000, request_log=str(request_log)) as emu:
        state, run_id, summary = run_dag(NIGHT - timedelta(days=1), {"mode": "full"})
        assert state == "success", summary
        tokens = list(emu.state._tokens)
        origin_data = [
            r.get("origin_data") or ""
            for resource in ("vendors", "projects", "work_order_contracts", "requisitions")
            for r in emu.state.records(resource)
        ]
    assert tokens, "the run authenticated"
    secrets = [CLIENT_SECRET, *tokens]

    captured = capfd.readouterr()
    texts = {
        "task logs (records)": "\n".join(r.getMessage() + str(r.exc_info or "") for r in caplog.records),
        "task logs (stdout/stderr)": captured.out + captured.err,
        "origin_data": "\n".join(origin_data),
        "emulator request log": request_log.read_text(),
    }
    for path in files_under(sync_data_dir):  # staged Parquet/JSON, the ledger and the ERP files
        texts[f"file {path.relative_to(sync_data_dir)}"] = path.read_bytes().decode("latin-1")
    for path in files_under(airflow_db):  # Airflow's home: its logs and its metadata database
        texts[f"airflow {path.relative_to(airflow_db)}"] = path.read_bytes().decode("latin-1")
    engine = sa.create_engine(os.environ["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"])
    with engine.connect() as conn:
        xcoms = conn.execute(sa.text("SELECT value FROM xcom WHERE run_id = :r"), {"r": run_id}).all()
        rendered = conn.execute(
            sa.text("SELECT rendered_fields FROM rendered_task_instance_fields WHERE run_id = :r"),
            {"r": run_id},
        ).all()
    engine.dispose()
    assert xcoms, "the run pushed XComs"
    texts["xcom"] = "\n".join(str(v) for (v,) in xcoms)
    texts["rendered templates"] = "\n".join(str(v) for (v,) in rendered)

    leaks = [
        (where, secret[:4] + "…") for where, text in texts.items() for secret in secrets if secret in text
    ]
    assert leaks == []
    assert any('"src"' in d for d in origin_data), "origin_data was checked on real stamps"
