"""Single-record endpoints, pagination and list filters."""

from __future__ import annotations

import datetime as dt
import re
import time
from urllib.parse import parse_qs, urlsplit

import pytest

from .conftest import COMPANY_ID, Api

VENDORS = "/rest/v1.0/vendors"
PROJECTS = "/rest/v1.0/projects"


def _links(header: str) -> dict[str, str]:
    return {rel: url for url, rel in re.findall(r'<([^>]+)>;\s*rel="(\w+)"', header)}


# create / show / update --------------------------------------------------------------------------


def test_create_show_update_vendor(api: Api) -> None:
    created = api.post(
        VENDORS,
        {
            "company_id": COMPANY_ID,
            "vendor": {
                "name": "Acme Concrete",
                "origin_id": "erp:v:1",
                "origin_code": "V-0001",
                "origin_data": '{"h":"abc"}',
                "country_code": "US",
                "state_code": "TX",
                "is_active": True,
                "trade_ids": [1, 2],
                "bidding": {"small_business": True},
            },
        },
    )
    assert created.status_code == 201, created.text
    vendor = created.json()
    assert isinstance(vendor["id"], int) and vendor["id"] > 2**31
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", vendor["created_at"])
    assert vendor["origin_code"] == "V-0001" and vendor["origin_data"] == '{"h":"abc"}'
    assert vendor["bidding"] == {"small_business": True}

    shown = api.get(f"{VENDORS}/{vendor['id']}", params={"company_id": COMPANY_ID})
    assert shown.status_code == 200 and shown.json() == vendor

    updated = api.patch(
        f"{VENDORS}/{vendor['id']}",
        {"company_id": COMPANY_ID, "vendor": {"name": "Acme Concrete LLC", "city": "Austin"}},
    )
    assert updated.status_code == 200
    assert updated.json()["city"] == "Austin" and updated.json()["origin_id"] == "erp:v:1"


def test_ids_increase(api: Api) -> None:
    ids = [
        api.post(VENDORS, {"company_id": COMPANY_ID, "vendor": {"name": f"V{i}"}}).json()["id"]
        for i in range(3)
    ]
    assert ids == sorted(ids) and len(set(ids)) == 3


def test_unknown_id_is_404(api: Api) -> None:
    assert api.get(f"{VENDORS}/42", params={"company_id": COMPANY_ID}).status_code == 404
    missing = api.patch(f"{VENDORS}/42", {"company_id": COMPANY_ID, "vendor": {"name": "x"}})
    assert missing.status_code == 404
    assert "errors" in missing.json()
    assert api.get(f"{VENDORS}/not-a-number", params={"company_id": COMPANY_ID}).status_code == 404


def test_create_validation_is_422_with_field_errors(api: Api) -> None:
    response = api.post(
        PROJECTS, {"company_id": COMPANY_ID, "project": {"flag": "Purple", "country_code": "ZZ", "bogus": 1}}
    )
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert set(errors) == {"name", "flag", "country_code", "bogus"}
    assert all(isinstance(m, list) and m for m in errors.values())


def test_create_needs_the_wrapper_and_company(api: Api) -> None:
    no_wrapper = api.post(VENDORS, {"company_id": COMPANY_ID, "name": "flat"})
    assert no_wrapper.status_code == 400
    no_company = api.post(VENDORS, {"vendor": {"name": "x"}})
    assert no_company.status_code == 400 and "company_id" in no_company.text


def test_vendor_update_requires_name_as_the_spec_says(api: Api) -> None:
    vendor = api.post(VENDORS, {"company_id": COMPANY_ID, "vendor": {"name": "V"}}).json()
    response = api.patch(
        f"{VENDORS}/{vendor['id']}", {"company_id": COMPANY_ID, "vendor": {"city": "Austin"}}
    )
    assert response.status_code == 422 and "name" in response.json()["errors"]
    project = api.post(PROJECTS, {"company_id": COMPANY_ID, "project": {"name": "P"}}).json()
    ok = api.patch(f"{PROJECTS}/{project['id']}", {"company_id": COMPANY_ID, "project": {"city": "Austin"}})
    assert ok.status_code == 200, "the project update schema requires nothing"


