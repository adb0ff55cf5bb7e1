"""Adding a resource is a declaration: a project-scoped resource with record locking, served end to end."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest
from procore_emulator import RESOURCES, Field, Kind, Op, ResourceSpec, ScopeParam, run_emulator
from procore_emulator.fields import Errors

from .conftest import COMPANY_ID, Api, emulator_config


def _locked_when_approved(record: Any, changes: Mapping[str, Any]) -> Errors | None:
    if record.fields.get("status") == "Approved" and set(changes) - {"origin_data"}:
        return {"base": ["an Approved widget is locked"]}
    return None


WIDGETS = ResourceSpec(
    name="widgets",
    singular="widget",
    path="/rest/v1.0/widgets",
    scope=(
        ScopeParam(
            "company_id",
            {
                Op.LIST: ("query",),
                Op.SHOW: ("query",),
                Op.CREATE: ("body",),
                Op.UPDATE: ("body",),
                Op.SYNC: ("body",),
            },
        ),
        ScopeParam(
            "project_id",
            {
                Op.LIST: ("query",),
                Op.SHOW: ("query",),
                Op.CREATE: ("body",),
                Op.UPDATE: ("body",),
                Op.SYNC: ("query",),
            },
            parent="projects",
        ),
    ),
    operations=frozenset(Op),
    fields=(
        Field("title", required=True, max_length=50),
        Field("status", enum=("Draft", "Approved"), default="Draft"),
        Field("amount", Kind.NUMBER, render_as="string"),
        Field("origin_id"),
        Field("origin_data"),
    ),
    lock=_locked_when_approved,
)


GADGETS = ResourceSpec(
    name="gadgets",
    singular="gadget",
    path="/rest/v1.0/gadgets",
    scope=(
        ScopeParam(
            "project_id",
            {Op.LIST: ("query",), Op.CREATE: ("body",), Op.SYNC: ("query",)},
            parent="projects",
        ),
    ),
    operations=frozenset({Op.LIST, Op.CREATE, Op.SYNC}),
    fields=(Field("name", required=True), Field("origin_id")),
    body_params=("sub_job_id",),
)


@pytest.fixture
def widget_api() -> Any:
    resources = {**RESOURCES, "widgets": WIDGETS, "gadgets": GADGETS}
    with run_emulator(emulator_config(), resources=resources) as emu:
        api = Api(emu).login()
        (project,) = api.synced("projects", [{"origin_id": "job:1", "name": "Job 1"}])["entities"]
        yield api, project["id"]


def test_declared_resource_is_served(widget_api) -> None:
    api, project_id = widget_api
    body = {
        "company_id": COMPANY_ID,
        "updates": [
            {"origin_id": "w:1", "title": "Panel", "amount": 10.5},
            {"origin_id": "w:2", "title": "x" * 51},
        ],
    }
    synced = api.patch(f"/rest/v1.0/widgets/sync?project_id={project_id}", body).json()
    (widget,) = synced["entities"]
    assert widget["project_id"] == project_id and widget["status"] == "Draft" and widget["amount"] == "10.5"
    assert set(synced["errors"][0]["errors"]) == {"title"}

    listed = api.get("/rest/v1.0/widgets", params={"company_id": COMPANY_ID, "project_id": project_id})
    assert [w["origin_id"] for w in listed.json()] == ["w:1"]
    missing_scope = api.get("/rest/v1.0/widgets", params={"company_id": COMPANY_ID})
    assert missing_scope.status_code == 400 and "project_id" in missing_scope.text
    unknown_project = api.get("/rest/v1.0/widgets", params={"company_id": COMPANY_ID, "project_id": 1})
    assert unknown_project.status_code == 404


def test_record_locking_hook(widget_api) -> None:
    api, project_id = widget_api
    created = api.post(
        "/rest/v1.0/widgets",
        {
            "company_id": COMPANY_ID,
            "project_id": project_id,
            "widget": {"title": "Door", "status": "Approved"},
        },
    )
    assert created.status_code == 201
    wid = created.json()["id"]
    locked = api.patch(
        f"/rest/v1.0/widgets/{wid}",
        {"company_id": COMPANY_ID, "project_id": project_id, "widget": {"title": "Window"}},
    )
    assert locked.status_code == 422 and locked.json()["errors"] == {"base": ["an Approved widget is locked"]}
    stamp = api.patch(
        f"/rest/v1.0/widgets/{wid}",
        {"company_id": COMPANY_ID, "project_id": project_id, "widget": {"origin_data": "stamp"}},
    )
    assert stamp.status_code == 200
    synced = api.patch(
        f"/rest/v1.0/widgets/sync?project_id={project_id}",
        {"company_id": COMPANY_ID, "updates": [{"id": wid, "title": "Window"}]},
    ).json()
    assert synced["errors"][0]["errors"] == {"base": ["an Approved widget is locked"]}
    unchanged = api.patch(
        f"/rest/v1.0/widgets/sync?project_id={project_id}",
        {"company_id": COMPANY_ID, "updates": [{"id": wid, "title": "Door", "status": "Approved"}]},
    ).json()
    assert unchanged["errors"] == [], "re-sending a locked record unchanged is not a change"


def test_records_are_scoped_to_their_project(widget_api) -> None:
    api, project_id = widget_api
    (other,) = api.synced("projects", [{"origin_id": "job:2", "name": "Job 2"}])["entities"]
    api.patch(
        f"/rest/v1.0/widgets/sync?project_id={project_id}",
        {"company_id": COMPANY_ID, "updates": [{"origin_id": "w:9", "title": "A"}]},
    )
    clash = api.patch(
        f"/rest/v1.0/widgets/sync?project_id={other['id']}",
        {"company_id": COMPANY_ID, "updates": [{"origin_id": "w:9", "title": "B"}]},
    ).json()
    assert clash["entities"] == [], "origin_id is unique per company, across projects"
    assert "origin_id" in clash["errors"][0]["errors"]
    assert (
        api.get("/rest/v1.0/widgets", params={"company_id": COMPANY_ID, "project_id": other["id"]}).json()
        == []
    )


def test_resource_without_company_parameter_uses_the_header(widget_api) -> None:
    api, project_id = widget_api
    created = api.post(
        "/rest/v1.0/gadgets", {"project_id": project_id, "sub_job_id": None, "gadget": {"name": "G"}}
    )
    assert created.status_code == 201, created.text
    refused = api.post(
        "/rest/v1.0/gadgets", {"company_id": COMPANY_ID, "project_id": project_id, "gadget": {"name": "G"}}
    )
    assert refused.status_code == 400 and "company_id" in refused.text
    listed = api.get("/rest/v1.0/gadgets", params={"project_id": project_id})
    assert [g["name"] for g in listed.json()] == ["G"]
    assert listed.json()[0]["project_id"] == project_id
    undeclared = api.get(f"/rest/v1.0/gadgets/{created.json()['id']}", params={"project_id": project_id})
    assert undeclared.status_code in (404, 405), "only declared operations get routes"
