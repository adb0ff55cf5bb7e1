"""Prime contracts and their line items."""

from __future__ import annotations

import pytest

from .conftest import Api
from .world import World, build_world, ok

PAY = "/rest/v1.0/contract_payments"


@pytest.fixture
def world(api: Api) -> World:
    return build_world(api)


def test_prime_contract_and_line_items(world: World, emu) -> None:
    api, pid = world.api, world.pid
    created = ok(
        api.post(
            "/rest/v1.0/prime_contract",
            {
                "project_id": pid,
                "prime_contract": {
                    "title": "Owner contract",
                    "vendor_id": world.vendor["id"],
                    "origin_id": "erp:pc:1",
                },
            },
        ),
        201,
    )
    assert created["number"] == "1" and created["vendor"]["id"] == world.vendor["id"]
    assert ok(api.get(f"/rest/v1.0/prime_contract/{created['id']}", params={"project_id": pid})) == created
    assert ok(api.get("/rest/v1.0/prime_contract", params={"project_id": pid}))["id"] == created["id"]
    assert [p["id"] for p in ok(api.get("/rest/v1.0/prime_contracts", params={"project_id": pid}))] == [
        created["id"]
    ]
    updated = ok(
        api.patch(
            f"/rest/v1.0/prime_contract/{created['id']}",
            {"project_id": pid, "prime_contract": {"status": "Out For Bid"}},
        )
    )
    assert updated["status"] == "Out For Bid"
    void = api.patch(
        f"/rest/v1.0/prime_contract/{created['id']}",
        {"project_id": pid, "prime_contract": {"status": "Void"}},
    )
    assert void.status_code == 422, "prime contracts have no Void status"

    base = f"/rest/v1.0/prime_contracts/{created['id']}/line_items"
    single = ok(
        api.post(f"{base}?project_id={pid}", {"project_id": pid, "line_item": world.line(amount="5000.00")}),
        201,
    )
    assert single["holder"] == {"id": created["id"], "holder_type": "PrimeContract"}
    mismatch = api.post(
        f"{base}?project_id={pid}", {"project_id": pid + 1, "line_item": world.line(amount="1")}
    )
    assert mismatch.status_code == 400 and "project_id" in mismatch.text
    synced = ok(
        api.patch(
            f"{base}/sync?project_id={pid}",
            {
                "updates": [
                    {"id": single["id"], "amount": "5500.00"},
                    world.line(origin_id="pcl:1", amount="100.00"),
                ]
            },
        )
    )
    assert [e["amount"] for e in synced["entities"]] == ["5500.00", "100.00"]
    assert (
        ok(api.get(f"/rest/v1.0/prime_contract/{created['id']}", params={"project_id": pid}))["grand_total"]
        == "5600.00"
    )
    assert len(emu.state.records("prime_contract_line_items")) == 2

    payment = ok(
        api.post(
            PAY, {"project_id": pid, "contract_id": created["id"], "contract_payment": {"amount": "100.00"}}
        ),
        201,
    )
    assert payment["contract_id"] == created["id"], "payments received go on the prime contract"

    world.approve("prime_contracts", created["id"])
    locked = ok(
        api.patch(f"{base}/sync?project_id={pid}", {"updates": [{"id": single["id"], "amount": "1.00"}]})
    )
    assert "locked" in locked["errors"][0]["errors"]["base"][0]
    assert (
        api.delete(f"/rest/v1.0/prime_contract/{created['id']}", params={"project_id": pid}).status_code
        == 422
    )
    assert api.patch("/rest/v1.0/prime_contracts/sync", {"project_id": pid, "updates": []}).status_code in (
        404,
        405,
    )

    draft = ok(
        api.post("/rest/v1.0/prime_contract", {"project_id": pid, "prime_contract": {"title": "Second"}}), 201
    )
    assert draft["number"] == "2"
    assert (
        api.delete(f"/rest/v1.0/prime_contract/{draft['id']}", params={"project_id": pid}).status_code == 200
    )
