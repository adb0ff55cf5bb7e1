"""Change order packages, commitment change orders (v1.0) and their line items (v2.0).

Procore documents a commitment change order's lines only under v2.0
(``/rest/v2.0/companies/{company_id}/projects/{project_id}/commitment_change_orders/{id}/line_items``);
the v1.0 change order takes none, and its ``grand_total`` is the sum of those lines' amounts. Once
``approved`` (Procore's change order statuses are lower case) a commitment change order keeps its
lines and contract and cannot be deleted; a package keeps its ``grand_total``. On a 2-tier project
a package holds potential change orders (their ``change_order_request.change_order_package_id``):
its ``grand_total`` is then theirs, computed from their lines, and counts in its commitment's
approved or pending change orders by the package's status.
"""

from __future__ import annotations

from typing import Any

from .. import filters
from ..fields import NAME_MAX_LENGTH, Errors, Field, Kind, add_error
from ..operations import RUN_CONFIGURABLE_VALIDATIONS, view
from ..records import StoredRecord
from ..schema import Op, RecordStore, ResourceSpec, ScopeParam, Unique, ValidationContext, WriteContext
from .common import (
    COMMITMENTS,
    LOCKED_CHANGE_ORDER_STATUSES,
    autonumber,
    locations,
    operation_ids,
    project_scope,
    record_label,
)
from .contracts import commitment_of, sov_guard, sov_resource
from .money import change_order_total, line_amount, money, package_total
from .wbs import wbs_ref

