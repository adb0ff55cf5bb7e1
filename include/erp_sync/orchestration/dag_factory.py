"""Builds the ``erp_to_procore`` DAG from the integration-point declarations.

One task group per point (extract → transform → plan → load → record), wired by the points'
declared dependencies so the graph shows Procore's integration order; a first task skips the points
the run's ``points`` param leaves out, a final task prints the summary. Nothing here touches a
database or the network: it runs at DAG-parse time.

How a point left out of the run costs no task process (Airflow 3.3.2 semantics, as read in
``airflow/ti_deps/deps/trigger_rule_dep.py``, ``TriggerRuleDep._evaluate_direct_relatives``, with the
scheduler's ``flag_upstream_failed``):

* ``choose_points`` (:class:`~erp_sync.orchestration.operators.ChoosePointsOperator`) is upstream of
  every ``extract_*`` and marks the unselected points' extracts ``skipped`` before they can start.
* ``transform_*``, ``plan_*`` and the mapped ``load_*`` keep ``all_success``: a skipped upstream makes
  the scheduler set them ``skipped`` without starting them (a failed one: ``upstream_failed``).
* ``record_*`` uses ``none_skipped``: it waits until its loads are done and runs when they succeeded,
  failed or were upstream_failed (so undelivered records are recorded as failed), and the scheduler
  skips it when a load was skipped, i.e. when its point is not in the run.
* ``extract_*`` keeps ``all_done``: a selected point runs once its prerequisites' records are done,
  whether they succeeded, failed or were skipped (prerequisites not in the run come from the ledger).
  ``all_done_min_one_success`` would not do: it skips as soon as one upstream is skipped.
* ``summarize`` keeps ``all_done`` and fails the run when a selected point did not finish, or by the
  deployment's policy: any record failed, or too large a share rejected or blocked
  (:func:`erp_sync.steps.run_verdict`).

Task instances the scheduler (or ``choose_points``) skipped keep ``try_number`` 0 and have no
hostname, pid or log; both still stamp ``start_date`` = ``end_date`` with the time of the skip
(``TaskInstance.set_state`` in ``airflow/models/taskinstance.py``, ``ti_skip_downstream``).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from airflow.sdk import DAG, Param, TaskGroup, TriggerRule, get_current_context, task
from airflow.sdk.exceptions import AirflowFailException, AirflowSkipException
from airflow.timetables.interval import CronDataIntervalTimetable

from erp_sync import steps
from erp_sync.declarations import IntegrationPoint, in_dependency_order
from erp_sync.orchestration.runs import run_context
from erp_sync.settings import SyncSettings

log = logging.getLogger(__name__)


def _selected_or_skip(point: IntegrationPoint) -> steps.RunContext:
    """The run's context; skips the task if its point is not selected.

    ``choose_points`` already skipped an unselected point's tasks before they could start: this guard only
    acts on a task cleared by hand, or when ``choose_points`` itself failed (``all_done`` then still
    lets every extract run, and each unselected one skips here, as the DAG did before it had that task).
    """
    run = run_context(get_current_context())
    if not run.selected(point.name):
        raise AirflowSkipException(f"{point.name} not selected in this run's 'points' param")
    return run


def _step_tasks(point: IntegrationPoint, settings: SyncSettings) -> tuple[Any, Any]:
    """The five tasks of one point; returns (first, last).

    extract is ``all_done`` so a selected point still runs when a prerequisite point failed or was not
    selected; the rest of the rules make an unselected point cost no task process (module docstring).
    """
    from erp_sync.orchestration.operators import ProcoreSyncOperator, RecordSyncOutcomesOperator

    @task(
        task_id=f"extract_{point.name}", trigger_rule=TriggerRule.ALL_DONE, doc_md=f"Run `{point.sql_file}`."
    )
    def extract_point() -> dict[str, Any]:
        return steps.extract_step(point.name, _selected_or_skip(point))

    @task(task_id=f"transform_{point.name}")
    def transform_point() -> dict[str, Any]:
        return steps.transform_step(point.name, _selected_or_skip(point))

    @task(task_id=f"plan_{point.name}")
    def plan_point() -> list[str]:
        """Returns the scopes (projects, or the company) that have something to send."""
        scopes: list[str] = steps.plan_step(point.name, _selected_or_skip(point))["scopes"]
        return scopes

    plan = plan_point()
    load = ProcoreSyncOperator.partial(
        task_id=f"load_{point.name}",
        point=point.name,
        procore_conn_id=settings.procore_conn_id,
        pool=settings.api_pool,
        map_index_template="{{ task.scope_key or 'company' }}",
    ).expand(scope_key=plan)
    # none_skipped, not all_done: runs after a failed load (undelivered records are recorded as failed),
    # and is skipped without starting when the point is not in the run (its load was skipped).
    record = RecordSyncOutcomesOperator(
        task_id=f"record_{point.name}", point=point.name, trigger_rule=TriggerRule.NONE_SKIPPED
    )
    first = extract_point()
    first >> transform_point() >> plan >> load >> record
    return first, record


@task(task_id="summarize", trigger_rule=TriggerRule.ALL_DONE)
def summarize(point_names: list[str]) -> list[dict[str, Any]]:
    """Logs the run's summary table; fails the run if a point could not finish or by policy."""
    context = get_current_context()
    run = run_context(context)
    rows = steps.summarize_step(run, point_names)
    log.info("ERP → Procore sync summary for %s\n%s", run.run_id, steps.format_summary(rows))
    unfinished = [r["point"] for r in rows if r.get("skipped") and run.selected(r["point"])]
    if unfinished:
        raise AirflowFailException(
            f"points that did not finish: {', '.join(unfinished)} (see their task logs)"
        )
    if verdict := steps.run_verdict(run, rows):
        log.error(
            "the run fails by policy (PROCORE_SYNC_FAIL_ON_FAILED_RECORDS, _MAX_HELD_SHARE):\n%s", verdict
        )
        raise AirflowFailException(verdict)
    return rows


