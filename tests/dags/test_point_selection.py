"""A run's ``points`` param: points left out cost no task process; selected ones run whatever their
prerequisites did; a point's record step still runs after its load failed.

Whole-DAG runs with ``dag.test()`` (Airflow's scheduling decisions, task processes run in-process) on a small
demo ERP. What Airflow 3.3.2 records, read in the metadata database:

* a task instance that ran has ``try_number`` 1 or more (the scheduler, and ``dag.test()`` alike, count a
  try when they schedule it), a hostname, and an end after its start, also when it skipped itself with
  ``AirflowSkipException`` (how the DAG skipped an unselected point before ``choose_points``);
* a task instance skipped before it could run, by ``choose_points`` (``ti_skip_downstream``) or by the
  scheduler's trigger-rule check (``TaskInstance.set_state``), keeps ``try_number`` 0 and no hostname,
  and gets ``start_date`` = ``end_date`` = the moment of the skip (so a start date alone does not tell
  whether it ran).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import demo_erp
import pytest
from devtools.localrun import procore_connection_uri, run_dag
from erp_sync import ledger
from erp_sync.declarations import in_dependency_order
from erp_sync.settings import load_settings

pytestmark = pytest.mark.slow

NIGHT = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)
POINTS = [p.name for p in in_dependency_order()]


@pytest.fixture
def erp(airflow_db: Path, sync_data_dir: Path) -> Iterator[None]:
    """A small seeded demo ERP (SQLite) with its ledger and staging under the test's data dir."""
    demo_erp.seed(load_settings().resolved_erp_url, scale=0.2, dirty_share=0.05, seed=5)
    yield


def task_instances(run_id: str) -> dict[str, list[dict[str, Any]]]:
    """The run's task instances by task id (one entry per map index) as recorded in the metadata DB."""
    from airflow.models.taskinstance import TaskInstance
    from airflow.utils.session import create_session
    from sqlalchemy import select

    with create_session() as session:
        rows = session.scalars(
            select(TaskInstance).where(TaskInstance.dag_id == "erp_to_procore", TaskInstance.run_id == run_id)
        ).all()
        found: dict[str, list[dict[str, Any]]] = {}
        for ti in rows:
            found.setdefault(ti.task_id, []).append(
                {
                    "map_index": ti.map_index,
                    "state": str(ti.state) if ti.state else None,
                    "try_number": ti.try_number,
                    "hostname": ti.hostname,
                    "start_date": ti.start_date,
                    "end_date": ti.end_date,
                }
            )
    return found


def point_tasks(point: str) -> list[str]:
    return [f"{point}.{step}_{point}" for step in ("extract", "transform", "plan", "load", "record")]


def states(tis: dict[str, list[dict[str, Any]]], task_id: str) -> list[str | None]:
    return [ti["state"] for ti in tis[task_id]]


def assert_never_ran(tis: dict[str, list[dict[str, Any]]], task_ids: list[str], state: str) -> None:
    """Each task ended in ``state`` without ever starting: no try counted, no host, a zero-length stamp."""
    for task_id in task_ids:
        for ti in tis[task_id]:
            assert ti["state"] == state, (task_id, ti)
            assert ti["try_number"] == 0 and not ti["hostname"], (task_id, ti)
            assert ti["start_date"] == ti["end_date"], (task_id, ti)


