"""Sync actions: matching rules, origin_id uniqueness, the 1,000-item cap, per-item validation."""

from __future__ import annotations

import time

import pytest

from .conftest import COMPANY_ID, Api


def _vendor(i: int, **fields):
    return {"origin_id": f"erp:vendor:{i}", "name": f"Vendor {i}", **fields}


# matching ----------------------------------------------------------------------------------------


def test_origin_id_only_creates_then_updates(api: Api, emu) -> None:
    first = api.synced("vendors", [_vendor(1, city="Austin")])
    assert first["errors"] == []
    (created,) = first["entities"]
    assert created["origin_id"] == "erp:vendor:1" and created["city"] == "Austin"

    second = api.synced("vendors", [{"origin_id": "erp:vendor:1", "city": "Dallas"}])
    (updated,) = second["entities"]
    assert updated["id"] == created["id"]
    assert updated["city"] == "Dallas" and updated["name"] == "Vendor 1"
    assert len(emu.state.records("vendors")) == 1


def test_id_only_updates_and_keeps_origin_id(api: Api) -> None:
    (created,) = api.synced("vendors", [_vendor(2)])["entities"]
    (updated,) = api.synced("vendors", [{"id": created["id"], "name": "Renamed"}])["entities"]
    assert updated["id"] == created["id"]
    assert updated["name"] == "Renamed"
    assert updated["origin_id"] == "erp:vendor:2"


def test_unknown_id_is_a_per_item_error_not_a_failed_request(api: Api) -> None:
    response = api.sync("vendors", [{"id": 123, "name": "Ghost"}, _vendor(3)])
    assert response.status_code == 200
    body = response.json()
    assert [e["origin_id"] for e in body["entities"]] == ["erp:vendor:3"]
    (error,) = body["errors"]
    assert error["id"] == 123 and error["name"] == "Ghost"
    assert error["errors"] == {"id": ["Entity with this ID not found"]}


def test_id_and_origin_id_changes_the_origin_id(api: Api, emu) -> None:
    (created,) = api.synced("vendors", [_vendor(4)])["entities"]
    (moved,) = api.synced("vendors", [{"id": created["id"], "origin_id": "erp2:vendor:4"}])["entities"]
    assert moved["id"] == created["id"] and moved["origin_id"] == "erp2:vendor:4"
    old = api.list("vendors", **{"filters[origin_id]": "erp:vendor:4"}).json()
    assert old == []
    (again,) = api.synced("vendors", [{"origin_id": "erp2:vendor:4", "city": "Reno"}])["entities"]
    assert again["id"] == created["id"]
    assert len(emu.state.records("vendors")) == 1


def test_id_and_origin_id_held_by_another_record_is_an_item_error(api: Api) -> None:
    a, b = api.synced("vendors", [_vendor(5), _vendor(6)])["entities"]
    body = api.synced("vendors", [{"id": b["id"], "origin_id": a["origin_id"]}])
    assert body["entities"] == []
    (error,) = body["errors"]
    assert error["errors"] == {"origin_id": ["has already been taken"]}
    assert api.get(f"/rest/v1.0/vendors/{b['id']}", params={"company_id": COMPANY_ID}).json()[
        "origin_id"
    ] == ("erp:vendor:6")


def test_neither_id_nor_origin_id_creates_without_origin_id(api: Api, emu) -> None:
    body = api.synced("vendors", [{"name": "Walk-in supplier"}, {"name": "Walk-in supplier"}])
    assert len(body["entities"]) == 2
    assert all(e["origin_id"] is None for e in body["entities"])
    assert len({e["id"] for e in body["entities"]}) == 2
    assert len(emu.state.records("vendors")) == 2


def test_duplicate_origin_id_in_one_batch_second_updates_first(api: Api, emu) -> None:
    body = api.synced("vendors", [_vendor(7, city="A"), _vendor(7, city="B")])
    first, second = body["entities"]
    assert first["id"] == second["id"]
    assert (first["city"], second["city"]) == ("A", "B")
    (stored,) = emu.state.records("vendors")
    assert stored["city"] == "B"


