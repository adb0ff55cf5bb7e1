"""Requisitions (subcontractor invoices) and contract payments."""

from __future__ import annotations

import pytest

from .conftest import Api
from .world import World, build_world, ok

WOC = "work_order_contracts"
REQ = "/rest/v1.1/requisitions"
PAY = "/rest/v1.0/contract_payments"


@pytest.fixture
def world(api: Api) -> World:
    return build_world(api)


@pytest.fixture
def approved(world: World) -> tuple[World, dict, dict]:
    wo = world.commitment()
    (line,) = world.sov(WOC, wo["id"], world.line(origin_id="sov:1", amount="1000.00"))
    world.approve(WOC, wo["id"])
    return world, wo, line


def test_requisition_create_show_update_list(approved, emu) -> None:
    world, wo, line = approved
    api, pid = world.api, world.pid
    created = ok(
        api.post(
            REQ,
            {
                "project_id": pid,
                "commitment_id": wo["id"],
                "requisition": {
                    "origin_id": "erp:inv:1",
                    "period_id": 11,
                    "requisition_start": "2026-03-01",
                    "requisition_end": "2026-03-31",
                    "items": [
                        {
                            "line_item_id": line["id"],
                            "item_type": "contract",
                            "work_completed_this_period": 250,
                        }
                    ],
                },
            },
        ),
        201,
    )
    assert created["commitment_id"] == wo["id"] and created["project_id"] == pid
    assert created["total_claimed_amount"] == "250.00" and created["percent_complete"] == "25.00"
    assert created["number"] == 1 and created["commitment_type"] == "WorkOrderContract"
    assert created["vendor_id"] == world.vendor["id"] and created["status"] == "draft"
    assert ok(api.get(f"{REQ}/{created['id']}", params={"project_id": pid})) == created
    listed = ok(api.get(REQ, params={"project_id": pid, "filters[commitment_id]": wo["id"]}))
    assert [r["id"] for r in listed] == [created["id"]]
    bare = ok(api.post(REQ, {"project_id": pid, "commitment_id": wo["id"]}), 201)
    assert bare["number"] == 2 and bare["previous_requisition_id"] == created["id"], "the wrapper is optional"
    updated = ok(
        api.patch(
            f"{REQ}/{bare['id']}",
            {"project_id": pid, "commitment_id": wo["id"], "requisition": {"status": "under_review"}},
        )
    )
    assert updated["status"] == "under_review"
    assert len(emu.state.records("requisitions")) == 2


def test_requisition_rules(approved) -> None:
    world, wo, line = approved
    api, pid = world.api, world.pid
    draft = world.commitment(title="Draft one")
    not_approved = api.post(REQ, {"project_id": pid, "commitment_id": draft["id"]})
    assert not_approved.status_code == 422 and "Approved" in not_approved.json()["errors"]["commitment_id"][0]
    assert api.post(REQ, {"project_id": pid}).status_code == 400
    assert api.post(REQ, {"project_id": pid, "commitment_id": 5}).status_code == 404
    ok(api.post(REQ, {"project_id": pid, "commitment_id": wo["id"], "requisition": {"period_id": 1}}), 201)
    twice = api.post(REQ, {"project_id": pid, "commitment_id": wo["id"], "requisition": {"period_id": 1}})
    assert twice.status_code == 422 and "has already been taken" in twice.json()["errors"]["period_id"][0]
    dates = api.post(
        REQ,
        {
            "project_id": pid,
            "commitment_id": wo["id"],
            "requisition": {"requisition_start": "2026-03-31", "requisition_end": "2026-03-01"},
        },
    )
    assert "requisition_end" in dates.json()["errors"]
    foreign = api.post(
        REQ,
        {
            "project_id": pid,
            "commitment_id": wo["id"],
            "requisition": {"items": [{"line_item_id": 3, "item_type": "x"}]},
        },
    )
    assert "items[0].line_item_id" in foreign.json()["errors"]