def test_unselected_points_start_no_task(erp: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """A one-point run starts seven task processes (choose_points, the point's five, summarize), not 38.

    ``commitments`` has prerequisites (projects, vendors) and dependents (its lines, statuses, change
    orders, invoices, payments) that are all left out: a branch operator would still have run every
    dependent (see ChoosePointsOperator), and before choose_points every left-out point ran its extract and
    record tasks just to skip them.
    """
    # Its prerequisites are in no ledger yet, so every commitment is blocked: allowed here, to count tasks.
    monkeypatch.setenv("PROCORE_SYNC_MAX_HELD_SHARE", "1")
    state, run_id, summary = run_dag(NIGHT, {"mode": "full", "dry_run": True, "points": ["commitments"]})
    assert state == "success", summary
    tis = task_instances(run_id)

    ran = sorted(task_id for task_id, rows in tis.items() for ti in rows if ti["try_number"] > 0)
    assert ran == sorted(["choose_points", *point_tasks("commitments"), "summarize"])
    for task_id in ran:
        assert all(ti["state"] == "success" and ti["try_number"] == 1 for ti in tis[task_id]), tis[task_id]

    others = [point for point in POINTS if point != "commitments"]
    assert_never_ran(tis, [task for point in others for task in point_tasks(point)], "skipped")

    rows = {row["point"]: row for row in summary}
    assert list(rows) == POINTS, "the summary lists every point"
    assert all(rows[point].get("skipped") is True for point in others)
    assert rows["commitments"].get("skipped") is None and rows["commitments"]["dry_run"] is True


def test_failed_prerequisite_still_records_and_dependent_runs(
    erp: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """vendors fails at extract: its record step still runs (and fails: nothing to record), commitments
    (which needs vendors and the unselected projects) still runs, and the summary fails the run."""
    sql_dir = tmp_path / "sql"
    sql_dir.mkdir()
    for file in load_settings().resolved_sql_dir.iterdir():
        if file.name.endswith(".sql"):
            (sql_dir / file.name).write_text(file.read_text())
    (sql_dir / "vendors.sql").write_text("SELECT no_such_column FROM vendor\n")
    monkeypatch.setenv("PROCORE_SYNC_SQL_DIR", str(sql_dir))

    state, run_id, summary = run_dag(
        NIGHT, {"mode": "full", "dry_run": True, "points": ["vendors", "commitments"]}
    )
    assert state == "failed"
    tis = task_instances(run_id)
    assert states(tis, "vendors.extract_vendors") == ["failed"]
    assert_never_ran(tis, point_tasks("vendors")[1:4], "upstream_failed")
    record = tis["vendors.record_vendors"][0]
    assert (record["state"], record["try_number"]) == ("failed", 1), "record runs after a failed load"
    for task_id in point_tasks("commitments"):
        assert all(ti["state"] == "success" and ti["try_number"] == 1 for ti in tis[task_id]), task_id
    assert_never_ran(tis, point_tasks("projects"), "skipped")
    assert states(tis, "summarize") == ["failed"], "a selected point that did not finish fails the run"
    rows = {row["point"]: row for row in summary}
    assert rows["vendors"].get("skipped") is True and rows["commitments"].get("skipped") is None


def test_record_runs_after_a_failed_load(erp: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Procore answers every call with 503: the load fails after the hook's bounded wait, the record
    step still runs and records every vendor it could not deliver as failed, and the run fails."""
    from procore_emulator import EmulatorConfig, FaultConfig, run_emulator

    config = EmulatorConfig(client_id="sel-client", client_secret="sel-secret-4b1f", company_id=4321)
    with run_emulator(config) as emulator:
        connection = json.loads(
            procore_connection_uri(
                api_host=emulator.base_url,
                client_id=config.client_id,
                client_secret=config.client_secret,
                company_id=config.company_id,
                rate_limit_dir=str(tmp_path / "ratelimit"),
            )
        )
        connection["extra"]["max_wait_seconds"] = 2  # give up on Procore quickly
        monkeypatch.setenv("AIRFLOW_CONN_PROCORE_DEFAULT", json.dumps(connection))
        emulator.set_faults(FaultConfig(error_rate=1.0, retry_after_seconds=None))
        state, run_id, summary = run_dag(NIGHT, {"mode": "full", "points": ["vendors"]})
        assert emulator.state.records("vendors") == []

    tis = task_instances(run_id)
    assert states(tis, "vendors.load_vendors") == ["failed"]
    record = tis["vendors.record_vendors"][0]
    assert (record["state"], record["try_number"]) == ("success", 1), "record runs after a failed load"
    vendors = {row["point"]: row for row in summary}["vendors"]
    assert vendors["failed"] > 0 and vendors["created"] == 0, vendors
    engine = ledger.connect(load_settings().resolved_ledger_url)
    try:
        recorded = ledger.read_point(engine, "vendors")
    finally:
        engine.dispose()
    assert (recorded["status"] == "failed").sum() == vendors["failed"]
    # The run fails by policy (PROCORE_SYNC_FAIL_ON_FAILED_RECORDS), after every point recorded its outcomes.
    assert state == "failed", "a run with failed records fails, so users can alert on it"
    assert states(tis, "summarize") == ["failed"]
