"""The run-state policy: a run with failed records, or too many held back, fails with the reasons."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
from erp_sync import ledger
from erp_sync.settings import SyncSettings
from erp_sync.steps import run_verdict

RUN_ID = "scheduled__2026-11-20T02:00:00+00:00"


def run_with(tmp_path, **settings):
    url = f"sqlite:///{tmp_path / 'ledger.sqlite'}"
    return SimpleNamespace(run_id=RUN_ID, settings=SyncSettings(ledger_url=url, **settings))


def put(run, point: str, status: str, reasons: list[str], *, run_id: str = RUN_ID, first: int = 0) -> None:
    now = ledger.now()
    ledger.upsert(
        ledger.connect(run.settings.ledger_url),
        pd.DataFrame(
            [
                {
                    "point": point,
                    "erp_key": f"K{i}",
                    "scope_key": "",
                    "origin_id": f"erp:{point}:K{i}",
                    "procore_id": None,
                    "content_hash": "h",
                    "status": status,
                    "last_action": "create",
                    "last_error": reason,
                    "run_id": run_id,
                    "first_seen_at": now,
                    "synced_at": None,
                    "updated_at": now,
                }
                for i, reason in enumerate(reasons, start=first)
            ]
        ),
    )


def test_failed_records_fail_the_run_naming_point_and_reason(tmp_path):
    run = run_with(tmp_path)
    put(run, "vendors", "failed", ["vendors vendor_no=V0: HTTP 503: Service Unavailable"] * 2)
    put(run, "vendors", "failed", ["vendors vendor_no=V9: an older run's"], run_id="older", first=9)
    put(run, "vendors", "synced", [""] * 20, first=20)
    verdict = run_verdict(run, [{"point": "vendors", "failed": 2}, {"point": "projects"}])
    assert verdict is not None
    assert verdict.startswith("vendors: 2 failed (retried by the next run), by reason:")
    assert "2 × HTTP 503: Service Unavailable" in verdict and "older" not in verdict


def test_failed_records_may_be_allowed(tmp_path):
    run = run_with(tmp_path, fail_on_failed_records=False)
    put(run, "vendors", "failed", ["vendors vendor_no=V0: HTTP 503"])
    put(run, "vendors", "synced", [""] * 5, first=5)
    assert run_verdict(run, [{"point": "vendors", "failed": 1}]) is None


def test_the_held_share_is_the_ledgers_over_the_runs_points(tmp_path):
    run = run_with(tmp_path, max_held_share=0.5)
    put(run, "vendors", "rejected", ["vendors vendor_no=1: field 'name': Field required"] * 4)
    put(run, "vendors", "blocked", ["x"] * 2, first=4)
    put(run, "vendors", "synced", [""] * 4, first=6)
    put(run, "projects", "synced", [""] * 10)
    both = [{"point": "vendors"}, {"point": "projects"}]
    assert run_verdict(run, both) is None  # 6 of 20: 30 %
    assert run_verdict(run, [{"point": "vendors"}, {"point": "projects", "skipped": True}]) == (
        "6 of the 10 records of this run's points (60%) are rejected or blocked, more than "
        "PROCORE_SYNC_MAX_HELD_SHARE=0.5 (vendors 6); their reasons are in the ledger and the transform logs"
    )
    never = run_with(tmp_path, max_held_share=1)
    assert run_verdict(never, [{"point": "vendors"}]) is None
