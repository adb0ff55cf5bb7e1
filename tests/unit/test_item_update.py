"""The invoice lines' load: one listing and one bulk update per requisition, one outcome per line."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
import pytest
from erp_sync.declarations import SUBCONTRACTOR_INVOICE_LINES
from erp_sync.item_update import load_items
from erp_sync.load import load
from erp_sync.plan import CREATE
from procore_provider.errors import ProcoreAPIError

from .conftest import RecordingHook

BULK = "/rest/v1.0/requisitions/{}/bulk_item_update"


class ItemsHook(RecordingHook):
    """Lists each requisition's items (one per SOV line id given) and refuses updates as told."""

    def __init__(self, items: dict[int, list[int]], refuse: Any = None) -> None:
        super().__init__()
        self.items, self.refuse = items, list(refuse or [])

    def paginate(self, path: str, params: Any = None, **kwargs: Any) -> list[dict]:
        self.calls.append(("GET", path, {"params": params}))
        return [
            {
                "id": requisition,
                "items": [
                    {"id": requisition * 100 + line, "item_type": "contract_item", "line_item_id": line}
                    for line in self.items[requisition]
                ],
            }
            for requisition in params["filters[id][]"]
            if requisition in self.items
        ]

    def request(self, method: str, path: str, **kwargs: Any) -> Any:
        if self.refuse:
            self.calls.append((method, path, kwargs))
            raise self.refuse.pop(0)
        return super().request(method, path, **kwargs)


def lines(*specs: tuple[str, int, int, str]) -> pd.DataFrame:
    """Planned lines: (ERP key, requisition id, SOV line id, work completed)."""
    return pd.DataFrame(
        {
            "erp_key": [s[0] for s in specs],
            "scope_key": "J1",
            "origin_id": None,
            "payload_json": [
                json.dumps(
                    {
                        "work_completed_this_period": s[3],
                        "materials_presently_stored": "0",
                        "work_completed_retainage_retained_this_period": "1.5",
                    }
                )
                for s in specs
            ],
            "route_json": [
                json.dumps({"project_id": 7, "requisition_id": s[1], "line_item_id": s[2]}) for s in specs
            ],
            "content_hash": "h",
            "procore_id": pd.array([None] * len(specs), dtype="Int64"),
            "action": CREATE,
            "previous_status": None,
        }
    )


def test_lines_of_a_requisition_go_in_one_bulk_update_matched_by_sov_line():
    hook = ItemsHook({5: [31, 32], 6: [41]})
    planned = lines(("SC-1/1#1", 5, 31, "100"), ("SC-1/1#2", 5, 32, "20.5"), ("SC-2/1#1", 6, 41, "7"))
    outcomes = load_items(hook, SUBCONTRACTOR_INVOICE_LINES, planned, source="erp", run_id="r")
    assert [(m, p) for m, p, _ in hook.calls] == [
        ("GET", "/rest/v1.1/requisitions"),
        ("PATCH", BULK.format(5)),
        ("PATCH", BULK.format(6)),
    ]
    assert hook.calls[0][2]["params"] == {"project_id": 7, "view": "items", "filters[id][]": [5, 6]}
    body = hook.calls[1][2]
    assert body["params"] == {"project_id": 7}
    assert body["json"]["requisition_items"] == [
        {
            "id": 531,
            "item_type": "contract_item",
            "work_completed_this_period": "100",
            "materials_presently_stored": "0",
            "work_completed_retainage_retained_this_period": "1.5",
        },
        {
            "id": 532,
            "item_type": "contract_item",
            "work_completed_this_period": "20.5",
            "materials_presently_stored": "0",
            "work_completed_retainage_retained_this_period": "1.5",
        },
    ]
    assert outcomes.set_index("erp_key")["procore_id"].to_dict() == {
        "SC-1/1#1": 531,
        "SC-1/1#2": 532,
        "SC-2/1#1": 641,
    }
    assert (outcomes["status"] == "synced").all()


def test_a_line_whose_sov_item_is_not_on_the_requisition_fails_by_name():
    hook = ItemsHook({5: [31]})
    outcomes = load_items(
        hook,
        SUBCONTRACTOR_INVOICE_LINES,
        lines(("SC-1/1#1", 5, 31, "100"), ("SC-1/1#9", 5, 99, "3")),
        source="erp",
        run_id="r",
    ).set_index("erp_key")
    assert outcomes.loc["SC-1/1#1", "status"] == "synced"
    missing = outcomes.loc["SC-1/1#9"]
    assert missing["status"] == "failed" and not missing["transport_error"]
    assert missing["error"].startswith("subcontractor_invoice_lines contract_no/app_no#item_no=SC-1/1#9: ")
    assert "field 'item_number'" in missing["error"] and "not an item of requisition 5" in missing["error"]
    assert len(hook.calls[1][2]["json"]["requisition_items"]) == 1, "only the matched line is sent"


