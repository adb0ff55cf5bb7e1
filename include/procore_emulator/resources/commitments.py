"""Work order and purchase order contracts (commitments) and their schedules of values, plus the short
form ``GET /rest/v1.0/commitments`` lists them in.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .. import filters
from ..fields import NAME_MAX_LENGTH, Field, Kind, except_
from ..operations import PAGINATION, RUN_CONFIGURABLE_VALIDATIONS, OperationRules, QueryParam, view
from ..records import StoredRecord
from ..schema import Op, RecordStore, ResourceSpec, ScopeParam, Unique
from .common import LOCKED_CONTRACT_STATUSES, autonumber, locations, operation_ids, project_scope
from .contracts import contract_guard, sov_spec
from .money import contract_money, money, requisition_total
from .refs import currency, project_ref, vendor_of

WORK_ORDER_STATUSES = (
    "Draft",
    "Out For Bid",
    "Out For Signature",
    "Approved",
    "Complete",
    "Terminated",
    "Void",
)

PURCHASE_ORDER_STATUSES = (
    "Draft",
    "Processing",
    "Submitted",
    "Partially Received",
    "Received",
    "Approved",
    "Closed",
)


def _render_commitment(lines_resource: str, holder: str) -> Any:
    def render(rec: StoredRecord, state: RecordStore) -> dict[str, Any]:
        figures = contract_money(state, rec, lines_resource, holder)
        payments = figures.pop("_payments")
        vendor = vendor_of(state, rec.fields.get("vendor_id"))
        requisitions = state.children("requisitions", "commitment_id", rec.id)
        packages = state.children("change_order_packages", "contract_id", rec.id)
        out = {
            **figures,
            "attachments": [],
            "change_order_packages": [
                {"id": p.id, "number": p.fields.get("number"), "status": p.fields.get("status")}
                for p in packages
            ],
            "change_order_requests": [],
            "potential_change_orders": [],
            "created_by_id": state.config.user_id,
            "deleted_at": None,
            "invoice_contacts": [],
            "payments_issued": [
                {"id": p.id, "amount": p.fields.get("amount"), "date": p.fields.get("date")} for p in payments
            ],
            "project": project_ref(state, rec.scope.get("project_id")),
            "requisitions_are_enabled": True,
            "show_line_items_to_non_admins": False,
            "total_draw_requests_amount": "0.00",
            "total_requisitions_amount": money(
                sum((requisition_total(state, r) for r in requisitions), Decimal(0))
            ),
            "vendor": (
                {
                    "id": vendor.id,
                    "company": vendor.fields.get("name"),
                    "origin_data": vendor.fields.get("origin_data"),
                    "origin_id": vendor.fields.get("origin_id"),
                }
                if vendor
                else None
            ),
            "currency_configuration": currency(rec),
        }
        if rec.resource == "purchase_order_contracts":
            assignee = rec.fields.get("assignee_id")
            out["assignee"] = {"id": assignee} if assignee is not None else None
        return out

    return render


_NOT_SYNC = except_(Op.SYNC)
"""Attachments, invoice contacts and currency: the single create/update take them, the sync does not."""

_COMMITMENT_QUERY = {
    Op.LIST: (view("compact", "extended"),),
    Op.CREATE: (RUN_CONFIGURABLE_VALIDATIONS,),
    Op.UPDATE: (RUN_CONFIGURABLE_VALIDATIONS,),
}


def _commitment_fields(statuses: tuple[str, ...], *kind_fields: Field) -> tuple[Field, ...]:
    return (
        Field("accounting_method", enum=("amount", "unit")),
        Field("approval_letter_date", Kind.DATE),
        Field("contract_date", Kind.DATE),
        Field("description"),
        Field("executed", Kind.BOOLEAN, default=False),
        Field("execution_date", Kind.DATE),
        Field("invoice_contact_user_ids", Kind.INTEGER_LIST, shown=False, ops=_NOT_SYNC),
        Field("issued_on_date", Kind.DATE),
        Field("letter_of_intent_date", Kind.DATE),
        Field("origin_code"),
        Field("origin_data"),
        Field("origin_id"),
        Field("number", max_length=NAME_MAX_LENGTH),
        Field("private", Kind.BOOLEAN, default=True),
        Field("retainage_percent", Kind.DECIMAL_STRING, minimum=0, maximum=100),
        Field("returned_date", Kind.DATE),
        Field("status", enum=statuses, default="Draft"),
        Field("title", max_length=NAME_MAX_LENGTH, forbid_control_chars=True),
        Field("vendor_id", Kind.INTEGER, ref="vendors", shown=False),
        Field("drawing_revision_ids", Kind.INTEGER_LIST, shown=False, ops=_NOT_SYNC),
        Field("file_version_ids", Kind.INTEGER_LIST, shown=False, ops=_NOT_SYNC),
        Field("form_ids", Kind.INTEGER_LIST, shown=False, ops=_NOT_SYNC),
        Field("image_ids", Kind.INTEGER_LIST, shown=False, ops=_NOT_SYNC),
        Field("upload_ids", Kind.STRING_LIST, shown=False, ops=_NOT_SYNC),
        Field("currency_exchange_rate", Kind.NUMBER, shown=False, ops=_NOT_SYNC),
        Field("currency_iso_code", code="currency", shown=False, ops=_NOT_SYNC),
        *kind_fields,
    )


def _contract_scope() -> tuple[ScopeParam, ...]:
    return (
        project_scope(
            locations(list="query", show="query", create="body", update="body", sync="body", delete="query")
        ),
    )


def _commitment_filters(statuses: tuple[str, ...]) -> tuple[Any, ...]:
    return (
        filters.ids("id"),
        filters.one_of("status", statuses),
        filters.time_range("created_at"),
        filters.time_range("updated_at"),
        filters.equals("origin_id"),
        filters.accepted("include_deleted", choices=("only", "with")),  # deleted records are not listed
    )


WORK_ORDER_CONTRACTS = ResourceSpec(
    name="work_order_contracts",
    singular="work_order_contract",
    path="/rest/v1.0/work_order_contracts",
    scope=_contract_scope(),
    operations=frozenset(Op),
    fields=_commitment_fields(
        WORK_ORDER_STATUSES,
        Field("actual_completion_date", Kind.DATE),
        Field("contract_estimated_completion_date", Kind.DATE),
        Field("contract_start_date", Kind.DATE),
        Field("exclusions"),
        Field("inclusions"),
        Field("signed_contract_received_date", Kind.DATE),
    ),
    body_params=("attachments",),
    unique=(Unique(("number",)),),
    filters=_commitment_filters(WORK_ORDER_STATUSES),
    operation_ids=operation_ids(
        "RestV10WorkOrderContracts", sync="RestV10WorkOrderContractsSyncPatch", delete=True
    ),
    query_params=_COMMITMENT_QUERY,
    prepare=autonumber(),
    guard=contract_guard(LOCKED_CONTRACT_STATUSES),
    render_extra=_render_commitment("work_order_contract_line_items", "work_order_contract_id"),
)

PURCHASE_ORDER_CONTRACTS = ResourceSpec(
    name="purchase_order_contracts",
    singular="purchase_order_contract",
    path="/rest/v1.0/purchase_order_contracts",
    scope=_contract_scope(),
    operations=frozenset(Op),
    fields=_commitment_fields(
        PURCHASE_ORDER_STATUSES,
        Field("assignee_id", Kind.INTEGER, shown=False),
        Field("bill_to_address"),
        Field("delivery_date", Kind.DATE),
        Field("payment_terms"),
        Field("ship_to_address"),
        Field("ship_via"),
    ),
    body_params=("attachments",),
    unique=(Unique(("number",)),),
    filters=_commitment_filters(PURCHASE_ORDER_STATUSES),
    operation_ids=operation_ids(
        "RestV10PurchaseOrderContracts", sync="RestV10PurchaseOrderContractsSyncPatch", delete=True
    ),
    query_params=_COMMITMENT_QUERY,
    sync_by_id=False,  # the purchase order sync extract has no id (work orders' has): origin_id only
    prepare=autonumber(),
    guard=contract_guard(LOCKED_CONTRACT_STATUSES),
    render_extra=_render_commitment("purchase_order_contract_line_items", "purchase_order_contract_id"),
)

WORK_ORDER_CONTRACT_LINE_ITEMS = sov_spec(
    WORK_ORDER_CONTRACTS,
    "express the change as a commitment change order",
    prefix="RestV10WorkOrderContractsWorkOrderContractIdLineItems",
)

PURCHASE_ORDER_CONTRACT_LINE_ITEMS = sov_spec(
    PURCHASE_ORDER_CONTRACTS,
    "express the change as a commitment change order",
    prefix="RestV10PurchaseOrderContractsPurchaseOrderContractIdLineItems",
)


COMMITMENTS_LIST = OperationRules(
    operation_id="RestV10CommitmentsGet",
    method="GET",
    path="/rest/v1.0/commitments",
    op=Op.LIST,
    query=(QueryParam("project_id", Kind.INTEGER, required=True), *PAGINATION),
)
"""Served by ``routes/extra.py``: both kinds of a project, in the short form below (no filters)."""


def commitment_summary(rec: StoredRecord, state: RecordStore) -> dict[str, Any]:
    """One row of ``GET /rest/v1.0/commitments`` (both kinds), as the spec lists its keys."""
    vendor = vendor_of(state, rec.fields.get("vendor_id"))
    rendered_created = state.render(rec)["created_at"]
    return {
        "id": rec.id,
        "title": rec.fields.get("title"),
        "number": rec.fields.get("number"),
        "status": rec.fields.get("status", "Draft"),
        "description": rec.fields.get("description"),
        "executed": rec.fields.get("executed", False),
        "delivery_date": rec.fields.get("delivery_date"),
        "created_at": rendered_created,
        "private": rec.fields.get("private", True),
        "vendor": {"id": vendor.id, "name": vendor.fields.get("name")} if vendor else None,
    }


COMMITMENT_RESOURCES: tuple[ResourceSpec, ...] = (
    WORK_ORDER_CONTRACTS,
    PURCHASE_ORDER_CONTRACTS,
    WORK_ORDER_CONTRACT_LINE_ITEMS,
    PURCHASE_ORDER_CONTRACT_LINE_ITEMS,
)
