"""Change order packages and commitment change orders (no sync endpoint for either)."""

from __future__ import annotations

import pytest

from .conftest import COMPANY_ID, Api
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


def _lines_path(world: World, order_id: int) -> str:
    orders = f"/rest/v2.0/companies/{COMPANY_ID}/projects/{world.pid}/commitment_change_orders"
    return f"{orders}/{order_id}/line_items"


def test_commitment_change_order_with_v2_lines(world: World, emu) -> None:
    """Lines live under v2.0; the v1.0 change order's grand_total is the sum of their amounts."""
    api, pid = world.api, world.pid
    wo = world.commitment()
    (sov,) = world.sov(WOC, wo["id"], world.line(origin_id="sov:1", amount="1000.00"))
    world.approve(WOC, wo["id"])  # an approved commitment changes through change orders
    base = f"/rest/v1.0/projects/{pid}/commitment_change_orders"
    created = ok(api.post(base, {"change_order": {"contract_id": wo["id"], "title": "CO 1"}}), 201)
    assert created["grand_total"] == "0.00" and created["number"] == "1" and created["status"] == "draft"
    lines = _lines_path(world, created["id"])
    labor, materials = world.wbs_code()["id"], world.wbs_code(kind=world.materials)["id"]
    first = ok(
        api.post(
            lines,
            {
                "commitment_line_item_id": str(sov["id"]),
                "wbs_code_id": str(labor),
                "amount": "150.10",
                "description": "More footings",
            },
        ),
        201,
    )["data"]
    assert first["id"] == str(int(first["id"])) and first["commitment_line_item_id"] == str(sov["id"])
    assert first["wbs_code"]["id"] == str(labor) and first["amount"] == "150.10"
    ok(api.post(lines, {"wbs_code_id": str(materials), "amount": "39.95"}), 201)
    listed = ok(api.get(lines))["data"]
    assert [line["amount"] for line in listed] == ["150.10", "39.95"] and listed[0] == first
    assert ok(api.get(f"{lines}/{first['id']}"))["data"] == first
    order = ok(api.get(f"{base}/{created['id']}"))
    assert order["grand_total"] == "190.05"
    assert [c["id"] for c in ok(api.get(base, params={"filters[contract_id]": wo["id"]}))] == [created["id"]]

    ok(api.patch(f"{base}/{created['id']}", {"change_order": {"status": "pending"}}))
    commitment = ok(api.get(f"/rest/v1.0/{WOC}/{wo['id']}", params={"project_id": pid}))
    assert commitment["pending_change_orders"] == "190.05"
    changed = ok(api.patch(f"{lines}/{first['id']}", {"amount": "160.10"}))["data"]
    assert changed["amount"] == "160.10"
    assert ok(api.get(f"{base}/{created['id']}"))["grand_total"] == "200.05"

    world.approve("commitment_change_orders", created["id"], "approved")
    commitment = ok(api.get(f"/rest/v1.0/{WOC}/{wo['id']}", params={"project_id": pid}))
    assert commitment["approved_change_orders"] == "200.05" and commitment["revised_contract"] == "1200.05"
    for refused in (
        api.post(lines, {"wbs_code_id": str(labor), "amount": "1.00"}),
        api.patch(f"{lines}/{first['id']}", {"amount": "1.00"}),
        api.delete(f"{lines}/{first['id']}"),
    ):
        assert refused.status_code == 422 and "locked" in refused.json()["errors"]["base"][0]
    assert api.patch(f"{lines}/{first['id']}", {"amount": "160.10"}).status_code == 200, "unchanged"
    deleted = api.delete(f"{base}/{created['id']}")
    assert deleted.status_code == 422 and "cannot be deleted" in deleted.json()["errors"]["base"][0]
    assert len(emu.state.records("commitment_change_orders")) == 1


def test_v10_change_order_refuses_line_items(world: World) -> None:
    """The v1.0 operations document no line_items: Procore would drop them (and the money)."""
    wo = world.commitment()
    base = f"/rest/v1.0/projects/{world.pid}/commitment_change_orders"
    line = {"cost_code_id": world.cost_code["id"], "line_item_type_id": world.labor["id"], "amount": "1"}
    refused = world.api.post(base, {"change_order": {"contract_id": wo["id"], "line_items": [line]}})
    assert refused.status_code == 422 and set(refused.json()["errors"]) == {"line_items"}
    assert "does not accept it" in refused.json()["errors"]["line_items"][0]
    created = ok(world.api.post(base, {"change_order": {"contract_id": wo["id"]}}), 201)
    patched = world.api.patch(f"{base}/{created['id']}", {"change_order": {"line_items": [line]}})
    assert patched.status_code == 422 and "line_items" in patched.json()["errors"]


