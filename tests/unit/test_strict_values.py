"""Values a different ERP may hold are rejected by name, never turned into something else: an integer in
a date column, a malformed e-mail, a status or flag code outside the allowed set."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from erp_sync.declarations import COMMITMENTS, CUSTOMERS, PROJECTS, VENDORS
from erp_sync.mappings import iso_date
from erp_sync.references import Resolved
from erp_sync.transform import transform


def party_rows(number_column: str = "vendor_number", **overrides: list) -> pd.DataFrame:
    base = {
        "erp_key": ["P1", "P2"],
        number_column: ["P1", "P2"],
        "name": ["Apex Concrete LLC", "Blue Ridge Electric"],
        "address": [None, None],
        "city": [None, None],
        "state_code": [None, None],
        "zip": [None, None],
        "country_code": ["US", "US"],
        "business_phone": [None, None],
        "email_address": ["ap@apex.example", None],
        "status": ["A", "i"],
        "updated_at": ["2026-01-01 00:00:00"] * 2,
    }
    if number_column == "vendor_number":
        base["trade_name"] = [None, None]
    base.update(overrides)
    return pd.DataFrame(base)


def job_rows(**overrides: list) -> pd.DataFrame:
    base = {
        "erp_key": ["J1", "J2"],
        "job_number": ["J1", "J2"],
        "name": ["A", "B"],
        "description": [None, None],
        "address": [None, None],
        "city": [None, None],
        "state_code": [None, None],
        "zip": [None, None],
        "country_code": ["US", "US"],
        "start_date": ["2025-01-01", None],
        "completion_date": [None, None],
        "total_value": [None, None],
        "status": ["open", "closed"],
        "updated_at": ["2026-01-01"] * 2,
    }
    base.update(overrides)
    return pd.DataFrame(base)


def run(point, rows, resolved=None):
    return transform(point, rows, source="erp", default_country="US", resolved=resolved)


def reasons(result) -> dict[str, str]:
    return dict(zip(result.rejected["erp_key"], result.rejected["reason"], strict=True))


def payloads(result) -> dict[str, dict]:
    return {
        k: json.loads(p)
        for k, p in zip(result.payloads["erp_key"], result.payloads["payload_json"], strict=True)
    }


# --- dates ----------------------------------------------------------------------------------------
def test_an_integer_in_a_date_column_is_rejected_not_1970():
    result = run(PROJECTS, job_rows(start_date=[5, "2025-02-01"]))
    assert "J1" in reasons(result)
    assert "field 'start_date': '5' is not a date" in reasons(result)["J1"]
    assert payloads(result)["J2"]["start_date"] == "2025-02-01"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-03-01", "2025-03-01"),
        ("2025-03-01 00:00:00", "2025-03-01"),
        ("2025-03-01T10:30:00Z", "2025-03-01"),
        (pd.Timestamp("2025-03-01 12:00"), "2025-03-01"),
        (pd.Timestamp("2025-03-01").date(), "2025-03-01"),
        (None, None),
        ("  ", None),
    ],
)
def test_only_real_dates_and_iso_date_strings_are_dates(value, expected):
    assert iso_date(pd.Series([value], dtype=object)).iloc[0] == expected


@pytest.mark.parametrize("value", [5, 20250301, 1.5, "03/01/2025", "2025-02-30", "2025-03-01 garbage"])
def test_anything_else_is_not_a_date(value):
    result = run(PROJECTS, job_rows(start_date=[value, None]))
    assert "field 'start_date'" in reasons(result)["J1"] and "is not a date" in reasons(result)["J1"]


# --- e-mails --------------------------------------------------------------------------------------
@pytest.mark.parametrize("email", ["not-an-email", "ap@", "a b@c.example", "ap@apex"])
def test_a_malformed_email_is_rejected_before_sending(email):
    result = run(VENDORS, party_rows(email_address=[email, None]))
    assert list(result.payloads["erp_key"]) == ["P2"]
    assert "vendors vendor_no=P1: field 'email_address':" in reasons(result)["P1"]
    assert "is not an e-mail address" in reasons(result)["P1"]


def test_a_valid_email_is_sent_as_the_erp_spells_it():
    result = run(VENDORS, party_rows(email_address=["AP@Apex.Example", None]))
    assert payloads(result)["P1"]["email_address"] == "AP@Apex.Example"


# --- status codes and flags -----------------------------------------------------------------------
def test_vendor_status_codes_map_and_an_unknown_code_is_rejected_naming_the_allowed_ones():
    ok = payloads(run(VENDORS, party_rows()))
    assert ok["P1"]["is_active"] is True and ok["P2"]["is_active"] is False
    result = run(VENDORS, party_rows(status=["X", None]))
    assert reasons(result)["P1"] == (
        "vendors vendor_no=P1: field 'is_active': ERP status 'X' is not one of A, ACTIVE, I, INACTIVE"
    )
    assert "ERP status missing is not one of A, ACTIVE, I, INACTIVE" in reasons(result)["P2"]


def test_project_status_outside_open_closed_is_rejected():
    result = run(PROJECTS, job_rows(status=["on hold", "CLOSED"]))
    assert (
        "field 'active': ERP status 'ON HOLD' is not one of OPEN, ACTIVE, CLOSED, INACTIVE"
        in (reasons(result)["J1"])
    )
    assert payloads(result)["J2"]["active"] is False


def commitment_rows(voided: list) -> pd.DataFrame:
    n = len(voided)
    return pd.DataFrame(
        {
            "contract_number": [f"PO-{i}" for i in range(n)],
            "job_number": ["J1"] * n,
            "vendor_id": [1] * n,
            "vendor_number": ["V1"] * n,
            "kind": ["PO"] * n,
            "title": ["t"] * n,
            "description": [None] * n,
            "status": ["Draft"] * n,
            "executed_date": [None] * n,
            "retainage_percent": [None] * n,
            "voided": voided,
            "updated_at": ["2026-01-01"] * n,
        }
    )


def resolved_all(rows: pd.DataFrame, point) -> Resolved:
    ids = pd.DataFrame({r.field: pd.array([7] * len(rows), dtype="Int64") for r in point.references})
    return Resolved(ids=ids.set_axis(rows.index), blocked=pd.Series(pd.NA, index=rows.index, dtype="string"))


def test_voided_flag_codes_map_and_an_unknown_one_is_rejected():
    rows = commitment_rows([True, 0, "Y", None, "2", "voided"])
    result = run(COMMITMENTS, rows, resolved_all(rows, COMMITMENTS))
    routes = {
        k: json.loads(r)
        for k, r in zip(result.payloads["erp_key"], result.payloads["route_json"], strict=True)
    }
    assert [routes[k]["void"] for k in ("PO-0", "PO-1", "PO-2", "PO-3")] == [True, False, True, False]
    assert set(reasons(result)) == {"PO-4", "PO-5"}
    assert reasons(result)["PO-4"] == (
        "commitments contract_no=PO-4: field 'void': ERP voided '2' is not one of "
        "1, TRUE, T, Y, YES, 0, FALSE, F, N, NO"
    )


# --- customers ------------------------------------------------------------------------------------
def test_customers_are_directory_companies_under_their_own_origin_id_kind():
    result = run(
        CUSTOMERS, party_rows("customer_number", erp_key=["10005", "C2"], customer_number=["10005", "C2"])
    )
    vendor = run(VENDORS, party_rows(erp_key=["10005", "V2"], vendor_number=["10005", "V2"]))
    customer_payload, vendor_payload = payloads(result)["10005"], payloads(vendor)["10005"]
    assert customer_payload["origin_id"] == "erp:customer:10005" != vendor_payload["origin_id"]
    assert customer_payload["origin_code"] == "10005"
    assert CUSTOMERS.procore_endpoints == VENDORS.procore_endpoints == ("PATCH /rest/v1.0/vendors/sync",)
