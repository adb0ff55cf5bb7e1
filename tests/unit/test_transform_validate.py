"""Mapping and validation: dirty rows are rejected with reasons naming record and field; origin ids and
lines come from the declarations."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from erp_sync.declarations import (
    CHANGE_ORDERS,
    COMMITMENT_CHANGE_ORDER_LINES,
    COMMITMENT_CHANGE_ORDER_STATUSES,
    COMMITMENT_CHANGE_ORDERS,
    COMMITMENT_LINES,
    POTENTIAL_CHANGE_ORDERS,
    PROJECTS,
    VENDORS,
)
from erp_sync.references import Resolved
from erp_sync.transform import transform


def vendor_rows(**overrides: list) -> pd.DataFrame:
    base = {
        "erp_key": ["V001", "V002", "V003"],
        "vendor_number": ["V001", "V002", "V003"],
        "name": ["Apex Concrete LLC", "Café Ñandú 東京建設 🏗️", "Blue Ridge Electric"],
        "trade_name": [None, "", "BRE"],
        "address": ["1 Main St", None, "9 Oak Ave "],
        "city": ["Austin", "Montréal", "Denver"],
        "state_code": ["TX", "qc", "CO"],
        "zip": ["78701", "H2X 1Y4", "80202"],
        "country_code": ["US", "CA", None],
        "business_phone": ["512-555-0100", None, None],
        "email_address": [None, None, "ap@bre.example"],
        "status": ["A", "A", "I"],
        "updated_at": ["2026-01-01 00:00:00"] * 3,
    }
    base.update(overrides)
    return pd.DataFrame(base)


def run(point, rows):
    return transform(point, rows, source="erp", default_country="US")


def test_clean_vendors_map_to_namespaced_payloads():
    result = run(VENDORS, vendor_rows())
    assert result.rejected.empty
    payloads = {
        k: json.loads(p)
        for k, p in zip(result.payloads["erp_key"], result.payloads["payload_json"], strict=True)
    }
    assert payloads["V001"]["origin_id"] == "erp:vendor:V001"
    assert payloads["V001"]["origin_code"] == "V001"
    assert payloads["V002"]["name"] == "Café Ñandú 東京建設 🏗️"
    assert payloads["V002"]["state_code"] == "QC" and payloads["V002"]["country_code"] == "CA"
    assert "trade_name" not in payloads["V002"], "blank ERP values are not sent"
    assert payloads["V003"]["country_code"] == "US", "default country applies"
    assert payloads["V003"]["is_active"] is False
    assert payloads["V003"]["address"] == "9 Oak Ave"


@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [
        ("name", None, "vendors vendor_no=V002: field 'name'"),
        ("name", "   ", "vendors vendor_no=V002: field 'name'"),
        ("name", "X" * 256, "at most 255 characters"),
        ("name", "Bell\x07 Co", "control character U+0007"),
        (
            "state_code",
            "ZZ",
            "vendors vendor_no=V002: field 'state_code': 'ZZ' is not an ISO-3166-2 subdivision of CA",
        ),
        ("country_code", "XX", "field 'country_code'"),
    ],
)
def test_dirty_vendor_is_rejected_with_reason(column, value, expected):
    rows = vendor_rows()
    rows.loc[1, column] = value
    result = run(VENDORS, rows)
    assert list(result.payloads["erp_key"]) == ["V001", "V003"]
    assert list(result.rejected["erp_key"]) == ["V002"]
    assert expected in result.rejected["reason"].iloc[0]


def test_duplicate_keys_are_all_rejected_and_counted():
    rows = vendor_rows(erp_key=["V001", "V001", "V003"])
    result = run(VENDORS, rows)
    assert list(result.payloads["erp_key"]) == ["V003"]
    assert list(result.rejected["erp_key"]) == ["V001", "V001"]
    assert all("duplicate ERP key, 2 rows share it" in r for r in result.rejected["reason"])


def test_projects_dates_and_numbers():
    rows = pd.DataFrame(
        {
            "erp_key": ["J100", "J200"],
            "job_number": ["J100", "J200"],
            "name": ["Riverside Medical Center", "Harbor Bridge"],
            "description": [None, "Retrofit"],
            "address": [None, None],
            "city": [None, None],
            "state_code": ["CA", None],
            "zip": [None, None],
            "country_code": ["US", "US"],
            "start_date": ["2025-03-01", "2025-06-01 00:00:00"],
            "completion_date": ["2026-12-31", "2025-01-01"],
            "total_value": [1250000.5, 10.0],
            "status": ["open", "closed"],
            "updated_at": ["2026-01-01"] * 2,
        }
    )
    result = run(PROJECTS, rows)
    payload = json.loads(result.payloads["payload_json"].iloc[0])
    assert payload["project_number"] == "J100" == payload["origin_code"]
    assert payload["start_date"] == "2025-03-01" and payload["total_value"] == 1250000.5
    assert payload["active"] is True
    assert list(result.rejected["erp_key"]) == ["J200"]
    assert "field 'completion_date': before start_date" in result.rejected["reason"].iloc[0]


def test_unparseable_date_and_amount_are_rejected_not_dropped():
    rows = pd.DataFrame(
        {
            "erp_key": ["J1", "J2"],
            "job_number": ["J1", "J2"],
            "name": ["A", "B"],
            "description": [None, None],
            "address": [None, None],
            "city": [None, None],
            "state_code": [None, None],
            "zip": [None, None],
            "country_code": ["US", "US"],
            "start_date": ["2025-02-30", None],
            "completion_date": [None, None],
            "total_value": [None, "12,5k"],
            "status": ["open", "open"],
            "updated_at": ["2026-01-01"] * 2,
        }
    )
    result = run(PROJECTS, rows)
    reasons = dict(zip(result.rejected["erp_key"], result.rejected["reason"], strict=True))
    assert "field 'start_date'" in reasons["J1"]
    assert "field 'total_value'" in reasons["J2"]


def resolved_all(rows: pd.DataFrame, point, procore_id: int = 7) -> Resolved:
    """Every reference of the point resolved (as if its targets were synced)."""
    ids = pd.DataFrame({r.field: pd.array([procore_id] * len(rows), dtype="Int64") for r in point.references})
    return Resolved(ids=ids.set_axis(rows.index), blocked=pd.Series(pd.NA, index=rows.index, dtype="string"))


def test_origin_id_and_ledger_key_agree_when_an_integer_key_column_holds_null():
    rows = pd.DataFrame(
        {
            "contract_number": ["SC-1", "SC-1", "SC-1"],
            "line_number": [1, None, 3],  # read as float because of the NULL
            "job_number": ["J1"] * 3,
            "kind": ["SC"] * 3,
            "cost_code": ["01-100"] * 3,
            "cost_type": ["L"] * 3,
            "description": ["a", "b", "c"],
            "quantity": [1, 1, 1],
            "unit_cost": [10, 10, 10],
            "amount": [10, 10, 10],
            "updated_at": ["2026-01-01"] * 3,
        }
    )
    assert rows["line_number"].dtype.kind == "f"
    result = transform(
        COMMITMENT_LINES,
        rows,
        source="erp",
        default_country="US",
        resolved=resolved_all(rows, COMMITMENT_LINES),
    )
    assert list(result.payloads["erp_key"]) == ["SC-1#1", "SC-1#3"]
    assert list(result.payloads["origin_id"]) == ["erp:commitment_line:SC-1#1", "erp:commitment_line:SC-1#3"]
    assert [json.loads(p)["origin_id"] for p in result.payloads["payload_json"]] == list(
        result.payloads["origin_id"]
    )
    assert "field 'line_number': blank" in result.rejected["reason"].iloc[0]


def change_order_line_rows() -> pd.DataFrame:
    """Two change orders: SC-1/CO-1 with two lines, SC-2/CO-1 with one."""
    return pd.DataFrame(
        {
            "contract_number": ["SC-1", "SC-1", "SC-2"],
            "co_number": ["CO-1", "CO-1", "CO-1"],
            "job_number": ["J1"] * 3,
            "status": ["Approved", "Approved", "draft"],
            "line_number": [1, 2, 1],
            "item_number": [1, None, 2],
            "cost_code": ["01-100"] * 3,
            "cost_type": ["L"] * 3,
            "amount": [100, 50.5, 10],
            "description": ["first", "second", None],
            "updated_at": ["2026-01-06"] * 3,
        }
    )


def test_lines_of_a_record_gate_its_status():
    rows = change_order_line_rows()
    resolved = resolved_all(rows, COMMITMENT_CHANGE_ORDER_STATUSES)
    result = transform(
        COMMITMENT_CHANGE_ORDER_STATUSES, rows, source="erp", default_country="US", resolved=resolved
    )
    assert list(result.payloads["erp_key"]) == ["SC-1/CO-1", "SC-2/CO-1"]
    # The lines only gate the status: never sent, and no money in it.
    assert json.loads(result.payloads["payload_json"].iloc[0]) == {"status": "approved"}
    assert json.loads(result.payloads["route_json"].iloc[0]) == {
        "commitment_change_order_id": 7,
        "project_id": 7,
    }
    # One line not in Procore blocks its change order's status, naming the line.
    resolved.blocked.iloc[1] = "commitment_change_order_statuses: blocked: references line SC-1/CO-1#2"
    result = transform(
        COMMITMENT_CHANGE_ORDER_STATUSES, rows, source="erp", default_country="US", resolved=resolved
    )
    assert list(result.payloads["erp_key"]) == ["SC-2/CO-1"]
    assert list(result.blocked["erp_key"]) == ["SC-1/CO-1"]
    assert "SC-1/CO-1#2" in result.blocked["reason"].iloc[0]


def test_change_order_money_travels_on_the_lines_only():
    rows = change_order_line_rows()
    resolved = resolved_all(rows, COMMITMENT_CHANGE_ORDER_LINES)
    resolved.ids["commitment_line_item_id"] = pd.array([31, pd.NA, 32], dtype="Int64")
    result = transform(
        COMMITMENT_CHANGE_ORDER_LINES, rows, source="erp", default_country="US", resolved=resolved
    )
    assert list(result.payloads["erp_key"]) == ["SC-1/CO-1#1", "SC-1/CO-1#2", "SC-2/CO-1#1"]
    sent = [json.loads(p) for p in result.payloads["payload_json"]]
    # v2.0 ids are strings; the WBS code is picked from the route's cost code and cost type at load time.
    assert sent[0] == {"amount": "100", "commitment_line_item_id": "31", "description": "first"}
    assert sent[1] == {"amount": "50.5", "description": "second"}
    assert json.loads(result.payloads["route_json"].iloc[0]) == {
        "commitment_change_order_id": 7,
        "cost_code_id": 7,
        "line_item_type_id": 7,
        "project_id": 7,
    }
    for header in (COMMITMENT_CHANGE_ORDERS, CHANGE_ORDERS, POTENTIAL_CHANGE_ORDERS):
        assert not {"amount", "grand_total"} & set(header.payload_model.model_fields), header.name
        assert "amount" not in header.canonical_columns, header.name
