"""Projects: the sync items carry no origin_code; it follows by one PATCH where Procore's differs."""

from __future__ import annotations

import json

import pandas as pd
from erp_sync.declarations import PROJECTS
from erp_sync.load import load
from erp_sync.plan import CREATE, UPDATE


def planned(action: str, *jobs: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "erp_key": list(jobs),
            "scope_key": "",
            "origin_id": [f"erp:project:{j}" for j in jobs],
            "payload_json": [
                json.dumps({"name": f"Job {j}", "project_number": j, "origin_code": j, "active": True})
                for j in jobs
            ],
            "route_json": "{}",
            "content_hash": "h",
            "procore_id": pd.array([None] * len(jobs), dtype="Int64"),
            "action": action,
            "previous_status": None,
        }
    )


def test_origin_code_is_held_back_from_the_sync_and_patched_per_project(hook):
    outcomes = load(hook, PROJECTS, planned(CREATE, "J1", "J2"), source="erp", run_id="r")
    sync, *patches = hook.calls
    assert sync[1] == "/rest/v1.0/projects/sync"
    assert all("origin_code" not in item for item in sync[2]["items"])
    assert [(m, p, kw["json"]) for m, p, kw in patches] == [
        ("PATCH", "/rest/v1.0/projects/1000", {"company_id": 4321, "project": {"origin_code": "J1"}}),
        ("PATCH", "/rest/v1.0/projects/1001", {"company_id": 4321, "project": {"origin_code": "J2"}}),
    ]
    assert list(outcomes["status"]) == ["synced", "synced"]
    assert "PATCH /rest/v1.0/projects/{id}" in PROJECTS.procore_endpoints


def test_no_patch_when_procore_already_has_the_origin_code(hook):
    class Echo:
        def __init__(self, index: int, item: dict) -> None:
            self.index, self.ok, self.errors, self.transport_error = index, True, None, None
            self.entity = {**item, "id": 7 + index, "origin_code": item["project_number"]}

    hook.sync = lambda path, items, **kw: [Echo(i, it) for i, it in enumerate(items)]
    outcomes = load(hook, PROJECTS, planned(UPDATE, "J1"), source="erp", run_id="r")
    assert hook.calls == [] and list(outcomes["status"]) == ["synced"]


def test_a_refused_origin_code_patch_is_the_records_failure(hook):
    from procore_provider.hooks import ProcoreAPIError

    def refuse(method, path, **kwargs):
        raise ProcoreAPIError("422", status_code=422, errors={"origin_code": ["is invalid"]})

    hook.request = refuse
    outcomes = load(hook, PROJECTS, planned(CREATE, "J1"), source="erp", run_id="r")
    row = outcomes.iloc[0]
    assert row["status"] == "failed" and row["procore_id"] == 1000
    assert "origin_code not set: origin_code: is invalid" in row["error"]
