"""Tier 3: commitments (work orders and purchase orders), their SOV lines, statuses and change orders."""

from __future__ import annotations

from erp_sync import mappings
from erp_sync.declarations.model import CreateUpdateLoad, IntegrationPoint, Lines, Reference, SyncLoad
from erp_sync.declarations.tier1 import PROJECT_REF
from erp_sync.declarations.tier2 import COST_CODE_REF, COST_TYPE_REF
from erp_sync.payloads import (
    ChangeOrderPackagePayload,
    CommitmentChangeOrderPayload,
    CommitmentLinePayload,
    CommitmentPayload,
    ContractStatusPayload,
)

# A commitment's Procore resource depends on its ERP kind (SC: work order, PO: purchase order).
CONTRACT_PATH_VALUES = (("contract_path", tuple(mappings.CONTRACT_PATHS.values())),)

COMMITMENTS = IntegrationPoint(
    name="commitments",
    kind="commitment",
    tier=3,
    title="Commitments",
    scope="project",
    scope_column="job_number",
    canonical_columns=(
        "contract_number",
        "job_number",
        "vendor_id",
        "vendor_number",
        "kind",
        "title",
        "description",
        "status",
        "executed_date",
        "retainage_percent",
        "voided",
        "updated_at",
    ),
    key="{contract_number}",
    payload_model=CommitmentPayload,
    mapping=mappings.map_commitments,
    load=SyncLoad(
        path="/rest/v1.0/{contract_path}/sync",
        body_scope=("project_id",),
        delete_path="/rest/v1.0/{contract_path}/{id}",
        # A work order has a Void status instead (set by commitment_statuses).
        delete_only=(("contract_path", (mappings.CONTRACT_PATHS["PO"],)),),
    ),
    references=(
        PROJECT_REF,
        Reference(key="{vendor_number}", point="vendors", field="vendor_id", present="vendor_id"),
    ),
    route_fields=("contract_path", "void"),
    route_values=CONTRACT_PATH_VALUES,
    erp_key_label="contract_no",
    locks="contract company and SOV once Approved or Complete; no delete then",
)

COMMITMENT_REF = Reference(key="{contract_number}", point="commitments", field="commitment_id", in_route=True)

COMMITMENT_LINES = IntegrationPoint(
    name="commitment_lines",
    kind="commitment_line",
    tier=3,
    title="Commitment SOV lines",
    scope="project",
    scope_column="job_number",
    canonical_columns=(
        "contract_number",
        "line_number",
        "job_number",
        "kind",
        "cost_code",
        "cost_type",
        "description",
        "quantity",
        "unit_cost",
        "amount",
        "updated_at",
    ),
    key="{contract_number}#{line_number}",
    payload_model=CommitmentLinePayload,
    mapping=mappings.map_commitment_lines,
    load=SyncLoad(
        path="/rest/v1.0/{contract_path}/{commitment_id}/line_items/sync", query_scope=("project_id",)
    ),
    references=(PROJECT_REF, COMMITMENT_REF, COST_CODE_REF, COST_TYPE_REF),
    route_fields=("contract_path",),
    route_values=CONTRACT_PATH_VALUES,
    erp_key_label="contract_no#line",
    locks="everything once its commitment is Approved or Complete",
    locked_hint="its commitment is approved or complete in Procore: change the schedule of values through a "
    "change order in the ERP",
)

COMMITMENT_STATUSES = IntegrationPoint(
    name="commitment_statuses",
    kind="commitment",
    tier=3,
    title="Commitment statuses",
    scope="project",
    scope_column="job_number",
    canonical_columns=("contract_number", "job_number", "kind", "status", "voided", "updated_at"),
    key="{contract_number}",
    payload_model=ContractStatusPayload,
    mapping=mappings.map_commitment_statuses,
    load=SyncLoad(path="/rest/v1.0/{contract_path}/sync", body_scope=("project_id",)),
    references=(PROJECT_REF, COMMITMENT_REF),
    # Procore locks an Approved contract's SOV: the status goes in once the lines are.
    runs_after=("commitment_lines",),
    route_fields=("contract_path", "void"),
    route_values=CONTRACT_PATH_VALUES,
    erp_key_label="contract_no",
    locks="status when a Procore workflow controls it (the rest still syncs)",
)

CHANGE_ORDERS = IntegrationPoint(
    name="change_orders",
    kind="change_order",
    tier=3,
    title="Change orders",
    scope="project",
    scope_column="job_number",
    canonical_columns=(
        "contract_number",
        "co_number",
        "job_number",
        "title",
        "description",
        "status",
        "co_date",
        "amount",
        "updated_at",
    ),
    key="{contract_number}/{co_number}",
    payload_model=ChangeOrderPackagePayload,
    mapping=mappings.map_change_orders,
    load=CreateUpdateLoad(
        create_path="/rest/v1.0/change_order_packages",
        update_path="/rest/v1.0/change_order_packages/{id}",
        list_path="/rest/v1.0/change_order_packages",
        wrapper="change_order",
        body_scope=("project_id", "contract_id"),
        list_scope=("project_id", "contract_id"),
        origin_filter=False,
    ),
    references=(
        PROJECT_REF,
        Reference(key="{contract_number}", point="commitments", field="contract_id", in_route=True),
    ),
    erp_key_label="contract_no/co_no",
    locks="everything once Approved; no delete then",
)

COMMITMENT_CHANGE_ORDERS = IntegrationPoint(
    name="commitment_change_orders",
    kind="commitment_change_order",
    tier=3,
    title="Commitment change orders",
    scope="project",
    scope_column="job_number",
    canonical_columns=(
        "contract_number",
        "co_number",
        "job_number",
        "title",
        "description",
        "status",
        "co_date",
        "line_number",
        "item_number",
        "cost_code",
        "cost_type",
        "amount",
        "line_description",
        "updated_at",
    ),
    key="{contract_number}/{co_number}",
    payload_model=CommitmentChangeOrderPayload,
    mapping=mappings.map_commitment_change_orders,
    lines=Lines(field="line_items", mapping=mappings.map_commitment_change_order_lines),
    load=CreateUpdateLoad(
        create_path="/rest/v1.0/projects/{project_id}/commitment_change_orders",
        update_path="/rest/v1.0/projects/{project_id}/commitment_change_orders/{id}",
        list_path="/rest/v1.0/projects/{project_id}/commitment_change_orders",
        wrapper="change_order",
        origin_filter=False,
        lookup=("contract_id", "number"),
    ),
    references=(
        PROJECT_REF,
        Reference(key="{contract_number}", point="commitments", field="contract_id"),
        Reference(
            key="{contract_number}#{item_number}",
            point="commitment_lines",
            field="commitment_line_item_id",
            optional=True,
            on_line=True,
        ),
        Reference(key="{job_number}/{cost_code}", point="cost_codes", field="cost_code_id", on_line=True),
        Reference(key="{cost_type}", point="cost_types", field="line_item_type_id", on_line=True),
    ),
    # Both points sync the ERP's change orders: the package goes first.
    runs_after=("change_orders",),
    erp_key_label="contract_no/co_no",
    has_origin_id=False,
    locks="its lines and contract once approved; no delete then",
)

POINTS = (COMMITMENTS, COMMITMENT_LINES, COMMITMENT_STATUSES, CHANGE_ORDERS, COMMITMENT_CHANGE_ORDERS)
