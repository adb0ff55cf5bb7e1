"""Cost codes, line item (cost) types and budget line items: the budget codes every line refers to."""

from __future__ import annotations

from typing import Any

from .. import filters
from ..fields import NAME_MAX_LENGTH, Errors, Field, Kind, add_error, except_
from ..operations import QueryParam, view
from ..records import StoredRecord
from ..schema import Op, RecordStore, ResourceSpec, Unique, ValidationContext
from .common import company_scope, locations, operation_ids, project_scope
from .money import dec
from .refs import budget_lines_for, cost_code_full, cost_code_ref, line_item_type_ref

BASE_TYPES = ("equipment", "materials", "commitment", "owner_cost", "professional_services", "other")
"""The base types the cost type sync documents (and procore-api.md lists)."""

BASE_TYPES_WITH_LABOR = ("labor", *BASE_TYPES)
"""The single create and update also document ``labor``."""

_SUB_JOB = QueryParam("sub_job_id", Kind.INTEGER)


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


def _render_cost_code(rec: StoredRecord, state: RecordStore) -> dict[str, Any]:
    project_id = rec.scope.get("project_id")
    project = state.get("projects", project_id) if project_id is not None else None
    full_code = cost_code_full(state, rec)
    parent_id = rec.fields.get("parent_id")
    return {
        "biller": project.fields.get("name") if project else None,
        "biller_id": project_id,
        "biller_type": "Project",
        "budgeted": bool(budget_lines_for(state, rec)),
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
    scope=(project_scope(locations(list="query", show="query", create="body", update="body", sync="query")),),
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
    operation_ids=operation_ids("RestV10CostCodes", sync="RestV10CostCodesSyncPatch"),
    query_params={
        Op.LIST: (_SUB_JOB, view("default", "erp_compact")),
        Op.SHOW: (_SUB_JOB,),
        Op.SYNC: (_SUB_JOB,),
    },
    validate=_validate_cost_code,
    render_extra=_render_cost_code,
)

LINE_ITEM_TYPES = ResourceSpec(
    name="line_item_types",
    singular="line_item_type",
    path="/rest/v1.0/line_item_types",
    scope=(company_scope(),),
    operations=frozenset({Op.LIST, Op.SHOW, Op.CREATE, Op.UPDATE, Op.SYNC}),
    fields=(
        # The spec requires nothing; a cost type without name or code is not usable, so the emulator
        # requires both on create (stricter where silent).
        Field("name", required=True, max_length=NAME_MAX_LENGTH, forbid_control_chars=True),
        Field("csv_import_code", required=True, max_length=NAME_MAX_LENGTH, shown=False),
        # create/update also list "labor"; the sync schema and procore-api.md do not
        Field("base_type", enum=BASE_TYPES_WITH_LABOR, op_enums=((Op.SYNC, BASE_TYPES),)),
        Field("origin_data"),
        Field("origin_id"),
    ),
    unique=(Unique(("csv_import_code",), within=()),),
    filters=(filters.equals("origin_id"),),
    operation_ids=operation_ids("RestV10LineItemTypes", sync="RestV10LineItemTypesSyncPatch"),
    # the list extract requires a project_id beside company_id; cost types stay company-wide here
    query_params={Op.LIST: (QueryParam("project_id", Kind.INTEGER, required=True),)},
    timestamps=False,  # Procore's line item type Show has no created_at/updated_at
    render_extra=lambda rec, state: {"code": rec.fields.get("csv_import_code")},
)


def _render_budget_line(rec: StoredRecord, state: RecordStore) -> dict[str, Any]:
    original = dec(rec.fields.get("original_budget_amount"))
    cost_code = cost_code_ref(state, rec.fields.get("cost_code_id"))
    line_type = line_item_type_ref(state, rec.fields.get("line_item_type_id"))
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
    scope=(project_scope(locations(list="query", show="query", create="body", update="body", sync="body")),),
    operations=frozenset({Op.LIST, Op.SHOW, Op.CREATE, Op.UPDATE, Op.SYNC}),
    fields=(
        Field("cost_code_id", Kind.INTEGER, required=True, ref="cost_codes", shown=False),
        Field("line_item_type_id", Kind.INTEGER, required=True, ref="line_item_types", shown=False),
        Field("original_budget_amount", Kind.NUMBER),
        Field("uom"),
        Field("quantity", Kind.NUMBER),
        Field("unit_cost", Kind.NUMBER),
        Field("calculation_strategy", enum=("automatic", "manual")),
        Field("direct_costs", Kind.NUMBER, ops=except_(Op.CREATE)),
    ),
    origin_tracked=False,
    # the sync extract collapses its items to {}: attributes the emulator does not know are accepted
    # there (and not stored); those it knows are checked as the create types them
    open_items=frozenset({Op.SYNC}),
    operation_ids={
        Op.SHOW: "RestV10BudgetLineItemsIdGet",
        Op.CREATE: "RestV10BudgetLineItemsPost",
        Op.UPDATE: "RestV10BudgetLineItemsIdPatch",
        Op.SYNC: "RestV10BudgetLineItemsSyncPost",
    },
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

COST_RESOURCES: tuple[ResourceSpec, ...] = (COST_CODES, LINE_ITEM_TYPES, BUDGET_LINE_ITEMS)
