"""Direct costs and their line items: v1.0 and v1.1 paths, sync, the origin_id lock, 409 Conflict."""

from __future__ import annotations

import threading
import time

import pytest

from .conftest import Api
from .world import World, build_world, ok


@pytest.fixture
def world(api: Api) -> World:
    return build_world(api)


def _dc_path(world: World, suffix: str = "") -> str:
    return f"/rest/v1.0/projects/{world.pid}/direct_costs{suffix}"


def test_direct_cost_create_list_show_update_delete(world: World, emu) -> None:
    api = world.api
    created = world.direct_cost(description="Pump hire", direct_cost_date="2026-03-01")
    assert created["status"] == "draft" and created["vendor"] == {
        "id": world.vendor["id"],
        "name": "Acme Concrete 1",
    }
    assert created["grand_total"] == "0.00" and created["line_items_count"] == 0
    assert ok(api.get(_dc_path(world, f"/{created['id']}"))) == created
    updated = ok(
        api.patch(_dc_path(world, f"/{created['id']}"), {"item": {"status": "pending", "terms": "Net 30"}})
    )
    assert updated["status"] == "pending" and updated["terms"] == "Net 30"
    assert [d["id"] for d in ok(api.get(_dc_path(world)))] == [created["id"]]
    by_invoice = ok(api.get(_dc_path(world), params={"filters[invoice_number]": "nope"}))
    assert by_invoice == []
    deleted = api.delete(_dc_path(world, f"/{created['id']}"))
    assert ok(deleted) == {"id": created["id"]}
    assert emu.state.records("direct_costs") == []
    assert api.get(_dc_path(world, f"/{created['id']}")).status_code == 404


def test_direct_cost_validation(world: World) -> None:
    api = world.api
    empty = api.post(_dc_path(world), {"item": {}})
    assert empty.status_code == 422
    assert set(empty.json()["errors"]) == {"invoice_number", "vendor_id", "direct_cost_type"}
    bad = api.post(
        _dc_path(world),
        {"item": {"invoice_number": "1", "vendor_id": 5, "direct_cost_type": "invoice", "status": "paid"}},
    )
    assert bad.json()["errors"]["vendor_id"] == ["vendor 5 not found"]
    assert "status" in bad.json()["errors"]
    wrapper = api.post(_dc_path(world), {"direct_cost": {}})
    assert wrapper.status_code == 400 and "item" in wrapper.text, "v1.0 wraps the record in 'item'"
    created = world.direct_cost()
    fixed_type = api.patch(_dc_path(world, f"/{created['id']}"), {"item": {"direct_cost_type": "expense"}})
    assert fixed_type.status_code == 422, "the update schema has no direct_cost_type: fixed at creation"
    assert "does not accept it" in fixed_type.json()["errors"]["direct_cost_type"][0]
    resent = api.patch(
        _dc_path(world, "/sync"), {"updates": [{"id": created["id"], "direct_cost_type": "expense"}]}
    )
    assert resent.json()["errors"][0]["errors"] == {"direct_cost_type": ["cannot be changed once set"]}
    assert api.get("/rest/v1.0/projects/77/direct_costs").status_code == 404


def test_direct_cost_sync_and_line_items(world: World, emu) -> None:
    api = world.api
    synced = ok(
        api.patch(
            _dc_path(world, "/sync"),
            {
                "updates": [
                    {
                        "origin_id": "dc:1",
                        "invoice_number": "A-1",
                        "vendor_id": world.vendor["id"],
                        "direct_cost_type": "expense",
                    },
                    {"origin_id": "dc:2", "invoice_number": "A-2"},
                ]
            },
        )
    )
    (dc,) = synced["entities"]
    assert set(synced["errors"][0]["errors"]) == {"vendor_id", "direct_cost_type"}

    lines = ok(
        api.patch(
            _dc_path(world, "/line_items/sync"),
            {
                "updates": [
                    world.line(direct_cost_id=dc["id"], origin_id="dcl:1", amount=120.5, description="Pump"),
                    world.line(origin_id="dcl:2", amount=1),
                    world.line(direct_cost_id=7, amount=1),
                    {"direct_cost_id": dc["id"], "amount": 3},
                    world.line(direct_cost_id=dc["id"], wbs_code_id=4),
                ]
            },
        )
    )
    (line,) = lines["entities"]
    assert line["amount"] == 120.5 and line["holder"] == {"id": dc["id"], "holder_type": "DirectCost"}
    assert (
        line["cost_code"]["id"] == world.cost_code["id"] and line["line_item_type"]["id"] == world.labor["id"]
    )
    errors = [e["errors"] for e in lines["errors"]]
    assert errors[0] == {"direct_cost_id": ["can't be blank"]}
    assert errors[1] == {"direct_cost_id": [f"direct cost 7 not found in project {world.pid}"]}
    assert set(errors[2]) == {"cost_code_id", "line_item_type_id"}
    assert "WBS codes are not modelled" in errors[3]["wbs_code_id"][0]

    moved = ok(
        api.patch(_dc_path(world, "/line_items/sync"), {"updates": [{"origin_id": "dcl:1", "amount": 99}]})
    )
    assert moved["entities"][0]["id"] == line["id"] and moved["entities"][0]["amount"] == 99

    base = _dc_path(world, f"/{dc['id']}/line_items")
    second = ok(api.post(base, {"line_item": world.line(amount=1.5)}), 201)
    assert ok(api.get(f"{base}/{second['id']}"))["total_amount"] == 1.5
    assert ok(api.patch(f"{base}/{second['id']}", {"line_item": {"description": "x"}}))["description"] == "x"
    assert [li["id"] for li in ok(api.get(base))] == [line["id"], second["id"]]
    assert ok(api.get(_dc_path(world, f"/{dc['id']}")))["grand_total"] == "100.50"
    assert api.delete(f"{base}/{second['id']}").status_code == 200
    assert len(emu.state.records("direct_cost_line_items")) == 1


