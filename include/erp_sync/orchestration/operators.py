"""Operators for choosing a run's points and for the load (sync) and record steps of an integration point."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from airflow.sdk import BaseOperator, SkipMixin

from erp_sync import steps
from erp_sync.orchestration.runs import run_context


class ChoosePointsOperator(BaseOperator, SkipMixin):
    """Skips the first task of every point the run's ``points`` param leaves out, before any of them starts.

    An unselected point then costs no task process at all: the scheduler skips the rest of its tasks
    itself (see the trigger rules in :mod:`erp_sync.orchestration.dag_factory`). It must be a direct
    upstream of every point's first task, so none of them starts before the choice is made.

    Not a branch operator on purpose: ``SkipMixin.skip_all_except`` (what ``BaseBranchOperator`` and
    ``@task.branch`` call, ``airflow/sdk/bases/skipmixin.py`` and
    ``airflow/providers/standard/utils/skipmixin.py`` in Airflow 3.3.2) never skips a task that is also
    downstream of a followed one, and every point downstream of a selected prerequisite is. ``skip`` marks
    exactly the listed tasks: it pushes the ``skipmixin_key`` XCom (``{"skipped": [...]}``, which
    ``NotPreviouslySkippedDep`` reads again when those tasks are cleared) and raises
    ``DownstreamTasksSkipped``, which the task runner (``_run_task_and_map_outcome`` in
    ``airflow/sdk/execution_time/task_runner.py``) sends to the Execution API *before* it reports this
    task's success; ``ti_skip_downstream`` (``airflow/api_fastapi/execution_api/routes/task_instances.py``)
    then sets them ``skipped`` (start and end date now, try_number untouched) unless they already run.
    """

    # Serialized as ``_can_skip_downstream`` so the scheduler's NotPreviouslySkippedDep consults this
    # task's XCom (like BaseBranchOperator, airflow/sdk/bases/branch.py).
    inherits_from_skipmixin = True
    ui_color = "#d5e8d4"

    def __init__(self, *, first_tasks: Mapping[str, str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.first_tasks = dict(first_tasks)  # point name -> task id of the point's first task

    def execute(self, context: Any) -> None:
        run = run_context(context)
        selected = [point for point in self.first_tasks if run.selected(point)]
        unselected = [point for point in self.first_tasks if not run.selected(point)]
        self.log.info("Points in this run: %s; not selected (skipped): %s", selected, unselected or "none")
        dag = self.get_dag()
        if dag is None:  # pragma: no cover - the operator always runs inside its DAG
            raise RuntimeError(f"{self.task_id} has no DAG")
        # Returns when nothing is to be skipped; otherwise raises DownstreamTasksSkipped (see above).
        self.skip(context["ti"], [dag.get_task(self.first_tasks[point]) for point in unselected])


class ProcoreSyncOperator(BaseOperator):
    """Sends one scope (the company, or one project) of a point's planned changes to Procore.

    Project-scoped points map this operator over their projects. Dry runs send nothing.
    If some records cannot be delivered (Procore unreachable after the hook's
    bounded retries) their outcomes are staged as failed and the task fails, so Airflow retries it;
    resending is safe because sync actions upsert by origin_id and creates without a sync action look
    the record up by origin_id first on a retry.
    """

    template_fields = ("point", "procore_conn_id", "scope_key")
    ui_color = "#f47e20"

    def __init__(
        self, *, point: str, scope_key: str = "", procore_conn_id: str = "procore_default", **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.point = point
        self.scope_key = scope_key
        self.procore_conn_id = procore_conn_id

    def execute(self, context: Any) -> dict[str, Any]:
        from procore_provider.hooks import ProcoreHook

        run = run_context(context)
        hook = None if run.dry_run else ProcoreHook(procore_conn_id=self.procore_conn_id)
        retrying = int(getattr(context.get("ti"), "try_number", 1) or 1) > 1
        return steps.load_step(self.point, run, hook, self.scope_key, retrying=retrying)


class RecordSyncOutcomesOperator(BaseOperator):
    """Writes every record's outcome of a point to the ledger and stages the point's summary row.

    Runs even when the load failed (trigger rule ``none_skipped`` in the DAG: a failed or upstream-failed
    load still lets it run), so undelivered records are recorded as failed instead of vanishing; a point
    left out of the run is skipped by the scheduler before this task starts.
    """

    template_fields = ("point",)
    ui_color = "#7fb3d5"

    def __init__(self, *, point: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.point = point

    def execute(self, context: Any) -> dict[str, Any]:
        from airflow.sdk.exceptions import AirflowSkipException

        run = run_context(context)
        if not run.selected(self.point):  # only when cleared by hand: the DAG never starts it then
            raise AirflowSkipException(f"{self.point} not selected in this run's 'points' param")
        if not run.stage(self.point).exists("plan_meta.json"):
            raise RuntimeError(f"{self.point}: nothing to record, an earlier step failed (see its log)")
        return steps.record_step(self.point, run)
