"""Whole-DAG runs of ``erp_to_procore`` (``dag.test()``) against the Procore emulator and a demo ERP.

The ERP runs on SQLite and on PostgreSQL; the final emulator state is compared with what the ERP says,
record by record, and API write calls are counted from the emulator's request log.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import demo_erp
import pandas as pd
import pytest
import sqlalchemy as sa
from devtools.localrun import run_dag
from erp_sync import ledger
from erp_sync.settings import load_settings

pytestmark = pytest.mark.slow

NIGHT = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)
TIER_1 = ["vendors", "projects"]


@pytest.fixture
def emulator(serve_emulator):
    """Procore's documented rate limits: tier 1 is small enough to sync within them."""
    with serve_emulator() as emu:
        yield emu


@pytest.fixture(params=["sqlite", "postgresql"])
def erp(request, sync_data_dir, monkeypatch):
    """A seeded demo ERP (and ledger) on the parametrised database; returns (engine, report)."""
    if request.param == "postgresql":
        url = request.getfixturevalue("pg_url")
        monkeypatch.setenv("PROCORE_SYNC_ERP_URL", url)
        monkeypatch.setenv("PROCORE_SYNC_LEDGER_URL", url)
    settings = load_settings()
    report = demo_erp.seed(settings.resolved_erp_url, scale=0.5, dirty_share=0.08, seed=7)
    engine = sa.create_engine(settings.resolved_erp_url)
    yield engine, report
    engine.dispose()


def writes_since(emulator, mark: int) -> list:
    return [e for e in emulator.state.request_log[mark:] if e.write]


def erp_frame(engine, table: str, key: str) -> pd.DataFrame:
    with engine.connect() as conn:
        return pd.read_sql(sa.text(f"SELECT * FROM {table}"), conn).set_index(key, drop=False)


def dirty_keys(report, table: str) -> set[str]:
    return {d.key for d in report.dirty if d.table == table}


def by_summary(summary: list[dict]) -> dict[str, dict]:
    return {row["point"]: row for row in summary}


def ledger_frame(point: str) -> pd.DataFrame:
    return ledger.read_point(ledger.connect(load_settings().resolved_ledger_url), point)


