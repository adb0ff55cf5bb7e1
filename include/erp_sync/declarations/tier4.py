"""Tier 4: billing — subcontractor invoices with their lines and status, prime contracts with their SOV
and status, payments."""

from __future__ import annotations

from erp_sync import mappings
from erp_sync.declarations.model import (
    CreateUpdateLoad,
    IntegrationPoint,
    ItemUpdateLoad,
    Lines,
    Reference,
    SyncLoad,
    line_gate,
)
from erp_sync.declarations.tier1 import PROJECT_REF
from erp_sync.declarations.tier2 import COST_CODE_REF, COST_TYPE_REF
from erp_sync.declarations.tier3 import COMMITMENT_REF
from erp_sync.payloads import (
    ContractPaymentPayload,
    ContractStatusPayload,
    PrimeContractLinePayload,
    PrimeContractPayload,
    RequisitionItemPayload,
    RequisitionPayload,
    RequisitionStatusPayload,
)

INVOICE_LINE_KEY = "{contract_number}/{app_number}#{item_number}"

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
    # Procore takes subcontractor invoices only on an Approved commitment: the commitment is referenced
    # through its status, so an invoice whose commitment's status is held back is blocked, naming it.
    references=(
        PROJECT_REF,
        Reference(key="{contract_number}", point="commitment_statuses", field="commitment_id", in_route=True),
    ),
    erp_key_label="contract_no/app_no",
    locks="fields other than origin_data, its status and its items once it carries an origin_id",
    money="none sent here: Procore totals the invoice from its lines; `amount_this_period` and "
    "`retainage_this_period` (the pay app's totals) are only checked",
)

INVOICE_REF = Reference(
    key="{contract_number}/{app_number}",
    point="subcontractor_invoices",
    field="requisition_id",
    in_route=True,
)

SUBCONTRACTOR_INVOICE_LINES = IntegrationPoint(
    name="subcontractor_invoice_lines",
    kind="subcontractor_invoice_line",
    tier=4,
    title="Subcontractor invoice lines",
    scope="project",
    scope_column="job_number",
    canonical_columns=(
        "contract_number",
        "app_number",
        "job_number",
        "item_number",
        "work_completed_this_period",
        "materials_stored",
        "retainage_this_period",
        "updated_at",
    ),
    key=INVOICE_LINE_KEY,
    payload_model=RequisitionItemPayload,
    mapping=mappings.map_subcontractor_invoice_lines,
    # Procore makes a requisition's items from its commitment's SOV; each line sets its SOV line's item.
    # The project's requisitions are listed with their items (view=items): a list call per 100 invoices
    # instead of one per invoice, which keeps a first sync within Procore's hourly budget.
    load=ItemUpdateLoad(
        path="/rest/v1.0/requisitions/{requisition_id}/bulk_item_update",
        list_path="/rest/v1.1/requisitions",
        list_params=(("view", "items"),),
        list_scope=("project_id",),
        parent_key="requisition_id",
        match_key="line_item_id",
        match_field="line_item_id",
        items_key="requisition_items",
        query_scope=("project_id",),
    ),
    references=(
        PROJECT_REF,
        INVOICE_REF,
        Reference(
            key="{contract_number}#{item_number}",
            point="commitment_lines",
            field="line_item_id",
            in_route=True,
        ),
    ),
    has_origin_id=False,
    erp_key_label="contract_no/app_no#item_no",
    locks="its amounts once the invoice is approved",
    locked_hint="the invoice is approved in Procore: revise it there or bill the change on the next invoice",
    money="`PATCH …/bulk_item_update`: one row per SOV line billed, with `work_completed_this_period` and "
    "`materials_stored` (their sum is the line's claimed amount) and `retainage_this_period`; an ERP with "
    "totals only returns them on one SOV line (see Invoice money)",
)

SUBCONTRACTOR_INVOICE_STATUSES = IntegrationPoint(
    name="subcontractor_invoice_statuses",
    kind="subcontractor_invoice",
    tier=4,
    title="Subcontractor invoice statuses",
    scope="project",
    scope_column="job_number",
    canonical_columns=("contract_number", "app_number", "job_number", "item_number", "status", "updated_at"),
    key="{contract_number}/{app_number}",
    payload_model=RequisitionStatusPayload,
    mapping=mappings.map_subcontractor_invoice_statuses,
    lines=Lines(field="lines", mapping=mappings.map_status_gate_lines),
    load=CreateUpdateLoad(
        create_path=None,
        update_path="/rest/v1.1/requisitions/{requisition_id}",
        wrapper="requisition",
        body_scope=("project_id", "commitment_id"),
    ),
    references=(
        PROJECT_REF,
        COMMITMENT_REF,
        INVOICE_REF,
        line_gate("subcontractor_invoice_lines", INVOICE_LINE_KEY),
    ),
    erp_key_label="contract_no/app_no",
    locks="status when a Procore workflow controls it",
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
        "customer_id",
        "customer_number",
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
    references=(
        PROJECT_REF,
        # The owner (client): Procore's vendor_id on a prime contract. A contract without a customer
        # goes without one; a dangling or unsynced customer blocks it.
        Reference(
            key="{customer_number}",
            point="customers",
            field="vendor_id",
            optional=True,
            present="customer_id",
        ),
    ),
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
    mapping=mappings.map_amount_lines,
    load=SyncLoad(
        path="/rest/v1.0/prime_contracts/{prime_contract_id}/line_items/sync", query_scope=("project_id",)
    ),
    references=(PROJECT_REF, PRIME_CONTRACT_REF, COST_CODE_REF, COST_TYPE_REF),
    erp_key_label="contract_no#line",
    locks="everything once its prime contract is Approved or Complete",
    locked_hint="its prime contract is approved in Procore: change the SOV through a prime contract "
    "change order",
    money="the line items sync (`amount`): the prime contract's value is the sum of its SOV lines",
)

PRIME_CONTRACT_STATUSES = IntegrationPoint(
    name="prime_contract_statuses",
    kind="prime_contract",
    tier=4,
    title="Prime contract statuses",
    scope="project",
    scope_column="job_number",
    canonical_columns=("contract_number", "job_number", "line_number", "status", "updated_at"),
    key="{contract_number}",
    payload_model=ContractStatusPayload,
    mapping=mappings.map_prime_contract_statuses,
    lines=Lines(field="lines", mapping=mappings.map_status_gate_lines),
    load=CreateUpdateLoad(
        create_path=None,
        update_path="/rest/v1.0/prime_contract/{prime_contract_id}",
        wrapper="prime_contract",
        body_scope=("project_id",),
    ),
    references=(
        PROJECT_REF,
        PRIME_CONTRACT_REF,
        line_gate("prime_contract_lines", "{contract_number}#{line_number}"),
    ),
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
    money="`POST /rest/v1.0/contract_payments` (`amount`, the check's amount; a voided check deletes it)",
)

POINTS = (
    SUBCONTRACTOR_INVOICES,
    SUBCONTRACTOR_INVOICE_LINES,
    SUBCONTRACTOR_INVOICE_STATUSES,
    PRIME_CONTRACTS,
    PRIME_CONTRACT_LINES,
    PRIME_CONTRACT_STATUSES,
    PAYMENTS,
)
