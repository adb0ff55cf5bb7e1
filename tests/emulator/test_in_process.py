"""``create_app`` without a server: the same behaviour through Starlette's TestClient."""

from __future__ import annotations

import warnings

import pytest
from procore_emulator import FaultConfig, create_app
from procore_emulator.gateway import ConnectionDropped

from .conftest import CLIENT_ID, CLIENT_SECRET, COMPANY_ID, emulator_config

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette's notice about its httpx backend, not ours to fix
    from fastapi.testclient import TestClient


@pytest.fixture
def client() -> TestClient:
    app = create_app(emulator_config())
    client = TestClient(app)
    token = client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET},
    ).json()["access_token"]
    client.headers.update({"Authorization": f"Bearer {token}", "Procore-Company-Id": str(COMPANY_ID)})
    return client


def test_sync_and_list_in_process(client: TestClient) -> None:
    synced = client.patch(
        "/rest/v1.0/projects/sync",
        json={"company_id": COMPANY_ID, "updates": [{"origin_id": "j:1", "name": "Job"}]},
    )
    assert synced.status_code == 200 and synced.json()["errors"] == []
    listed = client.get("/rest/v1.0/projects", params={"company_id": COMPANY_ID})
    assert [p["origin_id"] for p in listed.json()] == ["j:1"]
    assert listed.headers["X-Rate-Limit-Limit"]
    assert client.app.emulator_state.records("projects")[0]["name"] == "Job"


def test_projects_sync_takes_company_id_from_the_query_too(client: TestClient) -> None:
    response = client.patch(
        f"/rest/v1.0/projects/sync?company_id={COMPANY_ID}", json={"updates": [{"name": "Job"}]}
    )
    assert response.status_code == 200 and len(response.json()["entities"]) == 1


def test_drop_without_a_socket_raises(client: TestClient) -> None:
    client.app.emulator_state.set_faults(FaultConfig(drop_after_write_rate=1.0))
    with pytest.raises(ConnectionDropped):
        client.post("/rest/v1.0/vendors", json={"company_id": COMPANY_ID, "vendor": {"name": "V"}})
    assert len(client.app.emulator_state.records("vendors")) == 1


def test_openapi_lists_generated_routes(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/rest/v1.0/vendors", "/rest/v1.0/vendors/sync", "/rest/v1.0/vendors/{id}"} <= set(paths)
    assert {"/rest/v1.0/projects", "/rest/v1.0/projects/sync", "/rest/v1.0/projects/{id}"} <= set(paths)
    assert {
        "/rest/v1.0/projects/{project_id}/direct_costs/line_items/sync",
        "/rest/v1.0/work_order_contracts/{work_order_contract_id}/line_items/sync",
        "/rest/v1.0/budget_line_items/sync",
        "/rest/v1.0/commitments",
    } <= set(paths)
    assert "post" in paths["/rest/v1.0/budget_line_items/sync"]