def test_v2_line_validation(world: World, emu) -> None:
    api = world.api
    wo = world.commitment()
    other = world.commitment(title="Other")
    (foreign,) = world.sov(WOC, other["id"], world.line(origin_id="sov:x", amount="1.00"))
    base = f"/rest/v1.0/projects/{world.pid}/commitment_change_orders"
    order = ok(api.post(base, {"change_order": {"contract_id": wo["id"]}}), 201)
    lines = _lines_path(world, order["id"])
    wbs = str(world.wbs_code()["id"])
    no_wbs = api.post(lines, {"amount": "1.00"})
    assert no_wbs.status_code == 422 and no_wbs.json()["errors"] == {"wbs_code_id": ["can't be blank"]}
    typed = api.post(lines, {"wbs_code_id": int(wbs), "amount": 1, "colour": "red"})
    assert set(typed.json()["errors"]) == {"wbs_code_id", "amount", "colour"}, (
        "v2.0 ids and money are strings"
    )
    misplaced = api.post(
        lines, {"wbs_code_id": wbs, "amount": "1", "commitment_line_item_id": str(foreign["id"])}
    )
    assert "is not a schedule of values line" in misplaced.json()["errors"]["commitment_line_item_id"][0]
    amount_based = api.post(lines, {"wbs_code_id": wbs, "quantity": "2", "unit_cost": "3"})
    assert set(amount_based.json()["errors"]) == {"quantity", "unit_cost", "amount"}
    assert (
        "not found" in api.post(lines, {"wbs_code_id": "5", "amount": "1"}).json()["errors"]["wbs_code_id"][0]
    )
    unit = world.commitment(title="Units", accounting_method="unit")
    unit_order = ok(api.post(base, {"change_order": {"contract_id": unit["id"]}}), 201)
    computed = ok(
        api.post(
            _lines_path(world, unit_order["id"]), {"wbs_code_id": wbs, "quantity": "2", "unit_cost": "3.25"}
        ),
        201,
    )["data"]
    assert computed["amount"] == "6.50" and computed["extended_type"] == "calculated"
    assert ok(api.get(f"{base}/{unit_order['id']}"))["grand_total"] == "6.50"
    assert api.delete(f"{_lines_path(world, unit_order['id'])}/{computed['id']}").status_code == 204
    assert ok(api.get(f"{base}/{unit_order['id']}"))["grand_total"] == "0.00"
    other_company = lines.replace(f"/companies/{COMPANY_ID}/", "/companies/99/")
    assert api.get(other_company).status_code == 403
    assert api.get(_lines_path(world, 12345)).status_code == 404
    assert api.get(lines, params={"per_page": 1}).headers["Per-Page"] == "1"
    assert api.get(lines).headers["Per-Page"] == "10", "the v2.0 list documents 10 per page by default"


def test_commitment_change_order_validation_and_delete(world: World, emu) -> None:
    api, pid = world.api, world.pid
    wo = world.commitment()
    other = world.commitment(title="Other")
    base = f"/rest/v1.0/projects/{pid}/commitment_change_orders"
    missing = api.post(base, {"change_order": {"title": "No contract"}})
    assert missing.status_code == 422 and missing.json()["errors"] == {"contract_id": ["can't be blank"]}
    unknown = api.post(base, {"change_order": {"contract_id": 4}})
    assert "not found" in unknown.json()["errors"]["contract_id"][0]
    created = ok(api.post(base, {"change_order": {"contract_id": wo["id"], "status": "void"}}), 201)
    line = {"wbs_code_id": str(world.wbs_code()["id"]), "amount": "5.00"}
    ok(api.post(_lines_path(world, created["id"]), line), 201)
    moved = api.patch(f"{base}/{created['id']}", {"change_order": {"contract_id": other["id"]}})
    assert moved.status_code == 422 and "contract_id" in moved.json()["errors"]
    assert api.delete(f"{base}/{created['id']}").status_code == 204
    assert emu.state.records("commitment_change_orders") == []
    assert emu.state.records("commitment_change_order_line_items") == [], "its lines go with it"
    assert api.patch(f"{base}/sync", {"updates": []}).status_code in (404, 405)
