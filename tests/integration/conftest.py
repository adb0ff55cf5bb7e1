"""A running Procore emulator that the DAG's ``procore_default`` connection points at."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import pytest
from devtools.localrun import procore_connection_uri
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
