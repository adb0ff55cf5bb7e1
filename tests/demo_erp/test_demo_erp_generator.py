"""The demo ERP generator: deterministic, scaled, realistic, and dirty exactly where its manifest says."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

import demo_erp
import pytest
import sqlalchemy as sa
from demo_erp import reference
from demo_erp_audit import SMALL, Audit, has_cc, history_bounds, is_subdivision, load


def test_same_seed_gives_identical_rows_and_report(small_erp, scratch_url):
    again = demo_erp.seed(scratch_url, **SMALL)
    engine = sa.create_engine(scratch_url)
    try:
        assert again == small_erp.report
        assert load(engine) == load(small_erp.engine)
    finally:
        engine.dispose()


def test_different_seed_gives_different_rows(small_erp, scratch_url):
    other = demo_erp.seed(scratch_url, **{**SMALL, "seed": 8})
    engine = sa.create_engine(scratch_url)
    try:
        mine, theirs = load(small_erp.engine), load(engine)
        assert [v["name"] for v in mine["vendor"]] != [v["name"] for v in theirs["vendor"]]
        assert mine["payment"] != theirs["payment"]
        assert other.dirty != small_erp.report.dirty
    finally:
        engine.dispose()


def test_scale_one_has_the_documented_shape(default_erp):
    counts = default_erp.report.row_counts
    clean_jobs = counts["job"] - len(default_erp.report.dirty_in("job"))
    assert clean_jobs == 12
    assert 120 <= counts["vendor"] <= 130
    assert 20 * 12 <= counts["job_cost_code"] <= 30 * 12 + 40
    assert 300 <= counts["ap_invoice"] <= 800
    assert 8 * 12 <= counts["subcontract"] <= 13 * 12 + 10
    assert 3 * counts["subcontract"] <= counts["subcontract_item"] <= 10 * counts["subcontract"] + 50
    assert counts["owner_contract"] >= 12
    for table in (
        "change_order",
        "change_order_item",
        "pay_app",
        "payment",
        "budget_line",
        "ap_invoice_line",
    ):
        assert counts[table] > 100, table
    assert counts["cost_type"] == len(reference.COST_TYPES)


def test_scale_changes_counts(default_erp, scratch_url):
    quarter = demo_erp.seed(scratch_url, scale=0.25)
    full = default_erp.report.row_counts
    assert quarter.row_counts["job"] < full["job"]
    assert quarter.row_counts["vendor"] == pytest.approx(full["vendor"] / 4, rel=0.15)
    assert quarter.total_rows == pytest.approx(default_erp.report.total_rows / 4, rel=0.35)


def test_clean_rows_use_valid_codes_and_text(small_erp):
    audit = Audit(load(small_erp.engine))
    dirty = {(r.table, r.row_id) for r in small_erp.report.dirty}
    for table in ("vendor", "customer", "job"):
        for row in audit.data[table]:
            if (table, row[demo_erp.PRIMARY_KEYS[table]]) in dirty:
                continue
            assert row["country_code"] in ("US", "CA", "MX")
            assert is_subdivision(row["country_code"], row["state_code"]), row
            assert row["state_code"] == row["state_code"].upper()
            assert 0 < len(row["name"].strip()) <= 120
    for table, rows in audit.data.items():
        for row in rows:
            if (table, row[demo_erp.PRIMARY_KEYS[table]]) not in dirty:
                assert not any(isinstance(v, str) and has_cc(v) for v in row.values()), (table, row)
    assert {r["base_type"] for r in audit.data["cost_type"]} <= reference.BASE_TYPES
    statuses = {(r["kind"], r["status"]) for r in audit.data["subcontract"]}
    assert {s for k, s in statuses if k == "SC"} <= set(demo_erp.generator.SC_STATUSES)
    assert {s for k, s in statuses if k == "PO"} <= set(demo_erp.generator.PO_STATUSES)
    assert {r["status"] for r in audit.data["ap_invoice"]} <= set(demo_erp.AP_STATUS_TO_PROCORE)
    assert {r["direct_cost_type"] for r in audit.data["ap_invoice"]} == {
        "invoice",
        "expense",
        "payroll",
        "subcontractor_invoice",
    }
    assert {r["status"] for r in audit.data["change_order"]} <= set(demo_erp.generator.CHANGE_ORDER_STATUSES)
    assert {r["status"] for r in audit.data["pay_app"]} <= set(demo_erp.generator.PAY_APP_STATUSES)
    assert {r["payment_method"] for r in audit.data["payment"]} <= set(demo_erp.generator.PAYMENT_METHODS)


def test_money_adds_up(default_erp):
    audit = Audit(load(default_erp.engine))
    dirty = {(r.table, r.row_id) for r in default_erp.report.dirty}
    for line in audit.data["ap_invoice_line"]:
        product = (line["quantity"] * line["unit_cost"]).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        assert product == line["amount"], line
    for contract in audit.data["owner_contract"]:
        if ("owner_contract", contract["owner_contract_id"]) in dirty:
            continue
        items = [
            i
            for i in audit.data["owner_contract_item"]
            if i["owner_contract_id"] == contract["owner_contract_id"]
            and ("owner_contract_item", i["owner_contract_item_id"]) not in dirty
        ]
        assert contract["original_amount"] == sum(i["amount"] for i in items)
        assert audit.by_id["job"][contract["job_id"]]["contract_amount"] == contract["original_amount"]
    for app in audit.data["pay_app"]:
        if ("pay_app", app["pay_app_id"]) not in dirty:
            assert (
                app["amount_this_period"] > 0
                and 0 <= app["retainage_this_period"] < app["amount_this_period"]
            )
    assert any(line["amount"] < 0 for line in audit.data["ap_invoice_line"]), "credit memos are clean data"
    assert any(i["amount"] < 0 for i in audit.data["change_order_item"]), (
        "deductive change orders are clean data"
    )


def test_updated_at_orders_parents_before_children(small_erp):
    """Replaying date windows in order meets every referenced row before (or with) its dependants."""
    audit = Audit(load(small_erp.engine))
    low, high = history_bounds(small_erp.report)
    for table, rows in audit.data.items():
        for row in rows:
            assert low <= row["updated_at"] <= high, (table, row)
            assert row["created_at"] <= row["updated_at"], (table, row)
            assert row["updated_at"].microsecond == 0
            for parent_table, parent in audit.parents(table, row):
                assert parent["updated_at"] <= row["updated_at"], (table, row, parent_table, parent)


def test_monthly_windows_select_different_subsets(default_erp):
    """Backfill windows each see a different slice of every busy table."""
    with default_erp.engine.connect() as conn:
        for table in ("vendor", "ap_invoice", "pay_app", "payment", "subcontract"):
            t = demo_erp.metadata.tables[table]
            per_quarter = []
            start = datetime(2024, 1, 1)
            while start < datetime(2026, 10, 1):
                end = start + timedelta(days=91)
                per_quarter.append(
                    conn.execute(
                        sa.select(sa.func.count())
                        .select_from(t)
                        .where(t.c.updated_at >= start, t.c.updated_at < end)
                    ).scalar_one()
                )
                start = end
            assert sum(1 for n in per_quarter if n) >= 6, (table, per_quarter)
            assert sum(per_quarter) <= default_erp.report.row_counts[table]


def test_odd_unicode_round_trips(default_erp):
    names = {name for name, *_ in reference.UNICODE_VENDORS} | {name for name, *_ in reference.UNICODE_JOBS}
    audit = Audit(load(default_erp.engine))
    stored = {r["name"] for r in audit.data["vendor"]} | {r["name"] for r in audit.data["job"]}
    found = names & stored
    assert len(found) >= 12
    assert "Zoe\u0308 & Bjo\u0308rn Tile Werks" in found, "combining marks survive unnormalised"
    assert any("\u200d" in n for n in found) and any("🏫" in n for n in found) and "東京建設株式会社" in found
    assert {(t, k) for t, k in default_erp.report.unicode_rows} == {
        ("vendor", r["vendor_no"]) for r in audit.data["vendor"] if r["name"] in names
    } | {("job", r["job_no"]) for r in audit.data["job"] if r["name"] in names}


def test_history_range_is_respected(scratch_url):
    report = demo_erp.seed(
        scratch_url, scale=0.3, history_start=date(2020, 6, 1), history_end=date(2021, 5, 31)
    )
    audit = Audit(load(sa.create_engine(scratch_url)))
    low, high = history_bounds(report)
    assert all(low <= r["updated_at"] <= high for rows in audit.data.values() for r in rows)
    assert all(r["payment_date"] <= date(2021, 5, 31) for r in audit.data["payment"])
    with pytest.raises(ValueError, match="180 days"):
        demo_erp.seed(scratch_url, history_start=date(2021, 1, 1), history_end=date(2021, 2, 1))
