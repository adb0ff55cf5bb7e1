"""Planted dirt and its manifest: every defect where the plan says, listed exactly, never referenced."""

from __future__ import annotations

import demo_erp
import pytest
from demo_erp_audit import Audit, load


def test_manifest_matches_the_data_exactly(small_erp):
    """Each dirty row has exactly its one defect; every other row (blocked lines aside) has none."""
    report = small_erp.report
    audit = Audit(load(small_erp.engine))
    dirty = {(r.table, r.row_id): r for r in report.dirty}
    blocked = {(r.table, r.row_id): r for r in report.blocked}
    assert len(dirty) == len(report.dirty) and not set(dirty) & set(blocked)
    for table, rows in audit.data.items():
        pk = demo_erp.PRIMARY_KEYS[table]
        for row in rows:
            found = audit.defects(table, row)
            entry = dirty.get((table, row[pk]))
            if entry is not None:
                assert found == {(entry.kind, entry.column)}, (entry, row)
            elif (table, row[pk]) not in blocked:
                assert not found, (table, row)
    assert set(dirty) <= {(t, r[demo_erp.PRIMARY_KEYS[t]]) for t, rows in audit.data.items() for r in rows}


def test_manifest_keys_name_the_rows(small_erp):
    audit = Audit(load(small_erp.engine))
    for entry in small_erp.report.dirty:
        row = audit.by_id[entry.table][entry.row_id]
        natural = {
            "vendor": "vendor_no",
            "customer": "customer_no",
            "job": "job_no",
            "payment": "check_no",
            "subcontract": "contract_no",
            "owner_contract": "contract_no",
        }.get(entry.table)
        if natural:
            assert entry.key == row[natural]
        elif entry.table in ("job_cost_code", "budget_line"):
            assert entry.key.split("/")[1] == row["cost_code"]
        elif entry.table == "ap_invoice":
            assert entry.key.endswith("/" + row["invoice_no"])
        elif entry.table == "pay_app_line":
            app = audit.by_id["pay_app"][row["pay_app_id"]]
            contract = audit.by_id["subcontract"][app["subcontract_id"]]["contract_no"]
            assert entry.key == f"{contract}/PA{app['app_no']}#{row['item_no']}"
        else:
            number = row.get("line_no", row.get("item_no", row.get("app_no", row.get("co_no"))))
            assert entry.key.endswith(str(number)) or entry.key.endswith(f"CO{row.get('co_no')}")


def test_every_kind_is_planted_where_planned(small_erp):
    planted = {(r.table, r.kind, r.column) for r in small_erp.report.dirty}
    for table, plan in demo_erp.DIRTY_PLAN.items():
        if table in ("customer", "job", "owner_contract"):
            continue  # a handful of rows at this scale; covered by test_tiny_tables_get_dirt_at_high_share
        for kind, column in plan:
            assert (table, kind, column) in planted, (table, kind, column)


def test_tiny_tables_get_dirt_at_high_share(scratch_url):
    report = demo_erp.seed(scratch_url, scale=2, dirty_share=0.5, seed=3)
    kinds = {(r.table, r.kind) for r in report.dirty}
    for table in ("customer", "vendor", "job"):
        assert {k for t, k in kinds if t == table} == {k for k, _ in demo_erp.DIRTY_PLAN[table]}
    assert ("owner_contract", "dangling_reference") in kinds


def test_dirty_share_controls_the_amount_of_dirt(default_erp, scratch_url):
    report = default_erp.report
    assert 0.04 < len(report.dirty) / report.total_rows < 0.06
    for table in (
        "vendor",
        "job_cost_code",
        "ap_invoice",
        "ap_invoice_line",
        "subcontract_item",
        "pay_app_line",
        "payment",
    ):
        assert 0.03 < len(report.dirty_in(table)) / report.row_counts[table] < 0.07, table
    clean = demo_erp.seed(scratch_url, scale=0.5, dirty_share=0)
    assert clean.dirty == [] and clean.blocked == []
    with pytest.raises(ValueError, match="dirty_share"):
        demo_erp.seed(scratch_url, dirty_share=0.9)


def test_dirty_rows_are_never_referenced_by_clean_rows(small_erp):
    audit = Audit(load(small_erp.engine))
    dirty = {(r.table, r.row_id) for r in small_erp.report.dirty}
    blocked = {(r.table, r.row_id) for r in small_erp.report.blocked}
    for table, rows in audit.data.items():
        pk = demo_erp.PRIMARY_KEYS[table]
        for row in rows:
            if (table, row[pk]) in dirty:
                continue
            parents = {(t, p[demo_erp.PRIMARY_KEYS[t]]) for t, p in audit.parents(table, row)}
            if (table, row[pk]) in blocked:
                assert parents & dirty, (table, row)
            else:
                assert not parents & dirty, (table, row, parents & dirty)


def test_blocked_rows_are_the_lines_of_dirty_headers(small_erp):
    report = small_erp.report
    audit = Audit(load(small_erp.engine))
    headers = {
        "ap_invoice_line": "ap_invoice",
        "subcontract_item": "subcontract",
        "change_order_item": "change_order",
        "owner_contract_item": "owner_contract",
        "pay_app_line": "pay_app",
    }
    dirty = {(r.table, r.row_id) for r in report.dirty}
    assert report.blocked
    for entry in report.blocked:
        assert entry.kind == "dirty_parent" and entry.table in headers
        row = audit.by_id[entry.table][entry.row_id]
        assert (headers[entry.table], row[entry.column]) in dirty


def test_load_report_rebuilds_the_report_from_the_database(small_erp):
    assert demo_erp.load_report(small_erp.engine) == small_erp.report
