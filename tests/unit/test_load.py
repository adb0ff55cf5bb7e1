"""Load reads its calls from the declaration: deletes only where Procore's API has one for the record."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
from erp_sync.declarations import BUDGET, COMMITMENTS
from erp_sync.load import load
from erp_sync.plan import CREATE, DELETE, UPDATE

from .conftest import Outcome, RecordingHook


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


class TakenHook(RecordingHook):
    """Budget sync: a line without id whose pair Procore already holds is refused naming the holder."""

    def sync(self, path: str, items: list[dict[str, Any]], **kwargs: Any) -> list[Outcome]:
        self.calls.append(("SYNC", path, {"items": items, **kwargs}))
        return [
            Outcome(index=i, entity={**item, "id": item["id"]})
            if "id" in item
            else Outcome(
                index=i,
                entity=None,
                ok=False,
                errors={"line_item_type_id": ["has already been taken (by budget line item 4242)"]},
            )
            for i, item in enumerate(items)
        ]


def test_a_budget_line_procore_already_holds_is_adopted_and_updated_not_failed():
    planned = pd.DataFrame(
        {
            "erp_key": ["24-0001/01-100/L"],
            "scope_key": "24-0001",
            "origin_id": [None],
            "payload_json": [
                json.dumps({"cost_code_id": 11, "line_item_type_id": 21, "original_budget_amount": 9})
            ],
            "route_json": [json.dumps({"project_id": 7})],
            "content_hash": "h",
            "procore_id": pd.array([None], dtype="Int64"),
            "action": CREATE,
            "previous_status": [None],
        }
    )
    hook = TakenHook()
    outcomes = load(hook, BUDGET, planned, source="erp", run_id="r")
    assert outcomes.loc[0, "status"] == "synced" and outcomes.loc[0, "procore_id"] == 4242
    assert "adopted Procore's budget_line 4242" in outcomes.loc[0, "error"]
    assert [call[2]["items"][0].get("id") for call in hook.calls] == [None, 4242]


class NoTokenHook(RecordingHook):
    def sync(self, path: str, items: list[dict[str, Any]], **kwargs: Any) -> list[Outcome]:
        from procore_provider.errors import ProcoreAuthError

        raise ProcoreAuthError("no access token for client c: invalid_client", status_code=401)

    def request(self, method: str, path: str, **kwargs: Any) -> Any:
        return self.sync(path, [])


def test_a_connection_that_cannot_authenticate_ends_the_load_instead_of_failing_each_record():
    import pytest
    from erp_sync.declarations import PAYMENTS, VENDORS
    from procore_provider.errors import ProcoreAuthError

    for point, action in ((VENDORS, CREATE), (PAYMENTS, CREATE)):
        route = {"project_id": 7, "contract_id": 5, "requisition_id": 3, "commitment_id": 5}
        rows = planned(route).assign(
            action=action, procore_id=pd.array([None], dtype="Int64"), payload_json='{"name": "A"}'
        )
        with pytest.raises(ProcoreAuthError):
            load(NoTokenHook(), point, rows, source="erp", run_id="r")


class HoldsHook(RecordingHook):
    """Procore already holds the record (a crashed run created it without recording it)."""

    def paginate(self, path: str, params: Any = None, **kwargs: Any) -> list[dict]:
        self.calls.append(("GET", path, {"params": params}))
        return [{"id": 8080, "origin_id": "erp:subcontractor_invoice:SC-1/1"}]


def test_a_create_without_a_confirmed_id_is_looked_up_first_even_on_a_fresh_run():
    from erp_sync.declarations import SUBCONTRACTOR_INVOICES

    rows = pd.DataFrame(
        {
            "erp_key": ["SC-1/1"],
            "scope_key": "J1",
            "origin_id": ["erp:subcontractor_invoice:SC-1/1"],
            "payload_json": [json.dumps({"invoice_number": "1"})],
            "route_json": [json.dumps({"project_id": 7, "commitment_id": 5})],
            "content_hash": "h",
            "procore_id": pd.array([None], dtype="Int64"),
            "action": CREATE,
            "previous_status": [None],  # the ledger never heard of it
        }
    )
    hook = HoldsHook()
    outcomes = load(hook, SUBCONTRACTOR_INVOICES, rows, source="erp", run_id="r", retrying=False)
    assert outcomes.loc[0, "status"] == "synced" and outcomes.loc[0, "procore_id"] == 8080
    assert [c[0] for c in hook.calls] == ["GET", "PATCH"], "found, so updated: never POSTed twice"
    assert hook.calls[0][2]["params"]["filters[origin_id]"] == "erp:subcontractor_invoice:SC-1/1"


class GoneHook(RecordingHook):
    """The prime contract was deleted in Procore by hand: its update answers 404; a create works."""

    def request(self, method: str, path: str, **kwargs: Any) -> Any:
        from procore_provider.errors import ProcoreAPIError

        self.calls.append((method, path, kwargs))
        if method == "PATCH":
            raise ProcoreAPIError("prime contract 77 not found", status_code=404, method=method, path=path)

        class Created:
            content = b"{}"

            @staticmethod
            def json() -> dict[str, Any]:
                return {"id": 99}

        return Created()


def test_a_record_deleted_in_procore_by_hand_is_created_again():
    from erp_sync.declarations import PRIME_CONTRACTS

    rows = pd.DataFrame(
        {
            "erp_key": ["PC-1"],
            "scope_key": "J1",
            "origin_id": ["erp:prime_contract:PC-1"],
            "payload_json": [json.dumps({"title": "Owner contract"})],
            "route_json": [json.dumps({"project_id": 7})],
            "content_hash": "h2",
            "procore_id": pd.array([77], dtype="Int64"),
            "action": UPDATE,
            "previous_status": ["synced"],
        }
    )
    hook = GoneHook()
    outcomes = load(hook, PRIME_CONTRACTS, rows, source="erp", run_id="r")
    assert outcomes.loc[0, "status"] == "synced" and outcomes.loc[0, "procore_id"] == 99
    assert "created again" in outcomes.loc[0, "error"] and "77" in outcomes.loc[0, "error"]
    assert [c[0] for c in hook.calls] == ["PATCH", "GET", "POST"], "looked up by origin_id, then created"
