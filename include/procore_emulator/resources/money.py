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


def potential_change_order_total(state: RecordStore, pco: StoredRecord) -> Decimal:
    """A PCO's grand total: the sum of its lines once it has any, else the amount sent on create."""
    lines = state.children("potential_change_order_line_items", "potential_change_order_id", pco.id)
    if lines:
        return sum((line_amount(r) for r in lines), Decimal(0))
    return dec(pco.fields.get("grand_total"))


def package_potential_change_orders(state: RecordStore, package: StoredRecord) -> list[StoredRecord]:
    """The PCOs a 2-tier change order package holds (``change_order_request.change_order_package_id``)."""
    return [
        pco
        for pco in state.children("potential_change_orders", "project_id", package.scope.get("project_id"))
        if (pco.fields.get("change_order_request") or {}).get("change_order_package_id") == package.id
    ]


def package_total(state: RecordStore, package: StoredRecord) -> Decimal | None:
    """A change order package's grand total from its PCOs; None while it holds none."""
    held = package_potential_change_orders(state, package)
    if not held:
        return None
    return sum((potential_change_order_total(state, pco) for pco in held), Decimal(0))


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
    project_id = rec.scope.get("project_id")
    # 1-tier: commitment change orders (their v2.0 lines); 2-tier: packages (their PCOs' lines)
    orders = [
        (co, change_order_total(state, co))
        for co in state.children("commitment_change_orders", "project_id", project_id)
        if co.fields.get("contract_id") == rec.id
    ]
    for package in state.children("change_order_packages", "contract_id", rec.id):
        total = package_total(state, package)
        if total is not None:
            orders.append((package, total))
    for co, amount in orders:
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
