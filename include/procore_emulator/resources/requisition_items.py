"""Requisition (subcontractor invoice) items: where an invoice's money lives.

Creating a requisition creates one contract item per line of its commitment's schedule of values, as
Procore does. The amounts are then set per item: in the requisition's ``items`` (v1.1 create/update,
matched by ``line_item_id`` or ``id``) or with ``PATCH /rest/v1.0/requisitions/{requisition_id}/
bulk_item_update``; the requisition's totals are computed from its items (``Decimal`` throughout).
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

from ..fields import Errors, Field, Kind, add_error, only
from ..operations import OperationRules, QueryParam
from ..ops import Op
from ..records import StoredRecord
from ..schema import RecordStore, ResourceSpec, ScopeParam, ValidationContext, WriteContext
from .common import locations, project_scope, record_label
from .contracts import commitment_of, sov_resource
from .money import change_order_total, dec, line_amount, money, requisition_items

ITEM_TYPES = ("contract_item", "contract_detail_item", "change_order_item")
LOCKED_REQUISITION_STATUSES = ("approved", "approved_as_noted")
"""An invoice in these statuses keeps its items: its money is what was approved."""
ITEM_STATUSES = ("approved", "rejected", "no_action")

BULK_MONEY = (
    "work_completed_this_period",
    "materials_presently_stored",
    "work_completed_retainage_retained_this_period",
    "materials_stored_retainage_currently_retained",
    "work_completed_retainage_released_this_period",
    "work_completed_this_period_quantity",
    "subcontractor_claimed_amount",
)
"""The amounts ``bulk_item_update`` sets (decimal strings there)."""

V11_ONLY_AMOUNTS = (
    "materials_presently_stored_from_previous_progress",
    "new_materials",
    "new_materials_quantity",
    "stored_materials",
    "stored_materials_quantity",
    "work_completed_retainage_percent_this_period",
    "materials_stored_retainage_percent_this_period",
)

REQUISITION_ITEM_FIELDS = (
    Field("id", Kind.INTEGER, required=True, ops=only(Op.UPDATE)),
    Field("line_item_id", Kind.INTEGER),
    Field("detail_line_item_id", Kind.INTEGER),
    Field("item_type", required=True),
    # the v1.1 extracts collapse these values to "(nested object)": the emulator reads amounts as
    # numbers (JSON numbers or decimal strings) and the rest as strings
    *(Field(name, Kind.NUMBER) for name in (*BULK_MONEY, *V11_ONLY_AMOUNTS)),
    Field("status"),
    Field("comment"),
)
"""The requisition's ``items`` (create: matched to the new items by ``line_item_id``; update: by ``id``)."""

BULK_ITEM_UPDATE = OperationRules(
    operation_id="RestV10RequisitionsRequisitionIdBulkItemUpdatePatch",
    method="PATCH",
    path="/rest/v1.0/requisitions/{requisition_id}/bulk_item_update",
    op=Op.UPDATE,
    fields=(
        Field("id", Kind.INTEGER),  # the extract requires nothing; the route requires id (the item)
        Field("item_type", enum=ITEM_TYPES),
        *(Field(name, Kind.DECIMAL_STRING) for name in BULK_MONEY),
        Field("status", enum=ITEM_STATUSES),
        Field("comment"),
    ),
    wrapper="requisition_items",
    query=(QueryParam("project_id", Kind.INTEGER, required=True),),
)
"""Served by ``routes/requisition_items.py``: all items or none are updated (422 naming
``requisition_items[i].field``)."""


def approved_items_lock(state: RecordStore, requisition: StoredRecord | None) -> Errors | None:
    """Procore locks the items of an approved invoice (the money approved): revise it to change them."""
    status = requisition.fields.get("status") if requisition is not None else None
    if requisition is None or status not in LOCKED_REQUISITION_STATUSES:
        return None
    return {
        "base": [
            f"{record_label(state, requisition)} is {status} and locked: its items cannot be modified "
            "(set it back to revise_and_resubmit first)"
        ]
    }


def _item_guard(ctx: WriteContext) -> Errors | None:
    """Changing an item of an approved invoice is refused; re-sending its values unchanged succeeds."""
    if ctx.existing is None or not ctx.diff:
        return None
    return approved_items_lock(ctx.state, ctx.state.get("requisitions", ctx.existing.scope["requisition_id"]))


