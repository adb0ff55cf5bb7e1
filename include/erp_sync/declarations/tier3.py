"""Tier 3: commitments (work orders and purchase orders), their SOV lines and statuses."""

from __future__ import annotations

from erp_sync import mappings
from erp_sync.declarations.model import IntegrationPoint, Lines, Reference, SyncLoad, line_gate
from erp_sync.declarations.tier1 import PROJECT_REF
from erp_sync.declarations.tier2 import COST_CODE_REF, COST_TYPE_REF
from erp_sync.payloads import (
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
    canonical_columns=(
        "contract_number",
        "job_number",
        "kind",
        "line_number",
        "status",
        "voided",
        "updated_at",
    ),
    key="{contract_number}",
    payload_model=ContractStatusPayload,
    mapping=mappings.map_commitment_statuses,
    lines=Lines(field="lines", mapping=mappings.map_status_gate_lines),
    load=SyncLoad(path="/rest/v1.0/{contract_path}/sync", body_scope=("project_id",)),
    references=(
        PROJECT_REF,
        COMMITMENT_REF,
        line_gate("commitment_lines", "{contract_number}#{line_number}"),
    ),
    route_fields=("contract_path", "void"),
    route_values=CONTRACT_PATH_VALUES,
    erp_key_label="contract_no",
    locks="status when a Procore workflow controls it (the rest still syncs)",
)

# Their change orders: declarations/change_orders.py (one set of points per change order tier).
POINTS = (COMMITMENTS, COMMITMENT_LINES, COMMITMENT_STATUSES)
