"""Operators for the load (sync) and record steps of an integration point."""

from __future__ import annotations

from typing import Any

from airflow.sdk import BaseOperator
from erp_sync import steps
from erp_sync.orchestration.runs import run_context


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

    def execute(self, context: Any) -> dict:
        from procore_provider.hooks import ProcoreHook

        run = run_context(context)
        hook = None if run.dry_run else ProcoreHook(procore_conn_id=self.procore_conn_id)
        retrying = int(getattr(context.get("ti"), "try_number", 1) or 1) > 1
        return steps.load_step(self.point, run, hook, self.scope_key, retrying=retrying)


class RecordSyncOutcomesOperator(BaseOperator):
    """Writes every record's outcome of a point to the ledger and stages the point's summary row.

    Runs even when the load failed (trigger rule ``all_done`` in the DAG), so undelivered records
    are recorded as failed instead of vanishing.
    """

    template_fields = ("point",)
    ui_color = "#7fb3d5"

    def __init__(self, *, point: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.point = point

    def execute(self, context: Any) -> dict:
        from airflow.sdk.exceptions import AirflowSkipException

        run = run_context(context)
        if not run.selected(self.point):
            raise AirflowSkipException(f"{self.point} not selected in this run's 'points' param")
        if not run.stage(self.point).exists("plan_meta.json"):
            raise RuntimeError(f"{self.point}: nothing to record, an earlier step failed (see its log)")
        return steps.record_step(self.point, run)
