"""Change order packages and commitment change orders.

Once ``approved`` (Procore's change order statuses are lower case), a commitment change order keeps its
lines and contract and cannot be deleted; a package keeps its ``grand_total``.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from .. import filters
from ..fields import NAME_MAX_LENGTH, Errors, Field, Kind, add_error
from ..records import StoredRecord
from ..schema import Op, RecordStore, ResourceSpec, ScopeParam, Unique, ValidationContext, WriteContext
from .common import (
    COMMITMENTS,
    LOCKED_CHANGE_ORDER_STATUSES,
    autonumber,
    locations,
    project_scope,
    record_label,
)
from .contracts import commitment_of, sov_resource
from .money import dec, money

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
    filters=(filters.ids("id"), filters.time_range("created_at"), filters.time_range("updated_at")),
    prepare=autonumber(),
    guard=_change_order_package_lock,
    render_extra=lambda rec, state: {
        **_render_change_order_package(rec, state),
        "number": rec.fields.get("number"),
    },
)

CHANGE_ORDER_LINE_FIELDS = (
    Field("id", Kind.INTEGER),
    Field("commitment_line_item_id", Kind.INTEGER),
    Field("amount", Kind.DECIMAL_STRING, required=True),
    Field("description"),
    Field("cost_code_id", Kind.INTEGER, ref="cost_codes"),
    Field("line_item_type_id", Kind.INTEGER, ref="line_item_types"),
    Field("quantity", Kind.DECIMAL_STRING),
    Field("unit_cost", Kind.DECIMAL_STRING),
    Field("uom"),
)
"""The emulator's reading of a change order line (the v1.0 extract collapses it): each line either
adjusts a line of the commitment's schedule of values (``commitment_line_item_id``, the name Procore's
v2.0 change order lines use) or adds one (``cost_code_id`` + ``line_item_type_id``)."""


def _validate_change_order(ctx: ValidationContext) -> Errors:
    errors: Errors = {}
    lines = ctx.changes.get("line_items")
    if not lines:
        return errors
    commitment = commitment_of(ctx.state, ctx.effective("contract_id"))
    stored_ids = (
        {line.get("id") for line in (ctx.existing.fields.get("line_items") or [])} if ctx.existing else set()
    )
    for index, line in enumerate(lines):
        path = f"line_items[{index}]"
        if line.get("id") is not None and line["id"] not in stored_ids:
            add_error(errors, f"{path}.id", f"line {line['id']} is not a line of this change order")
        sov_id = line.get("commitment_line_item_id")
        if sov_id is not None:
            sov = None
            if commitment is not None:
                resource, holder = sov_resource(commitment)
                sov = ctx.state.get(resource, sov_id)
                if sov is not None and sov.scope.get(holder) != commitment.id:
                    sov = None
            if sov is None:
                add_error(
                    errors,
                    f"{path}.commitment_line_item_id",
                    f"line item {sov_id} is not a schedule of values line of commitment "
                    f"{ctx.effective('contract_id')}",
                )
        else:
            for name in ("cost_code_id", "line_item_type_id"):
                if line.get(name) is None:
                    add_error(
                        errors,
                        f"{path}.{name}",
                        "can't be blank (a line that adds to the schedule of values needs cost_code_id and "
                        "line_item_type_id; one that changes a line names commitment_line_item_id)",
                    )
    return errors


def _prepare_change_order(ctx: WriteContext) -> Mapping[str, Any]:
    out = dict(autonumber()(ctx))
    lines = ctx.changes.get("line_items")
    if lines is not None:
        stored = (ctx.existing.fields.get("line_items") or []) if ctx.existing is not None else []
        prepared = []
        for index, line in enumerate(lines):
            line = {k: v for k, v in line.items() if v is not None}
            if "id" not in line:
                same = stored[index] if index < len(stored) else None
                if same is not None and {k: v for k, v in same.items() if k != "id"} == line:
                    line = {"id": same["id"], **line}
                else:
                    line = {"id": ctx.state.allocate_id(), **line}
            prepared.append(line)
        out["line_items"] = prepared
    return out


def _change_order_lock(ctx: WriteContext) -> Errors | None:
    rec = ctx.existing
    if rec is None or rec.fields.get("status") not in LOCKED_CHANGE_ORDER_STATUSES:
        return None
    who = record_label(ctx.state, rec)
    if ctx.action == "delete":
        return {"base": [f"{who} is approved and locked: it cannot be deleted"]}
    errors: Errors = {}
    for key in ("line_items", "contract_id"):
        if key in ctx.diff:
            add_error(
                errors,
                key,
                f"cannot be modified: {who} is approved and locked (its contract and schedule of values "
                "cannot be modified)",
            )
    return errors


def _render_change_order(rec: StoredRecord, state: RecordStore) -> dict[str, Any]:
    lines = rec.fields.get("line_items") or []
    commitment = commitment_of(state, rec.fields.get("contract_id"))
    return {
        "grand_total": money(sum((dec(line.get("amount")) for line in lines), Decimal(0))),
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
        Field("line_items", Kind.OBJECT_LIST, fields=CHANGE_ORDER_LINE_FIELDS, default=[]),
    ),
    unique=(Unique(("contract_id", "number")),),
    filters=(
        filters.ids("id"),
        filters.ids("contract_id"),
        filters.one_of("status", COMMITMENT_CHANGE_ORDER_STATUSES),
        filters.time_range("updated_at"),
    ),
    sorts={"id": lambda r: r.id, "created_at": lambda r: r.created_at},
    validate=_validate_change_order,
    prepare=_prepare_change_order,
    guard=_change_order_lock,
    delete_status=204,
    render_extra=_render_change_order,
    origin_tracked=False,
)

CHANGE_ORDER_RESOURCES: tuple[ResourceSpec, ...] = (CHANGE_ORDER_PACKAGES, COMMITMENT_CHANGE_ORDERS)