def build_erp_to_procore_dag(dag_id: str = "erp_to_procore", settings: SyncSettings | None = None) -> DAG:
    """The main DAG: every declared point in Procore's order, nightly, with UI params."""
    settings = settings or SyncSettings()
    points = in_dependency_order()
    names = [p.name for p in points]
    with DAG(
        dag_id=dag_id,
        description="Sync the ERP into Procore, integration point by integration point, in Procore's order",
        schedule=CronDataIntervalTimetable(settings.schedule, timezone=settings.timezone),
        start_date=datetime(2024, 1, 1),
        catchup=False,
        max_active_runs=1,
        doc_md=__doc__,
        tags=["procore", "erp"],
        default_args={
            "retries": settings.task_retries,
            "retry_delay": timedelta(minutes=1),
            "retry_exponential_backoff": True,
        },
        params={
            "points": Param(
                names,
                type="array",
                items={"type": "string", "enum": names},
                examples=names,
                title="Integration points",
                description="Which points to sync; prerequisites not selected are taken from the ledger.",
            ),
            "mode": Param(
                "incremental",
                type="string",
                enum=["incremental", "full"],
                title="Mode",
                description="incremental: rows changed in the run's data interval; full: every row.",
            ),
            "dry_run": Param(
                False,
                type="boolean",
                title="Dry run",
                description="Plan and report, write nothing to Procore.",
            ),
        },
    ) as dag:
        from erp_sync.orchestration.operators import ChoosePointsOperator

        firsts: dict[str, Any] = {}
        ends: dict[str, Any] = {}
        for point in points:
            with TaskGroup(group_id=point.name, tooltip=f"Tier {point.tier}: {point.title}"):
                first, last = _step_tasks(point, settings)
            for dependency in point.depends_on:
                ends[dependency] >> first
            firsts[point.name], ends[point.name] = first, last
        choose = ChoosePointsOperator(
            task_id="choose_points",
            first_tasks={name: first.operator.task_id for name, first in firsts.items()},
            doc_md="Skips the points this run's `points` param leaves out before any of their tasks starts.",
        )
        choose.set_downstream([first.operator for first in firsts.values()])
        summarize(names).set_upstream(list(ends.values()))
    return dag
