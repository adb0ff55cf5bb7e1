"""The demo's money lines: what Procore's records total against the ERP's amounts, to the cent.

Procore totals an invoice from its items (set by ``subcontractor_invoice_lines``) and a change order
from its lines; the ERP keeps the pay app's totals and the change order's items. For every record the
ledger shows synced, both sides are summed in ``Decimal``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from erp_sync import ledger

CENT = Decimal("0.01")
PAY_APP_TOTALS = """
SELECT s.contract_no || '/' || p.app_no, p.amount_this_period
FROM pay_app p JOIN subcontract s ON s.subcontract_id = p.subcontract_id
"""
CHANGE_ORDER_TOTALS = """
SELECT s.contract_no || '/' || c.co_no,
       (SELECT SUM(i.amount) FROM change_order_item i WHERE i.change_order_id = c.change_order_id)
FROM change_order c JOIN subcontract s ON s.subcontract_id = c.subcontract_id
"""
# tier -> (the point of the logical Procore change order, the one whose ledger row says it is complete,
# the emulator's resource holding it)
CHANGE_ORDER_POINTS = {
    1: ("commitment_change_orders", "commitment_change_order_statuses", "commitment_change_orders"),
    2: ("change_orders", "change_order_package_statuses", "change_order_packages"),
}


def cents(value: object) -> Decimal:
    """An amount as exact cents (SQLite hands NUMERIC back as float; its shortest repr is exact)."""
    return Decimal(str(value if value is not None else 0)).quantize(CENT)


def erp_totals(erp_url: str, query: str) -> dict[str, Decimal]:
    engine = sa.create_engine(erp_url)
    try:
        with engine.connect() as conn:
            return {str(key): cents(amount) for key, amount in conn.execute(sa.text(query))}
    finally:
        engine.dispose()


def synced(ledger_url: str, point: str) -> Any:
    rows = ledger.read_point(ledger.connect(ledger_url), point)
    return rows[rows["status"] == "synced"]


def compare(
    synced_rows: Any, procore: Mapping[int, Decimal], erp: Mapping[str, Decimal]
) -> tuple[Decimal, Decimal, int]:
    """Procore's total of the ledger's synced records, the ERP's, and how many are equal to the cent."""
    procore_total = erp_total = Decimal(0)
    equal = 0
    for key, entry in synced_rows.iterrows():
        ours, theirs = procore.get(int(entry["procore_id"]), Decimal(0)), erp.get(str(key), Decimal(0))
        procore_total += ours
        erp_total += theirs
        equal += ours == theirs
    return procore_total, erp_total, equal


def invoice_money(erp_url: str, ledger_url: str, requisitions: Iterable[Mapping[str, Any]]) -> str:
    """One line: invoices synced, Procore's claimed total, the ERP's, and how many match to the cent."""
    claimed = {int(r["id"]): cents(r["total_claimed_amount"]) for r in requisitions}
    rows = synced(ledger_url, "subcontractor_invoices")
    procore_total, erp_total, equal = compare(rows, claimed, erp_totals(erp_url, PAY_APP_TOTALS))
    every = ledger.read_point(ledger.connect(ledger_url), "subcontractor_invoices")
    waiting = int((every["status"] == "blocked").sum())
    return (
        f"subcontractor invoices: {len(rows)} in Procore claiming ${procore_total:,.2f}; "
        f"the ERP's pay apps for them: ${erp_total:,.2f}; {equal} of {len(rows)} equal to the cent"
        + (f"; {waiting} more wait on their commitment's status (see the ledger)" if waiting else "")
    )


def change_order_money(erp_url: str, ledger_url: str, tier: int, records: Iterable[Mapping[str, Any]]) -> str:
    """One line: complete change orders in Procore, their total from the lines, the ERP's, matches.

    A change order is complete when its status point synced (every line arrived); the others are
    counted apart, their reasons are in the ledger.
    """
    point, complete_point, _ = CHANGE_ORDER_POINTS[tier]
    logical = synced(ledger_url, point)
    complete = logical.loc[logical.index.isin(synced(ledger_url, complete_point).index)]
    grand_totals = {int(r["id"]): cents(r["grand_total"]) for r in records}
    procore_total, erp_total, equal = compare(
        complete, grand_totals, erp_totals(erp_url, CHANGE_ORDER_TOTALS)
    )
    waiting = len(logical) - len(complete)
    return (
        f"change orders ({tier}-tier): {len(complete)} complete in Procore totalling "
        f"${procore_total:,.2f}; the ERP's for them: ${erp_total:,.2f}; "
        f"{equal} of {len(complete)} equal to the cent"
        + (f"; {waiting} more wait on rejected or blocked lines (see the ledger)" if waiting else "")
    )


def money_lines(
    erp_url: str, ledger_url: str, tier: int, records: Callable[[str], Iterable[Mapping[str, Any]]]
) -> list[str]:
    """The demo's money lines, reading Procore's records by resource name (``records``)."""
    return [
        change_order_money(erp_url, ledger_url, tier, records(CHANGE_ORDER_POINTS[tier][2])),
        invoice_money(erp_url, ledger_url, records("requisitions")),
    ]
