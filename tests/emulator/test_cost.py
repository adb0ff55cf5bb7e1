"""Project cost codes, line item (cost) types and budget line items."""

from __future__ import annotations

import pytest

from .conftest import COMPANY_ID, Api
from .world import World, build_world, ok


@pytest.fixture
def world(api: Api) -> World:
    return build_world(api)


# cost codes --------------------------------------------------------------------------------------


def test_cost_code_create_show_update_list(world: World, emu) -> None:
    api, pid = world.api, world.pid
    created = ok(
        api.post(
            "/rest/v1.0/cost_codes",
            {
                "project_id": pid,
                "cost_code": {"code": "200", "name": "Rebar", "parent_id": world.division["id"]},
            },
        ),
        201,
    )
    assert created["full_code"] == "03-200" and created["parent"] == {"id": world.division["id"]}
    assert created["biller_id"] == pid and created["biller_type"] == "Project"
    shown = ok(api.get(f"/rest/v1.0/cost_codes/{created['id']}", params={"project_id": pid}))
    assert shown == created
    updated = ok(
        api.patch(
            f"/rest/v1.0/cost_codes/{created['id']}",
            {"project_id": pid, "cost_code": {"code": "210", "name": "Rebar & mesh"}},
        )
    )
    assert updated["full_code"] == "03-210" and updated["name"] == "Rebar & mesh"
    listed = ok(api.get("/rest/v1.0/cost_codes", params={"project_id": pid}))
    assert [c["full_code"] for c in listed] == ["03", "03-100", "03-210"]
    assert len(emu.state.records("cost_codes")) == 3
    by_origin = ok(
        api.get("/rest/v1.0/cost_codes", params={"project_id": pid, "filters[origin_id]": "erp:cc:1:03"})
    )
    assert [c["id"] for c in by_origin] == [world.division["id"]]


def test_cost_code_rules(world: World) -> None:
    api, pid = world.api, world.pid
    missing = api.post("/rest/v1.0/cost_codes", {"project_id": pid, "cost_code": {"name": "No code"}})
    assert missing.status_code == 422 and missing.json()["errors"] == {"code": ["can't be blank"]}
    update_needs_both = api.patch(
        f"/rest/v1.0/cost_codes/{world.division['id']}", {"project_id": pid, "cost_code": {"name": "X"}}
    )
    assert update_needs_both.status_code == 422 and "code" in update_needs_both.json()["errors"]
    taken = ok(
        api.patch(
            f"/rest/v1.0/cost_codes/sync?project_id={pid}",
            {"updates": [{"code": "03", "name": "Again"}, {"code": "100", "name": "Top-level 100"}]},
        )
    )
    assert [e["code"] for e in taken["entities"]] == ["100"], "the same code under another parent is fine"
    assert "has already been taken" in taken["errors"][0]["errors"]["code"][0]
    bad_parent = api.post(
        "/rest/v1.0/cost_codes", {"project_id": pid, "cost_code": {"code": "9", "name": "N", "parent_id": 12}}
    )
    assert (
        bad_parent.status_code == 422
        and "cost code 12 not found" in bad_parent.json()["errors"]["parent_id"][0]
    )
    assert api.get("/rest/v1.0/cost_codes", params={"project_id": 42}).status_code == 404
    assert api.get("/rest/v1.0/cost_codes").status_code == 400


def test_cost_codes_of_another_project_are_not_references(api: Api) -> None:
    one, two = build_world(api, "1"), build_world(api, "2")
    response = api.post(
        "/rest/v1.0/budget_line_items",
        {
            "project_id": two.pid,
            "budget_line_item": {"cost_code_id": one.cost_code["id"], "line_item_type_id": two.labor["id"]},
        },
    )
    assert response.status_code == 422
    assert response.json()["errors"]["cost_code_id"] == [
        f"cost code {one.cost_code['id']} not found in project {two.pid}"
    ]


def test_cost_code_sync_cap(world: World) -> None:
    api, pid = world.api, world.pid
    items = [{"origin_id": f"cc:{i}", "code": f"X{i}", "name": f"Code {i}"} for i in range(1001)]
    refused = api.patch(f"/rest/v1.0/cost_codes/sync?project_id={pid}", {"updates": items})
    assert refused.status_code == 422 and "at most 1000" in refused.text
    accepted = ok(api.patch(f"/rest/v1.0/cost_codes/sync?project_id={pid}", {"updates": items[:1000]}))
    assert len(accepted["entities"]) == 1000 and accepted["errors"] == []


# line item types ---------------------------------------------------------------------------------


def test_line_item_types(world: World, emu) -> None:
    api = world.api
    assert world.labor["code"] == "L1" and world.labor["base_type"] == "other"
    created = ok(
        api.post(
            "/rest/v1.0/line_item_types",
            {"company_id": COMPANY_ID, "line_item_type": {"name": "Equipment", "csv_import_code": "E"}},
        ),
        201,
    )
    shown = ok(api.get(f"/rest/v1.0/line_item_types/{created['id']}", params={"company_id": COMPANY_ID}))
    assert shown["code"] == "E" and "csv_import_code" not in shown
    renamed = ok(
        api.patch(
            f"/rest/v1.0/line_item_types/{created['id']}",
            {"company_id": COMPANY_ID, "line_item_type": {"name": "Plant", "base_type": "equipment"}},
        )
    )
    assert renamed["name"] == "Plant" and renamed["base_type"] == "equipment"
    bad = ok(
        api.patch(
            "/rest/v1.0/line_item_types/sync",
            {
                "company_id": COMPANY_ID,
                "updates": [
                    {"name": "Labour", "csv_import_code": "LB", "base_type": "labor"},
                    {"name": "Dup", "csv_import_code": "E"},
                    {"origin_id": "erp:ct:1:L", "name": "Labor (renamed)"},
                ],
            },
        )
    )
    assert [e["name"] for e in bad["entities"]] == ["Labor (renamed)"]
    assert "base_type" in bad["errors"][0]["errors"]
    assert "has already been taken" in bad["errors"][1]["errors"]["csv_import_code"][0]
    listed = ok(
        api.get("/rest/v1.0/line_item_types", params={"company_id": COMPANY_ID, "project_id": world.pid})
    )
    assert len(listed) == len(emu.state.records("line_item_types")) == 3
    no_project = api.get("/rest/v1.0/line_item_types", params={"company_id": COMPANY_ID})
    assert no_project.status_code == 400 and "project_id" in no_project.text, "the list extract requires it"