def test_origin_id_changes_only_through_sync(api: Api) -> None:
    vendor = api.post(VENDORS, {"company_id": COMPANY_ID, "vendor": {"name": "V", "origin_id": "a"}}).json()
    response = api.patch(
        f"{VENDORS}/{vendor['id']}", {"company_id": COMPANY_ID, "vendor": {"name": "V", "origin_id": "b"}}
    )
    assert response.status_code == 422 and "origin_id" in response.json()["errors"]
    same = api.patch(
        f"{VENDORS}/{vendor['id']}", {"company_id": COMPANY_ID, "vendor": {"name": "V", "origin_id": "a"}}
    )
    assert same.status_code == 200
    plain = api.post(VENDORS, {"company_id": COMPANY_ID, "vendor": {"name": "W"}}).json()
    first_set = api.patch(
        f"{VENDORS}/{plain['id']}", {"company_id": COMPANY_ID, "vendor": {"name": "W", "origin_id": "c"}}
    )
    assert first_set.status_code == 200 and first_set.json()["origin_id"] == "c"


def test_parent_vendor_must_exist(api: Api) -> None:
    parent = api.post(VENDORS, {"company_id": COMPANY_ID, "vendor": {"name": "Parent"}}).json()
    child = api.post(
        VENDORS, {"company_id": COMPANY_ID, "vendor": {"name": "Child", "parent_id": parent["id"]}}
    )
    assert child.status_code == 201
    orphan = api.post(VENDORS, {"company_id": COMPANY_ID, "vendor": {"name": "Orphan", "parent_id": 12345}})
    assert orphan.status_code == 422 and "parent_id" in orphan.json()["errors"]


# pagination --------------------------------------------------------------------------------------


def test_pagination_headers_and_links_over_three_pages(api: Api) -> None:
    api.synced("vendors", [{"origin_id": f"p:{i}", "name": f"Vendor {i}"} for i in range(7)])
    seen: list[str] = []
    url: str | None = f"{api.base}{VENDORS}?company_id={COMPANY_ID}&filters[search]=Vendor&per_page=3"
    pages = 0
    while url:
        response = api.session.get(url, timeout=5)
        assert response.status_code == 200
        assert response.headers["Total"] == "7" and response.headers["Per-Page"] == "3"
        links = _links(response.headers.get("Link", ""))
        pages += 1
        seen += [v["origin_id"] for v in response.json()]
        if pages == 1:
            assert set(links) == {"next", "last"}
        elif pages == 2:
            assert set(links) == {"first", "prev", "next", "last"}
        else:
            assert set(links) == {"first", "prev"}
        for link in links.values():
            query = parse_qs(urlsplit(link).query)
            assert link.startswith(api.base + VENDORS)
            assert query["company_id"] == [str(COMPANY_ID)] and query["filters[search]"] == ["Vendor"]
            assert query["per_page"] == ["3"]
        if "last" in links:
            assert parse_qs(urlsplit(links["last"]).query)["page"] == ["3"]
        url = links.get("next")
    assert pages == 3
    assert seen == [f"p:{i}" for i in range(7)]


def test_single_page_has_no_link_and_past_the_end_is_empty(api: Api) -> None:
    api.synced("vendors", [{"name": "Only"}])
    response = api.list("vendors")
    assert response.headers["Total"] == "1" and "Link" not in response.headers
    assert response.headers["Per-Page"] == "100"
    beyond = api.list("vendors", page=5)
    assert beyond.status_code == 200 and beyond.json() == []
    assert "next" not in _links(beyond.headers.get("Link", ""))


def test_per_page_is_clamped_and_bad_values_refused(api: Api) -> None:
    assert api.list("vendors", per_page=50_000).headers["Per-Page"] == "1000"
    assert api.list("vendors", per_page=0).status_code == 400
    assert api.list("vendors", page="two").status_code == 400


