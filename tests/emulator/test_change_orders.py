"""Change order packages and commitment change orders (no sync endpoint for either)."""

from __future__ import annotations

import pytest

from .conftest import Api
from .world import World, build_world, ok

WOC = "work_order_contracts"


@pytest.fixture
def world(api: Api) -> World:
    return build_world(api)


def test_change_order_package_create_show_update_list(world: World, emu) -> None:
    api, pid = world.api, world.pid
    wo = world.commitment()
    created = ok(
        api.post(
            "/rest/v1.0/change_order_packages",
            {
                "project_id": pid,
                "contract_id": wo["id"],
                "change_order": {
                    "title": "Extra footings",
                    "origin_id": "erp:co:1",
                    "origin_code": "CO-1",
                    "grand_total": "500.00",
                },
            },
        ),
        201,
    )
    assert created["contract_id"] == wo["id"] and created["status"] == "draft" and created["number"] == "1"
    assert created["origin_code"] == "CO-1"
    assert (
        ok(api.get(f"/rest/v1.0/change_order_packages/{created['id']}", params={"project_id": pid}))
        == created
    )
    updated = ok(
        api.patch(
            f"/rest/v1.0/change_order_packages/{created['id']}",
            {"project_id": pid, "change_order": {"status": "pending", "description": "Soil"}},
        )
    )
    assert updated["status"] == "pending"
    listed = ok(
        api.get("/rest/v1.0/change_order_packages", params={"project_id": pid, "contract_id": wo["id"]})
    )
    assert [p["id"] for p in listed] == [created["id"]]
    assert len(emu.state.records("change_order_packages")) == 1
    shown = ok(api.get(f"/rest/v1.0/{WOC}/{wo['id']}", params={"project_id": pid}))
    assert [p["id"] for p in shown["change_order_packages"]] == [created["id"]]

    no_contract = api.post(
        "/rest/v1.0/change_order_packages", {"project_id": pid, "change_order": {"title": "x"}}
    )
    assert no_contract.status_code == 400 and "contract_id" in no_contract.text
    unknown = api.post(
        "/rest/v1.0/change_order_packages",
        {"project_id": pid, "contract_id": 3, "change_order": {"title": "x"}},
    )
    assert unknown.status_code == 404 and "3 not found" in unknown.text
    taken = api.post(
        "/rest/v1.0/change_order_packages",
        {"project_id": pid, "contract_id": wo["id"], "change_order": {"origin_id": "erp:co:1"}},
    )
    assert taken.status_code == 422 and taken.json()["errors"] == {"origin_id": ["has already been taken"]}
    no_sync = api.patch("/rest/v1.0/change_order_packages/sync", {"project_id": pid, "updates": []})
    assert no_sync.status_code in (404, 405)
    unsupported = api.get(
        "/rest/v1.0/change_order_packages", params={"project_id": pid, "filters[origin_id]": "a"}
    )
    assert unsupported.status_code == 400, "the package list documents no origin_id filter"


def test_approved_change_order_package_is_locked(world: World) -> None:
    api, pid = world.api, world.pid
    wo = world.commitment()
    package = ok(
        api.post(
            "/rest/v1.0/change_order_packages",
            {"project_id": pid, "contract_id": wo["id"], "change_order": {"grand_total": "10.00"}},
        ),
        201,
    )
    world.approve("change_order_packages", package["id"], "approved")
    path = f"/rest/v1.0/change_order_packages/{package['id']}"
    locked = api.patch(path, {"project_id": pid, "change_order": {"grand_total": "12.00"}})
    assert locked.status_code == 422 and "locked" in locked.json()["errors"]["grand_total"][0]
    same = api.patch(path, {"project_id": pid, "change_order": {"grand_total": "10.00", "origin_data": "x"}})
    assert same.status_code == 200


