"""The integration points, each declared once: the DAG, plan, docs table and reports derive from these.

Adding an integration point means adding a declaration here, its SQL file under ``include/sql/``, a
payload model and a mapping function; nothing else is copied.
"""

from __future__ import annotations

import string
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import pandas as pd
from pydantic import BaseModel

from erp_sync import mappings
from erp_sync.payloads import (
    BudgetLineItemPayload,
    ChangeOrderPackagePayload,
    CommitmentChangeOrderPayload,
    CommitmentLinePayload,
    CommitmentPayload,
    ContractPaymentPayload,
    ContractStatusPayload,
    CostCodePayload,
    DirectCostLinePayload,
    DirectCostPayload,
    LineItemTypePayload,
    PrimeContractLinePayload,
    PrimeContractPayload,
    ProjectPayload,
    RequisitionPayload,
    VendorPayload,
)

Mapping = Callable[..., pd.DataFrame]


def key_columns(fmt: str) -> list[str]:
    return [name for _, name, _, _ in string.Formatter().parse(fmt) if name]


def compose_keys(rows: pd.DataFrame, fmt: str) -> pd.Series:
    """ERP keys built from canonical columns, whole columns at a time; missing if any part is blank."""
    result = pd.Series("", index=rows.index, dtype="string")
    missing = pd.Series(False, index=rows.index)
    for literal, name, _, _ in string.Formatter().parse(fmt):
        result = result + literal
        if name:
            part = rows[name].astype("string").str.strip()
            part = part.str.removesuffix(".0") if rows[name].dtype.kind == "f" else part
            missing |= part.isna() | (part == "")
            result = result + part.fillna("")
    return result.mask(missing)


@dataclass(frozen=True)
class Reference:
    """Another point's ERP key, built from canonical columns, resolved to its Procore id via the ledger.

    ``key`` is a format over canonical columns, e.g. ``"{job_number}/{cost_code}"``, that must produce
    the referenced point's ``key`` format. ``present`` names a canonical column holding the ERP's raw
    foreign key: when it is set but the key is blank, the ERP row points at a record that does not
    exist (a dangling reference) and the record is blocked, even for an optional reference.

    A record whose reference is not synced (rejected, failed, blocked or missing) is not sent: it is
    recorded as ``blocked`` naming the missing reference, and goes out on the first run after the
    reference is fixed.
    """

    key: str
    point: str
    field: str
    in_route: bool = False
    optional: bool = False
    present: str | None = None


@dataclass(frozen=True)
class SyncLoad:
    """Load through a Procore sync action (batch create-or-update keyed by origin_id).

    ``path`` may hold route keys (``{project_id}``, ``{contract_path}``, ...); ``body_scope`` and
    ``query_scope`` name the route keys sent in the body or the query string (``company_id`` is always
    available). Calls are split by every route key the path or scope uses. Responses are matched to
    items by origin_id, else id, else (for points without origin_id) in order.
    """

    path: str
    items_key: str = "updates"
    method: str = "PATCH"
    body_scope: tuple[str, ...] = ()
    query_scope: tuple[str, ...] = ()
    delete_path: str | None = None
    delete_scope: tuple[str, ...] = ()

    kind = "sync"


@dataclass(frozen=True)
class CreateUpdateLoad:
    """Load where Procore has no sync action: POST to create, PATCH ``/{id}`` to update.

    Creates are idempotent through the ledger and, when the ledger is unsure (an earlier create may
    have been applied without an answer), a lookup by origin_id on ``list_path`` first — through
    ``filters[origin_id]`` where Procore offers it (``origin_filter``), else by reading the list.
    With no ``create_path`` the point only updates a record another point created, addressed through
    a route key (e.g. ``/rest/v1.0/prime_contract/{prime_contract_id}``).
    """

    create_path: str | None
    update_path: str
    list_path: str
    wrapper: str
    body_scope: tuple[str, ...] = ()
    query_scope: tuple[str, ...] = ()
    list_scope: tuple[str, ...] = ()
    origin_filter: bool = True
    lookup: tuple[str, ...] = ("origin_id",)
    delete_path: str | None = None
    delete_scope: tuple[str, ...] = ()

    kind = "create_update"


Load = SyncLoad | CreateUpdateLoad