def item_figures(state: RecordStore, item: StoredRecord) -> dict[str, Decimal]:
    """One item's money: this period, what earlier invoices of the commitment billed on the same SOV
    line, retainage, and the scheduled value."""
    requisition = state.get("requisitions", item.scope["requisition_id"])
    line_id = item.fields.get("line_item_id")
    previous = previous_retained = Decimal(0)
    if requisition is not None:
        for earlier in state.children(
            "requisitions", "commitment_id", requisition.scope.get("commitment_id")
        ):
            if earlier.id >= requisition.id:
                continue
            for other in requisition_items(state, earlier):
                if other.fields.get("line_item_id") == line_id:
                    previous += dec(other.fields.get("work_completed_this_period"))
                    previous_retained += _retained_this_period(other)
    value = {k: dec(item.fields.get(k)) for k in BULK_MONEY}
    line = _sov_line(state, requisition, line_id)
    scheduled = line_amount(line) if line is not None else Decimal(0)
    to_date = previous + value["work_completed_this_period"] + value["materials_presently_stored"]
    return {
        **value,
        "scheduled_value": scheduled,
        "work_completed_from_previous_application": previous,
        "work_completed_retainage_from_previous_application": previous_retained,
        "total_completed_and_stored_to_date": to_date,
        "work_retainage_to_date": previous_retained + _retained_this_period(item),
    }


def _retained_this_period(item: StoredRecord) -> Decimal:
    return dec(item.fields.get("work_completed_retainage_retained_this_period")) - dec(
        item.fields.get("work_completed_retainage_released_this_period")
    )


def _sov_line(state: RecordStore, requisition: StoredRecord | None, line_id: Any) -> StoredRecord | None:
    commitment = commitment_of(state, requisition.scope.get("commitment_id")) if requisition else None
    if commitment is None or line_id is None:
        return None
    resource, _ = sov_resource(commitment)
    return state.get(resource, line_id)


def requisition_figures(state: RecordStore, rec: StoredRecord) -> dict[str, Decimal]:
    """The invoice's totals from its items (cumulative to date, as a pay application's summary)."""
    totals = dict.fromkeys(
        (
            "original_contract_sum",
            "total_completed_and_stored_to_date",
            "completed_work_retainage_amount",
            "stored_materials_retainage_amount",
        ),
        Decimal(0),
    )
    for item in requisition_items(state, rec):
        figures = item_figures(state, item)
        totals["original_contract_sum"] += figures["scheduled_value"]
        totals["total_completed_and_stored_to_date"] += figures["total_completed_and_stored_to_date"]
        totals["completed_work_retainage_amount"] += figures["work_retainage_to_date"]
        totals["stored_materials_retainage_amount"] += figures[
            "materials_stored_retainage_currently_retained"
        ]
    totals["total_retainage"] = (
        totals["completed_work_retainage_amount"] + totals["stored_materials_retainage_amount"]
    )
    totals["total_earned_less_retainage"] = (
        totals["total_completed_and_stored_to_date"] - totals["total_retainage"]
    )
    return totals


def requisition_summary(
    state: RecordStore, rec: StoredRecord, previous: StoredRecord | None
) -> dict[str, str]:
    """Show's ``summary``: the documented keys the emulator can compute, as decimal strings."""
    figures = requisition_figures(state, rec)
    earlier = requisition_figures(state, previous)["total_earned_less_retainage"] if previous else Decimal(0)
    commitment = commitment_of(state, rec.scope.get("commitment_id"))
    approved = Decimal(0)
    if commitment is not None:
        for order in state.children("commitment_change_orders", "project_id", rec.scope.get("project_id")):
            if order.fields.get("contract_id") == commitment.id and order.fields.get("status") == "approved":
                approved += change_order_total(state, order)
    to_date = figures["original_contract_sum"] + approved
    figures.update(
        net_change_by_change_orders=approved,
        contract_sum_to_date=to_date,
        less_previous_certificates_for_payment=earlier,
        current_payment_due=figures["total_earned_less_retainage"] - earlier,
        balance_to_finish_including_retainage=to_date - figures["total_earned_less_retainage"],
    )
    return {key: money(value) for key, value in figures.items()}


def render_requisition_item(rec: StoredRecord, state: RecordStore) -> dict[str, Any]:
    figures = item_figures(state, rec)
    requisition = state.get("requisitions", rec.scope["requisition_id"])
    line = _sov_line(state, requisition, rec.fields.get("line_item_id"))
    siblings = state.children(rec.resource, "requisition_id", rec.scope["requisition_id"])
    scheduled = figures["scheduled_value"]
    to_date = figures["total_completed_and_stored_to_date"]
    quantity = rec.fields.get("work_completed_this_period_quantity")
    return {
        "item_type": rec.fields.get("item_type"),
        "cost_code_id": line.fields.get("cost_code_id") if line else None,
        "line_item_id": rec.fields.get("line_item_id"),
        "description_of_work": line.fields.get("description") if line else None,
        **{
            key: money(figures[key])
            for key in (
                "scheduled_value",
                "work_completed_from_previous_application",
                "work_completed_this_period",
                "materials_presently_stored",
                "total_completed_and_stored_to_date",
                "work_completed_retainage_from_previous_application",
                "work_completed_retainage_retained_this_period",
                "materials_stored_retainage_currently_retained",
                "work_completed_retainage_released_this_period",
                "subcontractor_claimed_amount",
            )
        },
        "total_completed_and_stored_to_date_percent": money(to_date * 100 / scheduled)
        if scheduled
        else "0.00",
        "work_completed_this_period_quantity": money(dec(quantity)) if quantity is not None else None,
        "comment": rec.fields.get("comment"),
        "status": rec.fields.get("status"),
        "position": next((i for i, r in enumerate(siblings, start=1) if r.id == rec.id), None),
        "currency_configuration": {"currency_iso_code": "USD"},
    }