# filters -----------------------------------------------------------------------------------------


def test_filter_by_origin_id(api: Api) -> None:
    api.synced("vendors", [{"origin_id": f"erp:v:{i}", "name": f"V{i}"} for i in range(5)])
    (one,) = api.list("vendors", **{"filters[origin_id]": "erp:v:3"}).json()
    assert one["name"] == "V3"
    assert api.list("vendors", **{"filters[origin_id]": "erp:v:99"}).json() == []
    assert api.list("vendors", **{"filters[origin_id]": "erp:v"}).json() == [], "exact match, not prefix"


def test_filter_by_ids(api: Api) -> None:
    entities = api.synced("vendors", [{"name": f"V{i}"} for i in range(4)])["entities"]
    wanted = [entities[0]["id"], entities[2]["id"]]
    listed = api.list("vendors", **{"filters[id][]": wanted}).json()
    assert [v["id"] for v in listed] == wanted
    comma = api.list("projects", **{"filters[id]": ",".join(map(str, wanted))})
    assert comma.status_code == 200


def test_filter_by_updated_at_range(api: Api) -> None:
    api.synced("vendors", [{"origin_id": "old", "name": "Old"}])
    time.sleep(1.1)
    cut = dt.datetime.now(dt.UTC).replace(microsecond=0)
    api.synced("vendors", [{"origin_id": "new", "name": "New"}])
    later = cut + dt.timedelta(hours=1)
    window = f"{cut:%Y-%m-%dT%H:%M:%SZ}...{later:%Y-%m-%dT%H:%M:%SZ}"
    assert [v["origin_id"] for v in api.list("vendors", **{"filters[updated_at]": window}).json()] == ["new"]
    day = f"{cut:%Y-%m-%d}...{cut:%Y-%m-%d}"
    assert len(api.list("vendors", **{"filters[updated_at]": day}).json()) == 2
    assert api.list("vendors", **{"filters[updated_at]": "yesterday"}).status_code == 400


def test_search_and_name_filters(api: Api) -> None:
    api.synced("vendors", [{"name": "Acme Steel", "origin_code": "V-9"}, {"name": "Best Concrete"}])
    assert [v["name"] for v in api.list("vendors", **{"filters[search]": "steel"}).json()] == ["Acme Steel"]
    assert [v["name"] for v in api.list("vendors", **{"filters[search]": "V-9"}).json()] == ["Acme Steel"]
    api.synced("projects", [{"name": "Harbor Tower"}, {"name": "Airport"}])
    assert [p["name"] for p in api.list("projects", **{"filters[name]": "tower"}).json()] == ["Harbor Tower"]


def test_projects_list_shows_active_by_default(api: Api) -> None:
    api.synced(
        "projects",
        [{"origin_id": "j:1", "name": "Live"}, {"origin_id": "j:2", "name": "Closed", "active": False}],
    )
    assert [p["name"] for p in api.list("projects").json()] == ["Live"]
    everything = api.list("projects", **{"filters[by_status]": "All"}).json()
    assert [p["name"] for p in everything] == ["Live", "Closed"]
    inactive = api.list("projects", **{"filters[by_status]": "Inactive", "filters[origin_id]": "j:2"}).json()
    assert [p["name"] for p in inactive] == ["Closed"]


@pytest.mark.parametrize("key", ["filters[colour]", "filters[origin_id][]x", "filters[vendor_id]"])
def test_unknown_filter_is_400(api: Api, key: str) -> None:
    response = api.list("vendors", **{key: "x"})
    assert response.status_code == 400
    assert "filter" in response.text


def test_sort_by_name(api: Api) -> None:
    api.synced("vendors", [{"name": "b"}, {"name": "C"}, {"name": "a"}])
    assert [v["name"] for v in api.list("vendors", sort="name").json()] == ["a", "b", "C"]
    assert api.list("vendors", sort="colour").status_code == 400
