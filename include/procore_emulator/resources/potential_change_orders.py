"""Potential change orders (PCOs) and their line items, both with sync actions.

A PCO belongs to a contract (``contract_id``: body on create/update, query on show and sync). Its
``grand_total`` is the sum of its lines' amounts once it has lines; before that, the amount sent on
create (the only operation that documents ``grand_total``). Once ``approved`` its lines are locked.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .. import filters
from ..fields import NAME_MAX_LENGTH, Field, Kind, except_, only
from ..records import StoredRecord
from ..schema import Op, RecordStore, ResourceSpec, ScopeParam
from .common import (
    CONTRACTS,
    LOCKED_CHANGE_ORDER_STATUSES,
    autonumber,
    locations,
    operation_ids,
    project_scope,
)
from .contracts import sov_spec
from .money import dec, line_amount, money

POTENTIAL_CHANGE_ORDER_STATUSES = (
    "draft",
    "not_pricing",
    "pricing",
    "pending",
    "revised",
    "proceeding",
    "not_proceeding",
    "no_charge",
    "approved",
    "rejected",
    "void",
)


def _render_potential_change_order(rec: StoredRecord, state: RecordStore) -> dict[str, Any]:
    lines = state.children("potential_change_order_line_items", "potential_change_order_id", rec.id)
    lines_total = sum((line_amount(r) for r in lines), Decimal(0))
    extended = sum(
        (dec(r.fields.get("quantity")) * dec(r.fields.get("unit_cost")) for r in lines), Decimal(0)
    )
    grand_total = lines_total if lines else dec(rec.fields.get("grand_total"))
    return {
        "grand_total": money(grand_total),
        "line_items": [state.render(r) for r in lines],
        "line_items_total": money(lines_total),
        "line_items_extended_total": money(extended),
        "creator": {"id": state.config.user_id, "name": state.config.user_name},
        "deleted_at": None,
        "currency_configuration": {"currency_iso_code": "USD"},
        "custom_fields": {},
    }


POTENTIAL_CHANGE_ORDERS = ResourceSpec(
    name="potential_change_orders",
    singular="potential_change_order",
    wrapper="change_order",
    path="/rest/v1.0/potential_change_orders",
    scope=(
        project_scope(locations(list="query", show="query", create="body", update="body", sync="query")),
        ScopeParam(
            "contract_id",
            # the list takes filters[contract_id] instead
            locations(show="query", create="body", update="body", sync="query"),
            parent=CONTRACTS,
        ),
    ),
    operations=frozenset({Op.LIST, Op.SHOW, Op.CREATE, Op.UPDATE, Op.SYNC}),
    fields=(
        Field("change_order_request_id", Kind.INTEGER, ops=except_(Op.CREATE)),
        # the extracts collapse change_order_package_id to "(nested object)": read as an id
        Field(
            "change_order_request",
            Kind.OBJECT,
            fields=(Field("change_order_package_id", Kind.INTEGER),),
            ops=except_(Op.CREATE),
            shown=False,
        ),
        # change events are not modelled: stored, not checked
        Field("commitment_change_event_id", Kind.INTEGER),
        Field("prime_change_event_id", Kind.INTEGER),
        Field("description"),
        Field("due_date", Kind.DATETIME),
        Field("grand_total", Kind.DECIMAL_STRING, ops=only(Op.CREATE), shown=False),
        Field("invoiced_date", Kind.DATE),
        Field("number", max_length=NAME_MAX_LENGTH),
        Field("origin_data"),
        Field("origin_id"),
        Field("paid_date", Kind.DATE),
        Field("schedule_impact_amount", Kind.INTEGER),
        Field("status", enum=POTENTIAL_CHANGE_ORDER_STATUSES, default="draft"),
        Field("title", max_length=NAME_MAX_LENGTH, forbid_control_chars=True),
        Field("currency_exchange_rate", Kind.DECIMAL_STRING, shown=False),
    ),
    # the sync extract's items carry no id: they are matched by origin_id
    sync_by_id=False,
    filters=(
        filters.ids("id"),
        filters.equals("origin_id"),
        filters.time_range("created_at"),
        filters.time_range("updated_at"),
        filters.date_range("due_date"),
        filters.scope_ids("contract_id"),
        filters.accepted("include_deleted", choices=("only", "with")),
        filters.date_range("invoiced_date"),
        filters.date_range("paid_date"),
        filters.accepted("reviewed_at"),  # reviews are not modelled
    ),
    operation_ids=operation_ids("RestV10PotentialChangeOrders", sync="RestV10PotentialChangeOrdersSyncPatch"),
    prepare=autonumber(),
    render_extra=_render_potential_change_order,
)

POTENTIAL_CHANGE_ORDER_LINE_ITEMS = sov_spec(
    POTENTIAL_CHANGE_ORDERS,
    "express the change as another potential change order",
    prefix="RestV10PotentialChangeOrdersPotentialChangeOrderIdLineItems",
    locked_statuses=LOCKED_CHANGE_ORDER_STATUSES,
    views=False,
)

POTENTIAL_CHANGE_ORDER_RESOURCES: tuple[ResourceSpec, ...] = (
    POTENTIAL_CHANGE_ORDERS,
    POTENTIAL_CHANGE_ORDER_LINE_ITEMS,
)