def test_items_are_atomic_and_failures_keep_the_submitted_item(api: Api, emu) -> None:
    (created,) = api.synced("vendors", [_vendor(8, city="Austin")])["entities"]
    body = api.synced("vendors", [{"origin_id": "erp:vendor:8", "city": "Boston", "country_code": "XX"}])
    (error,) = body["errors"]
    assert error["city"] == "Boston" and set(error["errors"]) == {"country_code"}
    assert emu.state.records("vendors")[0]["city"] == "Austin", "a failed item changes nothing"


def test_unchanged_item_does_not_touch_updated_at(api: Api, emu) -> None:
    (created,) = api.synced("vendors", [_vendor(9, city="Austin")])["entities"]
    time.sleep(1.05)
    (same,) = api.synced("vendors", [_vendor(9, city="Austin")])["entities"]
    assert same["updated_at"] == created["updated_at"]
    (changed,) = api.synced("vendors", [_vendor(9, city="Houston")])["entities"]
    assert changed["updated_at"] > created["updated_at"]
    assert changed["created_at"] == created["created_at"]


def test_projects_sync_takes_project_number_but_not_origin_code(api: Api) -> None:
    """The projects sync item schema has no origin_code (the single create and update have): Procore
    would drop it silently, so the emulator refuses the item naming the field."""
    item = {
        "origin_id": "erp:job:1",
        "project_number": "J-1",
        "name": "Main St. Office",
        "flag": "Green",
        "total_value": 1250000.5,
    }
    body = api.synced("projects", [item, {**item, "origin_id": "erp:job:2", "origin_code": "J-2"}])
    (project,) = body["entities"]
    assert project["project_number"] == "J-1" and project["origin_code"] is None
    assert project["display_name"] == "J-1 - Main St. Office"
    assert project["company"] == {"id": COMPANY_ID, "name": "Demo Builders Inc."}
    assert project["total_value"] == "1250000.5"
    (failed,) = body["errors"]
    assert failed["origin_id"] == "erp:job:2" and set(failed["errors"]) == {"origin_code"}
    assert "PATCH /rest/v1.0/projects/sync does not accept it" in failed["errors"]["origin_code"][0]
    created = api.post(
        "/rest/v1.0/projects",
        {
            "company_id": COMPANY_ID,
            "project": {"name": "Depot", "origin_id": "erp:job:3", "origin_code": "J-3"},
        },
    )
    assert created.status_code == 201 and created.json()["origin_code"] == "J-3", "the create takes it"


# origin_id uniqueness ----------------------------------------------------------------------------


def test_origin_id_unique_on_create(api: Api) -> None:
    first = api.post("/rest/v1.0/vendors", {"company_id": COMPANY_ID, "vendor": _vendor(10)})
    assert first.status_code == 201
    dup = api.post("/rest/v1.0/vendors", {"company_id": COMPANY_ID, "vendor": _vendor(10, name="Other")})
    assert dup.status_code == 422
    assert dup.json() == {"errors": {"origin_id": ["has already been taken"]}}


def test_origin_id_unique_on_update(api: Api) -> None:
    created = api.post("/rest/v1.0/vendors", {"company_id": COMPANY_ID, "vendor": _vendor(11)}).json()
    plain = api.post("/rest/v1.0/vendors", {"company_id": COMPANY_ID, "vendor": {"name": "No origin"}}).json()
    taken = api.patch(
        f"/rest/v1.0/vendors/{plain['id']}",
        {"company_id": COMPANY_ID, "vendor": {"name": "No origin", "origin_id": created["origin_id"]}},
    )
    assert taken.status_code == 422
    assert taken.json()["errors"]["origin_id"] == ["has already been taken"]


def test_origin_id_unique_per_resource_type(api: Api) -> None:
    api.synced("vendors", [_vendor(12)])
    body = api.synced("projects", [{"origin_id": "erp:vendor:12", "name": "Same key, other type"}])
    assert body["errors"] == [] and len(body["entities"]) == 1


# whole-request validation ------------------------------------------------------------------------


def test_1000_items_accepted_1001_refused(api: Api, emu) -> None:
    items = [_vendor(i) for i in range(1001)]
    refused = api.sync("vendors", items)
    assert refused.status_code == 422
    assert "1001" in refused.text and "1000" in refused.text
    assert emu.state.records("vendors") == []
    accepted = api.sync("vendors", items[:1000])
    assert accepted.status_code == 200
    assert len(accepted.json()["entities"]) == 1000
    assert emu.state.request_log[-1].items == 1000


