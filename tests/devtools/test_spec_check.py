"""The spec checker: hand-written request-log lines judged against Procore's operation extracts."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from devtools import spec_check
from devtools.spec_check import Finding, Spec, check_lines

SPEC_DIR = Path(os.environ.get("PROCORE_SPEC_DIR") or spec_check.DEFAULT_SPEC)


@pytest.fixture(scope="module")
def spec() -> Spec:
    if not (SPEC_DIR / "INDEX.txt").is_file():
        message = f"Procore spec extracts not found at {SPEC_DIR} (set PROCORE_SPEC_DIR)"
        if os.environ.get("CI"):
            pytest.fail(f"{message}; CI must run these tests")
        pytest.skip(message)
    return Spec(SPEC_DIR)


def entry(
    method: str, path: str, body: Any = None, query: dict[str, Any] | None = None, status: int = 200
) -> str:
    return json.dumps({"method": method, "path": path, "query": query or {}, "body": body, "status": status})


def check(spec: Spec, *lines: str) -> list[Finding]:
    return check_lines(lines, spec)


def brief(findings: list[Finding]) -> list[tuple[str, int | None, str]]:
    return [(f.operation, f.item, f.field) for f in findings]


def test_conforming_requests_have_no_findings(spec: Spec) -> None:
    token = {"grant_type": "client_credentials", "client_id": "id", "client_secret": "[REDACTED]"}
    vendors = {
        "company_id": 1,
        "updates": [{"origin_id": "v:1", "name": "Acme", "trade_ids": [1], "is_active": True}],
    }
    line = {"wbs_code_id": "562949953421313", "amount": "10.50", "commitment_line_item_id": "5"}
    v2 = "/rest/v2.0/companies/1/projects/2/commitment_change_orders/3/line_items"
    assert (
        check(
            spec,
            entry("POST", "/oauth/token", token),
            entry("POST", "/oauth/token", {"grant_type": "client_credentials"}),  # HTTP Basic credentials
            entry("PATCH", "/rest/v1.0/vendors/sync", vendors),
            entry(
                "GET",
                "/rest/v1.0/vendors",
                None,
                {"company_id": "1", "filters[id][]": ["1", "2"], "page": "2"},
            ),
            entry("POST", v2, line, status=201),
            entry(
                "POST",
                "/rest/v1.0/budget_line_items/sync",
                {"project_id": 2, "budget_line_items": [{"x": 1}]},
            ),
            entry(
                "POST",
                "/rest/v1.0/projects",
                {"company_id": 1, "project": {"name": "P", "start_date": "2026-03-01"}},
            ),
        )
        == []
    ), "the budget sync's items are collapsed in the extract: anything is accepted there"


def test_unknown_field_in_a_sync_item_names_the_item(spec: Spec) -> None:
    body = {
        "company_id": 1,
        "updates": [{"origin_id": "p:1", "name": "A"}, {"origin_id": "p:2", "origin_code": "J-2"}],
    }
    (finding,) = check(spec, entry("PATCH", "/rest/v1.0/projects/sync", body))
    assert (finding.operation, finding.item, finding.field) == ("RestV10ProjectsSyncPatch", 1, "origin_code")
    assert "unknown field" in finding.problem and finding.status == 200
    assert str(finding).startswith("line 1 RestV10ProjectsSyncPatch item 1 origin_code: unknown field")


def test_v10_change_order_with_line_items(spec: Spec) -> None:
    body = {"change_order": {"contract_id": 5, "title": "CO", "line_items": [{"amount": "1.00"}]}}
    findings = check(spec, entry("POST", "/rest/v1.0/projects/2/commitment_change_orders", body, status=201))
    assert brief(findings) == [
        ("RestV10ProjectsProjectIdCommitmentChangeOrdersPost", None, "change_order.line_items")
    ]


def test_missing_required_bad_enum_types_and_formats(spec: Spec) -> None:
    findings = check(
        spec,
        entry("POST", "/rest/v1.0/vendors", {"company_id": 1, "vendor": {"zip": "1"}}),
        entry(
            "POST",
            "/rest/v1.0/work_order_contracts",
            {"project_id": 2, "work_order_contract": {"status": "Done"}},
        ),
        entry("PATCH", "/rest/v1.0/cost_codes/sync", {"updates": [{"position": "1"}]}, {"project_id": "2"}),
        entry(
            "POST",
            "/rest/v1.0/projects",
            {"company_id": 1, "project": {"name": "P", "start_date": "03/01/2026"}},
        ),
        entry(
            "POST",
            "/rest/v1.0/potential_change_orders",
            {"project_id": 2, "contract_id": 3, "change_order": {"due_date": "2026-03-01"}},
        ),
        entry("POST", "/rest/v1.0/prime_contracts/4/line_items", {"line_item": {"amount": 10}}),
    )
    fields = [(f.line, f.item, f.field) for f in findings]
    assert fields == [
        (1, None, "vendor.name"),
        (2, None, "work_order_contract.status"),
        (3, 0, "position"),
        (4, None, "project.start_date"),
        (5, None, "change_order.due_date"),
        (6, None, "query.project_id"),
        (6, None, "line_item.amount"),
        (6, None, "project_id"),
    ]
    problems = [f.problem for f in findings]
    assert problems[0] == "required field missing" and "'Done' is not one of Draft" in problems[1]
    assert "must be an integer" in problems[2] and "must be a date" in problems[3]
    assert "date-time" in problems[4] and "must be a string" in problems[6]


def test_query_path_and_unknown_operations(spec: Spec) -> None:
    findings = check(
        spec,
        entry("GET", "/rest/v1.0/line_item_types", None, {"company_id": "1", "colour": "red"}),
        entry("GET", "/rest/v1.0/vendors/abc", None, {"company_id": "1"}),
        entry("GET", "/rest/v1.0/budget_line_items", None, {"project_id": "2"}),
        entry("GET", "/rest/v1.0/work_order_contracts", None, {"project_id": "2", "filters[status]": "Done"}),
        "not json",
    )
    assert brief(findings) == [
        ("RestV10LineItemTypesGet", None, "query.colour"),
        ("RestV10LineItemTypesGet", None, "query.project_id"),
        ("RestV10VendorsIdGet", None, "path.id"),
        ("GET /rest/v1.0/budget_line_items", None, ""),
        ("RestV10WorkOrderContractsGet", None, "query.filters[status]"),
        ("-", None, ""),
    ]


def test_matching_prefers_literal_segments(tmp_path: Path) -> None:
    ops = tmp_path / "operations"
    ops.mkdir()
    (tmp_path / "INDEX.txt").write_text(
        "PATCH  /rest/v1.0/things/{id}  -> operations/ThingsIdPatch.json  (Update)\n"
        "PATCH  /rest/v1.0/things/sync  -> operations/ThingsSyncPatch.json  (Sync)\n"
    )
    body = {
        "type": "object",
        "required": ["updates"],
        "properties": {
            "updates": {"type": "array", "items": {"type": "object", "properties": {"n": {"type": "number"}}}}
        },
    }
    (ops / "ThingsSyncPatch.json").write_text(json.dumps({"requestBody": {"required": True, "schema": body}}))
    (ops / "ThingsIdPatch.json").write_text(
        json.dumps({"parameters": [{"name": "id", "in": "path", "schema": {"type": "integer"}}]})
    )
    spec = Spec(tmp_path)
    assert spec.match("PATCH", "/rest/v1.0/things/sync").id == "ThingsSyncPatch"
    assert spec.match("PATCH", "/rest/v1.0/things/7").id == "ThingsIdPatch"
    findings = check_lines(
        [
            entry("PATCH", "/rest/v1.0/things/sync", {"updates": [{"n": "1.50"}, {"n": "x"}, {"n": None}]}),
            entry("PATCH", "/rest/v1.0/things/sync", {}),
        ],
        spec,
    )
    assert [(f.item, f.field, f.problem) for f in findings] == [
        (1, "n", "must be a number, got str 'x'"),
        (None, "updates", "required field missing"),
    ], "decimal strings and null are accepted for numbers"


def test_command_line(spec: Spec, tmp_path: Path, capsys) -> None:
    log = tmp_path / "requests.jsonl"
    log.write_text(
        entry("PATCH", "/rest/v1.0/projects/sync", {"company_id": 1, "updates": [{"origin_code": "x"}]})
        + "\n"
    )
    assert spec_check.main([str(log), "--spec", str(SPEC_DIR)]) == 1
    out = capsys.readouterr().out
    assert "item 0 origin_code: unknown field" in out and "1 finding(s)" in out
    assert spec_check.main([str(log), "--spec", str(SPEC_DIR), "--summary-only"]) == 1
    assert "line 1" not in capsys.readouterr().out
    log.write_text(entry("GET", "/rest/v1.0/me") + "\n")
    assert spec_check.main([str(log), "--spec", str(SPEC_DIR)]) == 0
    assert spec_check.main([str(log), "--spec", str(tmp_path)]) == 2
