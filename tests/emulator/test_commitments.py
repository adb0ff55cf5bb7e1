"""Work order and purchase order contracts, their schedules of values, the commitments list, and the
record locking of approved commitments."""

from __future__ import annotations

import pytest

from .conftest import Api
from .world import World, build_world, ok

WOC = "work_order_contracts"
POC = "purchase_order_contracts"


@pytest.fixture
def world(api: Api) -> World:
    return build_world(api)


def test_work_order_contract_create_show_update_list(world: World, emu) -> None:
    api, pid = world.api, world.pid
    first = world.commitment(origin_id="erp:sc:1", origin_code="SC-001", retainage_percent="10")
    second = world.commitment(title="Drywall")
    assert (first["number"], second["number"]) == ("1", "2"), "numbered like Procore when none is sent"
    assert first["status"] == "Draft" and first["project"] == {"id": pid, "name": "Job 1"}
    assert first["vendor"]["id"] == world.vendor["id"] and "vendor_id" not in first
    assert first["grand_total"] == "0.00" and first["retainage_percent"] == "10"
    assert ok(api.get(f"/rest/v1.0/{WOC}/{first['id']}", params={"project_id": pid})) == first
    updated = ok(
        api.patch(
            f"/rest/v1.0/{WOC}/{first['id']}",
            {
                "project_id": pid,
                "work_order_contract": {"status": "Out For Signature", "title": "Sitework A"},
            },
        )
    )
    assert updated["status"] == "Out For Signature" and updated["title"] == "Sitework A"
    listed = ok(api.get(f"/rest/v1.0/{WOC}", params={"project_id": pid, "filters[status]": "Draft"}))
    assert [c["id"] for c in listed] == [second["id"]]
    by_origin = ok(api.get(f"/rest/v1.0/{WOC}", params={"project_id": pid, "filters[origin_id]": "erp:sc:1"}))
    assert [c["id"] for c in by_origin] == [first["id"]]
    assert len(emu.state.records(WOC)) == 2


def test_commitment_validation(world: World) -> None:
    api, pid = world.api, world.pid
    world.commitment(number="SC-7")
    clash = api.post(f"/rest/v1.0/{WOC}", {"project_id": pid, "work_order_contract": {"number": "SC-7"}})
    assert clash.status_code == 422 and "has already been taken" in clash.json()["errors"]["number"][0]
    bad = api.post(
        f"/rest/v1.0/{WOC}",
        {
            "project_id": pid,
            "work_order_contract": {"vendor_id": 9, "status": "Processing", "retainage_percent": 10},
        },
    )
    errors = bad.json()["errors"]
    assert bad.status_code == 422 and set(errors) == {"vendor_id", "status", "retainage_percent"}
    assert errors["vendor_id"] == ["vendor 9 not found"]
    assert ok(
        api.post(
            f"/rest/v1.0/{POC}", {"project_id": pid, "purchase_order_contract": {"status": "Processing"}}
        ),
        201,
    )
    wrong_enum = api.post(
        f"/rest/v1.0/{POC}", {"project_id": pid, "purchase_order_contract": {"status": "Out For Bid"}}
    )
    assert wrong_enum.status_code == 422 and "status" in wrong_enum.json()["errors"]
    assert api.post(f"/rest/v1.0/{WOC}", {"project_id": 1, "work_order_contract": {}}).status_code == 404
    assert api.post(f"/rest/v1.0/{WOC}", {"work_order_contract": {}}).status_code == 400


def test_commitment_sync(world: World) -> None:
    api, pid = world.api, world.pid
    body = ok(
        api.patch(
            f"/rest/v1.0/{POC}/sync",
            {
                "project_id": pid,
                "updates": [
                    {"origin_id": "erp:po:1", "title": "Rebar", "vendor_id": world.vendor["id"]},
                    {"origin_id": "erp:po:2", "vendor_id": 5},
                ],
            },
        )
    )
    (po,) = body["entities"]
    assert body["errors"][0]["errors"] == {"vendor_id": ["vendor 5 not found"]}
    again = ok(
        api.patch(
            f"/rest/v1.0/{POC}/sync",
            {"project_id": pid, "updates": [{"origin_id": "erp:po:1", "ship_via": "Truck"}]},
        )
    )
    assert again["entities"][0]["id"] == po["id"] and again["entities"][0]["ship_via"] == "Truck"
    over = api.patch(f"/rest/v1.0/{WOC}/sync", {"project_id": pid, "updates": [{}] * 1001})
    assert over.status_code == 422 and "at most 1000" in over.text
    assert api.patch(f"/rest/v1.0/{WOC}/sync", {"updates": []}).status_code == 400