def test_an_item_procore_refuses_is_reported_and_the_others_are_sent_again():
    refusal = ProcoreAPIError(
        "invalid",
        status_code=422,
        errors={"requisition_items[1].work_completed_this_period": ["is not a number"]},
    )
    hook = ItemsHook({5: [31, 32, 33]}, refuse=[refusal])
    planned = lines(("A#1", 5, 31, "1"), ("A#2", 5, 32, "x"), ("A#3", 5, 33, "3"))
    outcomes = load_items(hook, SUBCONTRACTOR_INVOICE_LINES, planned, source="erp", run_id="r")
    by_key = outcomes.set_index("erp_key")
    assert by_key.loc["A#2", "status"] == "failed"
    assert "field 'work_completed_this_period': is not a number" in by_key.loc["A#2", "error"]
    assert by_key.loc[["A#1", "A#3"], "status"].eq("synced").all()
    resent = hook.calls[-1][2]["json"]["requisition_items"]
    assert [i["id"] for i in resent] == [531, 533]


def test_an_approved_invoice_locks_its_lines_and_a_lost_connection_fails_them_for_a_retry():
    locked = ProcoreAPIError(
        "locked",
        status_code=422,
        errors={
            "requisition_items[0].base": [
                "requisition 5 is approved and locked: its items cannot be modified"
            ]
        },
    )
    outcomes = load_items(
        ItemsHook({5: [31]}, refuse=[locked]),
        SUBCONTRACTOR_INVOICE_LINES,
        lines(("A#1", 5, 31, "1")),
        source="e",
        run_id="r",
    )
    assert (
        outcomes.loc[0, "status"] == "locked"
        and "the invoice is approved in Procore" in outcomes.loc[0, "error"]
    )
    dropped = ProcoreAPIError("connection reset", status_code=None)
    outcomes = load_items(
        ItemsHook({5: [31]}, refuse=[dropped]),
        SUBCONTRACTOR_INVOICE_LINES,
        lines(("A#1", 5, 31, "1")),
        source="e",
        run_id="r",
    )
    assert outcomes.loc[0, "status"] == "failed" and bool(outcomes.loc[0, "transport_error"])


def test_the_generic_load_refuses_an_item_update_point():
    with pytest.raises(TypeError, match="item_update"):
        load(ItemsHook({}), SUBCONTRACTOR_INVOICE_LINES, lines(("A#1", 5, 31, "1")), source="e", run_id="r")


def test_a_requisition_missing_in_procore_fails_its_lines_by_name():
    outcomes = load_items(
        ItemsHook({}), SUBCONTRACTOR_INVOICE_LINES, lines(("A#1", 5, 31, "1")), source="e", run_id="r"
    )
    assert outcomes.loc[0, "status"] == "failed"
    assert "requisition 5 is not in Procore" in outcomes.loc[0, "error"]


class ListedStatusHook(ItemsHook):
    """Lists the requisition with ``status``; refuses the update in words of its own."""

    def __init__(self, status: str) -> None:
        refusal = ProcoreAPIError("HTTP 422", status_code=422, errors={"base": ["Unprocessable entity"]})
        super().__init__({5: [31]}, refuse=[refusal])
        self.status = status

    def paginate(self, path: str, params: Any = None, **kwargs: Any) -> list[dict]:
        return [{**parent, "status": self.status} for parent in super().paginate(path, params, **kwargs)]


@pytest.mark.parametrize(("status", "expected"), [("approved", "locked"), ("draft", "failed")])
def test_a_refusal_in_unknown_words_is_a_lock_only_on_an_invoice_listed_approved(status, expected):
    hook = ListedStatusHook(status)
    outcomes = load_items(
        hook, SUBCONTRACTOR_INVOICE_LINES, lines(("A#1", 5, 31, "1")), source="e", run_id="r"
    )
    assert outcomes.loc[0, "status"] == expected
    assert [c[0] for c in hook.calls] == ["GET", "PATCH"]  # the listing's status: no extra call
