"""Project financials: cost codes, cost types, budget, direct costs, commitments and their schedules of
values, change orders, subcontractor invoices, payments and prime contracts.

Declared from Procore's OpenAPI extracts like vendors and projects (writable fields are the union of
the create, update and sync request schemas). Where the extracts are silent or lossy, the stricter
reading is taken and said so in a comment and in the README. Record locking (procore-api.md):

- commitments and prime contracts in ``LOCKED_CONTRACT_STATUSES`` keep their contract company
  (``vendor_id``) and schedule of values (line items: no create, change or delete) and cannot be
  deleted; commitment change orders and change order packages once ``approved`` keep their lines /
  amount and cannot be deleted;
- direct costs, requisitions and contract payments that carry an ``origin_id`` are locked except for
  ``origin_id`` and ``origin_data`` (attachments are accepted and not stored) and cannot be deleted.

Every refusal is a 422 ``{"errors": {field: [message]}}`` on a single call or a per-item error in a
sync response, and every message says "locked".
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from . import filters
from .schema import (
    NAME_MAX_LENGTH,
    Errors,
    Field,
    Kind,
    Location,
    Op,
    ResourceSpec,
    ScopeParam,
    Unique,
    ValidationContext,
    WriteContext,
    add_error,
)

if TYPE_CHECKING:
    from .core import Placement
    from .state import EmulatorState, StoredRecord

LOCKED_CONTRACT_STATUSES = ("Approved", "Complete")
INVOICEABLE_CONTRACT_STATUSES = (*LOCKED_CONTRACT_STATUSES, "Partially Received", "Received", "Closed")
"""Commitment / prime contract statuses that lock the contract company and schedule of values."""
LOCKED_CHANGE_ORDER_STATUSES = ("approved",)
"""Change order statuses (lower case in Procore's change order enums) that lock the change order."""
ORIGIN_MUTABLE = frozenset({"origin_id", "origin_data"})
"""What may still change on a record locked because it carries an origin_id."""
COMMITMENTS = ("work_order_contracts", "purchase_order_contracts")
CONTRACTS = (*COMMITMENTS, "prime_contracts")
UOM_NOTE = "uom: Procore checks it against the company's list of units of measure; not modelled here"

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
PRIME_CONTRACT_STATUSES = ("Draft", "Out For Bid", "Out For Signature", "Approved", "Complete", "Terminated")
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
PENDING_CHANGE_ORDER_STATUSES = (
    "pricing",
    "not_pricing",
    "pending",
    "revised",
    "proceeding",
    "pending_billable",
)
DIRECT_COST_TYPES = ("invoice", "expense", "payroll", "subcontractor_invoice")
DIRECT_COST_STATUSES = ("draft", "pending", "revise_and_resubmit", "approved")
BASE_TYPES = ("equipment", "materials", "commitment", "owner_cost", "professional_services", "other")
REQUISITION_STATUSES = (
    "draft",
    "under_review",
    "revise_and_resubmit",
    "approved",
    "approved_as_noted",
    "pending_owner_approval",
)
HOLDER_TYPES = {
    "work_order_contracts": "WorkOrderContract",
    "purchase_order_contracts": "PurchaseOrderContract",
    "prime_contracts": "PrimeContract",
    "direct_costs": "DirectCost",
}


# small helpers -----------------------------------------------------------------------------------


def _where(**ops: Location | tuple[Location, ...]) -> dict[Op, tuple[Location, ...]]:
    """``_where(list="query", create="body")`` → the ``ScopeParam.where`` map."""
    return {Op(name): (value,) if isinstance(value, str) else tuple(value) for name, value in ops.items()}


def _project(where: Mapping[Op, tuple[Location, ...]], *, rendered: bool = False) -> ScopeParam:
    return ScopeParam("project_id", where, parent="projects", rendered=rendered)


def _company_scope() -> ScopeParam:
    return ScopeParam(
        "company_id", _where(list="query", show="query", create="body", update="body", sync="body")
    )


def _dec(value: Any) -> Decimal:
    if value is None:
        return Decimal(0)
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return Decimal(0)


def money(value: Decimal) -> str:
    """Money as Procore renders it in Show: a decimal string."""
    return format(value.quantize(Decimal("0.01")), "f")


def _label(state: EmulatorState, rec: StoredRecord) -> str:
    return f"{state.spec(rec.resource).label} {rec.id}"


def _project_ref(state: EmulatorState, project_id: int | None) -> dict[str, Any] | None:
    if project_id is None:
        return None
    rec = state.get("projects", project_id)
    return {"id": project_id, "name": rec.fields.get("name") if rec else None}


def _company_ref(state: EmulatorState, rec: StoredRecord) -> dict[str, Any]:
    return {"id": rec.company_id, "name": state.companies.get(rec.company_id)}


def _vendor(state: EmulatorState, vendor_id: int | None) -> StoredRecord | None:
    return state.get("vendors", vendor_id) if vendor_id is not None else None


def _cost_code_full(state: EmulatorState, rec: StoredRecord) -> str:
    parts: list[str] = []
    seen: set[int] = set()
    current: StoredRecord | None = rec
    while current is not None and current.id not in seen and len(parts) < 16:
        seen.add(current.id)
        parts.append(str(current.fields.get("code") or ""))
        parent_id = current.fields.get("parent_id")
        current = state.get("cost_codes", parent_id) if parent_id is not None else None
    return "-".join(reversed(parts))


def _cost_code_ref(state: EmulatorState, cost_code_id: int | None) -> dict[str, Any] | None:
    rec = state.get("cost_codes", cost_code_id) if cost_code_id is not None else None
    if rec is None:
        return None
    project_id = rec.scope.get("project_id")
    project = state.get("projects", project_id) if project_id is not None else None
    return {
        "id": rec.id,
        "biller": project.fields.get("name") if project else None,
        "biller_id": project_id,
        "biller_type": "Project",
        "budgeted": bool(_budget_lines_for(state, rec)),
        "code": rec.fields.get("code"),
        "created_at": state.render(rec)["created_at"],
        "deleted_at": None,
        "full_code": _cost_code_full(state, rec),
        "name": rec.fields.get("name"),
        "origin_data": rec.fields.get("origin_data"),
        "origin_id": rec.fields.get("origin_id"),
    }


def _line_item_type_ref(state: EmulatorState, type_id: int | None) -> dict[str, Any] | None:
    rec = state.get("line_item_types", type_id) if type_id is not None else None
    if rec is None:
        return None
    return {
        "id": rec.id,
        "name": rec.fields.get("name"),
        "code": rec.fields.get("csv_import_code"),
        "base_type": rec.fields.get("base_type"),
        "origin_data": rec.fields.get("origin_data"),
        "origin_id": rec.fields.get("origin_id"),
    }


def _currency(rec: StoredRecord) -> dict[str, Any]:
    return {"currency_iso_code": rec.fields.get("currency_iso_code") or "USD"}


def _budget_lines_for(state: EmulatorState, cost_code: StoredRecord) -> list[StoredRecord]:
    project_id = cost_code.scope.get("project_id")
    if project_id is None:
        return []
    return [
        r
        for r in state.children("budget_line_items", "project_id", project_id)
        if r.fields.get("cost_code_id") == cost_code.id
    ]


def line_amount(rec: StoredRecord) -> Decimal:
    """A line's amount: as sent, else quantity × unit cost (unit-quantity schedules of values)."""
    if rec.fields.get("amount") is not None:
        return _dec(rec.fields["amount"])
    return _dec(rec.fields.get("quantity")) * _dec(rec.fields.get("unit_cost"))


def _next_number(state: EmulatorState, resource: str, scope_key: str, scope_value: int) -> str:
    highest = 0
    for rec in state.children(resource, scope_key, scope_value):
        number = str(rec.fields.get("number") or "")
        if number.isdigit():
            highest = max(highest, int(number))
    return str(highest + 1)


def _autonumber(scope_key: str = "project_id") -> Any:
    """``prepare`` hook: a create without ``number`` gets the next free integer in its scope, as
    Procore numbers contracts and change orders."""

    def prepare(ctx: WriteContext) -> Mapping[str, Any]:
        if ctx.existing is not None or ctx.changes.get("number") is not None:
            return {}
        return {"number": _next_number(ctx.state, ctx.spec.name, scope_key, ctx.scope[scope_key])}

    return prepare


def _guards(*guards: Any) -> Any:
    def guard(ctx: WriteContext) -> Errors | None:
        errors: Errors = {}
        for g in guards:
            for key, messages in (g(ctx) or {}).items():
                for message in messages:
                    add_error(errors, key, message)
        return errors

    return guard


# shared rules ------------------------------------------------------------------------------------


def origin_lock(ctx: WriteContext) -> Errors | None:
    """Direct costs, requisitions and contract payments carrying an origin_id are owned by the ERP:
    only origin_id and origin_data change; they cannot be deleted."""
    rec = ctx.existing
    if rec is None or rec.fields.get("origin_id") is None:
        return None
    who = _label(ctx.state, rec)
    if ctx.action == "delete":
        return {
            "base": [
                f"{who} carries an origin_id (it is synced from an ERP) and is locked: it cannot be "
                "deleted (clear its origin_id first)"
            ]
        }
    errors: Errors = {}
    for key in sorted(set(ctx.diff) - ORIGIN_MUTABLE):
        add_error(
            errors,
            key,
            f"cannot be modified: {who} carries an origin_id (it is synced from an ERP) and is locked; "
            "only origin_id and origin_data (and attachments) may change",
        )
    return errors


def _contract_guard(locked_statuses: tuple[str, ...]) -> Any:
    """Commitments and prime contracts: once Approved/Complete, ``vendor_id`` is locked and the
    record cannot be deleted; nor can a contract that change orders, invoices or payments refer to."""

    def guard(ctx: WriteContext) -> Errors | None:
        rec = ctx.existing
        if rec is None:
            return None
        status = rec.fields.get("status")
        who = _label(ctx.state, rec)
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


def _contract_dependents(state: EmulatorState, rec: StoredRecord) -> list[str]:
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
        ("requisitions", "commitment_id", "subcontractor invoice(s)"),
        ("contract_payments", "contract_id", "contract payment(s)"),
    ):
        count = len(state.children(resource, key, rec.id))
        if count:
            found.append(f"{count} {what}")
    return found