def test_commitment_change_order_with_lines(world: World, emu) -> None:
    api, pid = world.api, world.pid
    wo = world.commitment()
    (sov,) = world.sov(WOC, wo["id"], world.line(origin_id="sov:1", amount="1000.00"))
    world.approve(WOC, wo["id"])  # an approved commitment changes through change orders
    base = f"/rest/v1.0/projects/{pid}/commitment_change_orders"
    lines = [
        {"commitment_line_item_id": sov["id"], "amount": "150.00", "description": "More footings"},
        {
            "cost_code_id": world.cost_code["id"],
            "line_item_type_id": world.materials["id"],
            "amount": "40.00",
        },
    ]
    created = ok(
        api.post(base, {"change_order": {"contract_id": wo["id"], "title": "CO 1", "line_items": lines}}), 201
    )
    assert created["grand_total"] == "190.00" and created["number"] == "1" and created["status"] == "draft"
    assert all(isinstance(line["id"], int) for line in created["line_items"])
    assert ok(api.get(f"{base}/{created['id']}")) == created
    assert [c["id"] for c in ok(api.get(base, params={"filters[contract_id]": wo["id"]}))] == [created["id"]]

    pending = ok(api.patch(f"{base}/{created['id']}", {"change_order": {"status": "pending"}}))
    commitment = ok(api.get(f"/rest/v1.0/{WOC}/{wo['id']}", params={"project_id": pid}))
    assert commitment["pending_change_orders"] == "190.00" and pending["status"] == "pending"

    world.approve("commitment_change_orders", created["id"], "approved")
    commitment = ok(api.get(f"/rest/v1.0/{WOC}/{wo['id']}", params={"project_id": pid}))
    assert commitment["approved_change_orders"] == "190.00" and commitment["revised_contract"] == "1190.00"
    changed = api.patch(f"{base}/{created['id']}", {"change_order": {"line_items": [lines[0]]}})
    assert changed.status_code == 422 and "locked" in changed.json()["errors"]["line_items"][0]
    identical = api.patch(
        f"{base}/{created['id']}", {"change_order": {"line_items": lines, "title": "CO 1 (final)"}}
    )
    assert identical.status_code == 200, "re-sending the same lines (without ids) is not a change"
    assert identical.json()["line_items"] == created["line_items"]
    deleted = api.delete(f"{base}/{created['id']}")
    assert deleted.status_code == 422 and "cannot be deleted" in deleted.json()["errors"]["base"][0]
    assert len(emu.state.records("commitment_change_orders")) == 1


def test_commitment_change_order_validation_and_delete(world: World, emu) -> None:
    api, pid = world.api, world.pid
    wo = world.commitment()
    other = world.commitment(title="Other")
    (foreign_line,) = world.sov(WOC, other["id"], world.line(origin_id="sov:x", amount="1.00"))
    base = f"/rest/v1.0/projects/{pid}/commitment_change_orders"
    missing = api.post(base, {"change_order": {"title": "No contract"}})
    assert missing.status_code == 422 and missing.json()["errors"] == {"contract_id": ["can't be blank"]}
    unknown = api.post(base, {"change_order": {"contract_id": 4}})
    assert "not found" in unknown.json()["errors"]["contract_id"][0]
    malformed = api.post(
        base,
        {
            "change_order": {
                "contract_id": wo["id"],
                "line_items": [
                    {"cost_code_id": 5, "line_item_type_id": world.labor["id"], "amount": "1"},
                    {"commitment_line_item_id": foreign_line["id"], "colour": "red"},
                ],
            }
        },
    )
    errors = malformed.json()["errors"]
    assert malformed.status_code == 422
    assert set(errors) == {"line_items[1].amount", "line_items[1].colour"}, "attribute checks come first"
    dangling = api.post(
        base,
        {
            "change_order": {
                "contract_id": wo["id"],
                "line_items": [{"cost_code_id": 5, "line_item_type_id": world.labor["id"], "amount": "1"}],
            }
        },
    )
    assert "cost code 5 not found" in dangling.json()["errors"]["line_items[0].cost_code_id"][0]
    misplaced = api.post(
        base,
        {
            "change_order": {
                "contract_id": wo["id"],
                "line_items": [
                    {"commitment_line_item_id": foreign_line["id"], "amount": "1.00"},
                    {"amount": "2.00"},
                ],
            }
        },
    )
    errors = misplaced.json()["errors"]
    assert (
        "is not a schedule of values line of commitment" in errors["line_items[0].commitment_line_item_id"][0]
    )
    assert "line_items[1].cost_code_id" in errors and "line_items[1].line_item_type_id" in errors
    created = ok(api.post(base, {"change_order": {"contract_id": wo["id"], "status": "void"}}), 201)
    moved = api.patch(f"{base}/{created['id']}", {"change_order": {"contract_id": other["id"]}})
    assert moved.status_code == 422 and "contract_id" in moved.json()["errors"]
    assert api.delete(f"{base}/{created['id']}").status_code == 204
    assert emu.state.records("commitment_change_orders") == []
    assert api.patch(f"{base}/sync", {"updates": []}).status_code in (404, 405)