REQUISITION_ITEMS = ResourceSpec(
    name="requisition_items",
    singular="requisition_item",
    path="/rest/v1.0/requisitions/{requisition_id}/contract_items",
    scope=(
        project_scope(locations(list="query")),
        ScopeParam(
            "requisition_id", locations(list="path"), parent="requisitions", rendered=False, cascade=True
        ),
    ),
    operations=frozenset({Op.LIST}),
    fields=(
        Field("item_type", shown=False),
        Field("line_item_id", Kind.INTEGER, shown=False),
        Field("detail_line_item_id", Kind.INTEGER, shown=False),
        *(Field(name, Kind.DECIMAL_STRING, shown=False) for name in (*BULK_MONEY, *V11_ONLY_AMOUNTS)),
        Field("status", shown=False),
        Field("comment", shown=False),
    ),
    operation_ids={Op.LIST: "RestV10RequisitionsRequisitionIdContractItemsGet"},
    origin_tracked=False,
    status_field=None,
    timestamps=False,
    guard=_item_guard,
    render_extra=render_requisition_item,
)


def validate_items(ctx: ValidationContext, errors: Errors) -> None:
    """Each of the requisition's ``items`` names a line of the commitment's SOV (create) or an item of
    this requisition (update)."""
    commitment = commitment_of(ctx.state, ctx.scope.get("commitment_id"))
    own = {r.id for r in ctx.state.children("requisition_items", "requisition_id", ctx.record_id)}
    for index, item in enumerate(ctx.changes.get("items") or []):
        path = f"items[{index}]"
        if item.get("id") is not None:
            if item["id"] not in own:
                add_error(errors, f"{path}.id", f"item {item['id']} is not an item of this requisition")
            continue
        line_id = item.get("line_item_id")
        if line_id is None:
            add_error(errors, f"{path}.line_item_id", "can't be blank (it names the SOV line the item bills)")
            continue
        line = None
        if commitment is not None:
            resource, holder = sov_resource(commitment)
            line = ctx.state.get(resource, line_id)
            line = line if line is not None and line.scope.get(holder) == commitment.id else None
        if line is None:
            add_error(
                errors,
                f"{path}.line_item_id",
                f"line item {line_id} is not a schedule of values line of commitment "
                f"{ctx.scope.get('commitment_id')}",
            )


def write_items(ctx: WriteContext, rec: StoredRecord) -> list[StoredRecord]:
    """``after_write`` of requisitions: on create, one contract item per SOV line; then the ``items``
    sent are applied to the matching item records."""
    state, now = ctx.state, ctx.state.now()
    items = list(requisition_items(state, rec))
    made: dict[int, StoredRecord] = {}
    if ctx.existing is None:
        commitment = commitment_of(state, rec.scope.get("commitment_id"))
        resource, holder = sov_resource(commitment) if commitment else ("", "")
        for line in state.children(resource, holder, commitment.id) if commitment else []:
            item = StoredRecord(
                resource="requisition_items",
                id=state.allocate_id(),
                company_id=rec.company_id,
                scope={"project_id": rec.scope["project_id"], "requisition_id": rec.id},
                fields={"item_type": "contract_item", "line_item_id": line.id},
                created_at=now,
                updated_at=now,
            )
            items.append(item)
            made[item.id] = item
    for sent in ctx.changes.get("items") or []:
        key, wanted = (
            ("id", sent["id"]) if sent.get("id") is not None else ("line_item_id", sent.get("line_item_id"))
        )
        target = next((i for i in items if (i.id if key == "id" else i.fields.get(key)) == wanted), None)
        if target is None:
            continue  # validated before: cannot happen
        values = {
            k: v for k, v in sent.items() if k not in ("id", "line_item_id", "item_type") and v is not None
        }
        target = dataclasses.replace(target, fields={**target.fields, **values}, updated_at=now)
        made[target.id] = target
        items = [target if i.id == target.id else i for i in items]
    return list(made.values())
