"""Commitment change order lines go out on Procore's v2.0 line items, each with its WBS code, once.

Also: a point of the other change order tier is skipped by setting, and says so in the summary.
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
import pytest
from erp_sync.declarations import CHANGE_ORDERS, COMMITMENT_CHANGE_ORDER_LINES
from erp_sync.declarations.change_orders import POINTS as CHANGE_ORDER_POINTS
from erp_sync.line_items import load_line_items
from erp_sync.plan import CREATE, UPDATE
from erp_sync.references import Resolved
from erp_sync.report import format_summary, not_applicable_row
from erp_sync.settings import SyncSettings
from erp_sync.transform import transform
from procore_provider.errors import ProcoreAPIError

ROUTE = {"project_id": 7, "commitment_change_order_id": 55, "cost_code_id": 11, "line_item_type_id": 21}
LINES = "/rest/v2.0/companies/4321/projects/7/commitment_change_orders/55/line_items"
WBS = "/rest/v1.0/projects/7/work_breakdown_structure/wbs_codes"


class V2Hook:
    """Procore's v2.0 shapes: ``{"data": ...}`` answers with string ids; WBS codes by segment items."""

    company_id = 4321

    def __init__(self, *, drop_posts: bool = False) -> None:
        self.calls: list[tuple[str, str, Any]] = []
        self.lines: list[dict[str, Any]] = []
        self.drop_posts = drop_posts

    def paginate(self, path: str, params: Any = None) -> list[dict[str, Any]]:
        self.calls.append(("GET", path, params))
        return [{"id": 301, "segment_items": [{"id": 11}, {"id": 21}]}] if path == WBS else []

    def request(self, method: str, path: str, *, params: Any = None, json: Any = None, **_: Any) -> Any:
        self.calls.append((method, path, json))
        if method == "POST":
            line = {**json, "id": str(900 + len(self.lines)), "amount": f"{float(json['amount']):.2f}"}
            self.lines.append(line)
            if self.drop_posts:
                raise ConnectionError("connection dropped after the write")
            return _Answer({"data": line})
        if method == "GET":
            return _Answer({"data": self.lines})
        return _Answer({"data": {**json, "id": path.rsplit("/", 1)[1]}})


class _Answer:
    def __init__(self, body: Any) -> None:
        self.body, self.content = body, b"x"

    def json(self) -> Any:
        return self.body


def planned(action: str, procore_id: int | None = None, route: dict | None = None) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "erp_key": ["SC-1/001#1"],
            "scope_key": "J1",
            "origin_id": [None],
            "payload_json": [
                json.dumps({"amount": "1250.5", "commitment_line_item_id": "31", "description": "x"})
            ],
            "route_json": [json.dumps(route or ROUTE)],
            "content_hash": "h",
            "procore_id": pd.array([procore_id], dtype="Int64"),
            "action": action,
            "previous_status": [None if procore_id is None else "synced"],
        }
    )


def test_line_is_created_on_v2_with_the_wbs_code_of_its_cost_code_and_type():
    hook = V2Hook()
    outcomes = load_line_items(hook, COMMITMENT_CHANGE_ORDER_LINES, planned(CREATE), source="erp", run_id="r")
    assert outcomes.iloc[0]["status"] == "synced" and outcomes.iloc[0]["procore_id"] == 900
    (method, path, body) = hook.calls[-1]
    assert (method, path) == ("POST", LINES)
    # The v2.0 body is the line itself: ids as strings, the money once, no v1.0 wrapper.
    assert body == {
        "amount": "1250.5",
        "commitment_line_item_id": "31",
        "description": "x",
        "wbs_code_id": "301",
    }
    hook.calls.clear()
    load_line_items(hook, COMMITMENT_CHANGE_ORDER_LINES, planned(UPDATE, 900), source="erp", run_id="r")
    assert [(m, p) for m, p, _ in hook.calls] == [("GET", WBS), ("PATCH", f"{LINES}/900")]


def test_line_without_a_wbs_code_fails_naming_the_field():
    route = {**ROUTE, "line_item_type_id": 22}
    outcomes = load_line_items(
        V2Hook(), COMMITMENT_CHANGE_ORDER_LINES, planned(CREATE, route=route), source="erp", run_id="r"
    )
    assert outcomes.iloc[0]["status"] == "failed"
    assert "field 'wbs_code_id'" in outcomes.iloc[0]["error"] and "SC-1/001#1" in outcomes.iloc[0]["error"]


