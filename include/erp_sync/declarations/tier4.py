"""Tier 4: billing — subcontractor invoices, prime contracts with their SOV and status, payments."""

from __future__ import annotations

from erp_sync import mappings
from erp_sync.declarations.model import CreateUpdateLoad, IntegrationPoint, Reference, SyncLoad
from erp_sync.declarations.tier1 import PROJECT_REF
from erp_sync.declarations.tier2 import COST_CODE_REF, COST_TYPE_REF
from erp_sync.declarations.tier3 import COMMITMENT_REF
from erp_sync.payloads import (
    ContractPaymentPayload,
    ContractStatusPayload,
    PrimeContractLinePayload,
    PrimeContractPayload,
    RequisitionPayload,
)

SUBCONTRACTOR_INVOICES = IntegrationPoint(
    name="subcontractor_invoices",
    kind="subcontractor_invoice",
    tier=4,
    title="Subcontractor invoices",
    scope="project",
    scope_column="job_number",
    canonical_columns=(
        "contract_number",
        "app_number",
        "job_number",
        "period_start",
        "period_end",
        "billing_date",
        "amount_this_period",
        "retainage_this_period",
        "status",
        "updated_at",
    ),
    key="{contract_number}/{app_number}",
    payload_model=RequisitionPayload,
    mapping=mappings.map_subcontractor_invoices,
    load=CreateUpdateLoad(
        create_path="/rest/v1.1/requisitions",
        update_path="/rest/v1.1/requisitions/{id}",
        list_path="/rest/v1.1/requisitions",
        wrapper="requisition",
        body_scope=("project_id", "commitment_id"),
        list_scope=("project_id",),
    ),
    references=(PROJECT_REF, COMMITMENT_REF),
    # Procore takes subcontractor invoices only on an Approved commitment: statuses go first.
    runs_after=("commitment_statuses",),
    erp_key_label="contract_no/app_no",
    locks="fields other than origin_data once it carries an origin_id",
)

PRIME_CONTRACTS = IntegrationPoint(
    name="prime_contracts",
    kind="prime_contract",
    tier=4,
    title="Prime contracts",
    scope="project",
    scope_column="job_number",
    canonical_columns=(
        "contract_number",
        "job_number",
        "title",
        "status",
        "executed_date",
        "retainage_percent",
        "updated_at",
    ),
    key="{contract_number}",
    payload_model=PrimeContractPayload,
    mapping=mappings.map_prime_contracts,
    load=CreateUpdateLoad(
        create_path="/rest/v1.0/prime_contract",
        update_path="/rest/v1.0/prime_contract/{id}",
        list_path="/rest/v1.0/prime_contracts",
        wrapper="prime_contract",
        body_scope=("project_id",),
        list_scope=("project_id",),
        origin_filter=False,
    ),
    references=(PROJECT_REF,),
    erp_key_label="contract_no",
    locks="SOV once Approved or Complete",
)

PRIME_CONTRACT_REF = Reference(
    key="{contract_number}", point="prime_contracts", field="prime_contract_id", in_route=True
)

PRIME_CONTRACT_LINES = IntegrationPoint(
    name="prime_contract_lines",
    kind="prime_contract_line",
    tier=4,
    title="Prime contract SOV lines",
    scope="project",
    scope_column="job_number",
    canonical_columns=(
        "contract_number",
        "line_number",
        "job_number",
        "cost_code",
        "cost_type",
        "description",
        "amount",
        "updated_at",
    ),
    key="{contract_number}#{line_number}",
    payload_model=PrimeContractLinePayload,
    mapping=mappings.map_prime_contract_lines,
    load=SyncLoad(
        path="/rest/v1.0/prime_contracts/{prime_contract_id}/line_items/sync", query_scope=("project_id",)
    ),
    references=(PROJECT_REF, PRIME_CONTRACT_REF, COST_CODE_REF, COST_TYPE_REF),
    erp_key_label="contract_no#line",
    locks="everything once its prime contract is Approved or Complete",
    locked_hint="its prime contract is approved in Procore: change the SOV through a prime contract "
    "change order",
)

PRIME_CONTRACT_STATUSES = IntegrationPoint(
    name="prime_contract_statuses",
    kind="prime_contract",
    tier=4,
    title="Prime contract statuses",
    scope="project",
    scope_column="job_number",
    canonical_columns=("contract_number", "job_number", "status", "updated_at"),
    key="{contract_number}",
    payload_model=ContractStatusPayload,
    mapping=mappings.map_prime_contract_statuses,
    load=CreateUpdateLoad(
        create_path=None,
        update_path="/rest/v1.0/prime_contract/{prime_contract_id}",
        wrapper="prime_contract",
        body_scope=("project_id",),
    ),
    references=(PROJECT_REF, PRIME_CONTRACT_REF),
    # Procore locks an Approved contract's SOV: the status goes in once the lines are.
    runs_after=("prime_contract_lines",),
    erp_key_label="contract_no",
    locks="status when a Procore workflow controls it",
)

PAYMENTS = IntegrationPoint(
    name="payments",
    kind="payment",
    tier=4,
    title="Payments",
    scope="project",
    scope_column="job_number",
    canonical_columns=(
        "check_number",
        "job_number",
        "commitment_number",
        "prime_contract_number",
        "pay_app_id",
        "pay_app_contract_number",
        "pay_app_number",
        "payment_date",
        "amount",
        "payment_method",
        "voided",
        "updated_at",
    ),
    key="{check_number}",
    payload_model=ContractPaymentPayload,
    mapping=mappings.map_payments,
    load=CreateUpdateLoad(
        create_path="/rest/v1.0/contract_payments",
        update_path="/rest/v1.0/contract_payments/{id}",
        list_path="/rest/v1.0/contract_payments",
        wrapper="contract_payment",
        body_scope=("project_id", "contract_id"),
        list_scope=("project_id", "contract_id"),
        origin_filter=False,
        delete_path="/rest/v1.0/contract_payments/{id}",
        delete_scope=("project_id", "contract_id"),
    ),
    references=(
        PROJECT_REF,
        # A payment is issued on a commitment or received on a prime contract: either fills contract_id.
        Reference(
            key="{commitment_number}", point="commitments", field="contract_id", in_route=True, optional=True
        ),
        Reference(
            key="{prime_contract_number}",
            point="prime_contracts",
            field="contract_id",
            in_route=True,
            optional=True,
        ),
        Reference(
            key="{pay_app_contract_number}/{pay_app_number}",
            point="subcontractor_invoices",
            field="requisition_id",
            optional=True,
            present="pay_app_id",
        ),
    ),
    route_fields=("void",),
    erp_key_label="check_no",
    locks="fields other than origin_data once it carries an origin_id; no delete then",
)

POINTS = (SUBCONTRACTOR_INVOICES, PRIME_CONTRACTS, PRIME_CONTRACT_LINES, PRIME_CONTRACT_STATUSES, PAYMENTS)
