"""Subcontractor invoices (requisitions) and contract payments.

Both are ERP-owned once they carry an ``origin_id`` (only origin_id and origin_data change; no delete).
An invoice's money lives in its items (``requisition_items.py``), which stay writable: the ERP sets
them after creating the invoice.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .. import filters
from ..fields import Errors, Field, Kind, add_error
from ..operations import QueryParam, view
from ..records import StoredRecord
from ..schema import Op, RecordStore, ResourceSpec, ScopeParam, Unique, ValidationContext, WriteContext
from .common import (
    COMMITMENTS,
    CONTRACTS,
    HOLDER_TYPES,
    INVOICEABLE_CONTRACT_STATUSES,
    all_guards,
    locations,
    operation_ids,
    origin_lock_allowing,
    project_scope,
    record_label,
)
from .contracts import commitment_of, sov_resource
from .money import line_amount, money, requisition_items, requisition_total
from .refs import vendor_of
from .requisition_items import (
    REQUISITION_ITEM_FIELDS,
    REQUISITION_ITEMS,
    approved_items_lock,
    requisition_summary,
    validate_items,
    write_items,
)

REQUISITION_STATUSES = (
    "draft",
    "under_review",
    "revise_and_resubmit",
    "approved",
    "approved_as_noted",
    "pending_owner_approval",
)


def _validate_requisition(ctx: ValidationContext) -> Errors:
    errors: Errors = {}
    start, end = ctx.effective("requisition_start"), ctx.effective("requisition_end")
    if (
        start
        and end
        and end < start
        and ("requisition_start" in ctx.changes or "requisition_end" in ctx.changes)
    ):
        add_error(errors, "requisition_end", "must be on or after requisition_start")
    validate_items(ctx, errors)
    return errors


def _requisition_needs_approved_commitment(ctx: WriteContext) -> Errors | None:
    """Procore creates subcontractor invoices only against an approved commitment (the emulator's
    reading: Approved or Complete, and for purchase orders also Partially Received, Received, Closed)."""
    if ctx.action != "create":
        return None
    commitment = commitment_of(ctx.state, ctx.scope.get("commitment_id"))
    status = commitment.fields.get("status") if commitment else None
    if commitment is not None and status not in INVOICEABLE_CONTRACT_STATUSES:
        return {
            "commitment_id": [
                f"{record_label(ctx.state, commitment)} is {status}: subcontractor invoices can only be "
                "created for an approved commitment (Approved, Complete, or a received or closed purchase "
                "order)"
            ]
        }
    return None


def _approved_items_locked(ctx: WriteContext) -> Errors | None:
    """An update's ``items`` are refused while the invoice is approved (its items are locked)."""
    if ctx.action != "update" or not ctx.changes.get("items"):
        return None
    return approved_items_lock(ctx.state, ctx.existing)


def _render_requisition(rec: StoredRecord, state: RecordStore) -> dict[str, Any]:
    commitment = commitment_of(state, rec.scope.get("commitment_id"))
    vendor = vendor_of(state, commitment.fields.get("vendor_id")) if commitment else None
    siblings = state.children("requisitions", "commitment_id", rec.scope.get("commitment_id"))
    earlier = [r for r in siblings if r.id < rec.id]
    total = requisition_total(state, rec)
    contract_total = Decimal(0)
    if commitment is not None:
        resource, holder = sov_resource(commitment)
        contract_total = sum(
            (line_amount(r) for r in state.children(resource, holder, commitment.id)), Decimal(0)
        )
    return {
        "previous_requisition_id": earlier[-1].id if earlier else None,
        "commitment_type": HOLDER_TYPES.get(commitment.resource) if commitment else None,
        "contract_name": commitment.fields.get("title") if commitment else None,
        "deletable": rec.fields.get("origin_id") is None,
        "vendor_name": vendor.fields.get("name") if vendor else None,
        "vendor_id": vendor.id if vendor else None,
        "invoice_type": "requisition",
        "percent_complete": money(total * 100 / contract_total) if contract_total else "0.00",
        "erp_status": None,
        "number": len(earlier) + 1,
        "total_claimed_amount": money(total),
        "electronic_signature_id": None,
        "move_materials_to_previous_work_completed": False,
        "summary_text": None,
        "created_by": {
            "id": state.config.user_id,
            "name": state.config.user_name,
            "login": state.config.user_login,
            "company_name": state.config.company_name,
        },
        "custom_fields": {},
        "currency_configuration": {
            "currency_iso_code": "USD",
            "currency_exchange_rate": None,
            "base_currency_iso_code": "USD",
        },
        "attachments": [],
        "items": [state.render(item) for item in requisition_items(state, rec)],
        "summary": requisition_summary(state, rec, earlier[-1] if earlier else None),
        "item_packages": [],
    }


_REQUISITION_VIEW = view("default", "extended", "items", "action_policy")

