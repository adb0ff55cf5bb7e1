"""``deleted`` counts only DELETEs Procore accepted: a record voided before it was ever synced is counted
``void_unsynced`` (nothing is sent), in the summary, the runs table and the ledger."""

from __future__ import annotations

import json

import pandas as pd
from erp_sync import ledger
from erp_sync.plan import VOID_UNSENT, plan
from erp_sync.record import check_accounted, gather_outcomes, ledger_rows, outcome_counts
from erp_sync.report import SUMMARY_COLUMNS, format_summary


def payments(ledger: pd.DataFrame) -> pd.DataFrame:
    candidates = pd.DataFrame(
        {
            "erp_key": ["CHK-1", "CHK-2"],
            "scope_key": "J1",
            "origin_id": ["erp:payment:CHK-1", "erp:payment:CHK-2"],
            "payload_json": ['{"amount":"10"}', '{"amount":"20"}'],
            "route_json": [json.dumps({"project_id": 1, "void": True})] * 2,
        }
    )
    return plan(candidates, ledger)


def test_a_voided_record_never_synced_is_void_unsynced_not_deleted():
    empty = pd.DataFrame(columns=ledger.LEDGER_COLUMNS).set_index("erp_key", drop=False)
    planned = payments(empty)
    assert set(planned["action"]) == {VOID_UNSENT}
    outcomes = gather_outcomes(planned, [], {})
    counts = outcome_counts(2, planned, pd.DataFrame(), pd.DataFrame(), outcomes)
    assert counts["void_unsynced"] == 2 and counts["deleted"] == 0
    check_accounted("payments", counts)
    assert "void_unsynced" in SUMMARY_COLUMNS
    assert (
        "void_unsynced" in format_summary([{"point": "payments", "dry_run": False, **counts}]).splitlines()[0]
    )

    dry = outcome_counts(2, planned, pd.DataFrame(), pd.DataFrame(), None)
    assert dry["void_unsynced"] == 2 and dry["deleted"] == 0

    none = pd.DataFrame(columns=["erp_key", "scope_key", "reason"])
    rows = ledger_rows("payments", empty, planned, outcomes, none, none, "r1", pd.Timestamp.now())
    assert list(rows["status"]) == ["void_unsynced", "void_unsynced"]

    # The next night sends nothing for them and counts them unchanged.
    again = payments(rows.set_index("erp_key"))
    assert set(again["action"]) == {"unchanged"}
