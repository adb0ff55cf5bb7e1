"""Per-operation validation: each request is checked against the one operation it addresses (its body
attributes, required ones, enums, types and query parameters), never a union of the resource's."""

from __future__ import annotations

import pytest

from .conftest import COMPANY_ID, Api
from .world import World, build_world, ok

PROJECTS = "/rest/v1.0/projects"


@pytest.fixture
def world(api: Api) -> World:
    return build_world(api)


def _project(api: Api, **fields: object) -> dict:
    body = {"company_id": COMPANY_ID, "project": {"name": "Depot", **fields}}
    return ok(api.post(PROJECTS, body), 201)


def test_create_and_update_refuse_what_their_operation_does_not_document(api: Api) -> None:
    created = _project(api, latitude=45.5, code="D-1")  # create-only attributes
    refused = api.post(PROJECTS, {"company_id": COMPANY_ID, "project": {"name": "X", "county": "Kings"}})
    assert refused.status_code == 422 and set(refused.json()["errors"]) == {"county"}
    assert "POST /rest/v1.0/projects does not accept it" in refused.json()["errors"]["county"][0]
    path = f"{PROJECTS}/{created['id']}"
    moved = api.patch(path, {"company_id": COMPANY_ID, "project": {"latitude": 1.0, "county": "Kings"}})
    assert moved.status_code == 422 and set(moved.json()["errors"]) == {"latitude"}, "county is update-only"
    assert (
        ok(api.patch(path, {"company_id": COMPANY_ID, "project": {"county": "Kings"}}))["id"] == created["id"]
    )
    nonsense = api.patch(path, {"company_id": COMPANY_ID, "project": {"colour": "red"}})
    assert "(other operations" not in nonsense.json()["errors"]["colour"][0], "unknown to every operation"


def test_sync_refuses_per_item_naming_the_field(api: Api) -> None:
    body = api.synced(
        "projects",
        [
            {"origin_id": "p:1", "name": "One"},
            {"origin_id": "p:2", "name": "Two", "latitude": 1.5, "code": "X"},
            {"origin_id": "p:3", "name": "Three", "estimated_budget": 10},
            {"origin_id": "p:4", "name": "Four", "county": "Kings"},
        ],
    )
    assert [p["origin_id"] for p in body["entities"]] == ["p:1", "p:3"]
    create_only, update_only = body["errors"]
    assert create_only["origin_id"] == "p:2" and set(create_only["errors"]) == {"latitude", "code"}
    assert set(update_only["errors"]) == {"county"}
    assert "PATCH /rest/v1.0/projects/sync does not accept it" in update_only["errors"]["county"][0]


def test_per_operation_enums_and_required(world: World) -> None:
    api = world.api
    labor = {"name": "Crew", "csv_import_code": "CR", "base_type": "labor"}
    created = api.post("/rest/v1.0/line_item_types", {"company_id": COMPANY_ID, "line_item_type": labor})
    assert created.status_code == 201, "the single create documents 'labor'"
    synced = api.synced("line_item_types", [{**labor, "csv_import_code": "CR2"}])
    assert "is not included in the list" in synced["errors"][0]["errors"]["base_type"][0], "the sync does not"
    vendor = ok(api.post("/rest/v1.0/vendors", {"company_id": COMPANY_ID, "vendor": {"name": "V"}}), 201)
    nameless = api.patch(
        f"/rest/v1.0/vendors/{vendor['id']}", {"company_id": COMPANY_ID, "vendor": {"zip": "1"}}
    )
    assert nameless.json()["errors"] == {"name": ["can't be blank"]}, "the update schema requires name"
    assert api.synced("vendors", [{"id": vendor["id"], "zip": "1"}])["errors"] == [], "sync items are partial"
    dates = api.post(
        "/rest/v1.0/potential_change_orders",
        {
            "project_id": world.pid,
            "contract_id": world.commitment()["id"],
            "change_order": {"due_date": "2026-03-01", "invoiced_date": "2026-03-01T00:00:00Z"},
        },
    )
    assert set(dates.json()["errors"]) == {"due_date", "invoiced_date"}, "date-time vs date formats"


def test_top_level_keys_are_per_operation(world: World) -> None:
    api = world.api
    path = f"/rest/v1.0/cost_codes/sync?project_id={world.pid}"
    refused = api.patch(path, {"updates": [], "sub_job_id": 1})
    assert refused.status_code == 400 and "sub_job_id" in refused.text, "only the create/update take it"
    accepted = api.post(
        "/rest/v1.0/cost_codes",
        {"project_id": world.pid, "sub_job_id": None, "cost_code": {"name": "Misc", "code": "99"}},
    )
    assert accepted.status_code == 201


