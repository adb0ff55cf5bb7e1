"""Computed money: line amounts, change order and invoice totals and a contract's figures, always as
``Decimal`` (never float) and rendered as Procore's decimal strings, so a test can compare the sums
Procore keeps to the cent.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from ..records import StoredRecord
from ..schema import RecordStore
from .common import LOCKED_CHANGE_ORDER_STATUSES, PENDING_CHANGE_ORDER_STATUSES


def dec(value: Any) -> Decimal:
    if value is None:
        return Decimal(0)
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return Decimal(0)


def money(value: Decimal) -> str:
    """Money as Procore renders it in Show: a decimal string."""
    return format(value.quantize(Decimal("0.01")), "f")


def line_amount(rec: StoredRecord) -> Decimal:
    """A line's amount: as sent, else quantity × unit cost (unit-quantity schedules of values)."""
    if rec.fields.get("amount") is not None:
        return dec(rec.fields["amount"])
    return dec(rec.fields.get("quantity")) * dec(rec.fields.get("unit_cost"))


def change_order_total(state: RecordStore, order: StoredRecord) -> Decimal:
    """A commitment change order's grand total: the sum of its (v2.0) line items' amounts."""
    lines = state.children("commitment_change_order_line_items", "commitment_change_order_id", order.id)
    return sum((line_amount(line) for line in lines), Decimal(0))


def requisition_items(state: RecordStore, requisition: StoredRecord) -> list[StoredRecord]:
    return state.children("requisition_items", "requisition_id", requisition.id)


def requisition_total(state: RecordStore, rec: StoredRecord) -> Decimal:
    """What an invoice claims this period: work completed plus materials presently stored."""
    total = Decimal(0)
    for item in requisition_items(state, rec):
        total += dec(item.fields.get("work_completed_this_period"))
        total += dec(item.fields.get("materials_presently_stored"))
    return total


def contract_money(state: RecordStore, rec: StoredRecord, lines_resource: str, holder: str) -> dict[str, Any]:
    lines = state.children(lines_resource, holder, rec.id)
    grand_total = sum((line_amount(r) for r in lines), Decimal(0))
    approved = pending = draft = Decimal(0)
    for co in state.children("commitment_change_orders", "project_id", rec.scope.get("project_id")):
        if co.fields.get("contract_id") != rec.id:
            continue
        amount = change_order_total(state, co)
        status = co.fields.get("status")
        if status in LOCKED_CHANGE_ORDER_STATUSES:
            approved += amount
        elif status in PENDING_CHANGE_ORDER_STATUSES:
            pending += amount
        elif status == "draft":
            draft += amount
    payments = state.children("contract_payments", "contract_id", rec.id)
    paid = sum((dec(p.fields.get("amount")) for p in payments), Decimal(0))
    revised = grand_total + approved
    return {
        "line_items": [state.render(r) for r in lines],
        "grand_total": money(grand_total),
        "approved_change_orders": money(approved),
        "pending_change_orders": money(pending),
        "draft_change_orders_amount": money(draft),
        "revised_contract": money(revised),
        "pending_revised_contract": money(revised + pending),
        "total_payments": money(paid),
        "percentage_paid": money(paid * 100 / revised) if revised else "0.00",
        "remaining_balance_outstanding": money(revised - paid),
        "_payments": payments,
    }