@pytest.mark.parametrize(
    ("body", "status", "needle"),
    [
        ({"company_id": COMPANY_ID}, 400, "updates"),
        ({"company_id": COMPANY_ID, "updates": {"name": "x"}}, 400, "array"),
        ({"updates": [{"name": "x"}]}, 400, "company_id"),
        ({"company_id": 999, "updates": [{"name": "x"}]}, 403, "company_id"),
        ({"company_id": COMPANY_ID, "updates": [], "vendor": {}}, 400, "vendor"),
    ],
)
def test_malformed_sync_request_fails_as_a_whole(api: Api, body, status, needle) -> None:
    response = api.patch("/rest/v1.0/vendors/sync", body)
    assert response.status_code == status, response.text
    assert needle in response.text


def test_malformed_json_is_400(api: Api) -> None:
    response = api.session.patch(
        f"{api.base}/rest/v1.0/vendors/sync",
        data=b"{not json",
        headers={"Content-Type": "application/json"},
        timeout=5,
    )
    assert response.status_code == 400


def test_empty_batch_is_fine(api: Api) -> None:
    assert api.synced("vendors", []) == {"entities": [], "errors": []}


# per-item validation -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("resource", "item", "field"),
    [
        ("vendors", {"origin_id": "v:no-name", "city": "Austin"}, "name"),
        ("vendors", {"origin_id": "v:blank", "name": "   "}, "name"),
        ("vendors", {"origin_id": "v:long", "name": "x" * 256}, "name"),
        ("vendors", {"origin_id": "v:ctl", "name": "Tab\there"}, "name"),
        ("vendors", {"origin_id": "v:nul", "name": "Nul\x00"}, "name"),
        ("vendors", {"origin_id": "v:del", "name": "Del\x7f"}, "name"),
        ("vendors", {"origin_id": "v:country", "name": "X", "country_code": "USA"}, "country_code"),
        ("vendors", {"origin_id": "v:lower", "name": "X", "country_code": "us"}, "country_code"),
        (
            "vendors",
            {"origin_id": "v:state", "name": "X", "country_code": "US", "state_code": "ON"},
            "state_code",
        ),
        (
            "vendors",
            {"origin_id": "v:state-ca", "name": "X", "country_code": "CA", "state_code": "TX"},
            "state_code",
        ),
        (
            "vendors",
            {"origin_id": "v:state-fr", "name": "X", "country_code": "FR", "state_code": "TOOLONG"},
            "state_code",
        ),
        ("vendors", {"origin_id": "v:bool", "name": "X", "is_active": "yes"}, "is_active"),
        ("vendors", {"origin_id": "v:int", "name": "X", "vendor_group_id": "12"}, "vendor_group_id"),
        ("vendors", {"origin_id": "v:str", "name": 42}, "name"),
        ("vendors", {"origin_id": "v:unknown", "name": "X", "favourite_colour": "red"}, "favourite_colour"),
        ("vendors", {"origin_id": "v:email", "name": "X", "email_address": "not-an-email"}, "email_address"),
        ("vendors", {"origin_id": 17, "name": "X"}, "origin_id"),
        (
            "vendors",
            {"origin_id": "v:bidding", "name": "X", "bidding": {"small_business": "y"}},
            "bidding.small_business",
        ),
        ("projects", {"origin_id": "p:flag", "name": "P", "flag": "Blue"}, "flag"),
        ("projects", {"origin_id": "p:scope", "name": "P", "work_scope": "demolition"}, "work_scope"),
        (
            "projects",
            {"origin_id": "p:method", "name": "P", "delivery_method": "handshake"},
            "delivery_method",
        ),
        ("projects", {"origin_id": "p:prio", "name": "P", "priority": "urgent"}, "priority"),
        ("projects", {"origin_id": "p:date", "name": "P", "start_date": "2026-02-30"}, "start_date"),
        ("projects", {"origin_id": "p:dt", "name": "P", "start_date": "2026-01-01T00:00:00Z"}, "start_date"),
        ("projects", {"origin_id": "p:num", "name": "P", "total_value": "12,5"}, "total_value"),
        ("projects", {"origin_id": "p:sqft", "name": "P", "square_feet": 12.5}, "square_feet"),
        ("projects", {"origin_id": "p:noname"}, "name"),
        ("projects", {"origin_id": "p:display", "name": "P", "display_name": "x"}, "display_name"),
        (
            "projects",
            {"origin_id": "p:au", "name": "P", "country_code": "AU", "state_code": "NY"},
            "state_code",
        ),
        (
            "projects",
            {
                "origin_id": "p:order",
                "name": "P",
                "start_date": "2026-05-01",
                "completion_date": "2026-04-01",
            },
            "completion_date",
        ),
    ],
)
def test_invalid_item_names_the_field(api: Api, emu, resource: str, item: dict, field: str) -> None:
    body = api.synced(resource, [item, {"origin_id": f"ok:{resource}", "name": "Fine"}])
    assert [e["origin_id"] for e in body["entities"]] == [f"ok:{resource}"], "the valid item still lands"
    (error,) = body["errors"]
    assert field in error["errors"], error
    assert all(isinstance(m, str) and m for m in error["errors"][field])
    assert {k: v for k, v in error.items() if k != "errors"} == item