@dataclass(frozen=True)
class IntegrationPoint:
    """One ERP → Procore integration point (a Singer-style stream declaration)."""

    name: str
    kind: str
    tier: int
    title: str
    scope: Literal["company", "project"]
    sql_file: str
    canonical_columns: tuple[str, ...]
    payload_model: type[BaseModel]
    mapping: Mapping
    load: Load
    procore_endpoints: tuple[str, ...]
    depends_on: tuple[str, ...] = ()
    references: tuple[Reference, ...] = ()
    key: str = "{erp_key}"
    erp_key_label: str = "erp_key"
    scope_column: str | None = None
    has_origin_id: bool = True
    locks: str = "nothing"
    locked_hint: str = ""
    route_values: tuple[tuple[str, tuple[str, ...]], ...] = ()
    lines_field: str | None = None

    def __post_init__(self) -> None:
        if self.scope == "project" and not self.scope_column:
            raise ValueError(f"{self.name}: project-scoped points name their scope_column")
        for ref in self.references:
            if ref.present and ref.present not in self.canonical_columns:
                raise ValueError(f"{self.name}: reference presence column {ref.present!r} is not canonical")
        for fmt in (self.key, *(r.key for r in self.references)):
            missing = [c for c in key_columns(fmt) if c not in self.canonical_columns]
            if missing:
                raise ValueError(f"{self.name}: key {fmt!r} uses non-canonical columns {missing}")


VENDORS = IntegrationPoint(
    name="vendors",
    kind="vendor",
    tier=1,
    title="Vendors",
    scope="company",
    sql_file="vendors.sql",
    canonical_columns=(
        "erp_key",
        "vendor_number",
        "name",
        "trade_name",
        "address",
        "city",
        "state_code",
        "zip",
        "country_code",
        "business_phone",
        "email_address",
        "status",
        "updated_at",
    ),
    payload_model=VendorPayload,
    mapping=mappings.map_vendors,
    load=SyncLoad(path="/rest/v1.0/vendors/sync", body_scope=("company_id",)),
    procore_endpoints=("PATCH /rest/v1.0/vendors/sync",),
    erp_key_label="vendor_no",
)

PROJECTS = IntegrationPoint(
    name="projects",
    kind="project",
    tier=1,
    title="Projects",
    scope="company",
    sql_file="projects.sql",
    canonical_columns=(
        "erp_key",
        "job_number",
        "name",
        "description",
        "address",
        "city",
        "state_code",
        "zip",
        "country_code",
        "start_date",
        "completion_date",
        "total_value",
        "status",
        "updated_at",
    ),
    payload_model=ProjectPayload,
    mapping=mappings.map_projects,
    load=SyncLoad(path="/rest/v1.0/projects/sync", body_scope=("company_id",)),
    procore_endpoints=("PATCH /rest/v1.0/projects/sync",),
    erp_key_label="job_no",
)

PROJECT_REF = Reference(key="{job_number}", point="projects", field="project_id", in_route=True)
COST_CODE_REF = Reference(key="{job_number}/{cost_code}", point="cost_codes", field="cost_code_id")
COST_TYPE_REF = Reference(key="{cost_type}", point="cost_types", field="line_item_type_id")

COST_TYPES = IntegrationPoint(
    name="cost_types",
    kind="cost_type",
    tier=2,
    title="Cost types",
    scope="company",
    sql_file="cost_types.sql",
    canonical_columns=("erp_key", "name", "base_type", "updated_at"),
    payload_model=LineItemTypePayload,
    mapping=mappings.map_cost_types,
    load=SyncLoad(path="/rest/v1.0/line_item_types/sync", body_scope=("company_id",)),
    procore_endpoints=("PATCH /rest/v1.0/line_item_types/sync",),
    erp_key_label="cost_type",
)

COST_CODES = IntegrationPoint(
    name="cost_codes",
    kind="cost_code",
    tier=2,
    title="Cost codes",
    scope="project",
    scope_column="job_number",
    sql_file="cost_codes.sql",
    canonical_columns=("job_number", "cost_code", "name", "updated_at"),
    key="{job_number}/{cost_code}",
    payload_model=CostCodePayload,
    mapping=mappings.map_cost_codes,
    load=SyncLoad(path="/rest/v1.0/cost_codes/sync", query_scope=("project_id",)),
    procore_endpoints=("PATCH /rest/v1.0/cost_codes/sync?project_id=",),
    depends_on=("projects",),
    references=(PROJECT_REF,),
    erp_key_label="job/cost_code",
)