def test_deleting_a_direct_cost_deletes_its_lines(world: World, emu) -> None:
    dc = world.direct_cost()
    ok(world.api.post(_dc_path(world, f"/{dc['id']}/line_items"), {"line_item": world.line(amount=5)}), 201)
    assert ok(world.api.delete(_dc_path(world, f"/{dc['id']}"))) == {"id": dc["id"]}
    assert emu.state.records("direct_cost_line_items") == []


def test_direct_cost_with_origin_id_is_locked_except_origin_data(world: World) -> None:
    api = world.api
    dc = world.direct_cost(origin_id="erp:dc:1", description="Fuel")
    path = _dc_path(world, f"/{dc['id']}")
    locked = api.patch(path, {"item": {"description": "Diesel", "origin_data": "hash=2"}})
    assert locked.status_code == 422
    assert list(locked.json()["errors"]) == ["description"]
    assert "locked" in locked.json()["errors"]["description"][0]
    stamped = ok(api.patch(path, {"item": {"origin_data": "hash=2"}}))
    assert stamped["origin_data"] == "hash=2" and stamped["description"] == "Fuel"
    assert ok(api.patch(path, {"item": {"description": "Fuel", "status": "draft"}}))["id"] == dc["id"], (
        "re-sending identical values is not a change"
    )
    synced = ok(
        api.patch(_dc_path(world, "/sync"), {"updates": [{"origin_id": "erp:dc:1", "terms": "Net 10"}]})
    )
    assert "locked" in synced["errors"][0]["errors"]["terms"][0]
    refused = api.delete(path)
    assert refused.status_code == 422 and "locked" in refused.json()["errors"]["base"][0]
    released = ok(api.patch(_dc_path(world, "/sync"), {"updates": [{"id": dc["id"], "origin_id": None}]}))
    assert released["entities"][0]["origin_id"] is None
    assert api.delete(path).status_code == 200


def test_concurrent_writes_to_one_direct_cost_get_409(world: World, emu) -> None:
    api = world.api
    dc = world.direct_cost()
    emu.set_write_hold_ms(400)
    results: list[int] = []

    def patch(description: str) -> None:
        results.append(
            api_clone.patch(
                _dc_path(world, f"/{dc['id']}"), {"item": {"description": description}}
            ).status_code
        )

    api_clone = Api(emu).login()
    first = threading.Thread(target=patch, args=("first",))
    first.start()
    time.sleep(0.15)
    second = api.patch(_dc_path(world, f"/{dc['id']}"), {"item": {"description": "second"}})
    line = api.post(_dc_path(world, f"/{dc['id']}/line_items"), {"line_item": world.line(amount=1)})
    sync = api.patch(_dc_path(world, "/line_items/sync"), {"updates": [world.line(direct_cost_id=dc["id"])]})
    other = world.direct_cost(invoice_number="INV-2")
    other_write = api.patch(_dc_path(world, f"/{other['id']}"), {"item": {"description": "other"}})
    first.join()
    assert results == [200]
    assert second.status_code == 409 and "Conflict" in second.json()["errors"]
    assert line.status_code == 409 and sync.status_code == 409
    assert other_write.status_code == 200, "only the direct cost being written is held"
    emu.set_write_hold_ms(0)
    assert ok(api.get(_dc_path(world, f"/{dc['id']}")))["description"] == "first"
    assert api.patch(_dc_path(world, f"/{dc['id']}"), {"item": {"description": "third"}}).status_code == 200


