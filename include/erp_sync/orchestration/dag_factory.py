"""Builds the ``erp_to_procore`` DAG from the integration-point declarations.

One task group per point (extract → transform → plan → load → record), wired by the points'
declared dependencies so the graph shows Procore's integration order; a final task prints the
summary. Nothing here touches a database or the network: it runs at DAG-parse time.
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
    run = run_context(get_current_context())
    if not run.selected(point.name):
        raise AirflowSkipException(f"{point.name} not selected in this run's 'points' param")
    return run


def _step_tasks(point: IntegrationPoint, settings: SyncSettings) -> tuple[Any, Any]:
    """The five tasks of one point; returns (first, last)."""
    from erp_sync.orchestration.operators import ProcoreSyncOperator, RecordSyncOutcomesOperator

    @task(
        task_id=f"extract_{point.name}", trigger_rule=TriggerRule.ALL_DONE, doc_md=f"Run `{point.sql_file}`."
    )
    def extract_point() -> dict:
        return steps.extract_step(point.name, _selected_or_skip(point))

    @task(task_id=f"transform_{point.name}")
    def transform_point() -> dict:
        return steps.transform_step(point.name, _selected_or_skip(point))

    @task(task_id=f"plan_{point.name}")
    def plan_point() -> list[str]:
        """Returns the scopes (projects, or the company) that have something to send."""
        return steps.plan_step(point.name, _selected_or_skip(point))["scopes"]

    plan = plan_point()
    load = ProcoreSyncOperator.partial(
        task_id=f"load_{point.name}",
        point=point.name,
        procore_conn_id=settings.procore_conn_id,
        pool=settings.api_pool,
        map_index_template="{{ task.scope_key or 'company' }}",
    ).expand(scope_key=plan)
    record = RecordSyncOutcomesOperator(
        task_id=f"record_{point.name}", point=point.name, trigger_rule=TriggerRule.ALL_DONE
    )
    first = extract_point()
    first >> transform_point() >> plan >> load >> record
    return first, record


@task(task_id="summarize", trigger_rule=TriggerRule.ALL_DONE)
def summarize(point_names: list[str]) -> list[dict]:
    """Logs the run's summary table and fails the run if any point could not finish."""
    context = get_current_context()
    run = run_context(context)
    rows = steps.summarize_step(run, point_names)
    log.info("ERP → Procore sync summary for %s\n%s", run.run_id, steps.format_summary(rows))
    unfinished = [r["point"] for r in rows if r.get("skipped") and run.selected(r["point"])]
    if unfinished:
        raise AirflowFailException(
            f"points that did not finish: {', '.join(unfinished)} (see their task logs)"
        )
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
        ends: dict[str, Any] = {}
        for point in points:
            with TaskGroup(group_id=point.name, tooltip=f"Tier {point.tier}: {point.title}"):
                first, last = _step_tasks(point, settings)
            for dependency in point.depends_on:
                ends[dependency] >> first
            ends[point.name] = last
        summarize(names).set_upstream(list(ends.values()))
    return dag