def test_schedule_of_values(world: World, emu) -> None:
    api, pid = world.api, world.pid
    wo = world.commitment()
    lines = world.sov(
        WOC,
        wo["id"],
        world.line(origin_id="sov:1", amount="1000.00", description="Footings"),
        world.line(origin_id="sov:2", amount="250.50", line_item_type_id=world.materials["id"]),
    )
    assert [li["holder"] for li in lines] == [{"id": wo["id"], "holder_type": "WorkOrderContract"}] * 2
    assert lines[0]["cost_code"]["full_code"] == "03-100" and lines[0]["position"] == 1
    shown = ok(api.get(f"/rest/v1.0/{WOC}/{wo['id']}", params={"project_id": pid}))
    assert shown["grand_total"] == "1250.50" and [li["id"] for li in shown["line_items"]] == [
        li["id"] for li in lines
    ]

    resend = ok(world.sov_sync(WOC, wo["id"], [{"origin_id": "sov:1", "amount": "1100.00"}]))
    assert resend["entities"][0]["id"] == lines[0]["id"] and resend["entities"][0]["amount"] == "1100.00"
    by_id = ok(world.sov_sync(WOC, wo["id"], [{"id": lines[0]["id"], "amount": "1.00"}]))
    assert "matched by origin_id" in by_id["errors"][0]["errors"]["id"][0]
    as_number = ok(world.sov_sync(WOC, wo["id"], [world.line(origin_id="sov:3", amount=5)]))
    assert "string" in as_number["errors"][0]["errors"]["amount"][0], "commitment money is a decimal string"

    base = f"/rest/v1.0/{WOC}/{wo['id']}/line_items"
    single = ok(api.post(base, {"project_id": pid, "line_item": world.line(amount="10")}), 201)
    assert ok(api.get(f"{base}/{single['id']}", params={"project_id": pid}))["amount"] == "10"
    assert (
        ok(api.patch(f"{base}/{single['id']}", {"project_id": pid, "line_item": {"amount": "11"}}))["amount"]
        == "11"
    )
    assert len(ok(api.get(base, params={"project_id": pid}))) == 3
    assert api.delete(f"{base}/{single['id']}", params={"project_id": pid}).status_code == 200
    assert len(emu.state.records("work_order_contract_line_items")) == 2
    other = world.commitment(kind=POC)
    foreign = api.get(
        f"/rest/v1.0/{POC}/{other['id']}/line_items/{lines[0]['id']}", params={"project_id": pid}
    )
    assert foreign.status_code == 404
    assert (
        api.get(f"/rest/v1.0/{WOC}/{other['id']}/line_items", params={"project_id": pid}).status_code == 404
    )


@pytest.mark.parametrize("status", ["Approved", "Complete"])
def test_approved_commitment_locks_vendor_and_schedule_of_values(world: World, status: str) -> None:
    api, pid = world.api, world.pid
    wo = world.commitment()
    (line,) = world.sov(WOC, wo["id"], world.line(origin_id="sov:1", amount="100.00"))
    world.approve(WOC, wo["id"], status)

    changed = ok(world.sov_sync(WOC, wo["id"], [{"origin_id": "sov:1", "amount": "120.00"}]))
    assert changed["entities"] == []
    message = changed["errors"][0]["errors"]["base"][0]
    assert "locked" in message and "schedule of values cannot be modified" in message
    identical = ok(world.sov_sync(WOC, wo["id"], [world.line(origin_id="sov:1", amount="100.00")]))
    assert identical["errors"] == [] and identical["entities"][0]["id"] == line["id"], (
        "identical resend is fine"
    )
    stamped = ok(world.sov_sync(WOC, wo["id"], [{"origin_id": "sov:1", "origin_data": "seen"}]))
    assert stamped["errors"] == []
    added = ok(world.sov_sync(WOC, wo["id"], [world.line(origin_id="sov:2", amount="5.00")]))
    assert "a line item cannot be added" in added["errors"][0]["errors"]["base"][0]

    base = f"/rest/v1.0/{WOC}/{wo['id']}"
    single = api.patch(f"{base}/line_items/{line['id']}", {"project_id": pid, "line_item": {"amount": "1"}})
    assert single.status_code == 422 and "locked" in single.json()["errors"]["base"][0]
    removed = api.delete(f"{base}/line_items/{line['id']}", params={"project_id": pid})
    assert removed.status_code == 422 and "locked" in removed.json()["errors"]["base"][0]

    (other_vendor,) = api.synced("vendors", [{"name": "Other Co"}])["entities"]
    vendor = api.patch(base, {"project_id": pid, "work_order_contract": {"vendor_id": other_vendor["id"]}})
    assert vendor.status_code == 422 and "locked" in vendor.json()["errors"]["vendor_id"][0]
    same_vendor = api.patch(
        base, {"project_id": pid, "work_order_contract": {"vendor_id": world.vendor["id"], "title": "T"}}
    )
    assert same_vendor.status_code == 200 and same_vendor.json()["title"] == "T", "other fields stay editable"
    deleted = api.delete(base, params={"project_id": pid})
    assert deleted.status_code == 422 and "cannot be deleted" in deleted.json()["errors"]["base"][0]
    synced = ok(
        api.patch(
            f"/rest/v1.0/{WOC}/sync",
            {"project_id": pid, "updates": [{"id": wo["id"], "vendor_id": other_vendor["id"]}]},
        )
    )
    assert "locked" in synced["errors"][0]["errors"]["vendor_id"][0]

    world.approve(WOC, wo["id"], "Draft")
    assert ok(world.sov_sync(WOC, wo["id"], [{"origin_id": "sov:1", "amount": "120.00"}]))["errors"] == []


