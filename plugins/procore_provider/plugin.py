"""Airflow plugin entry point for procore-erp-sync (``airflow.plugins`` entry point ``procore``).

Minimal for now: a later task adds the status page and webhook FastAPI app. It must stay cheap and
safe to import, because the scheduler, API server and ``airflow plugins`` all load it.
"""

from __future__ import annotations

from airflow.plugins_manager import AirflowPlugin


class ProcorePlugin(AirflowPlugin):
    """Registers the Procore integration with Airflow's plugin manager."""

    name = "procore"
