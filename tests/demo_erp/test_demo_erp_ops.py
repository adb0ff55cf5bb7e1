"""Seeding and the mutation helpers that tests and benchmarks apply between sync runs."""

from __future__ import annotations

from datetime import datetime

import demo_erp
import pytest
import sqlalchemy as sa


def test_seed_without_reset_refuses_a_filled_database(scratch_url):
    demo_erp.seed(scratch_url, scale=0.1)
    with pytest.raises(RuntimeError, match="not empty"):
        demo_erp.seed(scratch_url, scale=0.1, reset=False)
    assert demo_erp.seed(scratch_url, scale=0.1).row_counts["vendor"] > 0


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
