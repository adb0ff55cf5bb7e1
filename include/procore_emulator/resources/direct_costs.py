"""Direct costs and their line items.

A direct cost carrying an ``origin_id`` is owned by the ERP (only origin_id and origin_data change;
no delete). Direct costs refuse concurrent writes: ``conflict_keys`` names the direct cost a write
touches so a second write meanwhile is answered 409.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .. import filters
from ..fields import Errors, Field, Kind, except_, only
from ..operations import PAGINATION, OperationRules, QueryParam
from ..records import Placement, StoredRecord
from ..schema import Op, RecordStore, ResourceSpec, ScopeParam, ValidationContext
from .common import locations, operation_ids, origin_lock, project_scope
from .line_items import line_item_fields, line_item_filters, render_line_item, validate_line_item
from .money import line_amount, money
from .refs import currency, vendor_of

DIRECT_COST_TYPES = ("invoice", "expense", "payroll", "subcontractor_invoice")

DIRECT_COST_STATUSES = ("draft", "pending", "revise_and_resubmit", "approved")


def _direct_cost_conflicts(
    state: RecordStore, where: Placement, record_id: int | None, items: list[Any]
) -> set[tuple[str, int]]:
    if record_id is not None:
        return {("direct_costs", record_id)}
    keys: set[tuple[str, int]] = set()
    for item in items:
        if not isinstance(item, dict):
            continue
        if isinstance(item.get("id"), int) and not isinstance(item.get("id"), bool):
            keys.add(("direct_costs", item["id"]))
        elif isinstance(item.get("origin_id"), str) and item["origin_id"]:
            held = state.find_by_origin("direct_costs", where.company_id, item["origin_id"])
            if held is not None:
                keys.add(("direct_costs", held.id))
    return keys


def _direct_cost_line_conflicts(
    state: RecordStore, where: Placement, record_id: int | None, items: list[Any]
) -> set[tuple[str, int]]:
    if "direct_cost_id" in where.scope:
        return {("direct_costs", where.scope["direct_cost_id"])}
    keys: set[tuple[str, int]] = set()
    for item in items:
        if not isinstance(item, dict):
            continue
        held = None
        if isinstance(item.get("direct_cost_id"), int):
            keys.add(("direct_costs", item["direct_cost_id"]))
            continue
        if isinstance(item.get("id"), int):
            held = state.get("direct_cost_line_items", item["id"])
        elif isinstance(item.get("origin_id"), str) and item["origin_id"]:
            held = state.find_by_origin("direct_cost_line_items", where.company_id, item["origin_id"])
        if held is not None:
            keys.add(("direct_costs", held.scope["direct_cost_id"]))
    return keys


def render_direct_cost(rec: StoredRecord, state: RecordStore) -> dict[str, Any]:
    vendor = vendor_of(state, rec.fields.get("vendor_id"))
    lines = state.children("direct_cost_line_items", "direct_cost_id", rec.id)
    employee_id = rec.fields.get("employee_id")
    return {
        "attachments": [],
        "attachments_count": 0,
        "deleted_at": None,
        "employee": {"id": employee_id, "name": None} if employee_id is not None else None,
        "grand_total": money(sum((line_amount(r) for r in lines), Decimal(0))),
        "line_items_count": len(lines),
        "vendor": {"id": vendor.id, "name": vendor.fields.get("name")} if vendor else None,
        "vendor_id": rec.fields.get("vendor_id"),
        "vendor_name": vendor.fields.get("name") if vendor else None,
        "currency_configuration": currency(rec),
    }


DIRECT_COSTS = ResourceSpec(
    name="direct_costs",
    singular="direct_cost",
    wrapper="item",
    path="/rest/v1.0/projects/{project_id}/direct_costs",
    scope=(
        project_scope(
            locations(list="path", show="path", create="path", update="path", sync="path", delete="path")
        ),
    ),
    operations=frozenset(Op),
    fields=(
        Field("description"),
        Field("direct_cost_date", Kind.DATE),
        Field("employee_id", Kind.INTEGER, shown=False),
        Field("invoice_number", required=True),
        Field("origin_data"),
        Field("origin_id"),
        Field("payment_date", Kind.DATE),
        Field("received_date", Kind.DATE),
        Field("status", enum=DIRECT_COST_STATUSES, default="draft"),
        Field("terms"),
        Field("vendor_id", Kind.INTEGER, required=True, ref="vendors", shown=False),
        # v1.0 lists invoice/expense/payroll and says subcontractor_invoice is also allowed (v1.1
        # lists all four); the update schema does not take it at all, so it is fixed at creation.
        Field(
            "direct_cost_type",
            required=True,
            enum=DIRECT_COST_TYPES,
            immutable=True,
            ops=except_(Op.UPDATE),
        ),
        Field("currency_iso_code", code="currency", shown=False, ops=only(Op.SYNC)),
        Field("currency_exchange_rate", Kind.NUMBER, shown=False, ops=only(Op.SYNC)),
    ),
    body_params=("attachments",),
    filters=(
        filters.ids("id"),
        filters.equals("origin_id"),
        filters.equals("invoice_number"),
        filters.time_range("created_at"),
        filters.time_range("updated_at"),
        filters.date_range("payment_date"),
        filters.date_range("received_date"),
    ),
    operation_ids=operation_ids(
        "RestV10ProjectsProjectIdDirectCosts",
        sync="RestV10ProjectsProjectIdDirectCostsSyncPatch",
        delete=True,
    ),
    guard=origin_lock,
    conflict_keys=_direct_cost_conflicts,
    delete_body="id",
    render_extra=render_direct_cost,
)


def _validate_direct_cost_line(ctx: ValidationContext) -> Errors:
    return validate_line_item(ctx)


DIRECT_COST_LINE_ITEMS = ResourceSpec(
    name="direct_cost_line_items",
    singular="direct_cost_line_item",
    wrapper="line_item",
    path="/rest/v1.0/projects/{project_id}/direct_costs/{direct_cost_id}/line_items",
    sync_path="/rest/v1.0/projects/{project_id}/direct_costs/line_items/sync",
    scope=(
        project_scope(
            locations(list="path", show="path", create="path", update="path", sync="path", delete="path")
        ),
        ScopeParam(
            "direct_cost_id",
            # the create/update schemas also list direct_cost_id inside line_item: accepted there
            # when it names the direct cost of the path
            locations(
                list="path",
                show="path",
                create=("path", "item"),
                update=("path", "item"),
                sync="item",
                delete="path",
            ),
            parent="direct_costs",
            rendered=False,
            cascade=True,
        ),
    ),
    operations=frozenset(Op),
    fields=tuple(
        # direct cost line items carry numbers (the spec types them number:float), not strings
        line_item_fields(Kind.NUMBER)
    ),
    filters=line_item_filters(),
    operation_ids=operation_ids(
        "RestV10ProjectsProjectIdDirectCostsDirectCostIdLineItems",
        sync="RestV10ProjectsProjectIdDirectCostsLineItemsSyncPatch",
        delete=True,
    ),
    validate=_validate_direct_cost_line,
    conflict_keys=_direct_cost_line_conflicts,
    render_extra=render_line_item("direct_cost_id", "direct_costs"),
    status_field=None,
)

DIRECT_COST_RESOURCES: tuple[ResourceSpec, ...] = (DIRECT_COSTS, DIRECT_COST_LINE_ITEMS)

V11_DIRECT_COSTS_PATH = "/rest/v1.1/projects/{project_id}/direct_costs"
MAX_V11_LINES = 100
"""Procore: "The number of Line Items that can be sent in a single create request is limited to 100"."""

V11_LINE_FIELDS = (
    Field("id", Kind.INTEGER, ops=only(Op.UPDATE)),
    # the v1.1 extracts collapse these values to "(nested object)"; the emulator reads them as the
    # v1.0 line types them: manual_amount is the line's amount, wbs_code_id its budget code (a WBS
    # code of the project, required on a new line), ref is accepted and not stored
    Field("manual_amount", Kind.NUMBER),
    Field("wbs_code_id", Kind.INTEGER, required=True, ops=only(Op.CREATE)),
    Field("wbs_code_id", Kind.INTEGER, ops=only(Op.UPDATE)),  # a new line (no id) still needs it
    Field("description"),
    Field("direct_cost_id", Kind.INTEGER),
    Field("origin_data"),
    Field("origin_id"),
    Field("quantity", Kind.NUMBER),
    Field("ref"),
    Field("unit_cost", Kind.NUMBER),
    Field("uom"),
)

_V11_HEADER = {
    Op.CREATE: (
        "description",
        "direct_cost_date",
        "employee_id",
        "invoice_number",
        "origin_data",
        "origin_id",
        "payment_date",
        "received_date",
        "status",
        "terms",
        "vendor_id",
        "direct_cost_type",
    ),
    Op.UPDATE: (
        "description",
        "employee_id",
        "direct_cost_date",
        "origin_data",
        "origin_id",
        "payment_date",
        "received_date",
        "status",
        "terms",
        "vendor_id",
    ),
}


def _v11_write(op: Op, operation_id: str) -> OperationRules:
    names = _V11_HEADER[op]
    header = tuple(f for f in DIRECT_COSTS.fields if f.name in names)
    lines = Field("line_items", Kind.OBJECT_LIST, fields=V11_LINE_FIELDS, max_items=MAX_V11_LINES)
    method, path = (
        ("POST", V11_DIRECT_COSTS_PATH) if op == Op.CREATE else ("PATCH", f"{V11_DIRECT_COSTS_PATH}/{{id}}")
    )
    return OperationRules(
        operation_id=operation_id,
        method=method,
        path=path,
        op=op,
        fields=(*header, lines),
        required=tuple(f.name for f in header if f.required) if op == Op.CREATE else (),
        wrapper="direct_cost",
        body_params=("attachments",),
        wrapper_required=op == Op.CREATE,
    )


V11_DIRECT_COST_OPERATIONS = {
    Op.LIST: OperationRules(
        operation_id="RestV11ProjectsProjectIdDirectCostsGet",
        method="GET",
        path=V11_DIRECT_COSTS_PATH,
        op=Op.LIST,
        query=(*PAGINATION, *(QueryParam(f"filters[{f.name}]") for f in DIRECT_COSTS.filters)),
    ),
    Op.SHOW: OperationRules(
        "RestV11ProjectsProjectIdDirectCostsIdGet", "GET", f"{V11_DIRECT_COSTS_PATH}/{{id}}", Op.SHOW
    ),
    Op.CREATE: _v11_write(Op.CREATE, "RestV11ProjectsProjectIdDirectCostsPost"),
    Op.UPDATE: _v11_write(Op.UPDATE, "RestV11ProjectsProjectIdDirectCostsIdPatch"),
    Op.DELETE: OperationRules(
        "RestV11ProjectsProjectIdDirectCostsIdDelete", "DELETE", f"{V11_DIRECT_COSTS_PATH}/{{id}}", Op.DELETE
    ),
}
"""``/rest/v1.1/projects/{project_id}/direct_costs``, served by ``routes/direct_costs_v11.py``: the
header takes the v1.1 names (update: no invoice_number or direct_cost_type), lines nest inside."""