BUDGET = IntegrationPoint(
    name="budget",
    kind="budget_line",
    tier=2,
    title="Budget",
    scope="project",
    scope_column="job_number",
    sql_file="budget.sql",
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
    procore_endpoints=("POST /rest/v1.0/budget_line_items/sync",),
    depends_on=("projects", "cost_codes", "cost_types"),
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
    sql_file="direct_costs.sql",
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
    procore_endpoints=(
        "PATCH /rest/v1.0/projects/{project_id}/direct_costs/sync",
        "DELETE /rest/v1.0/projects/{project_id}/direct_costs/{id}",
    ),
    depends_on=("projects", "vendors"),
    references=(
        PROJECT_REF,
        Reference(
            key="{vendor_number}", point="vendors", field="vendor_id", optional=True, present="vendor_id"
        ),
    ),
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
    sql_file="direct_cost_lines.sql",
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
    procore_endpoints=("PATCH /rest/v1.0/projects/{project_id}/direct_costs/line_items/sync",),
    depends_on=("projects", "direct_costs", "cost_codes", "cost_types"),
    references=(
        PROJECT_REF,
        Reference(key="{job_number}/{invoice_number}", point="direct_costs", field="direct_cost_id"),
        COST_CODE_REF,
        COST_TYPE_REF,
    ),
    erp_key_label="job/invoice#line",
    locks="fields other than origin_data once its direct cost carries an origin_id",
)

COMMITMENTS = IntegrationPoint(
    name="commitments",
    kind="commitment",
    tier=3,
    title="Commitments",
    scope="project",
    scope_column="job_number",
    sql_file="commitments.sql",
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
    ),
    procore_endpoints=(
        "PATCH /rest/v1.0/work_order_contracts/sync",
        "PATCH /rest/v1.0/purchase_order_contracts/sync",
        "DELETE /rest/v1.0/purchase_order_contracts/{id}",
    ),
    depends_on=("projects", "vendors"),
    references=(
        PROJECT_REF,
        Reference(key="{vendor_number}", point="vendors", field="vendor_id", present="vendor_id"),
    ),
    erp_key_label="contract_no",
    locks="contract company and SOV once Approved or Complete; no delete then",
    route_values=(("contract_path", tuple(mappings.CONTRACT_PATHS.values())),),
)

COMMITMENT_STATUSES = IntegrationPoint(
    name="commitment_statuses",
    kind="commitment",
    tier=3,
    title="Commitment statuses",
    scope="project",
    scope_column="job_number",
    sql_file="commitment_statuses.sql",
    canonical_columns=("contract_number", "job_number", "kind", "status", "voided", "updated_at"),
    key="{contract_number}",
    payload_model=ContractStatusPayload,
    mapping=mappings.map_commitment_statuses,
    load=SyncLoad(path="/rest/v1.0/{contract_path}/sync", body_scope=("project_id",)),
    procore_endpoints=(
        "PATCH /rest/v1.0/work_order_contracts/sync",
        "PATCH /rest/v1.0/purchase_order_contracts/sync",
    ),
    depends_on=("projects", "commitments", "commitment_lines"),
    references=(
        PROJECT_REF,
        Reference(key="{contract_number}", point="commitments", field="commitment_id", in_route=True),
    ),
    erp_key_label="contract_no",
    locks="status when a Procore workflow controls it (the rest still syncs)",
    route_values=(("contract_path", tuple(mappings.CONTRACT_PATHS.values())),),
)

COMMITMENT_LINES = IntegrationPoint(
    name="commitment_lines",
    kind="commitment_line",
    tier=3,
    title="Commitment SOV lines",
    scope="project",
    scope_column="job_number",
    sql_file="commitment_lines.sql",
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
    procore_endpoints=(
        "PATCH /rest/v1.0/{work_order,purchase_order}_contracts/{id}/line_items/sync?project_id=",
    ),
    depends_on=("projects", "commitments", "cost_codes", "cost_types"),
    references=(
        PROJECT_REF,
        Reference(key="{contract_number}", point="commitments", field="commitment_id", in_route=True),
        COST_CODE_REF,
        COST_TYPE_REF,
    ),
    erp_key_label="contract_no#line",
    locks="everything once its commitment is Approved or Complete",
    locked_hint="its commitment is approved or complete in Procore: change the schedule of values through a "
    "change order in the ERP",
    route_values=(("contract_path", tuple(mappings.CONTRACT_PATHS.values())),),
)

