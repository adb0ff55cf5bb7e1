"""The same seed gives the same ERP on SQLite, PostgreSQL and MariaDB, down to each value's text."""

from __future__ import annotations

from datetime import datetime

import demo_erp
import pytest
import sqlalchemy as sa
from demo_erp import reference
from demo_erp_audit import PIPELINE_CONTROL, SMALL, invoice_lines, load, unbalanced_pay_apps


def exact(tables: dict[str, list[dict]]) -> dict[str, list[tuple]]:
    """Each value as (type, text): Decimal('5.00') and Decimal('5') differ, as do '' and None."""
    return {
        name: [tuple((k, type(v).__name__, str(v)) for k, v in row.items()) for row in rows]
        for name, rows in tables.items()
    }


def check_same_as_sqlite(url: str, small_erp) -> None:
    report = demo_erp.seed(url, **SMALL)
    assert report == small_erp.report
    engine = demo_erp.make_engine(url)
    try:
        loaded = load(engine)
        theirs, mine = exact(loaded), exact(load(small_erp.engine))
        for table in demo_erp.ERP_TABLES:
            assert theirs[table] == mine[table], table
        assert demo_erp.load_report(engine) == report
        assert unbalanced_pay_apps(engine) == [], "clean pay app lines add up to their pay app"
        assert invoice_lines(engine) == invoice_lines(small_erp.engine)
        names = {r["name"] for r in loaded["vendor"]} | {r["name"] for r in loaded["job"]}
        odd = {n for n, *_ in reference.UNICODE_VENDORS} | {n for n, *_ in reference.UNICODE_JOBS}
        assert len(names & odd) >= 6, "odd unicode survives the round trip"
        by_id = {(t, r[demo_erp.PRIMARY_KEYS[t]]): r for t, rows in loaded.items() for r in rows}
        controlled = [a for a in report.dirty if a.kind == "control_chars"]
        assert controlled and all(
            PIPELINE_CONTROL.search(by_id[(a.table, a.row_id)][a.column]) for a in controlled
        ), "control characters (all but NUL) are stored as they are"

        vendor = demo_erp.metadata.tables["vendor"]
        with engine.begin() as conn:
            new_id = conn.execute(
                vendor.insert()
                .values(
                    vendor_no="99999", name="Walk-in Vendor LLC", status="A", updated_at=datetime(2026, 11, 1)
                )
                .returning(vendor.c.vendor_id)
            ).scalar_one()
        assert new_id > max(r["vendor_id"] for r in load(engine)["vendor"] if r["vendor_no"] != "99999")
        assert demo_erp.touch_vendors(engine, ["99999"], at=datetime(2026, 11, 2)) == 1
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_postgresql_matches_sqlite(pg_url, small_erp):
    check_same_as_sqlite(pg_url, small_erp)


@pytest.mark.mariadb
def test_mariadb_matches_sqlite(mariadb_url, small_erp):
    check_same_as_sqlite(mariadb_url, small_erp)


@pytest.mark.mariadb
def test_mariadb_url_without_charset_still_stores_emoji(mariadb_url):
    url = sa.make_url(mariadb_url)
    bare = url.set(query={k: v for k, v in url.query.items() if k != "charset"})
    report = demo_erp.seed(bare.render_as_string(hide_password=False), scale=0.1, dirty_share=0)
    engine = demo_erp.make_engine(mariadb_url)
    try:
        vendor = demo_erp.metadata.tables["vendor"]
        with engine.connect() as conn:
            names = set(conn.execute(sa.select(vendor.c.name)).scalars())
        assert "🚧 Safety First Barricades LLC" in names and report.unicode_rows
    finally:
        engine.dispose()