def test_requisition_with_origin_id_is_locked(approved) -> None:
    world, wo, _ = approved
    api, pid = world.api, world.pid
    created = ok(
        api.post(
            REQ, {"project_id": pid, "commitment_id": wo["id"], "requisition": {"origin_id": "erp:inv:9"}}
        ),
        201,
    )
    path = f"{REQ}/{created['id']}"
    body = {"project_id": pid, "commitment_id": wo["id"]}
    locked = api.patch(path, {**body, "requisition": {"invoice_number": "7"}})
    assert locked.status_code == 422 and "locked" in locked.json()["errors"]["invoice_number"][0]
    assert ok(api.patch(path, {**body, "requisition": {"origin_data": "v2"}}))["origin_data"] == "v2"
    refused = api.delete(path, params={"project_id": pid})
    assert refused.status_code == 422 and "locked" in refused.text
    assert api.patch(f"{REQ}/sync", {**body, "updates": []}).status_code in (404, 405), "no sync endpoint"
    cleared = ok(api.patch(path, {**body, "requisition": {"origin_id": None}}))
    assert cleared["origin_id"] is None, "without a sync action a PATCH may clear the origin_id"
    assert api.delete(path, params={"project_id": pid}).status_code == 200


def test_contract_payments(approved, emu) -> None:
    world, wo, _ = approved
    api, pid = world.api, world.pid
    invoice = ok(api.post(REQ, {"project_id": pid, "commitment_id": wo["id"]}), 201)
    scope = {"project_id": pid, "contract_id": wo["id"]}
    created = ok(
        api.post(
            PAY,
            {
                **scope,
                "contract_payment": {
                    "amount": "400.00",
                    "date": "2026-04-10",
                    "requisition_id": invoice["id"],
                    "origin_id": "erp:pay:1",
                    "payment_method": "check",
                },
            },
        ),
        201,
    )
    assert created["contract_id"] == wo["id"] and created["requisition_id"] == invoice["id"]
    assert "payment_method" not in created, "Show does not return it"
    assert ok(api.get(f"{PAY}/{created['id']}", params=scope)) == created
    assert [p["id"] for p in ok(api.get(PAY, params=scope))] == [created["id"]]
    commitment = ok(api.get(f"/rest/v1.0/{WOC}/{wo['id']}", params={"project_id": pid}))
    assert (
        commitment["total_payments"] == "400.00" and commitment["remaining_balance_outstanding"] == "600.00"
    )

    path = f"{PAY}/{created['id']}"
    locked = api.patch(path, {**scope, "contract_payment": {"amount": "450.00", "notes": "x"}})
    assert locked.status_code == 422 and set(locked.json()["errors"]) == {"amount", "notes"}
    assert all("locked" in m[0] for m in locked.json()["errors"].values())
    assert ok(api.patch(path, {**scope, "contract_payment": {"origin_data": "seen", "amount": "400.00"}}))
    assert api.delete(path, params=scope).status_code == 422
    assert api.patch(f"{PAY}/sync", {**scope, "updates": []}).status_code in (404, 405), "no sync endpoint"

    plain = ok(api.post(PAY, {**scope, "contract_payment": {"amount": "1.00"}}), 201)
    assert (
        ok(api.patch(f"{PAY}/{plain['id']}", {**scope, "contract_payment": {"amount": "2.00"}}))["amount"]
        == "2.00"
    )
    assert api.delete(f"{PAY}/{plain['id']}", params=scope).status_code == 200
    assert len(emu.state.records("contract_payments")) == 1

    no_amount = api.post(PAY, {**scope, "contract_payment": {"notes": "?"}})
    assert no_amount.status_code == 422 and "amount" in no_amount.json()["errors"]
    other = world.commitment(title="Other")
    wrong_invoice = api.post(
        PAY,
        {
            "project_id": pid,
            "contract_id": other["id"],
            "contract_payment": {"amount": "1", "requisition_id": invoice["id"]},
        },
    )
    assert "requisition_id" in wrong_invoice.json()["errors"]
    assert (
        api.post(PAY, {"project_id": pid, "contract_id": 8, "contract_payment": {"amount": "1"}}).status_code
        == 404
    )
    assert api.get(PAY, params={"project_id": pid}).status_code == 400, "the list needs contract_id"


