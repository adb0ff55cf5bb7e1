"""Shared fixtures: throw-away databases on the local services and a running Procore emulator.

A test that needs PostgreSQL or MariaDB fails (never skips) when ``CI`` is set and the service is
unreachable; on a developer's machine without the service it skips, saying why.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from devtools.localrun import configure_airflow_home, migrate_metadata_db

# Airflow reads its configuration on first import: point it at a private home before any test imports it.
AIRFLOW_TEST_HOME = Path(tempfile.mkdtemp(prefix="pes-airflow-home-"))
configure_airflow_home(AIRFLOW_TEST_HOME)
os.environ.pop("AIRFLOW_CONN_PROCORE_DEFAULT", None)
# A failing task in a test must fail the run at once, not wait for Airflow's retry delay.
os.environ["PROCORE_SYNC_TASK_RETRIES"] = "0"

PG_ADMIN_URL = os.environ.get(
    "PROCORE_SYNC_TEST_PG_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/postgres"
)
MARIADB_ADMIN_URL = os.environ.get(
    "PROCORE_SYNC_TEST_MARIADB_URL", "mysql+pymysql://root@127.0.0.1:3306/test"
)


def _service_unavailable(name: str, exc: Exception) -> None:
    message = f"{name} is not reachable ({type(exc).__name__}: {exc}); start it as ../shared/services.md says"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def _throwaway_database(admin_url: str, name: str, quote: str, options: str = "") -> Iterator[str]:
    """Creates a uniquely named database, yields its URL, drops it afterwards."""
    db = f"pes_test_{uuid.uuid4().hex[:12]}"
    try:
        admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT", pool_pre_ping=True)
        with admin.connect() as conn:
            conn.execute(sa.text(f"CREATE DATABASE {quote}{db}{quote}{options}"))
    except sa.exc.OperationalError as exc:
        _service_unavailable(name, exc)
    url = sa.engine.make_url(admin_url).set(database=db)
    if name == "MariaDB":
        url = url.update_query_dict({"charset": "utf8mb4"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            if name == "PostgreSQL":
                conn.execute(
                    sa.text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :d"),
                    {"d": db},
                )
            conn.execute(sa.text(f"DROP DATABASE IF EXISTS {quote}{db}{quote}"))
        admin.dispose()


@pytest.fixture
def pg_url() -> Iterator[str]:
    """URL of a fresh, empty PostgreSQL database."""
    yield from _throwaway_database(PG_ADMIN_URL, "PostgreSQL", '"')


@pytest.fixture
def mariadb_url() -> Iterator[str]:
    """URL of a fresh, empty MariaDB database (utf8mb4)."""
    yield from _throwaway_database(
        MARIADB_ADMIN_URL, "MariaDB", "`", " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
    )


@pytest.fixture(scope="session")
def airflow_db() -> Path:
    """A migrated SQLite Airflow metadata database for ``dag.test()`` runs."""
    migrate_metadata_db()
    return AIRFLOW_TEST_HOME


@pytest.fixture
def sync_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private PROCORE_SYNC_DATA_DIR (embedded ERP, ledger and staging) for one test."""
    monkeypatch.setenv("PROCORE_SYNC_DATA_DIR", str(tmp_path / "sync"))
    monkeypatch.setenv("PROCORE_SYNC_SOURCE_NAME", "test-erp")
    for name in ("ERP_URL", "LEDGER_URL", "STAGING_URL"):
        monkeypatch.delenv(f"PROCORE_SYNC_{name}", raising=False)
    return tmp_path / "sync"
