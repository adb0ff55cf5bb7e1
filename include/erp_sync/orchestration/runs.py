"""Build a :class:`~erp_sync.steps.RunContext` from an Airflow task context (a plain mapping)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from erp_sync.settings import load_settings
from erp_sync.steps import RunContext


def run_context(context: Mapping[str, Any]) -> RunContext:
    params = context.get("params") or {}
    points = params.get("points") or ()
    return RunContext(
        dag_id=context["dag"].dag_id,
        run_id=context["run_id"],
        window_start=context.get("data_interval_start"),
        window_end=context.get("data_interval_end"),
        mode=str(params.get("mode") or "incremental"),
        dry_run=bool(params.get("dry_run", False)),
        points=tuple(points),
        settings=load_settings(),
    )