# budget line items -------------------------------------------------------------------------------


def test_budget_line_create_show_update(world: World, emu) -> None:
    api, pid = world.api, world.pid
    created = ok(
        api.post(
            "/rest/v1.0/budget_line_items",
            {
                "project_id": pid,
                "budget_line_item": {
                    "cost_code_id": world.cost_code["id"],
                    "line_item_type_id": world.labor["id"],
                    "original_budget_amount": 1250.5,
                    "calculation_strategy": "manual",
                },
            },
        ),
        201,
    )
    assert created["original_budget_amount"] == 1250.5
    assert (
        created["cost_code"]["full_code"] == "03-100" and created["line_item_type"]["id"] == world.labor["id"]
    )
    assert "cost_code_id" not in created and "origin_id" not in created, "Show names the code, no origin_id"
    shown = ok(api.get(f"/rest/v1.0/budget_line_items/{created['id']}", params={"project_id": pid}))
    assert shown == created
    updated = ok(
        api.patch(
            f"/rest/v1.0/budget_line_items/{created['id']}",
            {"project_id": pid, "budget_line_item": {"original_budget_amount": "2000"}},
        )
    )
    assert updated["original_budget_amount"] == 2000 and updated["revised_budget"] == 2000.0
    missing = api.post(
        "/rest/v1.0/budget_line_items",
        {"project_id": pid, "budget_line_item": {"cost_code_id": world.cost_code["id"]}},
    )
    assert missing.status_code == 422 and missing.json()["errors"] == {
        "line_item_type_id": ["can't be blank"]
    }
    no_origin = api.post(
        "/rest/v1.0/budget_line_items",
        {
            "project_id": pid,
            "budget_line_item": {**world.line(line_item_type_id=world.materials["id"]), "origin_id": "x"},
        },
    )
    assert no_origin.status_code == 422 and "origin_id" in no_origin.json()["errors"]
    unknown_type = api.post(
        "/rest/v1.0/budget_line_items",
        {"project_id": pid, "budget_line_item": world.line(line_item_type_id=99)},
    )
    assert unknown_type.json()["errors"] == {"line_item_type_id": ["line item type 99 not found"]}
    assert len(emu.state.records("budget_line_items")) == 1
    assert [b["id"] for b in ok(api.get("/rest/v1.0/budget_line_items", params={"project_id": pid}))] == [
        created["id"]
    ]


def test_budget_sync_answers_a_plain_array_one_element_per_item(world: World, emu) -> None:
    api, pid = world.api, world.pid
    response = api.post(
        "/rest/v1.0/budget_line_items/sync",
        {
            "project_id": pid,
            "budget_line_items": [
                world.line(original_budget_amount=100),
                world.line(line_item_type_id=world.materials["id"], original_budget_amount=50),
                world.line(original_budget_amount=7),
                {"id": 1, "original_budget_amount": 1},
            ],
        },
    )
    body = ok(response)
    assert isinstance(body, list) and len(body) == 4
    first, second, duplicate, unknown = body
    assert first["original_budget_amount"] == 100 and "errors" not in first
    assert second["line_item_type"]["id"] == world.materials["id"]
    assert "has already been taken" in duplicate["errors"]["line_item_type_id"][0]
    assert str(first["id"]) in duplicate["errors"]["line_item_type_id"][0], "names the line holding the pair"
    assert unknown["errors"] == {"id": ["Entity with this ID not found"]}
    again = ok(
        api.post(
            "/rest/v1.0/budget_line_items/sync",
            {"project_id": pid, "budget_line_items": [{"id": first["id"], "original_budget_amount": 150}]},
        )
    )
    assert again[0]["id"] == first["id"] and again[0]["original_budget_amount"] == 150
    assert len(emu.state.records("budget_line_items")) == 2
    patch = api.patch("/rest/v1.0/budget_line_items/sync", {"project_id": pid, "budget_line_items": []})
    assert patch.status_code in (404, 405), "budget sync is a POST"


def test_budget_sync_cap_and_shape(world: World) -> None:
    api, pid = world.api, world.pid
    over = api.post(
        "/rest/v1.0/budget_line_items/sync", {"project_id": pid, "budget_line_items": [{}] * 1001}
    )
    assert over.status_code == 422 and "at most 1000" in over.text
    wrong_key = api.post("/rest/v1.0/budget_line_items/sync", {"project_id": pid, "updates": []})
    assert wrong_key.status_code == 400 and "budget_line_items" in wrong_key.text
    no_project = api.post("/rest/v1.0/budget_line_items/sync", {"budget_line_items": []})
    assert no_project.status_code == 400 and "project_id" in no_project.text
