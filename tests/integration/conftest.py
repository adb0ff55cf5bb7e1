"""A running Procore emulator that the DAG's ``procore_default`` connection points at, and the demo ERP
and ledger helpers the whole-DAG tests share."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

import demo_erp
import pandas as pd
import pytest
import sqlalchemy as sa
from devtools.localrun import procore_connection_uri
from erp_sync import ledger
from erp_sync.settings import load_settings
from procore_emulator import EmulatorConfig, run_emulator

CLIENT_ID, CLIENT_SECRET, COMPANY_ID = "it-client", "it-secret-5f2c9a", 4321


@pytest.fixture
def serve_emulator(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Callable[..., AbstractContextManager]:
    """Starts the emulator (Procore's documented limits unless overridden) and points the connection at it."""

    @contextmanager
    def serve(**limits: int) -> Iterator:
        config = EmulatorConfig(
            client_id=CLIENT_ID, client_secret=CLIENT_SECRET, company_id=COMPANY_ID, **limits
        )
        with run_emulator(config) as emu:
            monkeypatch.setenv(
                "AIRFLOW_CONN_PROCORE_DEFAULT",
                procore_connection_uri(
                    api_host=emu.base_url,
                    client_id=CLIENT_ID,
                    client_secret=CLIENT_SECRET,
                    company_id=COMPANY_ID,
                    rate_limit_dir=str(tmp_path / "ratelimit"),
                ),
            )
            yield emu

    return serve


@pytest.fixture
def emulator(serve_emulator):
    """Wide rate limits: the whole-DAG runs make about a thousand calls each."""
    with serve_emulator(hourly_limit=1_000_000, spike_limit=100_000) as emu:
        yield emu


def seeded(url: str) -> tuple[sa.Engine, Any]:
    """The demo ERP the whole-DAG tests share: scale 0.3, 5 % dirty rows, seed 11."""
    report = demo_erp.seed(url, scale=0.3, dirty_share=0.05, seed=11)
    return sa.create_engine(url), report


@pytest.fixture
def erp_sqlite(sync_data_dir):
    """The shared demo ERP in the embedded SQLite file: (engine, seed report)."""
    engine, report = seeded(load_settings().resolved_erp_url)
    yield engine, report
    engine.dispose()


def ledger_rows(point: str) -> pd.DataFrame:
    """The point's ledger rows (of the test's ledger), indexed by ERP key."""
    return ledger.read_point(ledger.connect(load_settings().resolved_ledger_url), point)
