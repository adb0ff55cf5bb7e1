"""The transform log counts rejected and blocked records by reason, with a few examples each."""

from __future__ import annotations

from erp_sync.report import reason_kind, reasons_by_kind

REASONS = [
    "vendors vendor_no=1: field 'name': String should have at most 255 characters",
    "vendors vendor_no=2: field 'name': String should have at most 255 characters",
    "vendors vendor_no=3: field 'state_code': 'TX.' is not an ISO-3166-2 subdivision of US",
    "vendors vendor_no=4: field 'state_code': 'Tex' is not an ISO-3166-2 subdivision of US",
    "vendors vendor_no=5: field 'name': String should have at most 255 characters",
    "vendors vendor_no=6: field 'name': String should have at most 255 characters",
]


def test_a_kind_is_the_field_and_rule_without_the_record_or_its_value():
    assert reason_kind(REASONS[0]) == "field 'name': String should have at most 255 characters"
    assert (
        reason_kind(REASONS[2])
        == reason_kind(REASONS[3])
        == ("field 'state_code': … is not an ISO-3166-2 subdivision of US")
    )


def test_a_blocked_kind_names_the_reference_and_its_state():
    blocked = (
        "payments check_no=7: blocked: references subcontractor_invoices contract_no/app_no=SC-1/2 "
        "which is rejected (subcontractor_invoices contract_no/app_no=SC-1/2: field 'amount': …)"
    )
    dangling = (
        "direct_costs job/invoice=24-0001/A1: blocked: references vendors with ERP id 900000001 "
        "(vendor_id), which does not exist in the ERP"
    )
    assert reason_kind(blocked) == "references subcontractor_invoices (rejected)"
    assert reason_kind(dangling) == "references vendors by vendor_id (not in the ERP)"


def test_counts_most_frequent_first_with_three_examples():
    lines = reasons_by_kind(REASONS).splitlines()
    assert lines == [
        "     4 × field 'name': String should have at most 255 characters "
        "(e.g. vendors vendor_no=1, vendors vendor_no=2, vendors vendor_no=5, …)",
        "     2 × field 'state_code': … is not an ISO-3166-2 subdivision of US "
        "(e.g. vendors vendor_no=3, vendors vendor_no=4)",
    ]