def test_full_then_unchanged_then_three_changed(airflow_db, emulator, erp):
    engine, report = erp

    # 1. First run: every valid vendor and project lands in Procore with origin fields.
    state, run_id, summary = run_dag(NIGHT - timedelta(days=1), {"mode": "full", "points": TIER_1})
    assert state == "success", summary
    vendors_erp = erp_frame(engine, "vendor", "vendor_no")
    jobs_erp = erp_frame(engine, "job", "job_no")
    bad_vendors, bad_jobs = dirty_keys(report, "vendor"), dirty_keys(report, "job")
    assert bad_vendors and bad_jobs, "the demo ERP must plant dirty rows"

    procore_vendors = {v["origin_id"]: v for v in emulator.state.records("vendors")}
    expected_vendors = {f"test-erp:vendor:{k}" for k in vendors_erp.index if k not in bad_vendors}
    assert set(procore_vendors) == expected_vendors
    for origin_id, vendor in procore_vendors.items():
        row = vendors_erp.loc[origin_id.rsplit(":", 1)[1]]
        assert vendor["name"] == row["name"].strip()
        assert vendor["origin_code"] == row["vendor_no"]
        assert (vendor.get("city") or None) == ((row["city"] or "").strip() or None)
        stamp = json.loads(vendor["origin_data"])
        assert stamp["src"] == "test-erp" and stamp["key"] == row["vendor_no"] and stamp["run"] == run_id

    procore_projects = {p["origin_id"]: p for p in emulator.state.records("projects")}
    assert set(procore_projects) == {f"test-erp:project:{k}" for k in jobs_erp.index if k not in bad_jobs}
    for origin_id, project in procore_projects.items():
        row = jobs_erp.loc[origin_id.rsplit(":", 1)[1]]
        assert project["name"] == row["name"].strip()
        assert project["origin_code"] == row["job_no"] == project["project_number"]
        assert json.loads(project["origin_data"])["key"] == row["job_no"]

    counts = by_summary(summary)
    assert counts["vendors"]["extracted"] == len(vendors_erp)
    assert counts["vendors"]["created"] == len(expected_vendors)
    assert counts["vendors"]["rejected"] == sum(1 for k in vendors_erp["vendor_no"] if k in bad_vendors)

    # Dirty rows are rejected in the ledger, each with a reason naming the record and the field.
    vendor_ledger = ledger_frame("vendors")
    for dirty in (d for d in report.dirty if d.table == "vendor"):
        entry = vendor_ledger.loc[dirty.key]
        assert entry["status"] == "rejected"
        assert f"vendor_no={dirty.key}" in entry["last_error"]
        if dirty.kind == "duplicate_key":
            assert "duplicate ERP key" in entry["last_error"]
        else:
            assert f"field '{dirty.column}'" in entry["last_error"], (dirty, entry["last_error"])
    assert (
        vendor_ledger.loc[list(k.rsplit(":", 1)[1] for k in expected_vendors), "status"] == "synced"
    ).all()

    # 2. Second run, no ERP change: zero write calls.
    mark = len(emulator.state.request_log)
    state, _, summary = run_dag(NIGHT, {"mode": "full", "points": TIER_1})
    assert state == "success"
    assert writes_since(emulator, mark) == []
    counts = by_summary(summary)
    assert counts["vendors"]["unchanged"] == len(expected_vendors)
    assert counts["vendors"]["created"] == counts["vendors"]["updated"] == 0

    # 3. Three ERP vendors change: exactly those three are sent, by an incremental run.
    changed = sorted(k.rsplit(":", 1)[1] for k in expected_vendors)[:3]
    demo_erp.touch_vendors(engine, changed, at=(NIGHT + timedelta(hours=6)).replace(tzinfo=None))
    mark = len(emulator.state.request_log)
    state, _, summary = run_dag(NIGHT + timedelta(days=1), {"mode": "incremental", "points": TIER_1})
    assert state == "success"
    writes = writes_since(emulator, mark)
    assert [(w.path, w.items) for w in writes] == [("/rest/v1.0/vendors/sync", 3)]
    assert by_summary(summary)["vendors"]["updated"] == 3
    assert by_summary(summary)["vendors"]["extracted"] == 3
    after = erp_frame(engine, "vendor", "vendor_no")
    procore_vendors = {v["origin_id"]: v for v in emulator.state.records("vendors")}
    assert len(procore_vendors) == len(expected_vendors), "updates never duplicate"
    for key in changed:
        vendor = procore_vendors[f"test-erp:vendor:{key}"]
        assert (vendor.get("business_phone"), vendor.get("city")) == (
            (after.loc[key, "phone"] or None),
            (after.loc[key, "city"] or None),
        )


def test_dry_run_writes_nothing(airflow_db, emulator, erp):
    engine, report = erp
    state, _, summary = run_dag(NIGHT, {"mode": "full", "dry_run": True, "points": TIER_1})
    assert state == "success"
    assert writes_since(emulator, 0) == []
    assert emulator.state.records("vendors") == [] and emulator.state.records("projects") == []
    counts = by_summary(summary)
    assert counts["vendors"]["dry_run"] is True and counts["vendors"]["created"] > 0
    assert ledger_frame("vendors").empty, "a dry run leaves the ledger untouched"


def test_selected_points_only(airflow_db, emulator, erp):
    state, _, summary = run_dag(NIGHT, {"mode": "full", "points": ["projects"]})
    assert state == "success"
    assert emulator.state.records("vendors") == []
    assert emulator.state.records("projects")
    assert by_summary(summary)["vendors"].get("skipped") is True
