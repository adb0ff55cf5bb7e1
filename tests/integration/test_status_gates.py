"""A status waits for every line of its record, and goes out the night the lines are fixed.

Procore locks what an approval covers (an Approved contract's SOV), so a prime contract with a line
rejected or blocked stays draft in Procore, its status `blocked` naming the line. The demo ERP plants a
bad line in every prime contract; fixing one contract's lines in the ERP sends the lines, then the
status, and Procore's contract then totals the ERP's lines to the cent.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa
from devtools.localrun import run_dag

from .conftest import ledger_rows

pytestmark = pytest.mark.slow

NIGHT = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)
CENT = Decimal("0.01")


def test_a_prime_contract_status_waits_for_its_lines_and_goes_out_once_they_are_fixed(
    airflow_db, emulator, erp_sqlite
):
    engine, _ = erp_sqlite
    state, _, _ = run_dag(NIGHT - timedelta(days=1), {"mode": "full"})
    assert state == "success"
    statuses, contracts = ledger_rows("prime_contract_statuses"), ledger_rows("prime_contracts")
    waiting = statuses[
        (statuses["status"] == "blocked")
        & statuses["last_error"].str.contains("references prime_contract_lines")
        & statuses.index.isin(contracts.index[contracts["status"] == "synced"])
    ]
    assert not waiting.empty, statuses[["status", "last_error"]]
    contract = str(waiting.index[0])
    procore_id = int(contracts.loc[contract, "procore_id"])
    shown = {r["id"]: r for r in emulator.state.records("prime_contracts")}[procore_id]
    assert shown["status"] == "Draft", "held back: the contract stays draft in Procore"

    lines = ledger_rows("prime_contract_lines")
    held = lines[lines.index.str.startswith(f"{contract}#") & (lines["status"] != "synced")]
    assert not held.empty
    with engine.begin() as conn:
        owner_contract_id, job_id, erp_status = conn.execute(
            sa.text("SELECT owner_contract_id, job_id, status FROM owner_contract WHERE contract_no = :c"),
            {"c": contract},
        ).one()
        # A cost code of the job that is in Procore, for the lines whose cost code is bad or missing.
        cost_codes = ledger_rows("cost_codes")
        job_no = conn.execute(sa.text("SELECT job_no FROM job WHERE job_id = :j"), {"j": job_id}).scalar()
        good_code = next(
            str(key).split("/", 1)[1]
            for key in cost_codes.index[cost_codes["status"] == "synced"]
            if str(key).startswith(f"{job_no}/")
        )
        for key in held.index:
            conn.execute(
                sa.text(
                    "UPDATE owner_contract_item SET amount = ABS(amount), cost_code = :code, "
                    "description = COALESCE(NULLIF(TRIM(description), ''), 'Fixed'), updated_at = :at "
                    "WHERE owner_contract_id = :o AND item_no = :n"
                ),
                {
                    "code": good_code,
                    "at": (NIGHT + timedelta(hours=5)).replace(tzinfo=None),
                    "o": owner_contract_id,
                    "n": int(str(key).rsplit("#", 1)[1]),
                },
            )

    state, _, _ = run_dag(NIGHT + timedelta(days=1), {"mode": "incremental"})
    assert state == "success"
    fixed = ledger_rows("prime_contract_lines").loc[held.index]
    assert fixed["status"].eq("synced").all(), fixed[["status", "last_error"]]
    status_row = ledger_rows("prime_contract_statuses").loc[contract]
    assert status_row["status"] == "synced", status_row["last_error"]
    shown = {r["id"]: r for r in emulator.state.records("prime_contracts")}[procore_id]
    assert shown["status"] == erp_status
    with engine.connect() as conn:
        erp_total = sum(
            (
                Decimal(str(amount)).quantize(CENT)
                for (amount,) in conn.execute(
                    sa.text("SELECT amount FROM owner_contract_item WHERE owner_contract_id = :o"),
                    {"o": owner_contract_id},
                )
            ),
            Decimal(0),
        )
    assert erp_total > 0 and Decimal(shown["grand_total"]) == erp_total

    # The next night nothing is sent again.
    mark = len(emulator.state.request_log)
    state, _, _ = run_dag(NIGHT + timedelta(days=2), {"mode": "full"})
    assert state == "success"
    assert [e for e in emulator.state.request_log[mark:] if e.write] == []
