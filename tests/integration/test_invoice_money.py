"""Subcontractor invoices carry their money: what Procore totals from the items equals the ERP's pay apps.

One whole-DAG run of the demo ERP against the emulator: every clean pay app's invoice in Procore claims
its pay app's amount and retainage to the cent (Procore computes them from the items the lines set),
every contract's invoices add up to its pay apps, statuses arrive after the money (an approved invoice
is approved with its money, a draft stays draft, an invoice with a line held back stays draft),
payments still point at their invoices, and every requisition request the run made passes Procore's
operation schemas.
"""

from __future__ import annotations

import os
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import demo_erp
import pandas as pd
import pytest
import sqlalchemy as sa
from devtools import spec_check
from devtools.localrun import run_dag
from erp_sync import ledger
from erp_sync.settings import load_settings
from procore_provider import ProcoreHook

pytestmark = pytest.mark.slow

NIGHT = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)
SPEC_DIR = Path(os.environ.get("PROCORE_SPEC_DIR") or spec_check.DEFAULT_SPEC)
CENT = Decimal("0.01")
INVOICE_CHAIN = (
    "commitment_lines",
    "subcontractor_invoices",
    "subcontractor_invoice_lines",
    "subcontractor_invoice_statuses",
    "payments",
)
PAY_APPS = """
SELECT p.pay_app_id, s.contract_no || '/' || p.app_no AS erp_key, s.contract_no, p.status,
       p.amount_this_period, p.retainage_this_period
FROM pay_app p JOIN subcontract s ON s.subcontract_id = p.subcontract_id
"""

LINES_OFF_THE_SOV = """
SELECT DISTINCT l.pay_app_id FROM pay_app_line l
JOIN pay_app p ON p.pay_app_id = l.pay_app_id
LEFT JOIN subcontract_item i ON i.subcontract_id = p.subcontract_id AND i.item_no = l.item_no
WHERE i.subcontract_item_id IS NULL
"""


def cents(value: object) -> Decimal:
    """An amount as exact cents (SQLite hands NUMERIC back as float: its shortest repr is exact here)."""
    return Decimal(str(value)).quantize(CENT)


@pytest.fixture
def logged_emulator(serve_emulator, tmp_path):
    log = tmp_path / "requests.jsonl"
    with serve_emulator(hourly_limit=1_000_000, spike_limit=100_000, request_log=str(log)) as emu:
        yield emu, log


@pytest.fixture
def erp(sync_data_dir):
    report = demo_erp.seed(load_settings().resolved_erp_url, scale=0.3, dirty_share=0.05, seed=11)
    engine = sa.create_engine(load_settings().resolved_erp_url)
    yield engine, report
    engine.dispose()


def run_whole_dag(logical_date: datetime, mode: str) -> None:
    """One run of every point; the invoice chain's points must finish without failures (the DAG's own
    success is test_all_points' to judge)."""
    _, _, summary = run_dag(logical_date, {"mode": mode})
    rows = {row["point"]: row for row in summary}
    for point in INVOICE_CHAIN:
        assert point in rows and rows[point]["failed"] == 0, (point, rows.get(point))


def ledger_rows(point: str) -> pd.DataFrame:
    return ledger.read_point(ledger.connect(load_settings().resolved_ledger_url), point)


def clean_pay_apps(engine, report) -> pd.DataFrame:
    """Pay apps neither dirty nor under a dirty parent, none of whose lines is dirty or held back,
    on a commitment whose status went out (a commitment with an SOV line held back stays draft in
    Procore, and Procore bills only approved commitments: see test_invoices_wait_for_their_commitment)."""
    held = {d.row_id for d in [*report.dirty, *report.blocked] if d.table == "pay_app"}
    with engine.connect() as conn:
        apps = pd.read_sql(sa.text(PAY_APPS), conn)
        lines = pd.read_sql(sa.text("SELECT pay_app_line_id, pay_app_id FROM pay_app_line"), conn)
        off_sov = pd.read_sql(sa.text(LINES_OFF_THE_SOV), conn)
    held_lines = {d.row_id for d in [*report.dirty, *report.blocked] if d.table == "pay_app_line"}
    held |= set(lines.loc[lines["pay_app_line_id"].isin(held_lines), "pay_app_id"])
    held |= set(off_sov["pay_app_id"])  # a line billing an SOV item the subcontract lacks holds the status
    statuses = ledger_rows("commitment_statuses")
    approved = set(statuses.index[statuses["status"] == "synced"])
    return apps[~apps["pay_app_id"].isin(held) & apps["contract_no"].isin(approved)].set_index("erp_key")


