"""What the declarations derive: dependencies, Procore endpoints, the SQL file, and the checks on them."""

from __future__ import annotations

import dataclasses
import typing

import pytest
from erp_sync.declarations import (
    COMMITMENT_CHANGE_ORDER_STATUSES,
    COMMITMENT_CHANGE_ORDERS,
    COMMITMENT_LINES,
    COMMITMENT_STATUSES,
    COMMITMENTS,
    PAYMENTS,
    POINTS,
    PRIME_CONTRACT_STATUSES,
    SUBCONTRACTOR_INVOICES,
    VENDORS,
    CreateUpdateLoad,
    Reference,
    SyncLoad,
    check_points,
    in_dependency_order,
    registry_of,
)


def test_dependencies_are_the_references_plus_ordering_only_prerequisites():
    assert COMMITMENT_LINES.depends_on == ("projects", "commitments", "cost_codes", "cost_types")
    assert COMMITMENT_STATUSES.depends_on == ("projects", "commitments", "commitment_lines")
    package_statuses = POINTS["change_order_package_statuses"]
    assert package_statuses.runs_after == ("potential_change_order_statuses",)
    assert package_statuses.depends_on[-1] == "potential_change_order_statuses"
    assert SUBCONTRACTOR_INVOICES.depends_on == ("projects", "commitment_statuses")
    assert PAYMENTS.depends_on == ("projects", "commitments", "prime_contracts", "subcontractor_invoices")
    order = [p.name for p in in_dependency_order()]
    for point in POINTS.values():
        assert all(order.index(d) < order.index(point.name) for d in point.depends_on), point.name


def test_every_status_waits_for_every_line_of_its_record():
    """One rule for all: a status (which Procore's approval locks the money under) gates on each line."""
    statuses = [p for p in POINTS.values() if p.name.endswith("_statuses")]
    assert len(statuses) == 6
    for point in statuses:
        gates = [r for r in point.references if r.on_line and r.point.endswith("_lines")]
        assert len(gates) == 1 and gates[0].optional, point.name
        lines_point = POINTS[gates[0].point]
        assert gates[0].key == lines_point.key, point.name
        assert point.lines is not None and point.lines.field == "lines", point.name
        assert "lines" not in point.payload_model(**_status_payload(point)).to_procore(), point.name


def _status_payload(point):
    fields = point.payload_model.model_fields
    sample = {"status": typing.get_args(fields["status"].annotation)[0], "lines": [{"line_id": 1}]}
    if "origin_id" in fields:
        sample["origin_id"] = "erp:x:1"
    return sample


def test_endpoints_come_from_the_load_declaration():
    assert VENDORS.procore_endpoints == ("PATCH /rest/v1.0/vendors/sync",)
    # Route values expand the path; deletes only where the declaration allows them (purchase orders).
    assert COMMITMENTS.procore_endpoints == (
        "PATCH /rest/v1.0/work_order_contracts/sync",
        "PATCH /rest/v1.0/purchase_order_contracts/sync",
        "DELETE /rest/v1.0/purchase_order_contracts/{id}",
    )
    assert SUBCONTRACTOR_INVOICES.procore_endpoints[-1] == (
        "GET /rest/v1.1/requisitions?project_id=&filters[origin_id]="
    )
    # An update-only load never creates, so never lists either.
    assert PRIME_CONTRACT_STATUSES.procore_endpoints == (
        "PATCH /rest/v1.0/prime_contract/{prime_contract_id}",
    )
    assert (
        PAYMENTS.procore_endpoints[2] == "DELETE /rest/v1.0/contract_payments/{id}?project_id=&contract_id="
    )


def test_sql_file_is_named_after_the_point():
    assert {p.sql_file for p in POINTS.values()} == {f"{name}.sql" for name in POINTS}


def test_line_references_are_declared_not_prefixed():
    # A change order's status is gated on its lines: each line's reference rides on a (never sent) line.
    gate = COMMITMENT_CHANGE_ORDER_STATUSES
    assert gate.lines is not None and gate.lines.field == "lines"
    assert [r.point for r in gate.references if r.on_line] == ["commitment_change_order_lines"]
    assert COMMITMENT_CHANGE_ORDERS.lines is None
    assert not any("." in r.field for p in POINTS.values() for r in p.references)


def test_registry_checks_dependencies():
    with pytest.raises(ValueError, match="undeclared point 'vendors'"):
        check_points({"commitments": COMMITMENTS, "projects": POINTS["projects"]})
    early = dataclasses.replace(COMMITMENT_STATUSES, tier=2)
    with pytest.raises(ValueError, match="depends on commitments of a later tier"):
        check_points({**POINTS, early.name: early})
    circular = dataclasses.replace(COMMITMENTS, runs_after=("commitment_statuses",))
    with pytest.raises(ValueError, match="circular dependencies"):
        check_points({**POINTS, circular.name: circular})
    with pytest.raises(ValueError, match="declared twice"):
        registry_of([VENDORS, VENDORS])


def test_declaration_refuses_restated_or_misplaced_facts():
    with pytest.raises(ValueError, match="runs_after restates"):
        dataclasses.replace(COMMITMENT_STATUSES, runs_after=("commitments",))
    with pytest.raises(ValueError, match="no route keys"):
        dataclasses.replace(COMMITMENT_LINES, route_fields=())
    with pytest.raises(ValueError, match="on a line needs Lines"):
        dataclasses.replace(
            VENDORS, references=(Reference(key="{erp_key}", point="projects", field="x", on_line=True),)
        )
    with pytest.raises(ValueError, match="needs a list_path"):
        CreateUpdateLoad(create_path="/things", update_path="/things/{id}", wrapper="thing")
    assert SyncLoad(
        path="/a/{kind}/sync", delete_path="/a/{kind}/{id}", delete_only=(("kind", ("b",)),)
    ).endpoints((("kind", ("a", "b")),)) == ["PATCH /a/a/sync", "PATCH /a/b/sync", "DELETE /a/b/{id}"]
