"""Fixtures for the emulator's own tests: one server per module, reset before every test, and a
small authenticated client that speaks to it over real HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests
from procore_emulator import EmulatorConfig, run_emulator
from procore_emulator.server import RunningEmulator

COMPANY_ID = 4321
CLIENT_ID = "test-client-id"
CLIENT_SECRET = "test-client-secret"


def emulator_config(**overrides: Any) -> EmulatorConfig:
    """Generous limits by default so only the rate-limit tests meet a 429."""
    settings: dict[str, Any] = {
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "company_id": COMPANY_ID,
        "company_name": "Demo Builders Inc.",
        "hourly_limit": 1_000_000,
        "spike_limit": 1_000_000,
    }
    settings.update(overrides)
    return EmulatorConfig(**settings)


class Api:
    """A bare Procore client for tests: token, headers, and nothing clever (no retries)."""

    def __init__(self, emu: RunningEmulator, company_id: int = COMPANY_ID) -> None:
        self.emu = emu
        self.base = emu.base_url
        self.company_id = company_id
        self.session = requests.Session()

    def fetch_token(self, secret: str = CLIENT_SECRET) -> requests.Response:
        return self.session.post(
            f"{self.base}/oauth/token",
            data={"grant_type": "client_credentials", "client_id": CLIENT_ID, "client_secret": secret},
            timeout=10,
        )

    def login(self) -> Api:
        response = self.fetch_token()
        assert response.status_code == 200, response.text
        self.session.headers["Authorization"] = f"Bearer {response.json()['access_token']}"
        self.session.headers["Procore-Company-Id"] = str(self.company_id)
        return self

    def get(self, path: str, params: Any = None, **kwargs: Any) -> requests.Response:
        return self.session.get(f"{self.base}{path}", params=params, timeout=10, **kwargs)

    def post(self, path: str, json: Any, **kwargs: Any) -> requests.Response:
        return self.session.post(f"{self.base}{path}", json=json, timeout=10, **kwargs)

    def patch(self, path: str, json: Any, **kwargs: Any) -> requests.Response:
        return self.session.patch(f"{self.base}{path}", json=json, timeout=10, **kwargs)

    def delete(self, path: str, params: Any = None, **kwargs: Any) -> requests.Response:
        return self.session.delete(f"{self.base}{path}", params=params, timeout=10, **kwargs)

    def sync(self, resource: str, updates: Any, **body: Any) -> requests.Response:
        payload = {"company_id": self.company_id, "updates": updates, **body}
        return self.patch(f"/rest/v1.0/{resource}/sync", payload)

    def synced(self, resource: str, updates: list[dict[str, Any]]) -> dict[str, Any]:
        """Sync that must succeed as a request (HTTP 200); returns the body."""
        response = self.sync(resource, updates)
        assert response.status_code == 200, response.text
        return response.json()

    def list(self, resource: str, **params: Any) -> requests.Response:
        return self.get(f"/rest/v1.0/{resource}", params={"company_id": self.company_id, **params})


@pytest.fixture(scope="module")
def server() -> Iterator[RunningEmulator]:
    with run_emulator(emulator_config()) as emu:
        yield emu


@pytest.fixture
def emu(server: RunningEmulator) -> RunningEmulator:
    """The module's emulator, emptied and back to its configured limits and faults."""
    server.reset()
    return server


@pytest.fixture
def api(emu: RunningEmulator) -> Api:
    return Api(emu).login()
