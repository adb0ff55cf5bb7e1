"""Building blocks the resource declarations share: scope parameters, common fields, the statuses
that lock records, and the rules more than one family applies (origin_id locks, numbering).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..fields import NAME_MAX_LENGTH, Errors, Field, add_error
from ..records import StoredRecord
from ..schema import STANDARD_OPS, Location, Op, RecordStore, ScopeParam, WriteContext

ALL_OPS = STANDARD_OPS
"""List, show, create, update and sync (vendors and projects have no DELETE)."""

LOCKED_CONTRACT_STATUSES = ("Approved", "Complete")
"""Commitment / prime contract statuses that lock the contract company and schedule of values."""

INVOICEABLE_CONTRACT_STATUSES = (*LOCKED_CONTRACT_STATUSES, "Partially Received", "Received", "Closed")
"""Commitment statuses a subcontractor invoice may be created against."""

LOCKED_CHANGE_ORDER_STATUSES = ("approved",)
"""Change order statuses (lower case in Procore's change order enums) that lock the change order."""

PENDING_CHANGE_ORDER_STATUSES = (
    "pricing",
    "not_pricing",
    "pending",
    "revised",
    "proceeding",
    "pending_billable",
)

ORIGIN_MUTABLE = frozenset({"origin_id", "origin_data"})
"""What may still change on a record locked because it carries an origin_id."""

COMMITMENTS = ("work_order_contracts", "purchase_order_contracts")

CONTRACTS = (*COMMITMENTS, "prime_contracts")

HOLDER_TYPES = {
    "work_order_contracts": "WorkOrderContract",
    "purchase_order_contracts": "PurchaseOrderContract",
    "prime_contracts": "PrimeContract",
    "direct_costs": "DirectCost",
    "potential_change_orders": "PotentialChangeOrder",
}


def locations(**ops: Location | tuple[Location, ...]) -> dict[Op, tuple[Location, ...]]:
    """``locations(list="query", create="body")`` → the ``ScopeParam.where`` map."""
    return {Op(name): (value,) if isinstance(value, str) else tuple(value) for name, value in ops.items()}


def project_scope(where: Mapping[Op, tuple[Location, ...]], *, rendered: bool = False) -> ScopeParam:
    return ScopeParam("project_id", where, parent="projects", rendered=rendered)


def company_scope(sync_from: tuple[Location, ...] = ("body",)) -> ScopeParam:
    """``company_id`` as the v1.0 company-level endpoints take it: query on reads, body on writes."""
    return ScopeParam(
        "company_id",
        {
            Op.LIST: ("query",),
            Op.SHOW: ("query",),
            Op.CREATE: ("body",),
            Op.UPDATE: ("body",),
            Op.SYNC: sync_from,
        },
    )


def operation_ids(prefix: str, *, sync: str | None = None, delete: bool = False) -> dict[Op, str]:
    """Procore's operationIds of a resource served the usual way: ``RestV10VendorsGet`` (list),
    ``...IdGet`` (show), ``...Post`` (create), ``...IdPatch`` (update), optionally delete and sync."""
    ids = {
        Op.LIST: f"{prefix}Get",
        Op.SHOW: f"{prefix}IdGet",
        Op.CREATE: f"{prefix}Post",
        Op.UPDATE: f"{prefix}IdPatch",
    }
    if delete:
        ids[Op.DELETE] = f"{prefix}IdDelete"
    if sync:
        ids[Op.SYNC] = sync
    return ids


def name_field() -> Field:
    """A record name: required, at most 255 characters (Procore's limit is undocumented; 255 is the
    Rails/PostgreSQL convention its columns follow), no control characters."""
    return Field("name", required=True, max_length=NAME_MAX_LENGTH, forbid_control_chars=True)


def origin_fields() -> tuple[Field, ...]:
    return (Field("origin_id"), Field("origin_data"), Field("origin_code"))


def record_label(state: RecordStore, rec: StoredRecord) -> str:
    return f"{state.spec(rec.resource).label} {rec.id}"


def _next_number(state: RecordStore, resource: str, scope_key: str, scope_value: int) -> str:
    highest = 0
    for rec in state.children(resource, scope_key, scope_value):
        number = str(rec.fields.get("number") or "")
        if number.isdigit():
            highest = max(highest, int(number))
    return str(highest + 1)


def autonumber(scope_key: str = "project_id") -> Any:
    """``prepare`` hook: a create without ``number`` gets the next free integer in its scope, as
    Procore numbers contracts and change orders."""

    def prepare(ctx: WriteContext) -> Mapping[str, Any]:
        if ctx.existing is not None or ctx.changes.get("number") is not None:
            return {}
        return {"number": _next_number(ctx.state, ctx.spec.name, scope_key, ctx.scope[scope_key])}

    return prepare


def all_guards(*guards: Any) -> Any:
    def guard(ctx: WriteContext) -> Errors | None:
        errors: Errors = {}
        for g in guards:
            for key, messages in (g(ctx) or {}).items():
                for message in messages:
                    add_error(errors, key, message)
        return errors

    return guard


def origin_lock(ctx: WriteContext) -> Errors | None:
    """Direct costs, requisitions and contract payments carrying an origin_id are owned by the ERP:
    only origin_id and origin_data change; they cannot be deleted."""
    return _origin_lock(ctx, ORIGIN_MUTABLE)


def origin_lock_allowing(*mutable: str) -> Any:
    """:func:`origin_lock` that also lets ``mutable`` attributes change (a requisition's ``items``)."""
    allowed = ORIGIN_MUTABLE | frozenset(mutable)

    def guard(ctx: WriteContext) -> Errors | None:
        return _origin_lock(ctx, allowed)

    return guard


def _origin_lock(ctx: WriteContext, allowed: frozenset[str]) -> Errors | None:
    rec = ctx.existing
    if rec is None or rec.fields.get("origin_id") is None:
        return None
    who = record_label(ctx.state, rec)
    if ctx.action == "delete":
        return {
            "base": [
                f"{who} carries an origin_id (it is synced from an ERP) and is locked: it cannot be "
                "deleted (clear its origin_id first)"
            ]
        }
    errors: Errors = {}
    for key in sorted(set(ctx.diff) - allowed):
        add_error(
            errors,
            key,
            f"cannot be modified: {who} carries an origin_id (it is synced from an ERP) and is locked; "
            "only origin_id and origin_data (and attachments) may change",
        )
    return errors
