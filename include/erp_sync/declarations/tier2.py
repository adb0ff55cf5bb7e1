"""Tier 2: cost structure (cost types, cost codes, budget) and direct costs with their lines."""

from __future__ import annotations

from erp_sync import mappings
from erp_sync.declarations.model import IntegrationPoint, Reference, SyncLoad
from erp_sync.declarations.tier1 import PROJECT_REF
from erp_sync.payloads import (
    BudgetLineItemPayload,
    CostCodePayload,
    DirectCostLinePayload,
    DirectCostPayload,
    LineItemTypePayload,
)

COST_TYPES = IntegrationPoint(
    name="cost_types",
    kind="cost_type",
    tier=2,
    title="Cost types",
    scope="company",
    canonical_columns=("erp_key", "name", "base_type", "updated_at"),
    payload_model=LineItemTypePayload,
    mapping=mappings.map_cost_types,
    load=SyncLoad(path="/rest/v1.0/line_item_types/sync", body_scope=("company_id",)),
    erp_key_label="cost_type",
)

COST_CODES = IntegrationPoint(
    name="cost_codes",
    kind="cost_code",
    tier=2,
    title="Cost codes",
    scope="project",
    scope_column="job_number",
    canonical_columns=("job_number", "cost_code", "name", "updated_at"),
    key="{job_number}/{cost_code}",
    payload_model=CostCodePayload,
    mapping=mappings.map_cost_codes,
    load=SyncLoad(path="/rest/v1.0/cost_codes/sync", query_scope=("project_id",)),
    references=(PROJECT_REF,),
    erp_key_label="job/cost_code",
)

# Cost lines of every tier carry a cost code (of their job) and a cost type.
COST_CODE_REF = Reference(key="{job_number}/{cost_code}", point="cost_codes", field="cost_code_id")
COST_TYPE_REF = Reference(key="{cost_type}", point="cost_types", field="line_item_type_id")

BUDGET = IntegrationPoint(
    name="budget",
    kind="budget_line",
    tier=2,
    title="Budget",
    scope="project",
    scope_column="job_number",
    canonical_columns=("job_number", "cost_code", "cost_type", "original_budget_amount", "updated_at"),
    key="{job_number}/{cost_code}/{cost_type}",
    payload_model=BudgetLineItemPayload,
    mapping=mappings.map_budget,
    load=SyncLoad(
        path="/rest/v1.0/budget_line_items/sync",
        method="POST",
        items_key="budget_line_items",
        body_scope=("project_id",),
    ),
    references=(PROJECT_REF, COST_CODE_REF, COST_TYPE_REF),
    erp_key_label="job/cost_code/cost_type",
    has_origin_id=False,
)

DIRECT_COSTS = IntegrationPoint(
    name="direct_costs",
    kind="direct_cost",
    tier=2,
    title="Direct costs",
    scope="project",
    scope_column="job_number",
    canonical_columns=(
        "job_number",
        "invoice_number",
        "vendor_id",
        "vendor_number",
        "direct_cost_type",
        "status",
        "direct_cost_date",
        "received_date",
        "description",
        "voided",
        "updated_at",
    ),
    key="{job_number}/{invoice_number}",
    payload_model=DirectCostPayload,
    mapping=mappings.map_direct_costs,
    load=SyncLoad(
        path="/rest/v1.0/projects/{project_id}/direct_costs/sync",
        delete_path="/rest/v1.0/projects/{project_id}/direct_costs/{id}",
    ),
    references=(
        PROJECT_REF,
        Reference(
            key="{vendor_number}", point="vendors", field="vendor_id", optional=True, present="vendor_id"
        ),
    ),
    route_fields=("void",),
    erp_key_label="job/invoice",
    locks="fields other than origin_data once it carries an origin_id",
)

DIRECT_COST_LINES = IntegrationPoint(
    name="direct_cost_lines",
    kind="direct_cost_line",
    tier=2,
    title="Direct cost lines",
    scope="project",
    scope_column="job_number",
    canonical_columns=(
        "job_number",
        "invoice_number",
        "line_number",
        "cost_code",
        "cost_type",
        "description",
        "quantity",
        "unit_cost",
        "amount",
        "updated_at",
    ),
    key="{job_number}/{invoice_number}#{line_number}",
    payload_model=DirectCostLinePayload,
    mapping=mappings.map_direct_cost_lines,
    load=SyncLoad(path="/rest/v1.0/projects/{project_id}/direct_costs/line_items/sync"),
    references=(
        PROJECT_REF,
        Reference(key="{job_number}/{invoice_number}", point="direct_costs", field="direct_cost_id"),
        COST_CODE_REF,
        COST_TYPE_REF,
    ),
    erp_key_label="job/invoice#line",
    locks="fields other than origin_data once its direct cost carries an origin_id",
)

POINTS = (COST_TYPES, COST_CODES, BUDGET, DIRECT_COSTS, DIRECT_COST_LINES)
