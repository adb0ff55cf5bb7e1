"""The demo ERP generator: deterministic, scaled, realistic, and dirty exactly where its manifest says."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

import demo_erp
import pycountry
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
    for table in ("vendor", "job_cost_code", "ap_invoice", "ap_invoice_line", "subcontract_item", "payment"):
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
    }
    dirty = {(r.table, r.row_id) for r in report.dirty}
    assert report.blocked
    for entry in report.blocked:
        assert entry.kind == "dirty_parent" and entry.table in headers
        row = audit.by_id[entry.table][entry.row_id]
        assert (headers[entry.table], row[entry.column]) in dirty


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


def test_reference_subdivisions_agree_with_pycountry():
    for country, codes in reference.SUBDIVISIONS.items():
        assert codes == {s.code.split("-")[1] for s in pycountry.subdivisions.get(country_code=country)}
    for country, bad in reference.INVALID_STATES.items():
        assert not any(is_subdivision(country, s) for s in bad)
    assert not any(pycountry.countries.get(alpha_2=c) for c in reference.INVALID_COUNTRIES)


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


def test_load_report_rebuilds_the_report_from_the_database(small_erp):
    assert demo_erp.load_report(small_erp.engine) == small_erp.report


def test_seed_without_reset_refuses_a_filled_database(scratch_url):
    demo_erp.seed(scratch_url, scale=0.1)
    with pytest.raises(RuntimeError, match="not empty"):
        demo_erp.seed(scratch_url, scale=0.1, reset=False)
    assert demo_erp.seed(scratch_url, scale=0.1).row_counts["vendor"] > 0


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


def test_touch_vendors_changes_phone_and_stamp(scratch_url):
    report = demo_erp.seed(scratch_url, scale=0.2, dirty_share=0)
    engine = sa.create_engine(scratch_url)
    vendor = demo_erp.metadata.tables["vendor"]
    with engine.connect() as conn:
        before = {r.vendor_no: r for r in conn.execute(sa.select(vendor))}
    chosen = sorted(before)[:3]
    at = datetime(2026, 11, 2, 3, 0, 0, 123456)
    assert demo_erp.touch_vendors(engine, chosen, at=at) == 3
    with engine.connect() as conn:
        after = {r.vendor_no: r for r in conn.execute(sa.select(vendor))}
    for number, row in after.items():
        if number in chosen:
            assert row.phone != before[number].phone and row.updated_at == at.replace(microsecond=0)
            assert row.name == before[number].name
        else:
            assert row == before[number]
    assert report.row_counts["vendor"] == len(after)
    engine.dispose()


def test_touch_rows_updates_any_table(scratch_url):
    demo_erp.seed(scratch_url, scale=0.2, dirty_share=0)
    engine = sa.create_engine(scratch_url)
    at = datetime(2026, 11, 5, 12, 0, 0)
    job = demo_erp.metadata.tables["job"]
    with engine.connect() as conn:
        job_nos = [r.job_no for r in conn.execute(sa.select(job.c.job_no).order_by(job.c.job_id))]
    assert demo_erp.touch_rows(engine, "job", "job_no", job_nos[:1], {"city": "Round Rock"}, at=at) == 1
    with engine.connect() as conn:
        row = conn.execute(sa.select(job).where(job.c.job_no == job_nos[0])).one()
    assert row.city == "Round Rock" and row.updated_at == at
    with pytest.raises(ValueError, match="no column"):
        demo_erp.touch_rows(engine, "job", "job_no", job_nos, {"colour": "red"}, at=at)
    with pytest.raises(ValueError, match="unknown"):
        demo_erp.touch_rows(engine, "jobs", "job_no", job_nos, {}, at=at)
    engine.dispose()


def test_cli_seed_and_info(tmp_path, capsys):
    from demo_erp.__main__ import main

    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    assert main(["seed", "--url", url, "--scale", "0.2", "--dirty-share", "0.1", "--seed", "5"]) == 0
    seeded = capsys.readouterr().out
    assert "vendor" in seeded and "dirty rows by kind" in seeded and "missing_name" in seeded
    assert main(["info", "--url", url]) == 0
    info = capsys.readouterr().out
    assert "seed 5, scale 0.2" in info
    table_lines = lambda text: [ln for ln in text.splitlines() if ln.startswith(("vendor ", "payment "))]  # noqa: E731
    assert table_lines(info) == table_lines(seeded)