def assert_invoices_wait_for_their_commitment(engine) -> None:
    """A commitment whose status is held back (an SOV line not in Procore) stays draft: each of its pay
    apps is blocked naming the commitment's status and its reason, none is sent to fail."""
    statuses = ledger_rows("commitment_statuses")
    waiting = statuses[statuses["status"] == "blocked"]
    assert not waiting.empty and waiting["last_error"].str.contains("references commitment_lines").any()
    with engine.connect() as conn:
        apps = pd.read_sql(sa.text(PAY_APPS), conn).drop_duplicates("erp_key", keep=False)
    invoices = ledger_rows("subcontractor_invoices")
    on_waiting = apps.loc[apps["contract_no"].isin(waiting.index), "erp_key"]
    assert len(on_waiting) > 0
    for key in on_waiting:
        entry = invoices.loc[key]
        assert entry["status"] in ("blocked", "rejected"), (key, entry["status"])
        if entry["status"] == "blocked":
            assert "references commitment_statuses" in entry["last_error"], (key, entry["last_error"])


def test_invoice_money_equals_the_erp_per_invoice_and_per_contract(airflow_db, logged_emulator, erp):
    emulator, log = logged_emulator
    engine, report = erp
    run_whole_dag(NIGHT - timedelta(days=1), "full")
    assert_invoices_wait_for_their_commitment(engine)
    apps = clean_pay_apps(engine, report)
    invoices = ledger_rows("subcontractor_invoices")
    assert len(apps) > 100 and invoices.loc[apps.index, "status"].eq("synced").all()
    shown = {r["id"]: r for r in emulator.state.records("requisitions")}

    per_contract: dict[str, Decimal] = defaultdict(Decimal)
    claimed_total = Decimal(0)
    for key, app in apps.iterrows():
        invoice = shown[int(invoices.loc[key, "procore_id"])]
        retained = sum(
            (Decimal(i["work_completed_retainage_retained_this_period"]) for i in invoice["items"]),
            Decimal(0),
        )
        assert Decimal(invoice["total_claimed_amount"]) == cents(app["amount_this_period"]), key
        assert retained == cents(app["retainage_this_period"]), key
        # Statuses arrive after the money: approved with its money, a draft stays a draft.
        assert invoice["status"] == app["status"], key
        per_contract[app["contract_no"]] += cents(app["amount_this_period"])
        claimed_total += Decimal(invoice["total_claimed_amount"])
    assert claimed_total > 0 and {"approved", "draft"} <= set(apps["status"])

    # Per contract: the commitment's invoiced total is its pay apps' (contracts whose pay apps are all clean).
    held = {d.row_id for d in [*report.dirty, *report.blocked] if d.table == "pay_app"}
    with engine.connect() as conn:
        all_apps = pd.read_sql(sa.text(PAY_APPS), conn)
    whole = set(all_apps["contract_no"]) - set(
        all_apps.loc[~all_apps["erp_key"].isin(apps.index), "contract_no"]
    )
    commitments = ledger_rows("commitments")
    by_id = {
        r["id"]: r
        for res in ("work_order_contracts", "purchase_order_contracts")
        for r in emulator.state.records(res)
    }
    assert whole and not held & set(all_apps.loc[all_apps["contract_no"].isin(whole), "pay_app_id"])
    for contract in whole:
        commitment = by_id[int(commitments.loc[contract, "procore_id"])]
        assert Decimal(commitment["total_requisitions_amount"]) == per_contract[contract], contract

    # Lines that cannot be billed are reported by name: an SOV item the subcontract lacks is blocked.
    lines = ledger_rows("subcontractor_invoice_lines")
    dangling = lines[lines["last_error"].fillna("").str.contains("references commitment_lines")]
    assert not dangling.empty and dangling["status"].eq("blocked").all()
    assert (
        dangling["last_error"].str.startswith("subcontractor_invoice_lines contract_no/app_no#item_no=").all()
    )

    # Their invoices keep Procore's draft status: a status waits until every line carries its money.
    statuses = ledger_rows("subcontractor_invoice_statuses")
    held_back = statuses.loc[sorted({str(key).split("#")[0] for key in dangling.index})]
    assert held_back["status"].eq("blocked").all(), held_back[["status", "last_error"]]
    assert held_back["last_error"].str.contains("references subcontractor_invoice").all()
    for key in held_back.index:
        if invoices.loc[key, "status"] == "synced":
            assert shown[int(invoices.loc[key, "procore_id"])]["status"] == "draft", key

    # Payments still point at their invoices.
    payments = ledger_rows("payments")
    paid = [p for p in emulator.state.records("contract_payments") if p.get("requisition_id")]
    assert paid and (payments["status"] == "synced").sum() > 0
    assert {p["requisition_id"] for p in paid} <= set(shown)

    # Every requisition request of the run passes Procore's operation schemas.
    findings = [f for f in spec_check.check_log(log, SPEC_DIR) if "Requisition" in f.operation]
    assert findings == []