def test_deleting_commitments(world: World, emu) -> None:
    api, pid = world.api, world.pid
    wo = world.commitment()
    world.sov(WOC, wo["id"], world.line(origin_id="sov:1", amount="1.00"))
    assert api.delete(f"/rest/v1.0/{WOC}/{wo['id']}", params={"project_id": pid}).status_code == 200
    assert emu.state.records(WOC) == [] and emu.state.records("work_order_contract_line_items") == []
    po = world.commitment(kind=POC)
    ok(
        api.post(
            f"/rest/v1.0/projects/{pid}/commitment_change_orders",
            {"change_order": {"contract_id": po["id"]}},
        ),
        201,
    )
    refused = api.delete(f"/rest/v1.0/{POC}/{po['id']}", params={"project_id": pid})
    assert refused.status_code == 422 and "commitment change order" in refused.json()["errors"]["base"][0]


def test_commitments_list_has_both_kinds(world: World) -> None:
    api, pid = world.api, world.pid
    wo = world.commitment(title="Sitework")
    po = world.commitment(kind=POC, title="Rebar", delivery_date="2026-04-01")
    rows = ok(api.get("/rest/v1.0/commitments", params={"project_id": pid}))
    assert [r["id"] for r in rows] == [wo["id"], po["id"]]
    assert set(rows[0]) == {
        "id",
        "title",
        "number",
        "status",
        "description",
        "executed",
        "delivery_date",
        "created_at",
        "private",
        "vendor",
    }
    assert rows[1]["delivery_date"] == "2026-04-01" and rows[1]["vendor"]["name"] == "Acme Concrete 1"
    assert api.get("/rest/v1.0/commitments").status_code == 400


def test_workflow_controlled_commitment_status(world: World, emu) -> None:
    api, pid = world.api, world.pid
    wo = world.commitment()
    emu.set_workflow_controlled({WOC, POC})
    refused = api.patch(
        f"/rest/v1.0/{WOC}/{wo['id']}",
        {"project_id": pid, "work_order_contract": {"status": "Approved", "title": "New"}},
    )
    assert refused.status_code == 422 and "controlled by a workflow" in refused.json()["errors"]["status"][0]
    kept = ok(api.get(f"/rest/v1.0/{WOC}/{wo['id']}", params={"project_id": pid}))
    assert kept["title"] == "Sitework" and kept["status"] == "Draft"
    resent = api.patch(
        f"/rest/v1.0/{WOC}/{wo['id']}", {"project_id": pid, "work_order_contract": {"title": "New"}}
    )
    assert resent.status_code == 200
    world.approve(WOC, wo["id"])  # the workflow approves it
    assert ok(api.get(f"/rest/v1.0/{WOC}/{wo['id']}", params={"project_id": pid}))["status"] == "Approved"
    with pytest.raises(ValueError):
        emu.set_workflow_controlled({"budget_line_items"})
    with pytest.raises(ValueError):
        emu.set_workflow_controlled({"nope"})
