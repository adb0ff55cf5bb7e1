"""Change order money reaches Procore exactly once, under either commitment change order tier.

A whole-DAG run per tier (``PROCORE_SYNC_COMMITMENT_CHANGE_ORDER_TIERS``) against the emulator and
the dirty demo ERP. Procore's totals, as the emulator computes them from the lines, are compared with
the ERP's to the cent: per change order (every one of the demo's) and per commitment (approved and
pending change orders). Each clean ERP change order is exactly one logical Procore change order (no
package + commitment change order pairs), every other one is explained in the ledger, the other
tier's points send nothing and say so, every request of the run (all points) passes the spec check
against Procore's exact operations, and the next night's run sends nothing.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import demo_erp
import pandas as pd
import pytest
import sqlalchemy as sa
from devtools.localrun import run_dag
from devtools.spec_check import check_log
from erp_sync import ledger
from erp_sync.declarations.change_orders import POINTS as CHANGE_ORDER_POINTS
from erp_sync.settings import load_settings
from procore_emulator.resources.money import package_potential_change_orders

pytestmark = pytest.mark.slow

NIGHT = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)
CENT = Decimal("0.01")
# tier -> (points that run, the status point, Procore resource of the logical change order, its point)
TIERS = {
    1: (
        {"commitment_change_orders", "commitment_change_order_lines", "commitment_change_order_statuses"},
        "commitment_change_order_statuses",
        "commitment_change_orders",
        "commitment_change_orders",
    ),
    2: (
        {
            "change_orders",
            "potential_change_orders",
            "potential_change_order_lines",
            "potential_change_order_statuses",
            "change_order_package_statuses",
        },
        "change_order_package_statuses",
        "change_order_packages",
        "change_orders",
    ),
}
# Procore's change order statuses counted on the commitment (emulator: LOCKED / PENDING statuses).
APPROVED, PENDING = (
    ("approved",),
    ("pricing", "not_pricing", "pending", "revised", "proceeding", "pending_billable"),
)
ERP_CHANGE_ORDERS = (
    "SELECT s.contract_no || '/' || c.co_no AS erp_key, s.contract_no AS contract_number, "
    "LOWER(c.status) AS status, "
    "(SELECT SUM(i.amount) FROM change_order_item i WHERE i.change_order_id = c.change_order_id) AS amount "
    "FROM change_order c JOIN subcontract s ON s.subcontract_id = c.subcontract_id"
)


def ledger_rows(point: str) -> pd.DataFrame:
    return ledger.read_point(ledger.connect(load_settings().resolved_ledger_url), point)


def money(value: object) -> Decimal:
    return Decimal(str(value if value is not None else 0)).quantize(CENT)


@pytest.fixture(params=[1, 2], ids=["1-tier", "2-tier"])
def synced(request, airflow_db, serve_emulator, sync_data_dir, monkeypatch, tmp_path):
    """The demo ERP after one full run under the tier, the emulator, the summary and the request log."""
    tier = request.param
    log = tmp_path / "requests.jsonl"
    monkeypatch.setenv("PROCORE_EMULATOR_REQUEST_LOG", str(log))
    monkeypatch.setenv("PROCORE_SYNC_COMMITMENT_CHANGE_ORDER_TIERS", str(tier))
    engine = sa.create_engine(load_settings().resolved_erp_url)
    demo_erp.seed(load_settings().resolved_erp_url, scale=0.3, dirty_share=0.05, seed=11)
    with serve_emulator(hourly_limit=1_000_000, spike_limit=100_000) as emu:
        state, _, summary = run_dag(NIGHT - timedelta(days=1), {"mode": "full"})
        assert state == "success", summary
        yield tier, emu, engine, {row["point"]: row for row in summary}, log
    engine.dispose()


def erp_change_orders(engine) -> pd.DataFrame:
    with engine.connect() as conn:
        frame = pd.read_sql(sa.text(ERP_CHANGE_ORDERS), conn)
    frame = frame.drop_duplicates("erp_key", keep=False).set_index("erp_key")
    frame["amount"] = frame["amount"].map(money)
    return frame


def test_change_order_money_arrives_once(synced):
    tier, emu, engine, summary, log = synced
    running, status_point, resource, logical_point = TIERS[tier]

    # The other tier's points ran, sent nothing and say why.
    for point in CHANGE_ORDER_POINTS:
        row = summary[point.name]
        if point.name in running:
            assert not row.get("skipped_by_setting") and row["failed"] == 0, (point.name, row)
        else:
            assert row["skipped_by_setting"].startswith("skipped by setting PROCORE_SYNC_"), row
            assert row["created"] == row["updated"] == 0 and ledger_rows(point.name).empty
    belongs = {"commitment_change_orders": 1, "change_order_packages": 2, "potential_change_orders": 2}
    for other_resource, its_tier in belongs.items():
        if its_tier != tier:
            assert emu.state.records(other_resource) == [], f"{other_resource} created under {tier}-tier"

    erp = erp_change_orders(engine)
    statuses = ledger_rows(status_point)
    clean = statuses.index[statuses["status"] == "synced"]
    assert len(clean) > len(erp) * 0.6, (len(clean), len(erp))
    # Every change order not clean is explained: its status waits, blocked or rejected, with a reason.
    unclean = statuses.drop(clean)
    assert unclean["status"].isin(["blocked", "rejected"]).all(), unclean["status"].value_counts()
    assert unclean["last_error"].str.startswith(status_point).all()

    # Exactly one logical Procore change order per clean ERP change order.
    logical = ledger_rows(logical_point).loc[clean]
    assert (logical["status"] == "synced").all()
    records = {r["id"]: r for r in emu.state.records(resource)}
    assert len(set(logical["procore_id"])) == len(clean)
    assert all(int(i) in records for i in logical["procore_id"])
    if tier == 2:
        for procore_id in logical["procore_id"]:
            package = emu.state.get("change_order_packages", int(procore_id))
            assert len(package_potential_change_orders(emu.state, package)) == 1, "one PCO per package"

    # Per change order: Procore's total (computed from its lines) equals the ERP's, to the cent.
    wrong = {
        key: (records[int(pid)]["grand_total"], erp.loc[key, "amount"])
        for key, pid in logical["procore_id"].items()
        if money(records[int(pid)]["grand_total"]) != erp.loc[key, "amount"]
    }
    assert not wrong, wrong

    # Per commitment: approved and pending change orders equal the ERP's clean change orders by status.
    expected: dict[str, dict[str, Decimal]] = defaultdict(lambda: {"approved": CENT * 0, "pending": CENT * 0})
    for key in clean:
        row = erp.loc[key]
        bucket = "approved" if row["status"] in APPROVED else "pending" if row["status"] in PENDING else None
        if bucket:
            expected[row["contract_number"]][bucket] += row["amount"]
    commitments = ledger_rows("commitments")
    shown = {
        r["id"]: r
        for res in ("work_order_contracts", "purchase_order_contracts")
        for r in emu.state.records(res)
    }
    checked = 0
    for contract, entry in commitments[commitments["status"] == "synced"].iterrows():
        record = shown[int(entry["procore_id"])]
        want = expected.get(contract, {"approved": CENT * 0, "pending": CENT * 0})
        assert money(record["approved_change_orders"]) == want["approved"], (contract, record, want)
        assert money(record["pending_change_orders"]) == want["pending"], (contract, record, want)
        checked += bool(want["approved"] or want["pending"])
    assert checked > 10

    # The conformance check: every item of every request of the whole run (all points of this tier) is
    # what Procore's exact operation accepts (fields, required, enums, types, dates, query and path).
    with log.open() as lines:
        requests = sum(1 for _ in lines)
    findings = check_log(log)
    assert requests > 500 and findings == [], (requests, [str(f) for f in findings[:10]])

    # The next night, nothing changed: no change order is sent again.
    mark = len(emu.state.request_log)
    state, _, rerun = run_dag(NIGHT, {"mode": "full"})
    assert state == "success"
    assert [e for e in emu.state.request_log[mark:] if e.write] == []
    assert all(row["created"] == row["updated"] == 0 for row in rerun)