def test_v11_direct_cost_with_nested_line_items(world: World, emu) -> None:
    """v1.1 lines name their budget code as wbs_code_id and their amount as manual_amount; the v1.0
    line's cost_code_id/line_item_type_id/amount are not v1.1 attributes and are refused."""
    api = world.api
    base = f"/rest/v1.1/projects/{world.pid}/direct_costs"
    wbs = world.wbs_code()["id"]
    header = {"invoice_number": "V11-1", "vendor_id": world.vendor["id"], "direct_cost_type": "invoice"}
    created = ok(
        api.post(
            base,
            {
                "direct_cost": {
                    **header,
                    "line_items": [
                        {"wbs_code_id": wbs, "manual_amount": 10},
                        {"wbs_code_id": wbs, "manual_amount": "2.50", "origin_id": "l:1", "ref": "r"},
                    ],
                }
            },
        ),
        201,
    )
    assert created["grand_total"] == "12.50" and len(created["line_items"]) == 2
    assert created["line_items"][0]["cost_code"]["id"] == world.cost_code["id"]
    assert created["line_items"][0]["line_item_type"]["id"] == world.labor["id"]
    assert created["project"]["id"] == world.pid
    assert ok(api.get(f"{base}/{created['id']}")) == created
    assert [d["id"] for d in ok(api.get(base))] == [created["id"]]

    line = {"wbs_code_id": wbs, "manual_amount": 1}
    too_many = api.post(base, {"direct_cost": {**header, "line_items": [line] * 101}})
    assert too_many.status_code == 422 and "at most 100" in too_many.json()["errors"]["line_items"][0]
    bad_line = api.post(base, {"direct_cost": {**header, "line_items": [line, {"manual_amount": 1}]}})
    assert bad_line.status_code == 422 and "line_items[1].wbs_code_id" in bad_line.json()["errors"]
    v10_names = api.post(base, {"direct_cost": {**header, "line_items": [world.line(amount=1)]}})
    assert set(v10_names.json()["errors"]) == {
        "line_items[0].cost_code_id",
        "line_items[0].line_item_type_id",
        "line_items[0].amount",
        "line_items[0].wbs_code_id",
    }
    unknown_wbs = api.post(base, {"direct_cost": {**header, "line_items": [{"wbs_code_id": 5}]}})
    assert "not found" in unknown_wbs.json()["errors"]["line_items[0].wbs_code_id"][0]
    assert len(emu.state.records("direct_costs")) == 1, "nothing is stored when a line fails"
    assert ok(api.post(base, {"direct_cost": {**header, "line_items": [line] * 100}}), 201)
    renumbered = api.patch(f"{base}/{created['id']}", {"direct_cost": {"invoice_number": "V11-2"}})
    assert renumbered.status_code == 422, "the v1.1 update schema has no invoice_number"

    first_line = created["line_items"][0]
    updated = ok(
        api.patch(
            f"{base}/{created['id']}",
            {
                "direct_cost": {
                    "description": "two lines",
                    "line_items": [{"id": first_line["id"], "manual_amount": 20}, line],
                }
            },
        )
    )
    assert updated["grand_total"] == "23.50" and len(updated["line_items"]) == 3
    foreign = api.patch(
        f"{base}/{created['id']}", {"direct_cost": {"line_items": [{"id": 5, "manual_amount": 1}]}}
    )
    assert foreign.status_code == 422 and "line_items[0].id" in foreign.json()["errors"]
    assert ok(api.delete(f"{base}/{created['id']}")) == {"id": created["id"]}


def test_workflow_controlled_direct_cost_status(world: World, emu) -> None:
    api = world.api
    dc = world.direct_cost()
    emu.set_workflow_controlled({"direct_costs"})
    refused = api.patch(_dc_path(world, f"/{dc['id']}"), {"item": {"status": "approved", "terms": "Net 30"}})
    assert refused.status_code == 422
    assert list(refused.json()["errors"]) == ["status"]
    assert "controlled by a workflow" in refused.json()["errors"]["status"][0]
    assert ok(api.get(_dc_path(world, f"/{dc['id']}")))["terms"] is None, "the whole item is refused"
    assert ok(api.patch(_dc_path(world, f"/{dc['id']}"), {"item": {"terms": "Net 30"}}))["terms"] == "Net 30"
    assert (
        ok(api.patch(_dc_path(world, f"/{dc['id']}"), {"item": {"status": "draft"}}))["status"] == "draft"
    ), "an unchanged status is not a status change"
    synced = ok(api.patch(_dc_path(world, "/sync"), {"updates": [{"id": dc["id"], "status": "pending"}]}))
    assert "controlled by a workflow" in synced["errors"][0]["errors"]["status"][0]
    created = api.post(
        _dc_path(world),
        {
            "item": {
                "invoice_number": "W",
                "vendor_id": world.vendor["id"],
                "direct_cost_type": "invoice",
                "status": "approved",
            }
        },
    )
    assert created.status_code == 422 and "workflow" in created.json()["errors"]["status"][0]
    emu.set_workflow_controlled(set())
    assert (
        ok(api.patch(_dc_path(world, f"/{dc['id']}"), {"item": {"status": "pending"}}))["status"] == "pending"
    )
