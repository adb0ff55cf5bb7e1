"""Operators for the load (sync) and record steps of an integration point."""

from __future__ import annotations

from typing import Any

from airflow.sdk import BaseOperator

from erp_sync import steps
from erp_sync.runs import run_context


class ProcoreSyncOperator(BaseOperator):
    """Sends a point's planned creates and updates to Procore via its sync action.

    Dry runs send nothing. If some records cannot be delivered (Procore unreachable after the hook's
    bounded retries) their outcomes are staged as failed and the task fails, so Airflow retries it;
    resending is safe because sync actions upsert by origin_id.
    """

    template_fields = ("point", "procore_conn_id")
    ui_color = "#f47e20"

    def __init__(self, *, point: str, procore_conn_id: str = "procore_default", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.point = point
        self.procore_conn_id = procore_conn_id

    def execute(self, context: Any) -> dict:
        from procore_provider.hooks import ProcoreHook

        run = run_context(context)
        hook = None if run.dry_run else ProcoreHook(procore_conn_id=self.procore_conn_id)
        return steps.load_step(self.point, run, hook)


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
        return steps.record_step(self.point, run_context(context))