def _bulk(world: World, requisition_id: int, items: list) -> object:
    path = f"/rest/v1.0/requisitions/{requisition_id}/bulk_item_update"
    return world.api.patch(path, {"requisition_items": items}, params={"project_id": world.pid})


def test_requisition_items_come_from_the_sov_and_carry_the_money(world: World, emu) -> None:
    api, pid = world.api, world.pid
    wo = world.commitment()
    first, second = world.sov(
        WOC,
        wo["id"],
        world.line(origin_id="s:1", amount="1000.00", description="Footings"),
        world.line(origin_id="s:2", amount="500.00"),
    )
    world.approve(WOC, wo["id"])
    invoice = ok(
        api.post(
            REQ, {"project_id": pid, "commitment_id": wo["id"], "requisition": {"origin_id": "erp:inv:1"}}
        ),
        201,
    )
    items_path = f"/rest/v1.0/requisitions/{invoice['id']}/contract_items"
    items = ok(api.get(items_path, params={"project_id": pid}))
    assert [(i["line_item_id"], i["scheduled_value"], i["item_type"]) for i in items] == [
        (first["id"], "1000.00", "contract_item"),
        (second["id"], "500.00", "contract_item"),
    ]
    assert items[0]["description_of_work"] == "Footings" and items[0]["work_completed_this_period"] == "0.00"
    updated = ok(
        _bulk(
            world,
            invoice["id"],
            [
                {
                    "id": items[0]["id"],
                    "item_type": "contract_item",
                    "work_completed_this_period": "250.10",
                    "materials_presently_stored": "40.00",
                    "work_completed_retainage_retained_this_period": "25.01",
                },
                {"id": items[1]["id"], "work_completed_this_period": "100.00", "status": "approved"},
            ],
        )
    )
    assert [i["work_completed_this_period"] for i in updated] == ["250.10", "100.00"]
    shown = ok(api.get(f"{REQ}/{invoice['id']}", params={"project_id": pid}))
    assert shown["total_claimed_amount"] == "390.10", "work completed this period + materials stored"
    summary = shown["summary"]
    assert summary["original_contract_sum"] == "1500.00" and summary["contract_sum_to_date"] == "1500.00"
    assert summary["total_completed_and_stored_to_date"] == "390.10" and summary["total_retainage"] == "25.01"
    assert summary["total_earned_less_retainage"] == "365.09" and summary["current_payment_due"] == "365.09"
    assert [i["work_completed_this_period"] for i in shown["items"]] == ["250.10", "100.00"]
    commitment = ok(api.get(f"/rest/v1.0/{WOC}/{wo['id']}", params={"project_id": pid}))
    assert commitment["total_requisitions_amount"] == "390.10"

    nxt = ok(
        api.post(REQ, {"project_id": pid, "commitment_id": wo["id"], "requisition": {"period_id": 2}}), 201
    )
    (item, _) = ok(api.get(f"/rest/v1.0/requisitions/{nxt['id']}/contract_items", params={"project_id": pid}))
    assert item["work_completed_from_previous_application"] == "250.10"
    still_stored = {"materials_presently_stored": "40.00"}
    ok(_bulk(world, nxt["id"], [{"id": item["id"], "work_completed_this_period": "9.90", **still_stored}]))
    later = ok(api.get(f"{REQ}/{nxt['id']}", params={"project_id": pid}))["summary"]
    assert later["total_completed_and_stored_to_date"] == "400.00" and later["total_retainage"] == "25.01"
    assert later["less_previous_certificates_for_payment"] == "365.09"
    assert later["current_payment_due"] == "9.90"


