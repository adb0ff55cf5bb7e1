"""Shared fixtures: throw-away databases on the local services and a running Procore emulator.

A test that needs PostgreSQL or MariaDB fails (never skips) when ``CI`` is set and the service is
unreachable; on a developer's machine without the service it skips, saying why.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

PG_ADMIN_URL = os.environ.get("PROCORE_SYNC_TEST_PG_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/postgres")
MARIADB_ADMIN_URL = os.environ.get("PROCORE_SYNC_TEST_MARIADB_URL", "mysql+pymysql://root@127.0.0.1:3306/test")


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