CHANGE_ORDERS = IntegrationPoint(
    name="change_orders",
    kind="change_order",
    tier=3,
    title="Change orders",
    scope="project",
    scope_column="job_number",
    sql_file="change_orders.sql",
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
    procore_endpoints=(
        "POST /rest/v1.0/change_order_packages",
        "PATCH /rest/v1.0/change_order_packages/{id}",
        "GET /rest/v1.0/change_order_packages?project_id=&contract_id=",
    ),
    depends_on=("projects", "commitments"),
    references=(
        PROJECT_REF,
        Reference(key="{contract_number}", point="commitments", field="contract_id", in_route=True),
    ),
    erp_key_label="contract_no/co_no",
    locks="everything once Approved; no delete then",
)

PRIME_CONTRACTS = IntegrationPoint(
    name="prime_contracts",
    kind="prime_contract",
    tier=4,
    title="Prime contracts",
    scope="project",
    scope_column="job_number",
    sql_file="prime_contracts.sql",
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
    procore_endpoints=(
        "POST /rest/v1.0/prime_contract",
        "PATCH /rest/v1.0/prime_contract/{id}",
        "GET /rest/v1.0/prime_contracts?project_id=",
    ),
    depends_on=("projects",),
    references=(PROJECT_REF,),
    erp_key_label="contract_no",
    locks="SOV once Approved or Complete",
)

PRIME_CONTRACT_LINES = IntegrationPoint(
    name="prime_contract_lines",
    kind="prime_contract_line",
    tier=4,
    title="Prime contract SOV lines",
    scope="project",
    scope_column="job_number",
    sql_file="prime_contract_lines.sql",
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
    procore_endpoints=("PATCH /rest/v1.0/prime_contracts/{id}/line_items/sync?project_id=",),
    depends_on=("projects", "prime_contracts", "cost_codes", "cost_types"),
    references=(
        PROJECT_REF,
        Reference(key="{contract_number}", point="prime_contracts", field="prime_contract_id", in_route=True),
        COST_CODE_REF,
        COST_TYPE_REF,
    ),
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
    sql_file="prime_contract_statuses.sql",
    canonical_columns=("contract_number", "job_number", "status", "updated_at"),
    key="{contract_number}",
    payload_model=ContractStatusPayload,
    mapping=mappings.map_prime_contract_statuses,
    load=CreateUpdateLoad(
        create_path=None,
        update_path="/rest/v1.0/prime_contract/{prime_contract_id}",
        list_path="/rest/v1.0/prime_contracts",
        wrapper="prime_contract",
        body_scope=("project_id",),
    ),
    procore_endpoints=("PATCH /rest/v1.0/prime_contract/{id}",),
    depends_on=("projects", "prime_contracts", "prime_contract_lines"),
    references=(
        PROJECT_REF,
        Reference(key="{contract_number}", point="prime_contracts", field="prime_contract_id", in_route=True),
    ),
    erp_key_label="contract_no",
    locks="status when a Procore workflow controls it",
)

COMMITMENT_CHANGE_ORDERS = IntegrationPoint(
    name="commitment_change_orders",
    kind="commitment_change_order",
    tier=3,
    title="Commitment change orders",
    scope="project",
    scope_column="job_number",
    sql_file="commitment_change_orders.sql",
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
    lines_field="line_items",
    load=CreateUpdateLoad(
        create_path="/rest/v1.0/projects/{project_id}/commitment_change_orders",
        update_path="/rest/v1.0/projects/{project_id}/commitment_change_orders/{id}",
        list_path="/rest/v1.0/projects/{project_id}/commitment_change_orders",
        wrapper="change_order",
        origin_filter=False,
        lookup=("contract_id", "number"),
    ),
    procore_endpoints=(
        "POST /rest/v1.0/projects/{project_id}/commitment_change_orders",
        "PATCH /rest/v1.0/projects/{project_id}/commitment_change_orders/{id}",
        "GET /rest/v1.0/projects/{project_id}/commitment_change_orders",
    ),
    depends_on=("projects", "commitments", "commitment_lines", "cost_codes", "cost_types", "change_orders"),
    references=(
        PROJECT_REF,
        Reference(key="{contract_number}", point="commitments", field="contract_id"),
        Reference(
            key="{contract_number}#{item_number}",
            point="commitment_lines",
            field="line.commitment_line_item_id",
            optional=True,
        ),
        Reference(key="{job_number}/{cost_code}", point="cost_codes", field="line.cost_code_id"),
        Reference(key="{cost_type}", point="cost_types", field="line.line_item_type_id"),
    ),
    erp_key_label="contract_no/co_no",
    has_origin_id=False,
    locks="its lines and contract once approved; no delete then",
)

