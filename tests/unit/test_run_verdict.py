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


def failed_rows(url: str, reasons: list[str], run_id: str = RUN_ID, first: int = 0) -> None:
    now = ledger.now()
    ledger.upsert(
        ledger.connect(url),
        pd.DataFrame(
            [
                {
                    "point": "vendors",
                    "erp_key": f"V{i}",
                    "scope_key": "",
                    "origin_id": f"erp:vendor:V{i}",
                    "procore_id": None,
                    "content_hash": "h",
                    "status": "failed",
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


def row(point: str, extracted: int, **counts: int) -> dict:
    return {"point": point, "extracted": extracted, **counts}


def test_failed_records_fail_the_run_naming_point_and_reason(tmp_path):
    run = run_with(tmp_path)
    failed_rows(run.settings.ledger_url, ["vendors vendor_no=V0: HTTP 503: Service Unavailable"] * 2)
    failed_rows(run.settings.ledger_url, ["vendors vendor_no=V9: an older run's"], run_id="older", first=9)
    verdict = run_verdict(run, [row("vendors", 10, failed=2), row("projects", 5)])
    assert verdict is not None
    assert verdict.startswith("vendors: 2 failed (retried by the next run), by reason:")
    assert "2 × HTTP 503: Service Unavailable" in verdict and "older" not in verdict


def test_failed_records_may_be_allowed_and_held_share_is_a_threshold(tmp_path):
    run = run_with(tmp_path, fail_on_failed_records=False, max_held_share=0.5)
    assert run_verdict(run, [row("vendors", 10, failed=1, rejected=3, blocked=2)]) is None
    assert run_verdict(run, [row("vendors", 10, rejected=4, blocked=2), row("projects", 10)]) is None  # 30 %
    assert run_verdict(run, [row("vendors", 10, rejected=4, blocked=2)]) == (
        "6 of 10 extracted records (60%) are rejected or blocked, more than PROCORE_SYNC_MAX_HELD_SHARE=0.5 "
        "(vendors 6); their reasons are in the ledger and the transform logs"
    )


def test_points_left_out_or_skipped_by_setting_do_not_count(tmp_path):
    run = run_with(tmp_path, max_held_share=0.1)
    rows = [
        {"point": "vendors", "skipped": True},
        {"point": "change_orders", "skipped_by_setting": "tier", "extracted": 5, "blocked": 5},
        row("projects", 10),
    ]
    assert run_verdict(run, rows) is None