def _sov_guard(parent_resource: str, parent_param: str, remedy: str) -> Any:
    """Schedule-of-values lines of a locked contract cannot be added, changed or deleted."""

    def guard(ctx: WriteContext) -> Errors | None:
        parent_id = ctx.existing.scope[parent_param] if ctx.existing is not None else ctx.scope[parent_param]
        parent = ctx.state.get(parent_resource, parent_id)
        status = parent.fields.get("status") if parent is not None else None
        if status not in LOCKED_CONTRACT_STATUSES:
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


def _validate_line_item(ctx: ValidationContext) -> Errors:
    """Line items name their budget code as cost_code_id + line_item_type_id. Procore also accepts a
    wbs_code_id (and prefers it); WBS codes are not modelled here, so it is refused with a message."""
    errors: Errors = {}
    if ctx.changes.get("wbs_code_id") is not None:
        add_error(
            errors,
            "wbs_code_id",
            "is not supported by the emulator (WBS codes are not modelled); send cost_code_id and "
            "line_item_type_id instead",
        )
    if ctx.existing is None:
        for name in ("cost_code_id", "line_item_type_id"):
            if ctx.changes.get(name) is None:
                add_error(
                    errors, name, "can't be blank (a line item needs cost_code_id and line_item_type_id)"
                )
    return errors