SUBCONTRACTOR_INVOICES = IntegrationPoint(
    name="subcontractor_invoices",
    kind="subcontractor_invoice",
    tier=4,
    title="Subcontractor invoices",
    scope="project",
    scope_column="job_number",
    sql_file="subcontractor_invoices.sql",
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
    procore_endpoints=(
        "POST /rest/v1.1/requisitions",
        "PATCH /rest/v1.1/requisitions/{id}",
        "GET /rest/v1.1/requisitions?project_id=&filters[origin_id]=",
    ),
    # Procore takes subcontractor invoices only on an Approved commitment: statuses go first.
    depends_on=("projects", "commitments", "commitment_statuses"),
    references=(
        PROJECT_REF,
        Reference(key="{contract_number}", point="commitments", field="commitment_id", in_route=True),
    ),
    erp_key_label="contract_no/app_no",
    locks="fields other than origin_data once it carries an origin_id",
)

PAYMENTS = IntegrationPoint(
    name="payments",
    kind="payment",
    tier=4,
    title="Payments",
    scope="project",
    scope_column="job_number",
    sql_file="payments.sql",
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
    procore_endpoints=(
        "POST /rest/v1.0/contract_payments",
        "PATCH /rest/v1.0/contract_payments/{id}",
        "DELETE /rest/v1.0/contract_payments/{id}",
        "GET /rest/v1.0/contract_payments?project_id=&contract_id=",
    ),
    depends_on=("projects", "commitments", "prime_contracts", "subcontractor_invoices"),
    references=(
        PROJECT_REF,
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
    erp_key_label="check_no",
    locks="fields other than origin_data once it carries an origin_id; no delete then",
)

POINTS: dict[str, IntegrationPoint] = {
    p.name: p
    for p in (
        VENDORS,
        PROJECTS,
        COST_TYPES,
        COST_CODES,
        BUDGET,
        DIRECT_COSTS,
        DIRECT_COST_LINES,
        COMMITMENTS,
        COMMITMENT_LINES,
        COMMITMENT_STATUSES,
        CHANGE_ORDERS,
        COMMITMENT_CHANGE_ORDERS,
        SUBCONTRACTOR_INVOICES,
        PRIME_CONTRACTS,
        PRIME_CONTRACT_LINES,
        PRIME_CONTRACT_STATUSES,
        PAYMENTS,
    )
}


def _check_declarations(points: dict[str, IntegrationPoint]) -> None:
    """Every reference and dependency names a declared point of an earlier or equal tier."""
    for point in points.values():
        for name in (*point.depends_on, *(r.point for r in point.references)):
            if name not in points:
                raise ValueError(f"{point.name} depends on undeclared point {name!r}")
            if points[name].tier > point.tier:
                raise ValueError(f"{point.name} (tier {point.tier}) depends on {name} of a later tier")
        for ref in point.references:
            if ref.point not in point.depends_on:
                raise ValueError(f"{point.name}: reference to {ref.point} must also be in depends_on")


_check_declarations(POINTS)


def get_point(name: str) -> IntegrationPoint:
    try:
        return POINTS[name]
    except KeyError:
        raise KeyError(f"unknown integration point {name!r}; declared: {', '.join(POINTS)}") from None


def in_dependency_order() -> list[IntegrationPoint]:
    """Points in Procore's order: by tier, each after everything it depends on."""
    ordered: list[IntegrationPoint] = []
    pending = sorted(POINTS.values(), key=lambda p: p.tier)
    while pending:
        ready = next(p for p in pending if all(d in {o.name for o in ordered} for d in p.depends_on))
        ordered.append(ready)
        pending.remove(ready)
    return ordered
