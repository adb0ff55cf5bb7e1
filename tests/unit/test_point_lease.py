"""Two runs never plan and record one point at once: the point's lease, taken at plan, given back at
record, waited for by an overlapping run, taken over when its run crashed."""

from __future__ import annotations

import threading
import time

import pytest
import sqlalchemy as sa
from erp_sync import ledger


@pytest.fixture
def engine(tmp_path):
    return ledger.connect(f"sqlite:///{tmp_path / 'ledger.sqlite'}")


def test_an_overlapping_run_waits_and_is_told_who_holds_the_point(engine):
    ledger.acquire_point(engine, "vendors", "manual__A", wait_seconds=0, stale_after_seconds=3600)
    ledger.acquire_point(engine, "vendors", "manual__A", wait_seconds=0, stale_after_seconds=3600)  # retry
    ledger.acquire_point(engine, "projects", "backfill__B", wait_seconds=0, stale_after_seconds=3600)
    with pytest.raises(ledger.PointBusy, match="vendors is being synced by run manual__A"):
        ledger.acquire_point(
            engine, "vendors", "backfill__B", wait_seconds=0.2, stale_after_seconds=3600, poll_seconds=0.05
        )
    ledger.release_point(engine, "vendors", "backfill__B")  # not its lease: nothing happens
    with pytest.raises(ledger.PointBusy):
        ledger.acquire_point(engine, "vendors", "backfill__B", wait_seconds=0, stale_after_seconds=3600)


def test_the_waiting_run_goes_on_as_soon_as_the_point_is_given_back(engine):
    ledger.acquire_point(engine, "vendors", "manual__A", wait_seconds=0, stale_after_seconds=3600)
    threading.Timer(0.3, ledger.release_point, args=(engine, "vendors", "manual__A")).start()
    started = time.monotonic()
    ledger.acquire_point(
        engine, "vendors", "backfill__B", wait_seconds=10, stale_after_seconds=3600, poll_seconds=0.05
    )
    assert 0.25 <= time.monotonic() - started < 5


def test_a_crashed_runs_lease_is_taken_over_once_stale(engine):
    ledger.acquire_point(engine, "vendors", "manual__A", wait_seconds=0, stale_after_seconds=3600)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE sync_lease SET acquired_at = '2020-01-01 00:00:00'"))
    ledger.acquire_point(engine, "vendors", "backfill__B", wait_seconds=0, stale_after_seconds=3600)
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT run_id FROM sync_lease")).scalar() == "backfill__B"