def _line_item_fields(money_kind: Kind) -> tuple[Field, ...]:
    return (
        Field("amount", money_kind),
        Field("cost_code_id", Kind.INTEGER, ref="cost_codes", shown=False),
        Field("description"),
        Field("extended_type", enum=("manual", "calculated")),
        Field("quantity", money_kind),
        Field("line_item_type_id", Kind.INTEGER, ref="line_item_types", shown=False),
        Field("origin_data"),
        Field("origin_id"),
        Field("tax_code_id", Kind.INTEGER),
        Field("unit_cost", money_kind),
        Field("uom"),
        Field("wbs_code_id", Kind.INTEGER, shown=False),
    )


def _line_item_filters() -> tuple[Any, ...]:
    return (
        filters.ids("id"),
        filters.time_range("created_at"),
        filters.time_range("updated_at"),
        filters.ids("cost_code_id"),
        filters.ids("line_item_type_id"),
    )


def _render_line_item(holder_param: str, holder_resource: str) -> Any:
    def render(rec: StoredRecord, state: EmulatorState) -> dict[str, Any]:
        amount = line_amount(rec)
        native = state.spec(rec.resource).field_map["amount"].kind == Kind.NUMBER
        holder_id = rec.scope.get(holder_param)
        siblings = state.children(rec.resource, holder_param, holder_id) if holder_id is not None else []
        position = next((i for i, r in enumerate(siblings, start=1) if r.id == rec.id), None)
        extended = _dec(rec.fields.get("quantity")) * _dec(rec.fields.get("unit_cost"))
        out: dict[str, Any] = {
            "company": _company_ref(state, rec),
            "cost_code": _cost_code_ref(state, rec.fields.get("cost_code_id")),
            "line_item_type": _line_item_type_ref(state, rec.fields.get("line_item_type_id")),
            "holder": {"id": holder_id, "holder_type": HOLDER_TYPES[holder_resource]},
            "project": _project_ref(state, rec.scope.get("project_id")),
            "position": position,
            "total_amount": float(amount) if native else money(amount),
            "extended_amount": float(extended) if native else money(extended),
            "wbs_code": None,
            "change_event_line_item": None,
            "currency_configuration": {"currency_iso_code": "USD"},
        }
        if rec.fields.get("amount") is None:
            out["amount"] = float(amount) if native else money(amount)
        return out

    return render


# cost codes --------------------------------------------------------------------------------------


def _validate_cost_code(ctx: ValidationContext) -> Errors:
    errors: Errors = {}
    parent_id = ctx.changes.get("parent_id")
    if parent_id is not None and ctx.record_id is not None:
        seen, current = set(), parent_id
        while current is not None and current not in seen:
            if current == ctx.record_id:
                add_error(errors, "parent_id", "would make the cost code its own ancestor")
                break
            seen.add(current)
            rec = ctx.state.get("cost_codes", current)
            current = rec.fields.get("parent_id") if rec is not None else None
    return errors


def _render_cost_code(rec: StoredRecord, state: EmulatorState) -> dict[str, Any]:
    project_id = rec.scope.get("project_id")
    project = state.get("projects", project_id) if project_id is not None else None
    full_code = _cost_code_full(state, rec)
    parent_id = rec.fields.get("parent_id")
    return {
        "biller": project.fields.get("name") if project else None,
        "biller_id": project_id,
        "biller_type": "Project",
        "budgeted": bool(_budget_lines_for(state, rec)),
        "deleted_at": None,
        "full_code": full_code,
        "parent": {"id": parent_id} if parent_id is not None else None,
        "sortable_code": full_code,
        "standard_cost_code_list_id": None,
        "line_item_types": [],
    }


