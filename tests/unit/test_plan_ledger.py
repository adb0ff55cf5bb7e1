"""Planning against the ledger by content hash, and the ledger's round trip and migration on SQLite and
PostgreSQL."""

from __future__ import annotations

import json

import pandas as pd
import pytest
import sqlalchemy as sa
from erp_sync import ledger
from erp_sync.origin import ORIGIN_DATA_MAX_BYTES, origin_data_stamp
from erp_sync.plan import canonical_json, plan
from erp_sync.report import SUMMARY_COLUMNS


def payloads(values: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "erp_key": list(values),
            "origin_id": [f"erp:vendor:{k}" for k in values],
            "payload_json": [
                canonical_json({"name": v, "origin_id": f"erp:vendor:{k}"}) for k, v in values.items()
            ],
        }
    )


def ledger_rows(planned: pd.DataFrame, statuses: dict[str, str]) -> pd.DataFrame:
    at = ledger.now()
    return pd.DataFrame(
        {
            "point": "vendors",
            "erp_key": list(statuses),
            "scope_key": "",
            "origin_id": [f"erp:vendor:{k}" for k in statuses],
            "procore_id": range(100, 100 + len(statuses)),
            "content_hash": planned.set_index("erp_key").loc[list(statuses), "content_hash"].to_numpy(),
            "status": list(statuses.values()),
            "last_action": "create",
            "last_error": None,
            "run_id": "r1",
            "first_seen_at": at,
            "synced_at": at,
            "updated_at": at,
        }
    )


@pytest.fixture(params=["sqlite", "postgresql"])
def ledger_engine(request, tmp_path):
    if request.param == "sqlite":
        yield ledger.connect(f"sqlite:///{tmp_path / 'ledger.sqlite'}")
    else:
        yield ledger.connect(request.getfixturevalue("pg_url"))


def test_plan_creates_updates_and_skips_by_hash(ledger_engine):
    first = plan(
        payloads({"A": "Apex", "B": "Blue", "C": "Cedar", "D": "Delta"}),
        ledger.read_point(ledger_engine, "vendors"),
    )
    assert set(first["action"]) == {"create"}
    ledger.upsert(
        ledger_engine, ledger_rows(first, {"A": "synced", "B": "synced", "C": "failed", "D": "locked"})
    )

    second = plan(
        payloads({"A": "Apex", "B": "Blue Ridge", "C": "Cedar", "D": "Delta", "E": "Echo"}),
        ledger.read_point(ledger_engine, "vendors"),
    ).set_index("erp_key")
    assert second["action"].to_dict() == {
        "A": "unchanged",
        "B": "update",
        "C": "update",
        "D": "locked",
        "E": "create",
    }
    assert second.loc["B", "procore_id"] == 101

    third = plan(payloads({"D": "Delta v2"}), ledger.read_point(ledger_engine, "vendors")).set_index(
        "erp_key"
    )
    assert third.loc["D", "action"] == "update", "a locked record is retried once its ERP content changes"


def test_ledger_upsert_replaces_by_key(ledger_engine):
    planned = plan(payloads({"A": "Apex"}), ledger.read_point(ledger_engine, "vendors"))
    ledger.upsert(ledger_engine, ledger_rows(planned, {"A": "failed"}))
    ledger.upsert(ledger_engine, ledger_rows(planned, {"A": "synced"}))
    rows = ledger.read_point(ledger_engine, "vendors")
    assert len(rows) == 1 and rows.loc["A", "status"] == "synced" and rows.loc["A", "procore_id"] == 100
    counts = ledger.status_counts(ledger_engine)
    assert counts.to_dict(orient="records") == [{"point": "vendors", "status": "synced", "records": 1}]


def test_origin_data_stamp_is_compact_json_without_secrets():
    stamp = origin_data_stamp(
        source="demo-erp", erp_key="V1" * 600, content_hash="f" * 64, run_id="manual__x"
    )
    data = json.loads(stamp)
    assert set(data) == {"src", "key", "hash", "run", "at"}
    assert len(stamp.encode()) <= ORIGIN_DATA_MAX_BYTES
    assert data["hash"] == "f" * 16


def _connect_and_count(url: str) -> int:
    engine = ledger.connect(url)
    try:
        return len(ledger.read_point(engine, "vendors"))
    finally:
        engine.dispose()


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_parallel_first_connects_create_the_ledger_once(backend, request, tmp_path):
    """The first run's tasks start in parallel: table creation must tolerate a concurrent creator."""
    from concurrent.futures import ProcessPoolExecutor

    url = (
        f"sqlite:///{tmp_path / 'ledger.sqlite'}"
        if backend == "sqlite"
        else request.getfixturevalue("pg_url")
    )
    with ProcessPoolExecutor(max_workers=4) as pool:
        assert list(pool.map(_connect_and_count, [url] * 8)) == [0] * 8


def test_runs_table_keeps_every_summary_count_and_old_ledgers_gain_the_new_columns(ledger_engine):
    """A ledger made before ``blocked``/``deleted`` were kept gains them on first use, keeping its rows."""
    url = ledger_engine.url.render_as_string(hide_password=False)
    with ledger_engine.begin() as conn:  # the previous version's sync_run: no blocked, no deleted
        conn.execute(sa.text("DROP TABLE sync_run"))
        conn.execute(
            sa.text(
                "CREATE TABLE sync_run (run_id VARCHAR(250) NOT NULL, point VARCHAR(50) NOT NULL, "
                "mode VARCHAR(20), window_start TIMESTAMP, window_end TIMESTAMP, extracted INTEGER, "
                "created INTEGER, updated INTEGER, unchanged INTEGER, rejected INTEGER, failed INTEGER, "
                "locked INTEGER, finished_at TIMESTAMP, PRIMARY KEY (run_id, point))"
            )
        )
        conn.execute(sa.text("INSERT INTO sync_run (run_id, point, extracted) VALUES ('old', 'vendors', 3)"))
    ledger_engine.dispose()

    engine = ledger.connect(url)
    ledger.connect(url)  # idempotent
    counts = dict(zip(SUMMARY_COLUMNS, range(10, 10 + len(SUMMARY_COLUMNS)), strict=True))
    ledger.record_run(engine, {**counts, "run_id": "new", "point": "vendors", "mode": "full"})
    with engine.connect() as conn:
        rows = {r["run_id"]: r for r in conn.execute(sa.select(ledger.run_table)).mappings()}
    assert rows["old"]["extracted"] == 3 and rows["old"]["blocked"] is None
    assert rows["old"]["void_unsynced"] is None, "void_unsynced is added like blocked and deleted"
    assert {c: rows["new"][c] for c in SUMMARY_COLUMNS} == counts
    engine.dispose()
