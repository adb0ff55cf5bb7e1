"""Load reads its calls from the declaration: deletes only where Procore's API has one for the record."""

from __future__ import annotations

import json

import pandas as pd
from erp_sync.declarations import COMMITMENTS
from erp_sync.load import load
from erp_sync.plan import DELETE


def planned(*routes: dict) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "erp_key": [f"C-{i}" for i in range(len(routes))],
            "scope_key": "J1",
            "origin_id": [f"erp:commitment:C-{i}" for i in range(len(routes))],
            "payload_json": "{}",
            "route_json": [json.dumps(r) for r in routes],
            "content_hash": "h",
            "procore_id": pd.array([55 + i for i in range(len(routes))], dtype="Int64"),
            "action": DELETE,
            "previous_status": "synced",
        }
    )


def test_voided_purchase_order_is_deleted_and_a_work_order_never_is(hook):
    rows = planned(
        {"contract_path": "purchase_order_contracts", "project_id": 1, "void": True},
        {"contract_path": "work_order_contracts", "project_id": 1, "void": True},
    )
    outcomes = load(hook, COMMITMENTS, rows, source="erp", run_id="r").set_index("erp_key")
    assert [(method, path) for method, path, _ in hook.calls] == [
        ("DELETE", "/rest/v1.0/purchase_order_contracts/55")
    ]
    assert outcomes.loc["C-0", "status"] == "deleted"
    assert outcomes.loc["C-1", "status"] == "locked"
    assert "offers no way to void or delete" in outcomes.loc["C-1", "error"]