COST_CODES = ResourceSpec(
    # no company_id parameter: the Procore-Company-Id header's company applies
    name="cost_codes",
    singular="cost_code",
    path="/rest/v1.0/cost_codes",
    scope=(_project(_where(list="query", show="query", create="body", update="body", sync="query")),),
    operations=frozenset({Op.LIST, Op.SHOW, Op.CREATE, Op.UPDATE, Op.SYNC}),
    fields=(
        Field("name", required=True, max_length=NAME_MAX_LENGTH, forbid_control_chars=True),
        Field("code", required=True, max_length=NAME_MAX_LENGTH, forbid_control_chars=True),
        Field("position", Kind.INTEGER),
        Field("parent_id", Kind.INTEGER, ref="cost_codes", shown=False),
        Field("standard_cost_code_id", Kind.INTEGER),
        Field("origin_id"),
        Field("origin_data"),
    ),
    update_required=("name", "code"),
    body_params=("sub_job_id",),
    # Procore's spec is silent on uniqueness; a code is taken to be unique among its siblings
    # (same parent) in one project, which is what makes full_code unambiguous.
    unique=(Unique(("parent_id", "code"), nullable=("parent_id",)),),
    filters=(filters.equals("origin_id"), filters.ids("id")),
    validate=_validate_cost_code,
    render_extra=_render_cost_code,
)


# line item (cost) types --------------------------------------------------------------------------

LINE_ITEM_TYPES = ResourceSpec(
    name="line_item_types",
    singular="line_item_type",
    path="/rest/v1.0/line_item_types",
    scope=(_company_scope(),),
    operations=frozenset({Op.LIST, Op.SHOW, Op.CREATE, Op.UPDATE, Op.SYNC}),
    fields=(
        # The spec requires nothing; a cost type without name or code is not usable, so the emulator
        # requires both on create (stricter where silent).
        Field("name", required=True, max_length=NAME_MAX_LENGTH, forbid_control_chars=True),
        Field("csv_import_code", required=True, max_length=NAME_MAX_LENGTH, shown=False),
        # create/update also list "labor"; the sync schema and procore-api.md do not: the emulator
        # accepts the six base types every write path shares.
        Field("base_type", enum=BASE_TYPES),
        Field("origin_data"),
        Field("origin_id"),
    ),
    unique=(Unique(("csv_import_code",), within=()),),
    filters=(filters.equals("origin_id"),),
    timestamps=False,  # Procore's line item type Show has no created_at/updated_at
    render_extra=lambda rec, state: {"code": rec.fields.get("csv_import_code")},
)


# budget line items -------------------------------------------------------------------------------


def _render_budget_line(rec: StoredRecord, state: EmulatorState) -> dict[str, Any]:
    original = _dec(rec.fields.get("original_budget_amount"))
    cost_code = _cost_code_ref(state, rec.fields.get("cost_code_id"))
    line_type = _line_item_type_ref(state, rec.fields.get("line_item_type_id"))
    return {
        "approved_budget_changes": 0.0,
        "revised_budget": float(original),
        "pending_budget_changes": 0.0,
        "projected_budget": float(original),
        "committed_costs": 0.0,
        "pending_cost_changes": 0.0,
        "projected_costs": 0.0,
        "budget_forecast": float(original),
        "estimated_cost_at_completion": 0.0,
        "projected_over_under": float(original),
        "cost_code": (
            {k: cost_code[k] for k in ("id", "name", "code", "full_code")} if cost_code is not None else None
        ),
        "division": None,
        "line_item_type": {"id": line_type["id"], "name": line_type["name"]} if line_type else None,
        "currency_configuration": {"currency_iso_code": "USD"},
    }


BUDGET_LINE_ITEMS = ResourceSpec(
    name="budget_line_items",
    singular="budget_line_item",
    path="/rest/v1.0/budget_line_items",
    # LIST is an emulator addition (Procore's extracts document no list endpoint for v1.0).
    scope=(_project(_where(list="query", show="query", create="body", update="body", sync="body")),),
    operations=frozenset({Op.LIST, Op.SHOW, Op.CREATE, Op.UPDATE, Op.SYNC}),
    fields=(
        Field("cost_code_id", Kind.INTEGER, required=True, ref="cost_codes", shown=False),
        Field("line_item_type_id", Kind.INTEGER, required=True, ref="line_item_types", shown=False),
        Field("original_budget_amount", Kind.NUMBER),
        Field("uom"),
        Field("quantity", Kind.NUMBER),
        Field("unit_cost", Kind.NUMBER),
        Field("calculation_strategy", enum=("automatic", "manual")),
        Field("direct_costs", Kind.NUMBER),
    ),
    origin_tracked=False,
    # Procore keeps one budget line per (cost code, cost type) in a project; a second is refused,
    # naming the one that holds the pair, so a client that lost its ledger can recover the id.
    unique=(Unique(("cost_code_id", "line_item_type_id")),),
    sync_path="/rest/v1.0/budget_line_items/sync",
    sync_method="POST",
    sync_items_key="budget_line_items",
    sync_response="array",
    filters=(filters.ids("id"), filters.ids("cost_code_id"), filters.ids("line_item_type_id")),
    render_extra=_render_budget_line,
    status_field=None,
    timestamps=False,  # Procore's budget line Show has no created_at/updated_at
)