REQUISITIONS = ResourceSpec(
    name="requisitions",
    singular="requisition",
    path="/rest/v1.1/requisitions",
    scope=(
        project_scope(
            locations(list="query", show="query", create="body", update="body", delete="query"), rendered=True
        ),
        ScopeParam("commitment_id", locations(create="body", update="body"), parent=COMMITMENTS),
    ),
    operations=frozenset({Op.LIST, Op.SHOW, Op.CREATE, Op.UPDATE, Op.DELETE}),
    wrapper_required=False,
    fields=(
        Field("items", Kind.OBJECT_LIST, fields=REQUISITION_ITEM_FIELDS, stored=False, shown=False),
        # billing periods are not modelled: period_id is stored, not checked
        Field("period_id", Kind.INTEGER),
        Field("requisition_start", Kind.DATE),
        Field("requisition_end", Kind.DATE),
        Field("billing_date", Kind.DATE),
        Field("final", Kind.BOOLEAN, default=False),
        Field("invoice_number"),
        Field("payment_date", Kind.DATE),
        Field("origin_data"),
        Field("origin_id"),
        Field("status", enum=REQUISITION_STATUSES, default="draft"),
        Field("submitted_at", Kind.DATE),
        Field("prostore_file_ids", Kind.INTEGER_LIST, shown=False),
        Field("upload_ids", Kind.STRING_LIST, shown=False),
    ),
    # one invoice per commitment per billing period
    unique=(Unique(("period_id",), within=("commitment_id",)),),
    filters=(
        filters.ids("id"),
        filters.scope_ids("commitment_id"),
        filters.ids("period_id"),
        filters.one_of("status", REQUISITION_STATUSES),
        filters.time_range("created_at"),
        filters.time_range("updated_at"),
        filters.equals("origin_id"),
        filters.accepted("is_last", choices=("true", "false")),  # accepted, not applied
    ),
    operation_ids=operation_ids("RestV11Requisitions", delete=True),
    query_params={
        Op.LIST: (_REQUISITION_VIEW,),
        Op.SHOW: (_REQUISITION_VIEW,),
        Op.CREATE: (_REQUISITION_VIEW, QueryParam("invite_id", Kind.INTEGER)),
        Op.UPDATE: (_REQUISITION_VIEW,),
    },
    default_per_page=30,  # "Elements per page, default 30"
    validate=_validate_requisition,
    # the invoice's items and status stay writable under the origin_id lock: the ERP bills through
    # the items and approves the invoice once they carry its money (Procore then locks the items)
    guard=all_guards(
        _requisition_needs_approved_commitment,
        origin_lock_allowing("items", "status"),
        _approved_items_locked,
    ),
    after_write=write_items,
    render_extra=_render_requisition,
)


def _validate_payment(ctx: ValidationContext) -> Errors:
    errors: Errors = {}
    requisition_id = ctx.changes.get("requisition_id")
    if requisition_id is not None:
        requisition = ctx.state.get("requisitions", requisition_id)
        if requisition is None or requisition.scope.get("commitment_id") != ctx.scope.get("contract_id"):
            add_error(
                errors,
                "requisition_id",
                f"requisition {requisition_id} not found on contract {ctx.scope.get('contract_id')}",
            )
    return errors


CONTRACT_PAYMENTS = ResourceSpec(
    name="contract_payments",
    singular="contract_payment",
    path="/rest/v1.0/contract_payments",
    scope=(
        project_scope(
            locations(list="query", show="query", create="body", update="body", delete="query"), rendered=True
        ),
        ScopeParam(
            "contract_id",
            locations(list="query", show="query", create="body", update="body", delete="query"),
            parent=CONTRACTS,
        ),
    ),
    operations=frozenset({Op.LIST, Op.SHOW, Op.CREATE, Op.UPDATE, Op.DELETE}),
    wrapper_required=False,
    fields=(
        Field("date", Kind.DATE),
        Field("invoice_number"),
        Field("check_number"),
        Field("invoice_date", Kind.DATE, shown=False),
        Field("draw_request_number", Kind.INTEGER),
        Field("notes"),
        Field("payment_number", Kind.INTEGER),
        Field("payment_method", enum=("check", "credit_card", "electronic"), shown=False),
        # the spec requires no attribute; a payment without an amount is meaningless, so the emulator
        # requires it on create (stricter where silent)
        Field("amount", Kind.DECIMAL_STRING, required=True),
        Field("origin_id"),
        Field("origin_data"),
        Field("requisition_id", Kind.INTEGER),
        Field("prostore_file_ids", Kind.INTEGER_LIST, shown=False),
    ),
    body_params=("attachments",),  # accepted, not stored
    operation_ids=operation_ids("RestV10ContractPayments", delete=True),
    validate=_validate_payment,
    guard=origin_lock_allowing(),
    render_extra=lambda rec, state: {
        "attachments": [],
        "date_payment_settled": None,
        "date_payment_initiated": None,
        "external_payment_id": None,
        "origin_code": None,
        "status": None,
    },
    status_field=None,
)

BILLING_RESOURCES: tuple[ResourceSpec, ...] = (REQUISITIONS, REQUISITION_ITEMS, CONTRACT_PAYMENTS)
