"""What commitments and prime contracts share: the contract lock, the schedule of values (SOV) lines
declared per contract, and finding the commitment a change order or invoice names.

Contracts in ``LOCKED_CONTRACT_STATUSES`` keep their contract company (``vendor_id``) and schedule of
values (no line created, changed or deleted) and cannot be deleted; nor can a contract that change
orders, packages, invoices or payments refer to.
"""

from __future__ import annotations

from typing import Any

from ..fields import Errors, Kind
from ..operations import view
from ..records import StoredRecord
from ..schema import Op, RecordStore, ResourceSpec, ScopeParam, WriteContext
from .common import (
    COMMITMENTS,
    LOCKED_CONTRACT_STATUSES,
    ORIGIN_MUTABLE,
    locations,
    operation_ids,
    project_scope,
    record_label,
)
from .line_items import line_item_fields, line_item_filters, render_line_item, validate_line_item


def contract_guard(locked_statuses: tuple[str, ...]) -> Any:
    """Commitments and prime contracts: once Approved/Complete, ``vendor_id`` is locked and the
    record cannot be deleted; nor can a contract that change orders, invoices or payments refer to."""

    def guard(ctx: WriteContext) -> Errors | None:
        rec = ctx.existing
        if rec is None:
            return None
        status = rec.fields.get("status")
        who = record_label(ctx.state, rec)
        if ctx.action == "delete":
            if status in locked_statuses:
                return {"base": [f"{who} is {status} and locked: it cannot be deleted"]}
            dependents = _contract_dependents(ctx.state, rec)
            if dependents:
                return {"base": [f"{who} cannot be deleted while {', '.join(dependents)} refer to it"]}
            return None
        if status in locked_statuses and "vendor_id" in ctx.diff:
            return {
                "vendor_id": [
                    f"cannot be modified: {who} is {status} and locked (its contract company and schedule "
                    "of values cannot be modified)"
                ]
            }
        return None

    return guard


def _contract_dependents(state: RecordStore, rec: StoredRecord) -> list[str]:
    project_id = rec.scope.get("project_id")
    found = []
    change_orders = [
        c
        for c in state.children("commitment_change_orders", "project_id", project_id)
        if c.fields.get("contract_id") == rec.id
    ]
    if change_orders:
        found.append(f"{len(change_orders)} commitment change order(s)")
    for resource, key, what in (
        ("change_order_packages", "contract_id", "change order package(s)"),
        ("potential_change_orders", "contract_id", "potential change order(s)"),
        ("requisitions", "commitment_id", "subcontractor invoice(s)"),
        ("contract_payments", "contract_id", "contract payment(s)"),
    ):
        count = len(state.children(resource, key, rec.id))
        if count:
            found.append(f"{count} {what}")
    return found


def sov_guard(
    parent_resource: str,
    parent_param: str,
    remedy: str,
    locked_statuses: tuple[str, ...] = LOCKED_CONTRACT_STATUSES,
) -> Any:
    """Schedule-of-values lines of a locked contract (or change order) cannot be added, changed or
    deleted."""

    def guard(ctx: WriteContext) -> Errors | None:
        parent_id = ctx.existing.scope[parent_param] if ctx.existing is not None else ctx.scope[parent_param]
        parent = ctx.state.get(parent_resource, parent_id)
        status = parent.fields.get("status") if parent is not None else None
        if status not in locked_statuses:
            return None
        if ctx.action == "update" and not set(ctx.diff) - ORIGIN_MUTABLE:
            return None
        what = {
            "create": "a line item cannot be added",
            "update": "its line items cannot be changed",
            "delete": "its line items cannot be deleted",
        }[ctx.action]
        return {
            "base": [
                f"{ctx.state.spec(parent_resource).label} {parent_id} is {status} and locked: its schedule "
                f"of values cannot be modified ({what}); {remedy}"
            ]
        }

    return guard


def sov_spec(
    contract: ResourceSpec,
    remedy: str,
    *,
    prefix: str,
    locked_statuses: tuple[str, ...] = LOCKED_CONTRACT_STATUSES,
    views: bool = True,
) -> ResourceSpec:
    """Line items under ``/rest/v1.0/{contract.name}/{id}/line_items`` (+ sync): ``prefix`` is the
    operationId stem; ``views``: list and show document ``view=default|ssov_source_lines``."""
    holder = f"{contract.singular}_id"
    is_prime = contract.name == "prime_contracts"
    line_view = (view("default", "ssov_source_lines"),) if views else ()
    return ResourceSpec(
        name=f"{contract.singular}_line_items",
        singular=f"{contract.singular}_line_item",
        wrapper="line_item",
        path=f"/rest/v1.0/{contract.name}/{{{holder}}}/line_items",
        scope=(
            project_scope(
                locations(
                    list="query",
                    show="query",
                    # prime contract line items take project_id in the query and the body
                    create=("query", "body") if is_prime else "body",
                    update=("query", "body") if is_prime else "body",
                    sync="query",
                    delete="query",
                )
            ),
            ScopeParam(
                holder,
                locations(list="path", show="path", create="path", update="path", sync="path", delete="path"),
                parent=contract.name,
                rendered=False,
                cascade=True,
            ),
        ),
        operations=frozenset(Op),
        fields=line_item_fields(Kind.DECIMAL_STRING),
        # commitment SOV sync items are matched by origin_id only (procore-api.md; the sync schema
        # has no id); prime contract line item sync items may carry id
        sync_by_id=is_prime,
        filters=line_item_filters(),
        operation_ids=operation_ids(prefix, sync=f"{prefix}SyncPatch", delete=True),
        query_params={Op.LIST: line_view, Op.SHOW: line_view},
        validate=validate_line_item,
        guard=sov_guard(contract.name, holder, remedy, locked_statuses),
        render_extra=render_line_item(holder, contract.name),
        status_field=None,
    )


def commitment_of(state: RecordStore, contract_id: int | None) -> StoredRecord | None:
    if contract_id is None:
        return None
    for resource in COMMITMENTS:
        rec = state.get(resource, contract_id)
        if rec is not None:
            return rec
    return None


def sov_resource(commitment: StoredRecord) -> tuple[str, str]:
    singular = (
        "work_order_contract" if commitment.resource == "work_order_contracts" else "purchase_order_contract"
    )
    return f"{singular}_line_items", f"{singular}_id"