CHANGE_ORDER_PACKAGE_STATUSES = (
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

COMMITMENT_CHANGE_ORDER_STATUSES = (
    "draft",
    "pricing",
    "not_pricing",
    "pending",
    "revised",
    "proceeding",
    "not_proceeding",
    "pending_billable",
    "no_charge",
    "approved",
    "rejected",
    "void",
)


def _change_order_package_lock(ctx: WriteContext) -> Errors | None:
    rec = ctx.existing
    if rec is None or rec.fields.get("status") not in LOCKED_CHANGE_ORDER_STATUSES:
        return None
    errors: Errors = {}
    for key in ("grand_total",):
        if key in ctx.diff:
            add_error(
                errors,
                key,
                f"cannot be modified: {record_label(ctx.state, rec)} is approved and locked (its amount and "
                "schedule of values cannot be modified)",
            )
    return errors


def _render_change_order_package(rec: StoredRecord, state: RecordStore) -> dict[str, Any]:
    return {
        "deleted_at": None,
        "position": None,
        "private": False,
        "review_notes": None,
        "reviewed_at": None,
        "revised_substantial_completion_date": None,
        "revision": 0,
        "type": "CommitmentChangeOrderPackage",
        "creator": {"id": state.config.user_id, "name": state.config.user_name},
        "designated_reviewer": None,
        "reviewer": None,
        "attachments": [],
        "line_items": [],
        "currency_configuration": {"currency_iso_code": "USD"},
        "custom_fields": {},
    }


def _package_grand_total(rec: StoredRecord, state: RecordStore) -> dict[str, Any]:
    """A package holding PCOs (2-tier) totals them (computed from their lines); else as sent."""
    total = package_total(state, rec)
    return {} if total is None else {"grand_total": money(total)}


CHANGE_ORDER_PACKAGES = ResourceSpec(
    name="change_order_packages",
    singular="change_order_package",
    wrapper="change_order",
    path="/rest/v1.0/change_order_packages",
    scope=(
        project_scope(locations(list="query", show="query", create="body", update="body")),
        ScopeParam(
            "contract_id",
            locations(list="query", show="query", create="body", update="body"),
            parent=COMMITMENTS,
            optional=frozenset({Op.LIST, Op.SHOW, Op.UPDATE}),
        ),
    ),
    operations=frozenset({Op.LIST, Op.SHOW, Op.CREATE, Op.UPDATE}),
    fields=(
        Field("status", enum=CHANGE_ORDER_PACKAGE_STATUSES, default="draft"),
        Field("title", max_length=NAME_MAX_LENGTH, forbid_control_chars=True),
        Field("description"),
        Field("grand_total", Kind.DECIMAL_STRING),
        Field("schedule_impact_amount", Kind.INTEGER),
        Field("origin_code"),
        Field("origin_data"),
        Field("origin_id"),
        Field("paid_date", Kind.DATE),
        Field("invoiced_date", Kind.DATE),
        Field("due_date", Kind.DATE),
        Field("executed", Kind.BOOLEAN, default=False),
        Field("signed_change_order_received_date", Kind.DATE),
    ),
    # the list documents no filters[origin_id]: a client that lost its ledger pages through the
    # contract's packages and matches origin_id itself
    filters=(
        filters.ids("id"),
        filters.time_range("created_at"),
        filters.time_range("updated_at"),
        filters.accepted("reviewed_at"),  # reviews are not modelled
        filters.date_range("due_date"),
        filters.accepted("include_deleted", choices=("only", "with")),
        filters.date_range("invoiced_date"),
        filters.date_range("paid_date"),
        filters.date_range("signed_change_order_received_date"),
    ),
    operation_ids=operation_ids("RestV10ChangeOrderPackages"),
    prepare=autonumber(),
    guard=_change_order_package_lock,
    render_extra=lambda rec, state: {
        **_render_change_order_package(rec, state),
        "number": rec.fields.get("number"),
        **_package_grand_total(rec, state),
    },
)


def _change_order_lock(ctx: WriteContext) -> Errors | None:
    """An approved change order keeps its contract and cannot be deleted (its lines: see
    ``COMMITMENT_CHANGE_ORDER_LINE_ITEMS``)."""
    rec = ctx.existing
    if rec is None or rec.fields.get("status") not in LOCKED_CHANGE_ORDER_STATUSES:
        return None
    who = record_label(ctx.state, rec)
    if ctx.action == "delete":
        return {"base": [f"{who} is approved and locked: it cannot be deleted"]}
    errors: Errors = {}
    for key in ("contract_id",):
        if key in ctx.diff:
            add_error(
                errors,
                key,
                f"cannot be modified: {who} is approved and locked (its contract and schedule of values "
                "cannot be modified)",
            )
    return errors


def _render_change_order(rec: StoredRecord, state: RecordStore) -> dict[str, Any]:
    commitment = commitment_of(state, rec.fields.get("contract_id"))
    return {
        "grand_total": money(change_order_total(state, rec)),
        "contract": (
            {
                "id": commitment.id,
                "title": commitment.fields.get("title"),
                "number": commitment.fields.get("number"),
            }
            if commitment
            else None
        ),
        "deleted_at": None,
    }


COMMITMENT_CHANGE_ORDERS = ResourceSpec(
    name="commitment_change_orders",
    singular="commitment_change_order",
    wrapper="change_order",
    path="/rest/v1.0/projects/{project_id}/commitment_change_orders",
    scope=(
        project_scope(
            locations(list="path", show="path", create="path", update="path", delete="path"), rendered=True
        ),
    ),
    operations=frozenset({Op.LIST, Op.SHOW, Op.CREATE, Op.UPDATE, Op.DELETE}),
    fields=(
        Field("contract_id", Kind.INTEGER, required=True, ref=COMMITMENTS, immutable=True),
        Field("batch_id", Kind.INTEGER),
        Field("change_order_change_reason_id", Kind.INTEGER),
        Field("location_id", Kind.INTEGER),
        Field("designated_reviewer_id", Kind.INTEGER),
        Field("received_from_id", Kind.INTEGER),
        Field("description"),
        Field("due_date", Kind.DATE),
        Field("paid_date", Kind.DATE),
        Field("invoiced_date", Kind.DATE),
        Field("title", max_length=NAME_MAX_LENGTH, forbid_control_chars=True),
        # the request schema types status as a free string; the list's filter documents the values
        Field("status", enum=COMMITMENT_CHANGE_ORDER_STATUSES, default="draft"),
        Field("reference"),
        Field("number", max_length=NAME_MAX_LENGTH),
        Field("revision", Kind.INTEGER, default=0),
        Field("field_change", Kind.BOOLEAN, default=False),
        Field("signature_required", Kind.BOOLEAN, default=False),
        Field("signed_change_order_received_date", Kind.DATE),
        Field("schedule_impact_amount", Kind.INTEGER),
        Field("executed", Kind.BOOLEAN, default=False),
        Field("private", Kind.BOOLEAN, default=False),
        Field("paid", Kind.BOOLEAN, default=False),
        Field("reason"),
        Field("enable_ssov", Kind.BOOLEAN, shown=False),
        Field("change_event_attachment_ids", Kind.INTEGER_LIST, shown=False),
        Field("attachment_ids", Kind.INTEGER_LIST, shown=False),
        Field("drawing_revision_ids", Kind.INTEGER_LIST, shown=False),
        Field("file_version_ids", Kind.INTEGER_LIST, shown=False),
        Field("form_ids", Kind.INTEGER_LIST, shown=False),
        Field("image_ids", Kind.INTEGER_LIST, shown=False),
        Field("upload_ids", Kind.STRING_LIST, shown=False),
    ),
    unique=(Unique(("contract_id", "number")),),
    filters=(
        filters.ids("id"),
        filters.ids("contract_id"),
        filters.one_of("status", COMMITMENT_CHANGE_ORDER_STATUSES),
        filters.time_range("updated_at"),
        filters.ids("batch_id"),
        filters.accepted("legacy_package_id", "integer"),  # legacy packages are not modelled
        filters.accepted("vendor_id", "integer"),  # the contract's vendor is not consulted
        filters.flag("signature_required", "signature_required"),
        filters.flag("executed", "executed"),
    ),
    sorts={"id": lambda r: r.id, "created_at": lambda r: r.created_at},
    operation_ids=operation_ids("RestV10ProjectsProjectIdCommitmentChangeOrders", delete=True),
    query_params={
        Op.LIST: (view("default", "extended"),),
        Op.SHOW: (view("default", "extended"),),
        Op.CREATE: (RUN_CONFIGURABLE_VALIDATIONS,),
        Op.UPDATE: (RUN_CONFIGURABLE_VALIDATIONS, view("default", "extended")),
    },
    prepare=autonumber(),
    guard=_change_order_lock,
    delete_status=204,
    render_extra=_render_change_order,
    origin_tracked=False,
)

CCO_LINES_PATH = (
    "/rest/v2.0/companies/{company_id}/projects/{project_id}/commitment_change_orders/"
    "{commitment_change_order_id}/line_items"
)


def _validate_change_order_line(ctx: ValidationContext) -> Errors:
    """A line adjusting the schedule of values names a line of the change order's commitment; on an
    amount-based schedule ``amount`` is required and quantity, unit cost and unit are refused ("only
    accepted on unit quantity SOVs"); on a unit schedule the amount may come from quantity x unit cost."""
    errors: Errors = {}
    order = ctx.state.get("commitment_change_orders", ctx.scope["commitment_change_order_id"])
    commitment = commitment_of(ctx.state, order.fields.get("contract_id") if order else None)
    if commitment is None:
        return errors
    sov_id = ctx.changes.get("commitment_line_item_id")
    if sov_id is not None:
        resource, holder = sov_resource(commitment)
        sov = ctx.state.get(resource, sov_id)
        if sov is None or sov.scope.get(holder) != commitment.id:
            add_error(
                errors,
                "commitment_line_item_id",
                f"line item {sov_id} is not a schedule of values line of commitment {commitment.id}",
            )
    if commitment.fields.get("accounting_method") == "unit":
        return errors
    for name in ("quantity", "unit_cost", "uom"):
        if ctx.changes.get(name) is not None:
            add_error(
                errors,
                name,
                f"is only accepted on unit quantity SOVs ({record_label(ctx.state, commitment)} "
                "is amount based)",
            )
    if ctx.effective("amount") is None:
        add_error(errors, "amount", "can't be blank (the commitment's schedule of values is amount based)")
    return errors


def _render_change_order_line(rec: StoredRecord, state: RecordStore) -> dict[str, Any]:
    siblings = state.children(
        rec.resource, "commitment_change_order_id", rec.scope["commitment_change_order_id"]
    )
    return {
        "id": str(rec.id),
        "amount": money(line_amount(rec)),
        "extended_type": "manual" if rec.fields.get("amount") is not None else "calculated",
        "position": next((i for i, r in enumerate(siblings, start=1) if r.id == rec.id), None),
        "wbs_code": wbs_ref(state, rec.fields.get("wbs_code_id")),
    }


def _path_scope() -> dict[Op, tuple[Any, ...]]:
    return locations(list="path", show="path", create="path", update="path", delete="path")


COMMITMENT_CHANGE_ORDER_LINE_ITEMS = ResourceSpec(
    name="commitment_change_order_line_items",
    singular="commitment_change_order_line_item",
    path=CCO_LINES_PATH,
    scope=(
        ScopeParam("company_id", _path_scope()),
        ScopeParam("project_id", _path_scope(), parent="projects", rendered=False),
        ScopeParam(
            "commitment_change_order_id",
            _path_scope(),
            parent="commitment_change_orders",
            rendered=False,
            cascade=True,
        ),
    ),
    operations=frozenset({Op.LIST, Op.SHOW, Op.CREATE, Op.UPDATE, Op.DELETE}),
    # v2.0 types ids and money as strings; the body is the line itself and answers say {"data": ...}
    unwrapped=True,
    envelope="data",
    fields=(
        Field("prime_line_item_id", Kind.ID_STRING, ref="prime_contract_line_items"),
        Field("commitment_line_item_id", Kind.ID_STRING),
        Field("amount", Kind.DECIMAL_STRING),
        Field("description"),
        Field("quantity", Kind.DECIMAL_STRING),
        Field("unit_cost", Kind.DECIMAL_STRING),
        # Procore checks it against the company's units of measure; not modelled
        Field("uom"),
        Field("wbs_code_id", Kind.ID_STRING, required=True, ref="wbs_codes"),
        # tax codes are not modelled: stored, not checked
        Field("tax_code_id", Kind.ID_STRING),
    ),
    operation_ids=operation_ids(
        "RestV20CompaniesCompanyIdProjectsProjectIdCommitmentChangeOrdersCommitmentChangeOrderIdLineItems",
        delete=True,
    ),
    default_per_page=10,
    origin_tracked=False,
    status_field=None,
    timestamps=False,
    delete_status=204,
    validate=_validate_change_order_line,
    guard=sov_guard(
        "commitment_change_orders",
        "commitment_change_order_id",
        "express the change as another commitment change order",
        LOCKED_CHANGE_ORDER_STATUSES,
    ),
    render_extra=_render_change_order_line,
)

CHANGE_ORDER_RESOURCES: tuple[ResourceSpec, ...] = (
    CHANGE_ORDER_PACKAGES,
    COMMITMENT_CHANGE_ORDERS,
    COMMITMENT_CHANGE_ORDER_LINE_ITEMS,
)