def test_query_parameters_are_checked(world: World) -> None:
    api, pid = world.api, world.pid
    unknown = api.get("/rest/v1.0/cost_codes", params={"project_id": pid, "colour": "red"})
    assert unknown.status_code == 400 and "colour" in unknown.json()["errors"]
    typed = api.get("/rest/v1.0/cost_codes", params={"project_id": pid, "sub_job_id": "abc"})
    assert typed.status_code == 400 and "sub_job_id must be an integer" in typed.text
    views = api.get("/rest/v1.0/cost_codes", params={"project_id": pid, "view": "erp_compact"})
    assert views.status_code == 200, "documented views are accepted (one view is rendered)"
    assert api.get("/rest/v1.0/cost_codes", params={"project_id": pid, "view": "huge"}).status_code == 400
    sync = api.patch(
        "/rest/v1.0/vendors/sync?run_configurable_validations=true",
        {"company_id": COMPANY_ID, "updates": []},
    )
    assert sync.status_code == 200
    show = api.get(
        f"/rest/v1.0/vendors/{world.vendor['id']}", params={"company_id": COMPANY_ID, "sort": "name"}
    )
    assert show.status_code == 400, "sort belongs to the list"


def test_documented_filters_are_accepted_or_applied(world: World) -> None:
    api = world.api
    tagged = api.synced("vendors", [{"origin_id": "v:t", "name": "Tagged", "trade_ids": [7, 8]}])["entities"][
        0
    ]
    by_trade = ok(api.list("vendors", **{"filters[trade_id][]": ["8", "9"]}))
    assert [v["id"] for v in by_trade] == [tagged["id"]]
    assert ok(api.list("vendors", **{"filters[trade_id]": "9"})) == [], "with or without []"
    assert len(ok(api.list("vendors", **{"filters[standard_cost_code_id][]": "3"}))) == 0
    on_vendor = ok(api.list("projects", **{"filters[vendor_id]": world.vendor["id"]}))
    assert len(on_vendor) == 1, "accepted: the vendor's projects are not derived from commitments"
    assert api.list("projects", **{"filters[vendor_id]": "x"}).status_code == 400
    wo = world.commitment()
    listed = api.get(
        "/rest/v1.0/work_order_contracts",
        params={"project_id": world.pid, "filters[include_deleted]": "with"},
    )
    assert [c["id"] for c in ok(listed)] == [wo["id"]]
    undocumented = api.list("vendors", **{"filters[colour]": "red"})
    assert undocumented.status_code == 400 and "filters[colour]" in undocumented.text


def test_per_page_is_capped_and_reported(world: World, emu) -> None:
    api = world.api
    api.synced("projects", [{"origin_id": f"p:{i}", "name": f"P{i}"} for i in range(4)])
    capped = api.list("projects", per_page=5000)
    assert capped.headers["Per-Page"] == "1000" and capped.headers["Total"] == "5"
    v11 = api.get("/rest/v1.1/projects", params={"company_id": COMPANY_ID, "per_page": 1000})
    assert v11.headers["Per-Page"] == "300", "v1.1 projects: 'The max page size is 300'"
    paged = api.get("/rest/v1.1/projects", params={"company_id": COMPANY_ID, "per_page": 2, "page": 2})
    assert paged.headers["Total"] == "5" and 'rel="next"' in paged.headers["Link"]
    assert "per_page=2" in paged.headers["Link"] and 'rel="prev"' in paged.headers["Link"]
    wo = world.commitment()
    (line,) = world.sov("work_order_contracts", wo["id"], world.line(origin_id="s", amount="1"))
    world.approve("work_order_contracts", wo["id"])
    requisitions = api.get("/rest/v1.1/requisitions", params={"project_id": world.pid})
    assert requisitions.headers["Per-Page"] == "30", "'Elements per page, default 30'"


def test_v11_projects_list(world: World) -> None:
    api = world.api
    api.synced("projects", [{"origin_id": "p:x", "name": "Closed", "project_number": "X-9", "active": False}])
    v11 = "/rest/v1.1/projects"
    active = ok(api.get(v11, params={"company_id": COMPANY_ID}))
    assert [p["id"] for p in active] == [world.pid], "active projects only by default"
    closed = ok(api.get(v11, params={"company_id": COMPANY_ID, "filters[by_status]": "Inactive"}))
    assert [p["project_number"] for p in closed] == ["X-9"]
    numbered = ok(
        api.get(
            v11,
            params={"company_id": COMPANY_ID, "filters[by_status]": "All", "filters[project_number]": "X-9"},
        )
    )
    assert [p["name"] for p in numbered] == ["Closed"]
    assert ok(api.get(v11, params={"company_id": COMPANY_ID, "filters[is_demo]": "true"})) == []
    assert ok(api.get(v11, params={"company_id": COMPANY_ID, "view": "compact", "sort": "name"}))
    assert api.get(v11).status_code == 400, "company_id is required"
    assert (
        api.get(v11, params={"company_id": COMPANY_ID, "filters[from_project_template_id]": 1}).status_code
        == 400
    )


def test_wbs_codes_are_the_projects_budget_codes(world: World) -> None:
    api = world.api
    path = f"/rest/v1.0/projects/{world.pid}/work_breakdown_structure/wbs_codes"
    codes = ok(api.get(path))
    assert len(codes) == 4, "two cost codes x two cost types"
    again = ok(api.get(path))
    assert [c["id"] for c in again] == [c["id"] for c in codes], "ids are kept"
    found = ok(api.get(path, params={"query": "03-100.L1"}))
    assert [c["flat_code"] for c in found] == ["03-100.L1"]
    assert found[0]["segment_items"][0]["id"] == world.cost_code["id"]
    assert ok(api.get(path, params={"filters[status][]": "inactive"})) == []
    assert api.get(path, params={"scope": "nonsense"}).status_code == 400
