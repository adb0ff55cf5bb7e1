"""Fixtures for hook tests: a running Procore sandbox emulator and hooks wired to it via AIRFLOW_CONN_*."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from procore_provider import ProcoreHook

CLIENT_ID = "demo-client-id"
CLIENT_SECRET = "demo-client-secret"
COMPANY_ID = 4321


@pytest.fixture(autouse=True)
def _fresh_token_cache() -> Iterator[None]:
    """Each test starts without cached tokens, so token counts in the emulator log are its own."""
    ProcoreHook.clear_token_cache()
    yield
    ProcoreHook.clear_token_cache()


@pytest.fixture
def emulator_factory() -> Iterator[Callable[..., Any]]:
    """Start an emulator with the given EmulatorConfig overrides; stopped at teardown."""
    from procore_emulator import EmulatorConfig, FaultConfig, run_emulator

    stack: list[Any] = []

    def start(**overrides: Any) -> Any:
        settings: dict[str, Any] = dict(
            client_id=CLIENT_ID,
            client_secret=CLIENT_SECRET,
            company_id=COMPANY_ID,
            company_name="Demo Builders Inc.",
            token_ttl_seconds=5400,
            hourly_limit=3600,
            spike_limit=1000,  # pacing is exercised by the tests that lower it
            spike_window_seconds=10,
            faults=FaultConfig(),
        )
        settings.update(overrides)
        cm = run_emulator(EmulatorConfig(**settings))
        emu = cm.__enter__()
        stack.append(cm)
        return emu

    yield start
    while stack:
        stack.pop().__exit__(None, None, None)


@pytest.fixture
def emulator(emulator_factory: Callable[..., Any]) -> Any:
    return emulator_factory()


@pytest.fixture
def make_hook(monkeypatch: pytest.MonkeyPatch, tmp_path) -> Callable[..., ProcoreHook]:
    """Point ``procore_default`` (AIRFLOW_CONN_PROCORE_DEFAULT JSON) at an emulator and build a hook.

    Short backoffs keep retry tests fast; the rate-limit state lives in the test's tmp dir.
    """

    def build(
        emu: Any, *, secret: str = CLIENT_SECRET, extra: dict[str, Any] | None = None, **kwargs: Any
    ) -> ProcoreHook:
        conn = {
            "conn_type": "procore",
            "login": CLIENT_ID,
            "password": secret,
            "extra": {
                "company_id": COMPANY_ID,
                "api_host": emu.base_url,
                "login_host": emu.base_url,
                "rate_limit_dir": str(tmp_path / "ratelimit"),
                **(extra or {}),
            },
        }
        monkeypatch.setenv("AIRFLOW_CONN_PROCORE_DEFAULT", json.dumps(conn))
        kwargs.setdefault("backoff_base_seconds", 0.1)
        kwargs.setdefault("backoff_max_seconds", 1.0)
        return ProcoreHook(**kwargs)

    return build
