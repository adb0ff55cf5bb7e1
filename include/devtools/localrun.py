"""Run the DAG in one local process (``dag.test()``) for the demo and the integration tests.

Airflow reads its configuration when first imported, so :func:`configure_airflow_home` must run before
anything imports ``airflow``; the other functions import it lazily.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]
DAGS_FOLDER = REPO_ROOT / "dags"


def configure_airflow_home(airflow_home: Path) -> dict[str, str]:
    """Points Airflow at a private home with SQLite metadata and this repo's DAGs (env vars only)."""
    airflow_home.mkdir(parents=True, exist_ok=True)
    env = {
        "AIRFLOW_HOME": str(airflow_home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(DAGS_FOLDER),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "False",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{airflow_home / 'airflow.db'}",
        "AIRFLOW__LOGGING__LOGGING_LEVEL": os.environ.get("AIRFLOW__LOGGING__LOGGING_LEVEL", "WARNING"),
    }
    os.environ.update(env)
    return env


def migrate_metadata_db() -> None:
    """``airflow db migrate`` in a subprocess (idempotent; seconds when already migrated)."""
    subprocess.run(
        [sys.executable, "-m", "airflow", "db", "migrate"],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=os.environ.copy(),
    )


def procore_connection_uri(
    *, api_host: str, client_id: str, client_secret: str, company_id: int, rate_limit_dir: str | None = None
) -> str:
    """The JSON form of a ``procore`` connection for ``AIRFLOW_CONN_PROCORE_DEFAULT``."""
    extra: dict[str, Any] = {"company_id": company_id, "api_host": api_host, "login_host": api_host}
    if rate_limit_dir:
        extra["rate_limit_dir"] = rate_limit_dir
    return json.dumps({"conn_type": "procore", "login": client_id, "password": client_secret, "extra": extra})


def load_dag(dag_id: str = "erp_to_procore") -> Any:
    """The DAG as Airflow parses it from the DAGs folder."""
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=str(DAGS_FOLDER))
    if bag.import_errors:
        raise RuntimeError(f"DAG import errors: {bag.import_errors}")
    return bag.dags[dag_id]


def run_dag(
    logical_date: datetime, conf: dict[str, Any] | None = None, dag_id: str = "erp_to_procore"
) -> tuple[str, str, list[dict]]:
    """Runs one DAG run to completion; returns (state, run_id, summary rows)."""
    from erp_sync.settings import load_settings
    from erp_sync.staging import Stage

    dag = load_dag(dag_id)
    dag_run = dag.test(logical_date=logical_date, run_conf=conf or {})
    stage = Stage(load_settings().resolved_staging_url, dag_id, dag_run.run_id, "_run")
    summary = stage.read_json("summary") if stage.exists("summary.json") else []
    return str(dag_run.state), dag_run.run_id, summary
