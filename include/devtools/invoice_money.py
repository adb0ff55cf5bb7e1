"""The demo's invoice money line: what Procore's invoices claim against the ERP's pay apps, to the cent.

Procore totals an invoice from its items (set by ``subcontractor_invoice_lines``); the ERP keeps the
pay app's totals. For every invoice the ledger shows synced, both sides are summed in ``Decimal``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from erp_sync import ledger

CENT = Decimal("0.01")
PAY_APP_TOTALS = """
SELECT s.contract_no, p.app_no, p.amount_this_period
FROM pay_app p JOIN subcontract s ON s.subcontract_id = p.subcontract_id
"""


def cents(value: object) -> Decimal:
    """An amount as exact cents (SQLite hands NUMERIC back as float; its shortest repr is exact)."""
    return Decimal(str(value)).quantize(CENT)


def invoice_money(erp_url: str, ledger_url: str, requisitions: Iterable[Mapping[str, Any]]) -> str:
    """One line: invoices synced, Procore's claimed total, the ERP's, and how many match to the cent."""
    engine = sa.create_engine(erp_url)
    try:
        with engine.connect() as conn:
            erp = {f"{c}/{a}": cents(amount) for c, a, amount in conn.execute(sa.text(PAY_APP_TOTALS))}
    finally:
        engine.dispose()
    rows = ledger.read_point(ledger.connect(ledger_url), "subcontractor_invoices")
    synced = rows[rows["status"] == "synced"]
    claimed = {int(r["id"]): Decimal(r["total_claimed_amount"]) for r in requisitions}
    procore_total = erp_total = Decimal(0)
    equal = 0
    for key, entry in synced.iterrows():
        ours, theirs = claimed.get(int(entry["procore_id"]), Decimal(0)), erp.get(str(key), Decimal(0))
        procore_total += ours
        erp_total += theirs
        equal += ours == theirs
    return (
        f"subcontractor invoices: {len(synced)} in Procore claiming ${procore_total:,.2f}; "
        f"the ERP's pay apps for them: ${erp_total:,.2f}; {equal} of {len(synced)} equal to the cent"
    )
