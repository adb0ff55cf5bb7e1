"""Records held back converge by themselves: every run, incremental too, reads the ledger's failed and
blocked records again by key, so each goes out the first night after its cause is fixed — also when the
fix did not touch the row's change time (a corrected reference, a mapping fixed in the SQL)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from devtools.localrun import run_dag

from .conftest import ledger_rows

pytestmark = pytest.mark.slow

NIGHT = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)


def test_an_incremental_run_sends_a_blocked_record_once_its_reference_is_fixed_in_place(
    airflow_db, emulator, erp_sqlite
):
    engine, report = erp_sqlite
    dangling = next(
        d
        for d in report.dirty
        if d.table == "subcontract" and d.kind == "dangling_reference" and d.column == "vendor_id"
    )
    with engine.connect() as conn:
        contract_no = conn.execute(
            sa.text("SELECT contract_no FROM subcontract WHERE subcontract_id = :i"), {"i": dangling.row_id}
        ).scalar()
        vendor_id = conn.execute(
            sa.text(
                "SELECT MIN(v.vendor_id) FROM vendor v WHERE v.vendor_no IN "
                "(SELECT vendor_no FROM vendor GROUP BY vendor_no HAVING COUNT(*) = 1)"
            )
        ).scalar()
    state, _, _ = run_dag(NIGHT - timedelta(days=1), {"mode": "full"})
    assert state == "success"
    assert ledger_rows("commitments").loc[contract_no, "status"] == "blocked"
    lines = ledger_rows("commitment_lines")
    held_lines = lines.index[lines.index.str.startswith(f"{contract_no}#")]
    assert len(held_lines) and lines.loc[held_lines, "status"].eq("blocked").all()

    # Fixed in place: the row's updated_at is not touched, so no window of a later night contains it.
    with engine.begin() as conn:
        conn.execute(
            sa.text("UPDATE subcontract SET vendor_id = :v WHERE subcontract_id = :i"),
            {"v": vendor_id, "i": dangling.row_id},
        )
    mark = len(emulator.state.request_log)
    state, _, summary = run_dag(NIGHT, {"mode": "incremental"})
    assert state == "success", summary
    assert ledger_rows("commitments").loc[contract_no, "status"] == "synced"
    assert ledger_rows("commitment_lines").loc[held_lines, "status"].eq("synced").all()
    sent = {e.path for e in emulator.state.request_log[mark:] if e.write}
    assert any("contracts/sync" in path for path in sent) and any("line_items/sync" in path for path in sent)

    # Records still held for a cause nobody fixed are read again, planned again, and stay as they were:
    # nothing is sent for them, and the next night's incremental run writes nothing at all.
    mark = len(emulator.state.request_log)
    state, _, summary = run_dag(NIGHT + timedelta(days=1), {"mode": "incremental"})
    assert state == "success", summary
    assert [e for e in emulator.state.request_log[mark:] if e.write] == []


def test_a_budget_line_deleted_in_procore_by_hand_is_created_again_when_the_erp_changes_it(
    airflow_db, emulator, erp_sqlite
):
    engine, _ = erp_sqlite
    state, _, _ = run_dag(NIGHT - timedelta(days=1), {"mode": "full"})
    assert state == "success"
    budget = ledger_rows("budget")
    key = str(budget.index[budget["status"] == "synced"][0])
    old_id = int(budget.loc[key, "procore_id"])
    emulator.state.delete(emulator.state.get("budget_line_items", old_id))
    job_no, cost_code, cost_type = key.split("/")
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "UPDATE budget_line SET original_amount = 777777, updated_at = :at "
                "WHERE cost_code = :c AND cost_type_code = :t "
                "AND job_id = (SELECT job_id FROM job WHERE job_no = :j)"
            ),
            {
                "at": (NIGHT + timedelta(hours=5)).replace(tzinfo=None),
                "c": cost_code,
                "t": cost_type,
                "j": job_no,
            },
        )
    state, _, summary = run_dag(NIGHT + timedelta(days=1), {"mode": "incremental"})
    assert state == "success", summary
    entry = ledger_rows("budget").loc[key]
    assert entry["status"] == "synced" and int(entry["procore_id"]) != old_id
    assert "created again" in entry["last_error"]
    live = [r for r in emulator.state.records("budget_line_items") if r["id"] == int(entry["procore_id"])]
    assert len(live) == 1 and float(live[0]["original_budget_amount"]) == 777777


def test_a_row_deleted_from_the_erp_is_recorded_orphaned_with_its_reason_and_comes_back_if_restored(
    airflow_db, emulator, erp_sqlite
):
    engine, _ = erp_sqlite
    state, _, _ = run_dag(NIGHT - timedelta(days=1), {"mode": "full"})
    assert state == "success"
    vendors = ledger_rows("vendors")
    with engine.connect() as conn:
        unused = (
            conn.execute(
                sa.text(
                    "SELECT v.vendor_no FROM vendor v "
                    "WHERE v.vendor_id NOT IN (SELECT vendor_id FROM subcontract WHERE vendor_id > 0) "
                    "AND v.vendor_id NOT IN (SELECT vendor_id FROM ap_invoice WHERE vendor_id > 0) "
                    "ORDER BY v.vendor_no"
                )
            )
            .scalars()
            .all()
        )
    vendor_no = next(
        str(v) for v in unused if str(v) in vendors.index and vendors.loc[str(v), "status"] == "synced"
    )
    with engine.begin() as conn:
        row = (
            conn.execute(sa.text("SELECT * FROM vendor WHERE vendor_no = :v"), {"v": vendor_no})
            .mappings()
            .one()
        )
        conn.execute(sa.text("DELETE FROM vendor WHERE vendor_no = :v"), {"v": vendor_no})

    mark = len(emulator.state.request_log)
    state, _, summary = run_dag(NIGHT, {"mode": "full"})
    assert state == "success", summary
    assert {r["point"]: r for r in summary}["vendors"]["orphaned"] == 1
    entry = ledger_rows("vendors").loc[vendor_no]
    assert entry["status"] == "orphaned" and int(entry["procore_id"]) == int(
        vendors.loc[vendor_no, "procore_id"]
    )
    assert "no longer returned by vendors.sql on a full run" in entry["last_error"]
    assert [e for e in emulator.state.request_log[mark:] if e.write] == [], "left as it is in Procore"

    with engine.begin() as conn:  # restored, e.g. deleted by mistake
        conn.execute(
            sa.text(f"INSERT INTO vendor ({', '.join(row)}) VALUES ({', '.join(':' + c for c in row)})"),
            dict(row),
        )
    state, _, summary = run_dag(NIGHT + timedelta(days=1), {"mode": "full"})
    assert state == "success", summary
    entry = ledger_rows("vendors").loc[vendor_no]
    assert entry["status"] == "synced" and int(entry["procore_id"]) == int(
        vendors.loc[vendor_no, "procore_id"]
    )