def test_a_create_whose_answer_was_dropped_is_found_not_duplicated():
    hook = V2Hook(drop_posts=True)
    outcomes = load_line_items(hook, COMMITMENT_CHANGE_ORDER_LINES, planned(CREATE), source="erp", run_id="r")
    assert outcomes.iloc[0]["status"] == "synced" and outcomes.iloc[0]["procore_id"] == 900
    assert "found among the change order's lines" in outcomes.iloc[0]["error"]
    assert len(hook.lines) == 1


def test_the_other_tiers_points_are_skipped_by_setting_and_say_so():
    one_tier, two_tier = (
        SyncSettings(commitment_change_order_tiers=1),
        SyncSettings(commitment_change_order_tiers=2),
    )
    assert CHANGE_ORDERS.applies_when is not None and COMMITMENT_CHANGE_ORDER_LINES.applies_when is not None
    assert CHANGE_ORDERS.applies_when.skip_reason(two_tier) is None
    reason = CHANGE_ORDERS.applies_when.skip_reason(one_tier)
    assert reason == "skipped by setting PROCORE_SYNC_COMMITMENT_CHANGE_ORDER_TIERS=1 (applies to 2)"
    assert COMMITMENT_CHANGE_ORDER_LINES.applies_when.skip_reason(one_tier) is None
    table = format_summary([not_applicable_row(CHANGE_ORDERS, reason)])
    assert table.splitlines()[-1] == f"change_orders: {reason}"


def test_every_change_order_point_maps_a_clean_row_to_a_valid_payload():
    row = {
        "contract_number": "SC-1",
        "co_number": "001",
        "job_number": "J1",
        "title": "Extra",
        "description": "More work",
        "co_date": "2026-01-05",
        "status": "Approved",
        "line_number": 1,
        "item_number": 2,
        "cost_code": "01-100",
        "cost_type": "L",
        "amount": "-12.5",
        "updated_at": "2026-01-06",
    }
    for point in CHANGE_ORDER_POINTS:
        rows = pd.DataFrame([{c: row[c] for c in point.canonical_columns}])
        ids = pd.DataFrame({r.field: pd.array([7], dtype="Int64") for r in point.references})
        resolved = Resolved(ids=ids, blocked=pd.Series(pd.NA, index=rows.index, dtype="string"))
        result = transform(point, rows, source="erp", default_country="US", resolved=resolved)
        assert result.rejected.empty, (point.name, result.rejected["reason"].tolist())
        sent = json.loads(result.payloads["payload_json"].iloc[0])
        # Only the line points carry money; nothing else sends an amount or a total.
        assert ("amount" in sent) == point.name.endswith("_lines"), (point.name, sent)
        assert "grand_total" not in sent and "lines" not in sent and "line_items" not in sent, point.name


class RefusingHook(V2Hook):
    """Refuses every line write in words of its own; shows the change order with ``order_status``."""

    def __init__(self, order_status: str) -> None:
        super().__init__()
        self.order_status = order_status

    def request(self, method: str, path: str, *, params: Any = None, json: Any = None, **_: Any) -> Any:
        self.calls.append((method, path, json))
        if method == "GET" and path.endswith("/commitment_change_orders/55"):
            return _Answer({"id": 55, "status": self.order_status})
        raise ProcoreAPIError(
            "HTTP 422", status_code=422, errors={"base": ["Unprocessable: try again later"]}
        )


@pytest.mark.parametrize(("order_status", "expected"), [("approved", "locked"), ("draft", "failed")])
def test_a_refusal_in_unknown_words_is_a_lock_only_when_one_get_shows_the_change_order_approved(
    order_status, expected
):
    hook = RefusingHook(order_status)
    outcomes = load_line_items(
        hook, COMMITMENT_CHANGE_ORDER_LINES, planned(UPDATE, 901), source="e", run_id="r"
    )
    assert outcomes.iloc[0]["status"] == expected
    shows = [c for c in hook.calls if c[0] == "GET" and c[1].endswith("/commitment_change_orders/55")]
    assert shows == [("GET", "/rest/v1.0/projects/7/commitment_change_orders/55", None)]
