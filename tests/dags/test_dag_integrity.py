"""DAG integrity: every DAG file imports cleanly, without network or database work at parse time."""

from __future__ import annotations

import socket

import pytest
import sqlalchemy
from erp_sync.declarations import in_dependency_order
from devtools.localrun import DAGS_FOLDER


@pytest.fixture
def dagbag(monkeypatch):
    from airflow.dag_processing.dagbag import DagBag

    def no_network(*args, **kwargs):
        raise AssertionError(f"network access at DAG-parse time: {args}")

    def no_database(*args, **kwargs):
        raise AssertionError(f"database engine created at DAG-parse time: {args}")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(sqlalchemy, "create_engine", no_database)
    return DagBag(dag_folder=str(DAGS_FOLDER))


def test_dags_import_without_errors(dagbag):
    assert dagbag.import_errors == {}
    assert "erp_to_procore" in dagbag.dag_ids


def test_graph_follows_declarations(dagbag):
    dag = dagbag.dags["erp_to_procore"]
    for point in in_dependency_order():
        chain = [
            f"{point.name}.{step}_{point.name}" for step in ("extract", "transform", "plan", "load", "record")
        ]
        for upstream, downstream in zip(chain, chain[1:], strict=False):
            assert downstream in dag.get_task(upstream).downstream_task_ids
        for dependency in point.depends_on:
            assert (
                f"{point.name}.extract_{point.name}"
                in dag.get_task(f"{dependency}.record_{dependency}").downstream_task_ids
            )
        assert "summarize" in dag.get_task(chain[-1]).downstream_task_ids


def test_schedule_has_data_intervals_and_params(dagbag):
    from airflow.timetables.interval import CronDataIntervalTimetable

    dag = dagbag.dags["erp_to_procore"]
    assert isinstance(dag.timetable, CronDataIntervalTimetable), "a plain cron gives zero-width intervals"
    assert dag.timetable.periodic, "backfill needs a periodic timetable"
    assert set(dag.params.keys()) == {"points", "mode", "dry_run"}
    assert dag.params["points"] == [p.name for p in in_dependency_order()]
    assert dag.params["mode"] == "incremental" and dag.params["dry_run"] is False


def test_timezone_is_configurable(monkeypatch):
    from erp_sync.orchestration.dag_factory import build_erp_to_procore_dag
    from erp_sync.settings import SyncSettings

    monkeypatch.setenv("PROCORE_SYNC_TIMEZONE", "America/Chicago")
    monkeypatch.setenv("PROCORE_SYNC_SCHEDULE", "30 1 * * *")
    dag = build_erp_to_procore_dag(settings=SyncSettings())
    assert str(dag.timetable._timezone.name) == "America/Chicago"
    assert dag.timetable._expression == "30 1 * * *"
