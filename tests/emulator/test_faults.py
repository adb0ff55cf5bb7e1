"""Fault injection: error statuses, 429 storms, latency, and writes whose response is lost."""

from __future__ import annotations

import time

import pytest
import requests
from procore_emulator import FaultConfig, run_emulator

from .conftest import Api, emulator_config


def test_error_rate_one_answers_503_with_retry_after_and_changes_nothing(emu, api: Api) -> None:
    emu.set_faults(FaultConfig(error_rate=1.0, retry_after_seconds=3))
    response = api.sync("vendors", [{"name": "never stored"}])
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "3"
    assert "X-Rate-Limit-Remaining" in response.headers
    assert emu.state.records("vendors") == []
    assert api.get("/rest/v1.0/me").status_code == 503
    assert Api(emu).fetch_token().status_code == 200, "the token endpoint is spared by default"
    emu.set_faults(FaultConfig())
    assert api.get("/rest/v1.0/me").status_code == 200


def test_error_status_and_retry_after_are_configurable(emu, api: Api) -> None:
    emu.set_faults(FaultConfig(error_rate=1.0, error_status=502, retry_after_seconds=None))
    response = api.get("/rest/v1.0/me")
    assert response.status_code == 502 and "Retry-After" not in response.headers


def test_error_rate_is_a_share_and_seeded(emu, api: Api) -> None:
    def run() -> list[int]:
        emu.set_faults(FaultConfig(error_rate=0.5, seed=42))
        return [api.get("/rest/v1.0/me").status_code for _ in range(40)]

    first, second = run(), run()
    assert first == second
    assert 5 < first.count(503) < 35 and first.count(200) + first.count(503) == 40


def test_oauth_faults_only_when_asked(emu) -> None:
    emu.set_faults(FaultConfig(error_rate=1.0, include_oauth=True))
    assert Api(emu).fetch_token().status_code == 503


def test_storm_429_refuses_the_next_n_requests(emu, api: Api) -> None:
    emu.set_faults(FaultConfig(storm_429=3, retry_after_seconds=2))
    statuses = []
    for _ in range(5):
        response = api.get("/rest/v1.0/me")
        statuses.append(response.status_code)
        if response.status_code == 429:
            assert response.headers["Retry-After"] == "2"
            assert response.headers["X-Rate-Limit-Remaining"] == "0"
            assert int(response.headers["X-Rate-Limit-Reset"]) >= int(time.time())
    assert statuses == [429, 429, 429, 200, 200]


def test_latency(emu, api: Api) -> None:
    emu.set_faults(FaultConfig(latency_ms=300))
    started = time.monotonic()
    assert api.get("/rest/v1.0/me").status_code == 200
    assert time.monotonic() - started >= 0.3


def test_drop_after_write_applies_the_write_but_loses_the_response(emu, api: Api) -> None:
    emu.set_faults(FaultConfig(drop_after_write_rate=1.0))
    assert api.get("/rest/v1.0/me").status_code == 200, "reads are never dropped"
    with pytest.raises(requests.ConnectionError):
        api.sync("vendors", [{"origin_id": "erp:v:1", "name": "Stored anyway"}])
    (stored,) = emu.state.records("vendors")
    assert stored["name"] == "Stored anyway"
    entry = emu.state.request_log[-1]
    assert entry.write and entry.dropped and entry.status == 200

    emu.set_faults(FaultConfig())
    retried = api.synced("vendors", [{"origin_id": "erp:v:1", "name": "Stored anyway"}])
    assert retried["entities"][0]["id"] == stored["id"], "a retried sync finds the record by origin_id"


def test_drop_after_write_skips_failed_writes(emu, api: Api) -> None:
    emu.set_faults(FaultConfig(drop_after_write_rate=1.0))
    response = api.post("/rest/v1.0/vendors", {"company_id": api.company_id, "vendor": {}})
    assert response.status_code == 422


@pytest.mark.parametrize("http", ["h11", "httptools"])
def test_drop_works_with_each_uvicorn_protocol(http: str) -> None:
    config = emulator_config(faults=FaultConfig(drop_after_write_rate=1.0))
    with run_emulator(config, http=http) as emu:
        api = Api(emu).login()
        with pytest.raises(requests.ConnectionError):
            api.post("/rest/v1.0/vendors", {"company_id": api.company_id, "vendor": {"name": "V"}})
        assert len(emu.state.records("vendors")) == 1
        assert api.get("/rest/v1.0/me").status_code == 200, "the server keeps serving"


def test_fault_config_is_validated() -> None:
    with pytest.raises(ValueError, match="error_rate"):
        FaultConfig(error_rate=1.5)
    with pytest.raises(ValueError, match="error_status"):
        FaultConfig(error_status=200)