# direct costs ------------------------------------------------------------------------------------


def _direct_cost_conflicts(
    state: EmulatorState, where: Placement, record_id: int | None, items: list[Any]
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
    state: EmulatorState, where: Placement, record_id: int | None, items: list[Any]
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


def render_direct_cost(rec: StoredRecord, state: EmulatorState) -> dict[str, Any]:
    vendor = _vendor(state, rec.fields.get("vendor_id"))
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
        "currency_configuration": _currency(rec),
    }


DIRECT_COSTS = ResourceSpec(
    name="direct_costs",
    singular="direct_cost",
    wrapper="item",
    path="/rest/v1.0/projects/{project_id}/direct_costs",
    scope=(
        _project(_where(list="path", show="path", create="path", update="path", sync="path", delete="path")),
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
        # v1.0 lists invoice/expense/payroll and says subcontractor_invoice is also allowed; the
        # update schema does not take it at all, so it is fixed at creation.
        Field("direct_cost_type", required=True, enum=DIRECT_COST_TYPES, immutable=True),
        Field("currency_iso_code", code="currency", shown=False),
        Field("currency_exchange_rate", Kind.NUMBER, shown=False),
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
    guard=origin_lock,
    conflict_keys=_direct_cost_conflicts,
    delete_body="id",
    render_extra=render_direct_cost,
)


def _validate_direct_cost_line(ctx: ValidationContext) -> Errors:
    return _validate_line_item(ctx)


DIRECT_COST_LINE_ITEMS = ResourceSpec(
    name="direct_cost_line_items",
    singular="direct_cost_line_item",
    wrapper="line_item",
    path="/rest/v1.0/projects/{project_id}/direct_costs/{direct_cost_id}/line_items",
    sync_path="/rest/v1.0/projects/{project_id}/direct_costs/line_items/sync",
    scope=(
        _project(_where(list="path", show="path", create="path", update="path", sync="path", delete="path")),
        ScopeParam(
            "direct_cost_id",
            # the create/update schemas also list direct_cost_id inside line_item: accepted there
            # when it names the direct cost of the path
            _where(
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
        _line_item_fields(Kind.NUMBER)
    ),
    filters=_line_item_filters(),
    validate=_validate_direct_cost_line,
    conflict_keys=_direct_cost_line_conflicts,
    render_extra=_render_line_item("direct_cost_id", "direct_costs"),
    status_field=None,
)


# commitments -------------------------------------------------------------------------------------


def _contract_money(
    state: EmulatorState, rec: StoredRecord, lines_resource: str, holder: str
) -> dict[str, Any]:
    lines = state.children(lines_resource, holder, rec.id)
    grand_total = sum((line_amount(r) for r in lines), Decimal(0))
    approved = pending = draft = Decimal(0)
    for co in state.children("commitment_change_orders", "project_id", rec.scope.get("project_id")):
        if co.fields.get("contract_id") != rec.id:
            continue
        amount = sum((_dec(line.get("amount")) for line in co.fields.get("line_items") or []), Decimal(0))
        status = co.fields.get("status")
        if status in LOCKED_CHANGE_ORDER_STATUSES:
            approved += amount
        elif status in PENDING_CHANGE_ORDER_STATUSES:
            pending += amount
        elif status == "draft":
            draft += amount
    payments = state.children("contract_payments", "contract_id", rec.id)
    paid = sum((_dec(p.fields.get("amount")) for p in payments), Decimal(0))
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


def _render_commitment(lines_resource: str, holder: str) -> Any:
    def render(rec: StoredRecord, state: EmulatorState) -> dict[str, Any]:
        figures = _contract_money(state, rec, lines_resource, holder)
        payments = figures.pop("_payments")
        vendor = _vendor(state, rec.fields.get("vendor_id"))
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
            "project": _project_ref(state, rec.scope.get("project_id")),
            "requisitions_are_enabled": True,
            "show_line_items_to_non_admins": False,
            "total_draw_requests_amount": "0.00",
            "total_requisitions_amount": money(sum((requisition_total(r) for r in requisitions), Decimal(0))),
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
            "currency_configuration": _currency(rec),
        }
        if rec.resource == "purchase_order_contracts":
            assignee = rec.fields.get("assignee_id")
            out["assignee"] = {"id": assignee} if assignee is not None else None
        return out

    return render


def _commitment_fields(statuses: tuple[str, ...], *kind_fields: Field) -> tuple[Field, ...]:
    return (
        Field("accounting_method", enum=("amount", "unit")),
        Field("approval_letter_date", Kind.DATE),
        Field("contract_date", Kind.DATE),
        Field("description"),
        Field("executed", Kind.BOOLEAN, default=False),
        Field("execution_date", Kind.DATE),
        Field("invoice_contact_user_ids", Kind.INTEGER_LIST, shown=False),
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
        Field("drawing_revision_ids", Kind.INTEGER_LIST, shown=False),
        Field("file_version_ids", Kind.INTEGER_LIST, shown=False),
        Field("form_ids", Kind.INTEGER_LIST, shown=False),
        Field("image_ids", Kind.INTEGER_LIST, shown=False),
        Field("upload_ids", Kind.STRING_LIST, shown=False),
        Field("currency_exchange_rate", Kind.NUMBER, shown=False),
        Field("currency_iso_code", code="currency", shown=False),
        *kind_fields,
    )


def _contract_scope() -> tuple[ScopeParam, ...]:
    return (
        _project(
            _where(list="query", show="query", create="body", update="body", sync="body", delete="query")
        ),
    )


def _commitment_filters(statuses: tuple[str, ...]) -> tuple[Any, ...]:
    return (
        filters.ids("id"),
        filters.one_of("status", statuses),
        filters.time_range("created_at"),
        filters.time_range("updated_at"),
        filters.equals("origin_id"),
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
    prepare=_autonumber(),
    guard=_contract_guard(LOCKED_CONTRACT_STATUSES),
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
    prepare=_autonumber(),
    guard=_contract_guard(LOCKED_CONTRACT_STATUSES),
    render_extra=_render_commitment("purchase_order_contract_line_items", "purchase_order_contract_id"),
)


def _sov_spec(contract: ResourceSpec, remedy: str) -> ResourceSpec:
    holder = f"{contract.singular}_id"
    is_prime = contract.name == "prime_contracts"
    return ResourceSpec(
        name=f"{contract.singular}_line_items",
        singular=f"{contract.singular}_line_item",
        wrapper="line_item",
        path=f"/rest/v1.0/{contract.name}/{{{holder}}}/line_items",
        scope=(
            _project(
                _where(
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
                _where(list="path", show="path", create="path", update="path", sync="path", delete="path"),
                parent=contract.name,
                rendered=False,
                cascade=True,
            ),
        ),
        operations=frozenset(Op),
        fields=_line_item_fields(Kind.DECIMAL_STRING),
        # commitment SOV sync items are matched by origin_id only (procore-api.md; the sync schema
        # has no id); prime contract line item sync items may carry id
        sync_by_id=is_prime,
        filters=_line_item_filters(),
        validate=_validate_line_item,
        guard=_sov_guard(contract.name, holder, remedy),
        render_extra=_render_line_item(holder, contract.name),
        status_field=None,
    )


WORK_ORDER_CONTRACT_LINE_ITEMS = _sov_spec(
    WORK_ORDER_CONTRACTS, "express the change as a commitment change order"
)
PURCHASE_ORDER_CONTRACT_LINE_ITEMS = _sov_spec(
    PURCHASE_ORDER_CONTRACTS, "express the change as a commitment change order"
)


# change order packages ---------------------------------------------------------------------------


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
                f"cannot be modified: {_label(ctx.state, rec)} is approved and locked (its amount and "
                "schedule of values cannot be modified)",
            )
    return errors


def _render_change_order_package(rec: StoredRecord, state: EmulatorState) -> dict[str, Any]:
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
        _project(_where(list="query", show="query", create="body", update="body")),
        ScopeParam(
            "contract_id",
            _where(list="query", show="query", create="body", update="body"),
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
    prepare=_autonumber(),
    guard=_change_order_package_lock,
    render_extra=lambda rec, state: {
        **_render_change_order_package(rec, state),
        "number": rec.fields.get("number"),
    },
)


# commitment change orders ------------------------------------------------------------------------

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


def _commitment_of(state: EmulatorState, contract_id: int | None) -> StoredRecord | None:
    if contract_id is None:
        return None
    for resource in COMMITMENTS:
        rec = state.get(resource, contract_id)
        if rec is not None:
            return rec
    return None


def _sov_resource(commitment: StoredRecord) -> tuple[str, str]:
    singular = (
        "work_order_contract" if commitment.resource == "work_order_contracts" else "purchase_order_contract"
    )
    return f"{singular}_line_items", f"{singular}_id"


def _validate_change_order(ctx: ValidationContext) -> Errors:
    errors: Errors = {}
    lines = ctx.changes.get("line_items")
    if not lines:
        return errors
    commitment = _commitment_of(ctx.state, ctx.effective("contract_id"))
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
                resource, holder = _sov_resource(commitment)
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
    out = dict(_autonumber()(ctx))
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
    who = _label(ctx.state, rec)
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


def _render_change_order(rec: StoredRecord, state: EmulatorState) -> dict[str, Any]:
    lines = rec.fields.get("line_items") or []
    commitment = _commitment_of(state, rec.fields.get("contract_id"))
    return {
        "grand_total": money(sum((_dec(line.get("amount")) for line in lines), Decimal(0))),
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
        _project(
            _where(list="path", show="path", create="path", update="path", delete="path"), rendered=True
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


# requisitions (subcontractor invoices) -----------------------------------------------------------

REQUISITION_ITEM_FIELDS = (
    Field("id", Kind.INTEGER),
    Field("line_item_id", Kind.INTEGER),
    Field("detail_line_item_id", Kind.INTEGER),
    Field("item_type", required=True),
    *(
        Field(name, Kind.NUMBER)
        for name in (
            "work_completed_this_period",
            "materials_presently_stored",
            "materials_presently_stored_from_previous_progress",
            "new_materials",
            "new_materials_quantity",
            "stored_materials",
            "stored_materials_quantity",
            "work_completed_retainage_retained_this_period",
            "materials_stored_retainage_currently_retained",
            "work_completed_retainage_released_this_period",
            "work_completed_this_period_quantity",
            "work_completed_retainage_percent_this_period",
            "materials_stored_retainage_percent_this_period",
            "subcontractor_claimed_amount",
        )
    ),
    Field("status"),
    Field("comment"),
)


def requisition_total(rec: StoredRecord) -> Decimal:
    total = Decimal(0)
    for item in rec.fields.get("items") or []:
        total += _dec(item.get("work_completed_this_period")) + _dec(item.get("materials_presently_stored"))
    return total


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
    commitment = _commitment_of(ctx.state, ctx.scope.get("commitment_id"))
    if commitment is None:
        return errors
    resource, holder = _sov_resource(commitment)
    for index, item in enumerate(ctx.changes.get("items") or []):
        line_id = item.get("line_item_id")
        if line_id is None:
            continue
        line = ctx.state.get(resource, line_id)
        if line is None or line.scope.get(holder) != commitment.id:
            add_error(
                errors,
                f"items[{index}].line_item_id",
                f"line item {line_id} is not a schedule of values line of commitment {commitment.id}",
            )
    return errors


def _requisition_needs_approved_commitment(ctx: WriteContext) -> Errors | None:
    """Procore creates subcontractor invoices only against an approved commitment (the emulator's
    reading: Approved or Complete, and for purchase orders also Partially Received, Received, Closed)."""
    if ctx.action != "create":
        return None
    commitment = _commitment_of(ctx.state, ctx.scope.get("commitment_id"))
    status = commitment.fields.get("status") if commitment else None
    if commitment is not None and status not in INVOICEABLE_CONTRACT_STATUSES:
        return {
            "commitment_id": [
                f"{_label(ctx.state, commitment)} is {status}: subcontractor invoices can only be created "
                "for an approved commitment (Approved, Complete, or a received or closed purchase order)"
            ]
        }
    return None


def _render_requisition(rec: StoredRecord, state: EmulatorState) -> dict[str, Any]:
    commitment = _commitment_of(state, rec.scope.get("commitment_id"))
    vendor = _vendor(state, commitment.fields.get("vendor_id")) if commitment else None
    siblings = state.children("requisitions", "commitment_id", rec.scope.get("commitment_id"))
    earlier = [r for r in siblings if r.id < rec.id]
    total = requisition_total(rec)
    contract_total = Decimal(0)
    if commitment is not None:
        resource, holder = _sov_resource(commitment)
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
        "summary": None,
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
        "item_packages": [],
    }


REQUISITIONS = ResourceSpec(
    name="requisitions",
    singular="requisition",
    path="/rest/v1.1/requisitions",
    scope=(
        _project(
            _where(list="query", show="query", create="body", update="body", delete="query"), rendered=True
        ),
        ScopeParam("commitment_id", _where(create="body", update="body"), parent=COMMITMENTS),
    ),
    operations=frozenset({Op.LIST, Op.SHOW, Op.CREATE, Op.UPDATE, Op.DELETE}),
    wrapper_required=False,
    fields=(
        Field("items", Kind.OBJECT_LIST, fields=REQUISITION_ITEM_FIELDS, default=[]),
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
    ),
    validate=_validate_requisition,
    guard=_guards(_requisition_needs_approved_commitment, origin_lock),
    render_extra=_render_requisition,
)


# contract payments -------------------------------------------------------------------------------


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
        _project(
            _where(list="query", show="query", create="body", update="body", delete="query"), rendered=True
        ),
        ScopeParam(
            "contract_id",
            _where(list="query", show="query", create="body", update="body", delete="query"),
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
    validate=_validate_payment,
    guard=origin_lock,
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


# prime contracts ---------------------------------------------------------------------------------


def _render_prime_contract(rec: StoredRecord, state: EmulatorState) -> dict[str, Any]:
    figures = _contract_money(state, rec, "prime_contract_line_items", "prime_contract_id")
    payments = figures.pop("_payments")
    vendor = _vendor(state, rec.fields.get("vendor_id"))
    contractor = _vendor(state, rec.fields.get("contractor_id"))
    architect = rec.fields.get("architect_id")
    user = {"id": state.config.user_id, "login": state.config.user_login, "name": state.config.user_name}
    return {
        "line_items": figures["line_items"],
        "grand_total": figures["grand_total"],
        "line_items_total": figures["grand_total"],
        "line_items_extended_total": figures["grand_total"],
        "approved_change_orders": "0.00",
        "draft_change_orders_amount": "0.00",
        "pending_change_orders_amount": "0.00",
        "revised_contract_amount": figures["grand_total"],
        "pending_revised_contract_amount": figures["grand_total"],
        "total_payments": figures["total_payments"],
        "percentage_paid": figures["percentage_paid"],
        "outstanding_balance": figures["remaining_balance_outstanding"],
        "owner_invoices_amount": "0.00",
        "payments_received": [
            {"id": p.id, "amount": p.fields.get("amount"), "date": p.fields.get("date")} for p in payments
        ],
        "vendor": {"id": vendor.id, "name": vendor.fields.get("name")} if vendor else None,
        "contractor": {"id": contractor.id, "name": contractor.fields.get("name")} if contractor else None,
        "architect": {"id": architect, "login": None, "name": None} if architect is not None else None,
        "created_by": user,
        "attachments": [],
        "change_order_packages": [],
        "change_order_requests": [],
        "potential_change_orders": [],
        "deleted_at": None,
        "type": "PrimeContract",
        "currency_configuration": _currency(rec),
    }


PRIME_CONTRACTS = ResourceSpec(
    name="prime_contracts",
    singular="prime_contract",
    path="/rest/v1.0/prime_contract",
    list_path="/rest/v1.0/prime_contracts",
    scope=(_project(_where(list="query", show="query", create="body", update="body", delete="query")),),
    operations=frozenset({Op.LIST, Op.SHOW, Op.CREATE, Op.UPDATE, Op.DELETE}),
    fields=(
        Field("actual_completion_date", Kind.DATE),
        Field("approval_letter_date", Kind.DATE),
        Field("architect_id", Kind.INTEGER, shown=False),
        Field("contractor_id", Kind.INTEGER, ref="vendors", shown=False),
        Field("contract_date", Kind.DATE),
        Field("contract_estimated_completion_date", Kind.DATE),
        Field("contract_start_date", Kind.DATE),
        Field("description"),
        Field("exclusions"),
        Field("executed", Kind.BOOLEAN, default=False),
        Field("execution_date", Kind.DATE),
        Field("inclusions"),
        Field("issued_on_date", Kind.DATE),
        Field("letter_of_intent_date", Kind.DATE),
        Field("number", max_length=NAME_MAX_LENGTH),
        Field("origin_data"),
        Field("origin_id"),
        Field("retainage_percent", Kind.DECIMAL_STRING, minimum=0, maximum=100),
        Field("returned_date", Kind.DATE),
        Field("signed_contract_received_date", Kind.DATE),
        Field("status", enum=PRIME_CONTRACT_STATUSES, default="Draft"),
        Field("title", max_length=NAME_MAX_LENGTH, forbid_control_chars=True),
        # the owner (client), a company-directory vendor
        Field("vendor_id", Kind.INTEGER, ref="vendors", shown=False),
        Field("accounting_method", enum=("amount", "unit")),
        Field("drawing_revision_ids", Kind.INTEGER_LIST, shown=False),
        Field("file_version_ids", Kind.INTEGER_LIST, shown=False),
        Field("form_ids", Kind.INTEGER_LIST, shown=False),
        Field("image_ids", Kind.INTEGER_LIST, shown=False),
        Field("upload_ids", Kind.STRING_LIST, shown=False),
        Field("currency_exchange_rate", Kind.NUMBER, shown=False),
        Field("currency_iso_code", code="currency", shown=False),
    ),
    body_params=("attachments",),
    unique=(Unique(("number",)),),
    filters=(filters.ids("id"), filters.time_range("updated_at")),
    prepare=_autonumber(),
    # procore-api.md names commitments and change orders; an approved prime contract's schedule of
    # values is locked the same way in Procore (changes go through prime change orders)
    guard=_contract_guard(LOCKED_CONTRACT_STATUSES),
    render_extra=_render_prime_contract,
)

PRIME_CONTRACT_LINE_ITEMS = _sov_spec(PRIME_CONTRACTS, "express the change as a prime contract change order")


FINANCIAL_RESOURCES: tuple[ResourceSpec, ...] = (
    COST_CODES,
    LINE_ITEM_TYPES,
    BUDGET_LINE_ITEMS,
    DIRECT_COSTS,
    DIRECT_COST_LINE_ITEMS,
    WORK_ORDER_CONTRACTS,
    PURCHASE_ORDER_CONTRACTS,
    WORK_ORDER_CONTRACT_LINE_ITEMS,
    PURCHASE_ORDER_CONTRACT_LINE_ITEMS,
    CHANGE_ORDER_PACKAGES,
    COMMITMENT_CHANGE_ORDERS,
    REQUISITIONS,
    CONTRACT_PAYMENTS,
    PRIME_CONTRACTS,
    PRIME_CONTRACT_LINE_ITEMS,
)


def commitment_summary(rec: StoredRecord, state: EmulatorState) -> dict[str, Any]:
    """One row of ``GET /rest/v1.0/commitments`` (both kinds), as the spec lists its keys."""
    vendor = _vendor(state, rec.fields.get("vendor_id"))
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
