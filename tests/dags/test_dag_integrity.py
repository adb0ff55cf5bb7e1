"""DAG integrity: every DAG file imports cleanly, without network or database work at parse time, and the
graph (tasks, wiring, trigger rules) is the one the point selection relies on."""

from __future__ import annotations

import socket
from typing import TYPE_CHECKING, Any

import pytest
import sqlalchemy
from devtools.localrun import DAGS_FOLDER
from erp_sync.declarations import in_dependency_order

if TYPE_CHECKING:
    from airflow.dag_processing.dagbag import DagBag


@pytest.fixture
def dagbag(monkeypatch: pytest.MonkeyPatch) -> DagBag:
    from airflow.dag_processing.dagbag import DagBag

    def no_network(*args: Any, **kwargs: Any) -> None:
        raise AssertionError(f"network access at DAG-parse time: {args}")

    def no_database(*args: Any, **kwargs: Any) -> None:
        raise AssertionError(f"database engine created at DAG-parse time: {args}")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(sqlalchemy, "create_engine", no_database)
    return DagBag(dag_folder=str(DAGS_FOLDER))


def test_dags_import_without_errors(dagbag: DagBag) -> None:
    assert dagbag.import_errors == {}
    assert "erp_to_procore" in dagbag.dag_ids


STEPS = ("extract", "transform", "plan", "load", "record")
# Why each rule (erp_sync.orchestration.dag_factory's docstring has the Airflow 3.3.2 semantics):
TRIGGER_RULES = {
    "extract": "all_done",  # a selected point runs after its prerequisites whatever their outcome
    "transform": "all_success",  # skipped by the scheduler when extract was skipped (point not selected)
    "plan": "all_success",
    "load": "all_success",
    "record": "none_skipped",  # runs after a failed load; skipped (never started) for an unselected point
}


def test_graph_follows_declarations(dagbag: DagBag) -> None:
    """Exactly: choose_points, five tasks per point wired by the declarations, summarize; and their rules."""
    dag = dagbag.dags["erp_to_procore"]
    points = in_dependency_order()
    expected = {"choose_points", "summarize"} | {
        f"{point.name}.{step}_{point.name}" for point in points for step in STEPS
    }
    assert set(dag.task_ids) == expected
    choose = dag.get_task("choose_points")
    assert choose.upstream_task_ids == set()
    assert choose.trigger_rule == "all_success"
    assert choose.inherits_from_skipmixin, "NotPreviouslySkippedDep must consult it when tasks are cleared"
    assert choose.downstream_task_ids == {f"{p.name}.extract_{p.name}" for p in points}
    assert choose.first_tasks == {p.name: f"{p.name}.extract_{p.name}" for p in points}
    for point in points:
        chain = [f"{point.name}.{step}_{point.name}" for step in STEPS]
        for step, task_id in zip(STEPS, chain, strict=True):
            assert dag.get_task(task_id).trigger_rule == TRIGGER_RULES[step], task_id
        for upstream, downstream in zip(chain, chain[1:], strict=False):
            assert dag.get_task(downstream).upstream_task_ids == {upstream}
        assert dag.get_task(chain[0]).upstream_task_ids == {"choose_points"} | {
            f"{dependency}.record_{dependency}" for dependency in point.depends_on
        }
        assert "summarize" in dag.get_task(chain[-1]).downstream_task_ids
    summarize = dag.get_task("summarize")
    assert summarize.trigger_rule == "all_done"
    assert summarize.upstream_task_ids == {f"{p.name}.record_{p.name}" for p in points}
    assert summarize.downstream_task_ids == set()


def test_schedule_has_data_intervals_and_params(dagbag: DagBag) -> None:
    from airflow.timetables.interval import CronDataIntervalTimetable

    dag = dagbag.dags["erp_to_procore"]
    assert isinstance(dag.timetable, CronDataIntervalTimetable), "a plain cron gives zero-width intervals"
    assert dag.timetable.periodic, "backfill needs a periodic timetable"
    assert set(dag.params.keys()) == {"points", "mode", "dry_run"}
    assert dag.params["points"] == [p.name for p in in_dependency_order()]
    assert dag.params["mode"] == "incremental" and dag.params["dry_run"] is False


def test_timezone_is_configurable(monkeypatch: pytest.MonkeyPatch) -> None:
    from erp_sync.orchestration.dag_factory import build_erp_to_procore_dag
    from erp_sync.settings import SyncSettings

    monkeypatch.setenv("PROCORE_SYNC_TIMEZONE", "America/Chicago")
    monkeypatch.setenv("PROCORE_SYNC_SCHEDULE", "30 1 * * *")
    dag = build_erp_to_procore_dag(settings=SyncSettings())
    assert str(dag.timetable._timezone.name) == "America/Chicago"
    assert dag.timetable._expression == "30 1 * * *"