def test_a_line_off_the_requisition_fails_by_name_and_an_approved_invoice_keeps_its_money(
    airflow_db, logged_emulator, erp
):
    emulator, _ = logged_emulator
    engine, report = erp
    run_whole_dag(NIGHT - timedelta(days=1), "full")
    apps = clean_pay_apps(engine, report)
    invoices = ledger_rows("subcontractor_invoices")
    approved_key = apps[apps["status"] == "approved"].index[0]
    draft_key = apps[apps["status"].isin(["draft", "under_review"])].index[0]
    contract = apps.loc[draft_key, "contract_no"]
    at = (NIGHT + timedelta(hours=5)).replace(tzinfo=None)
    with engine.begin() as conn:
        # A new SOV line on the draft invoice's commitment (reopened in Procore to take it), billed on that
        # invoice: Procore made the invoice's items before the line existed.
        sub_id, job_no = conn.execute(
            sa.text(
                "SELECT s.subcontract_id, j.job_no FROM subcontract s JOIN job j ON j.job_id = s.job_id "
                "WHERE s.contract_no = :c"
            ),
            {"c": contract},
        ).one()
        item = (
            conn.execute(
                sa.text(
                    "SELECT * FROM subcontract_item WHERE subcontract_id = :s ORDER BY item_no DESC LIMIT 1"
                ),
                {"s": sub_id},
            )
            .mappings()
            .one()
        )
        new_no = item["item_no"] + 1
        conn.execute(
            sa.text(
                "INSERT INTO subcontract_item (subcontract_item_id, subcontract_id, item_no, cost_code, "
                "cost_type_code, description, quantity, uom, unit_cost, amount, created_at, updated_at) "
                "VALUES (:id, :s, :n, :cc, :ct, 'Added scope', 1, 'LS', 500, 500, :at, :at)"
            ),
            {
                "id": 990_000_001,
                "s": sub_id,
                "n": new_no,
                "cc": item["cost_code"],
                "ct": item["cost_type_code"],
                "at": at,
            },
        )
        conn.execute(
            sa.text(
                "INSERT INTO pay_app_line (pay_app_line_id, pay_app_id, line_no, item_no, "
                "work_completed_this_period, materials_stored, retainage_this_period, "
                "created_at, updated_at) "
                "VALUES (:id, :p, 99, :n, 50, 0, 0, :at, :at)"
            ),
            {"id": 990_000_002, "p": int(apps.loc[draft_key, "pay_app_id"]), "n": new_no, "at": at},
        )
        # The approved invoice's first line billed differently in the ERP: Procore keeps the approved money.
        conn.execute(
            sa.text(
                "UPDATE pay_app_line SET work_completed_this_period = work_completed_this_period + 1, "
                "updated_at = :at WHERE pay_app_line_id = (SELECT MIN(pay_app_line_id) FROM pay_app_line "
                "WHERE pay_app_id = :p)"
            ),
            {"at": at, "p": int(apps.loc[approved_key, "pay_app_id"])},
        )
    commitment_id = int(ledger_rows("commitments").loc[contract, "procore_id"])
    project_id = int(ledger_rows("projects").loc[job_no, "procore_id"])
    kind = "work_order_contracts" if contract.startswith("SC") else "purchase_order_contracts"
    ProcoreHook().request(
        "PATCH",
        f"/rest/v1.0/{kind}/{commitment_id}",
        json={"project_id": project_id, kind[:-1]: {"status": "Draft"}},
    )

    _, _, summary = run_dag(NIGHT + timedelta(days=1), {"mode": "incremental"})
    assert {row["point"]: row for row in summary}["subcontractor_invoice_lines"]["failed"] == 1
    lines = ledger_rows("subcontractor_invoice_lines")
    off = lines.loc[f"{draft_key}#{new_no}"]
    assert off["status"] == "failed", off["last_error"]
    assert off["last_error"].startswith(
        f"subcontractor_invoice_lines contract_no/app_no#item_no={draft_key}#{new_no}: "
    )
    assert "field 'item_number'" in off["last_error"] and "is not an item of requisition" in off["last_error"]
    changed = lines[lines.index.str.startswith(f"{approved_key}#") & (lines["status"] == "locked")]
    assert len(changed) == 1 and "approved and locked" in changed["last_error"].iloc[0]
    invoice = next(
        r
        for r in emulator.state.records("requisitions")
        if r["id"] == int(invoices.loc[approved_key, "procore_id"])
    )
    assert invoice["status"] == "approved"
    assert Decimal(invoice["total_claimed_amount"]) == cents(apps.loc[approved_key, "amount_this_period"])