@pytest.mark.parametrize(
    ("country", "state"),
    [
        ("US", "CA"),
        ("US", "DC"),
        ("US", "PR"),
        ("CA", "QC"),
        ("AU", "NSW"),
        ("GB", "ENG"),
        ("GB", "LND"),
        ("MX", "CMX"),
        ("FR", "IDF"),
        ("DE", "BY"),
    ],
)
def test_valid_subdivisions_are_accepted(api: Api, country: str, state: str) -> None:
    body = api.synced("vendors", [{"name": "V", "country_code": country, "state_code": state}])
    assert body["errors"] == []


def test_state_code_without_country_uses_the_company_country(api: Api) -> None:
    ok = api.synced("vendors", [{"name": "V", "state_code": "TX"}])
    assert ok["errors"] == []
    bad = api.synced("vendors", [{"name": "V", "state_code": "QC"}])
    assert "state_code" in bad["errors"][0]["errors"]


def test_name_of_exactly_255_characters_is_fine(api: Api) -> None:
    body = api.synced("vendors", [{"name": "é" * 255}])
    assert body["errors"] == [] and body["entities"][0]["name"] == "é" * 255


def test_unicode_round_trip(api: Api, emu) -> None:
    names = [
        "Café Ñandú S.A. de C.V.",
        "株式会社山田建設",
        "Ørsted & Sønner",
        "Crane Co 🏗️👷‍♀️",
        "Zoë\u0301 (decomposed)",
        "עברית",
        "Straße",
    ]
    body = api.synced(
        "vendors", [{"origin_id": f"u:{i}", "name": n, "notes": n} for i, n in enumerate(names)]
    )
    assert [e["name"] for e in body["entities"]] == names
    listed = api.list("vendors").json()
    assert [v["name"] for v in listed] == names
    assert [v["notes"] for v in listed] == names
    assert [r["name"] for r in emu.state.records("vendors")] == names
    escaped = api.session.patch(
        f"{api.base}/rest/v1.0/vendors/sync",
        timeout=5,
        data=b'{"company_id": 4321, "updates": [{"name": "\\u00e9\\ud83d\\ude00"}]}',
        headers={"Content-Type": "application/json"},
    )
    assert escaped.json()["entities"][0]["name"] == "é😀"


def test_non_object_items_fail_alone(api: Api) -> None:
    body = api.synced("vendors", ["just a string", {"name": "Fine"}])
    assert len(body["entities"]) == 1
    assert body["errors"][0]["item"] == "just a string"
    assert "base" in body["errors"][0]["errors"]


def test_clearing_a_field_with_null(api: Api) -> None:
    api.synced("vendors", [_vendor(13, city="Austin")])
    (updated,) = api.synced("vendors", [{"origin_id": "erp:vendor:13", "city": None}])["entities"]
    assert updated["city"] is None
    body = api.synced("vendors", [{"origin_id": "erp:vendor:13", "name": None}])
    assert body["errors"][0]["errors"] == {"name": ["can't be blank"]}
