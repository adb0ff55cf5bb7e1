"""Potential change orders and their line items (both with sync actions); grand_total from the lines."""

from __future__ import annotations

import pytest

from .conftest import Api
from .world import World, build_world, ok

PCO = "/rest/v1.0/potential_change_orders"


@pytest.fixture
def world(api: Api) -> World:
    return build_world(api)


def test_potential_change_orders_and_lines(world: World, emu) -> None:
    api, pid = world.api, world.pid
    wo = world.commitment()
    scope = {"project_id": pid, "contract_id": wo["id"]}
    created = ok(
        api.post(
            PCO,
            {**scope, "change_order": {"title": "Extra", "origin_id": "erp:pco:1", "grand_total": "75.00"}},
        ),
        201,
    )
    assert (
        created["grand_total"] == "75.00" and created["contract_id"] == wo["id"] and created["number"] == "1"
    )
    lines = f"{PCO}/{created['id']}/line_items"
    ok(
        api.post(lines, {"project_id": pid, "line_item": world.line(amount="10.10", origin_id="erp:pcol:1")}),
        201,
    )
    synced = ok(
        api.patch(
            f"{lines}/sync?project_id={pid}",
            {
                "updates": [
                    world.line(amount="20.20", origin_id="erp:pcol:2"),
                    {"origin_id": "erp:pcol:1", "amount": "11.10"},
                    {"id": 5, "amount": "1"},
                ]
            },
        )
    )
    assert len(synced["entities"]) == 2 and set(synced["errors"][0]["errors"]) == {"id"}, "origin_id only"
    shown = ok(api.get(f"{PCO}/{created['id']}", params=scope))
    assert shown["grand_total"] == "31.30" and shown["line_items_total"] == "31.30"
    assert [line["amount"] for line in shown["line_items"]] == ["11.10", "20.20"]
    assert [
        p["id"] for p in ok(api.get(PCO, params={"project_id": pid, "filters[contract_id]": wo["id"]}))
    ] == [created["id"]]
    assert api.get(f"{PCO}/{created['id']}", params={"project_id": pid}).status_code == 400, (
        "show needs contract_id"
    )

    sync = ok(
        api.patch(
            f"{PCO}/sync?project_id={pid}&contract_id={wo['id']}",
            {
                "updates": [
                    {
                        "origin_id": "erp:pco:1",
                        "status": "pending",
                        "change_order_request": {"change_order_package_id": 3},
                    },
                    {"origin_id": "erp:pco:2", "title": "Second", "due_date": "2026-05-01T00:00:00Z"},
                    {"origin_id": "erp:pco:3", "grand_total": "5.00"},
                ]
            },
        )
    )
    assert [e["origin_id"] for e in sync["entities"]] == ["erp:pco:1", "erp:pco:2"]
    assert set(sync["errors"][0]["errors"]) == {"grand_total"}, "only the create documents grand_total"
    world.approve("potential_change_orders", created["id"], "approved")
    locked = api.post(lines, {"project_id": pid, "line_item": world.line(amount="1.00")})
    assert locked.status_code == 422 and "locked" in locked.json()["errors"]["base"][0]
    refused = api.delete(f"/rest/v1.0/work_order_contracts/{wo['id']}", params={"project_id": pid})
    assert refused.status_code == 422 and "potential change order" in refused.json()["errors"]["base"][0]


def test_two_tier_package_totals_its_potential_change_orders(world: World) -> None:
    """2-tier: a package's grand_total is its PCOs' (from their lines), counted once on the commitment."""
    api, pid = world.api, world.pid
    wo = world.commitment()
    package = ok(
        api.post(
            "/rest/v1.0/change_order_packages",
            {
                "project_id": pid,
                "contract_id": wo["id"],
                "change_order": {"title": "CO 1", "status": "pending"},
            },
        ),
        201,
    )
    held = {"change_order_request": {"change_order_package_id": package["id"]}}
    (pco,) = ok(
        api.patch(
            f"{PCO}/sync?project_id={pid}&contract_id={wo['id']}",
            {"updates": [{"origin_id": "erp:pco:1", "title": "CO 1", **held}]},
        )
    )["entities"]
    ok(
        api.patch(
            f"{PCO}/{pco['id']}/line_items/sync?project_id={pid}",
            {
                "updates": [
                    world.line(amount="100.10", origin_id="l1"),
                    world.line(amount="-20.05", origin_id="l2"),
                ]
            },
        )
    )
    shown = ok(api.get(f"/rest/v1.0/change_order_packages/{package['id']}", params={"project_id": pid}))
    assert shown["grand_total"] == "80.05"
    commitment = ok(api.get(f"/rest/v1.0/work_order_contracts/{wo['id']}", params={"project_id": pid}))
    assert commitment["pending_change_orders"] == "80.05" and commitment["approved_change_orders"] == "0.00"
    world.approve("change_order_packages", package["id"], "approved")
    commitment = ok(api.get(f"/rest/v1.0/work_order_contracts/{wo['id']}", params={"project_id": pid}))
    assert commitment["approved_change_orders"] == "80.05" and commitment["pending_change_orders"] == "0.00"