def test_bulk_item_update_is_checked_whole(approved, emu) -> None:
    world, wo, _ = approved
    api, pid = world.api, world.pid
    invoice = ok(api.post(REQ, {"project_id": pid, "commitment_id": wo["id"]}), 201)
    (item,) = ok(
        api.get(f"/rest/v1.0/requisitions/{invoice['id']}/contract_items", params={"project_id": pid})
    )
    refused = _bulk(
        world,
        invoice["id"],
        [
            {"id": item["id"], "work_completed_this_period": "5.00"},
            {"id": item["id"], "work_completed_this_period": 5, "colour": "red", "status": "done"},
            {"id": 5, "work_completed_this_period": "1"},
            {"id": item["id"], "item_type": "change_order_item"},
        ],
    )
    assert refused.status_code == 422
    assert set(refused.json()["errors"]) == {
        "requisition_items[1].work_completed_this_period",
        "requisition_items[1].colour",
        "requisition_items[1].status",
        "requisition_items[2].id",
        "requisition_items[3].item_type",
    }
    untouched = ok(
        api.get(f"/rest/v1.0/requisitions/{invoice['id']}/contract_items", params={"project_id": pid})
    )
    assert untouched[0]["work_completed_this_period"] == "0.00", "nothing is stored when an item fails"
    path = f"/rest/v1.0/requisitions/{invoice['id']}/bulk_item_update"
    assert api.patch(path, {"requisition_items": []}).status_code == 400, "project_id is required"
    assert api.patch(path, {"items": []}, params={"project_id": pid}).status_code == 400
    assert api.get(f"/rest/v1.0/requisitions/{invoice['id']}/contract_items").status_code == 400


def test_requisition_items_in_the_v11_update(approved) -> None:
    world, wo, line = approved
    api, pid = world.api, world.pid
    invoice = ok(api.post(REQ, {"project_id": pid, "commitment_id": wo["id"]}), 201)
    (item,) = invoice["items"]
    body = {"project_id": pid, "commitment_id": wo["id"]}
    updated = ok(
        api.patch(
            f"{REQ}/{invoice['id']}",
            {
                **body,
                "requisition": {
                    "items": [
                        {"id": item["id"], "item_type": "contract_item", "work_completed_this_period": "12.5"}
                    ]
                },
            },
        )
    )
    assert updated["total_claimed_amount"] == "12.50"
    no_id = api.patch(
        f"{REQ}/{invoice['id']}",
        {**body, "requisition": {"items": [{"item_type": "contract_item", "line_item_id": line["id"]}]}},
    )
    assert no_id.status_code == 422 and "items[0].id" in no_id.json()["errors"], "the update's items need id"
    with_id = api.post(
        REQ,
        {**body, "requisition": {"period_id": 3, "items": [{"id": 1, "item_type": "contract_item"}]}},
    )
    assert with_id.status_code == 422 and "items[0].id" in with_id.json()["errors"], (
        "the create's items have none"
    )


def test_erp_owned_invoice_takes_its_status_and_approval_locks_its_items(approved) -> None:
    world, wo, _ = approved
    api, pid = world.api, world.pid
    invoice = ok(
        api.post(
            REQ, {"project_id": pid, "commitment_id": wo["id"], "requisition": {"origin_id": "erp:inv:5"}}
        ),
        201,
    )
    (item,) = invoice["items"]
    path, body = f"{REQ}/{invoice['id']}", {"project_id": pid, "commitment_id": wo["id"]}
    ok(_bulk(world, invoice["id"], [{"id": item["id"], "work_completed_this_period": "100.00"}]))
    approved_now = ok(api.patch(path, {**body, "requisition": {"status": "approved"}}))
    assert approved_now["status"] == "approved", "the ERP owning the invoice sets its status"
    assert approved_now["total_claimed_amount"] == "100.00"
    refused = _bulk(world, invoice["id"], [{"id": item["id"], "work_completed_this_period": "120.00"}])
    assert refused.status_code == 422
    assert "approved and locked" in refused.json()["errors"]["requisition_items[0].base"][0]
    same = _bulk(world, invoice["id"], [{"id": item["id"], "work_completed_this_period": "100.00"}])
    assert same.status_code == 200, "re-sending the approved values unchanged succeeds"
    items = {"items": [{"id": item["id"], "item_type": "contract_item", "work_completed_this_period": "1"}]}
    in_update = api.patch(path, {**body, "requisition": items})
    assert in_update.status_code == 422 and "approved and locked" in in_update.json()["errors"]["base"][0]
    ok(api.patch(path, {**body, "requisition": {"status": "revise_and_resubmit"}}))
    ok(_bulk(world, invoice["id"], [{"id": item["id"], "work_completed_this_period": "120.00"}]))
