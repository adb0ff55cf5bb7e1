"""Tier 3: commitment change orders, as Procore's Commitments tool is configured (1 or 2 tiers).

One ERP change order becomes exactly one logical Procore change order, its money sent once, on its
lines (``PROCORE_SYNC_COMMITMENT_CHANGE_ORDER_TIERS``):

- **1-tier** (Procore's default): a commitment change order (v1.0 header), its lines (v2.0, with the
  amounts; Procore's grand_total is their sum), then its status.
- **2-tier**: a change order package (header), one potential change order (PCO) inside it, the PCO's
  lines (with the amounts; the PCO's and so the package's grand_total is their sum), then the PCO's
  and the package's statuses (the package's decides what the commitment counts it as).

The points of the other tier are skipped by setting. A status goes last, once every line of its
change order is in Procore, because Procore locks an approved change order's lines.
"""

from __future__ import annotations

from erp_sync import change_order_mappings as maps
from erp_sync.change_order_payloads import (
    ChangeOrderPackageHeaderPayload,
    CommitmentChangeOrderHeaderPayload,
    CommitmentChangeOrderLinePayload,
    GatedStatusPayload,
    PackageStatusPayload,
    PotentialChangeOrderLinePayload,
    PotentialChangeOrderPayload,
    PotentialChangeOrderStatusPayload,
)
from erp_sync.declarations.model import (
    CreateUpdateLoad,
    IntegrationPoint,
    LineItemsLoad,
    Lines,
    Reference,
    SettingIs,
    SyncLoad,
    line_gate,
)
from erp_sync.declarations.tier1 import PROJECT_REF
from erp_sync.declarations.tier2 import COST_CODE_REF, COST_TYPE_REF
from erp_sync.mappings import map_amount_lines, map_status_gate_lines

ONE_TIER = SettingIs("commitment_change_order_tiers", (1,))
TWO_TIER = SettingIs("commitment_change_order_tiers", (2,))

# What the change order SQL files return, header and line.
HEADER_COLUMNS = ("contract_number", "co_number", "job_number", "title", "description", "co_date")
LINE_COLUMNS = (
    "contract_number",
    "co_number",
    "line_number",
    "job_number",
    "item_number",
    "cost_code",
    "cost_type",
    "amount",
    "description",
    "updated_at",
)
STATUS_COLUMNS = ("contract_number", "co_number", "job_number", "line_number", "status", "updated_at")
CO_KEY, LINE_KEY = "{contract_number}/{co_number}", "{contract_number}/{co_number}#{line_number}"
CONTRACT_ROUTE = Reference(key="{contract_number}", point="commitments", field="contract_id", in_route=True)
LINE_MONEY = (
    "the lines: `amount` per line (decimal; negative for a deduct), sent as the line's `amount` by {call}; "
    "Procore's {total} is their sum"
)
STATUS_MONEY = (
    "none; the status decides whether the lines' sum counts as approved or pending on the commitment"
)
LOCKED_HINT = "its change order is approved in Procore: express the change as another change order in the ERP"


def _status_gate(point: str) -> Reference:
    return line_gate(point, LINE_KEY)


COMMITMENT_CHANGE_ORDERS = IntegrationPoint(
    name="commitment_change_orders",
    kind="commitment_change_order",
    tier=3,
    title="Commitment change orders (1-tier)",
    scope="project",
    scope_column="job_number",
    canonical_columns=(*HEADER_COLUMNS, "updated_at"),
    key=CO_KEY,
    payload_model=CommitmentChangeOrderHeaderPayload,
    mapping=maps.map_commitment_change_orders,
    load=CreateUpdateLoad(
        create_path="/rest/v1.0/projects/{project_id}/commitment_change_orders",
        update_path="/rest/v1.0/projects/{project_id}/commitment_change_orders/{id}",
        list_path="/rest/v1.0/projects/{project_id}/commitment_change_orders",
        wrapper="change_order",
        origin_filter=False,
        lookup=("contract_id", "number"),
    ),
    references=(PROJECT_REF, Reference(key="{contract_number}", point="commitments", field="contract_id")),
    erp_key_label="contract_no/co_no",
    has_origin_id=False,
    locks="its contract once approved; no delete then",
    money="none: the header carries no amount (its lines do)",
    applies_when=ONE_TIER,
)

CCO_REF = Reference(
    key=CO_KEY, point="commitment_change_orders", field="commitment_change_order_id", in_route=True
)
CCO_PATH = "/rest/v1.0/projects/{project_id}/commitment_change_orders/{commitment_change_order_id}"
CCO_LINES_PATH = (
    "/rest/v2.0/companies/{company_id}/projects/{project_id}/commitment_change_orders/"
    "{commitment_change_order_id}/line_items"
)

COMMITMENT_CHANGE_ORDER_LINES = IntegrationPoint(
    name="commitment_change_order_lines",
    kind="commitment_change_order_line",
    tier=3,
    title="Commitment change order lines (1-tier)",
    scope="project",
    scope_column="job_number",
    canonical_columns=LINE_COLUMNS,
    key=LINE_KEY,
    payload_model=CommitmentChangeOrderLinePayload,
    mapping=map_amount_lines,
    load=LineItemsLoad(
        create_path=CCO_LINES_PATH,
        update_path=CCO_LINES_PATH + "/{id}",
        list_path=CCO_LINES_PATH,
        parent_path=CCO_PATH,
    ),
    references=(
        PROJECT_REF,
        CCO_REF,
        # blank item_number: the line adds to the schedule of values instead of changing a line of it
        Reference(
            key="{contract_number}#{item_number}",
            point="commitment_lines",
            field="commitment_line_item_id",
            optional=True,
        ),
        # the line's budget code: resolved to its WBS code when the line is sent
        Reference(key="{job_number}/{cost_code}", point="cost_codes", field="cost_code_id", in_route=True),
        Reference(key="{cost_type}", point="cost_types", field="line_item_type_id", in_route=True),
    ),
    erp_key_label="contract_no/co_no#line",
    has_origin_id=False,
    locks="everything once its change order is approved",
    locked_hint=LOCKED_HINT,
    money=LINE_MONEY.format(
        call="`POST`/`PATCH` on the v2.0 line items", total="commitment change order `grand_total`"
    ),
    applies_when=ONE_TIER,
)

COMMITMENT_CHANGE_ORDER_STATUSES = IntegrationPoint(
    name="commitment_change_order_statuses",
    kind="commitment_change_order",
    tier=3,
    title="Commitment change order statuses (1-tier)",
    scope="project",
    scope_column="job_number",
    canonical_columns=STATUS_COLUMNS,
    key=CO_KEY,
    payload_model=GatedStatusPayload,
    mapping=maps.map_change_order_statuses,
    lines=Lines(field="lines", mapping=map_status_gate_lines),
    load=CreateUpdateLoad(
        create_path=None,
        update_path=CCO_PATH,
        wrapper="change_order",
    ),
    references=(PROJECT_REF, CCO_REF, _status_gate("commitment_change_order_lines")),
    erp_key_label="contract_no/co_no",
    has_origin_id=False,
    locks="status when a Procore workflow controls it",
    money=STATUS_MONEY,
    applies_when=ONE_TIER,
)

CHANGE_ORDERS = IntegrationPoint(
    name="change_orders",
    kind="change_order",
    tier=3,
    title="Change order packages (2-tier)",
    scope="project",
    scope_column="job_number",
    canonical_columns=(*HEADER_COLUMNS, "updated_at"),
    key=CO_KEY,
    payload_model=ChangeOrderPackageHeaderPayload,
    mapping=maps.map_change_order_packages,
    load=CreateUpdateLoad(
        create_path="/rest/v1.0/change_order_packages",
        update_path="/rest/v1.0/change_order_packages/{id}",
        list_path="/rest/v1.0/change_order_packages",
        wrapper="change_order",
        body_scope=("project_id", "contract_id"),
        list_scope=("project_id", "contract_id"),
        origin_filter=False,
    ),
    references=(PROJECT_REF, CONTRACT_ROUTE),
    erp_key_label="contract_no/co_no",
    locks="everything once Approved; no delete then",
    money="none: the package's `grand_total` is its potential change order's (no amount is sent)",
    applies_when=TWO_TIER,
)

POTENTIAL_CHANGE_ORDERS = IntegrationPoint(
    name="potential_change_orders",
    kind="potential_change_order",
    tier=3,
    title="Potential change orders (2-tier)",
    scope="project",
    scope_column="job_number",
    canonical_columns=("contract_number", "co_number", "job_number", "title", "description", "updated_at"),
    key=CO_KEY,
    payload_model=PotentialChangeOrderPayload,
    mapping=maps.map_potential_change_orders,
    load=SyncLoad(path="/rest/v1.0/potential_change_orders/sync", query_scope=("project_id", "contract_id")),
    references=(
        PROJECT_REF,
        CONTRACT_ROUTE,
        Reference(key=CO_KEY, point="change_orders", field="change_order_package_id"),
    ),
    erp_key_label="contract_no/co_no",
    locks="its lines once approved",
    money="none: the PCO's `grand_total` is the sum of its lines",
    applies_when=TWO_TIER,
)

PCO_REF = Reference(
    key=CO_KEY, point="potential_change_orders", field="potential_change_order_id", in_route=True
)

POTENTIAL_CHANGE_ORDER_LINES = IntegrationPoint(
    name="potential_change_order_lines",
    kind="potential_change_order_line",
    tier=3,
    title="Potential change order lines (2-tier)",
    scope="project",
    scope_column="job_number",
    canonical_columns=LINE_COLUMNS,
    key=LINE_KEY,
    payload_model=PotentialChangeOrderLinePayload,
    mapping=map_amount_lines,
    load=SyncLoad(
        path="/rest/v1.0/potential_change_orders/{potential_change_order_id}/line_items/sync",
        query_scope=("project_id",),
    ),
    references=(
        PROJECT_REF,
        PCO_REF,
        # PCO lines name no SOV line, but one the ERP line changes must exist (a dangling one blocks)
        Reference(
            key="{contract_number}#{item_number}",
            point="commitment_lines",
            field="commitment_line_item_id",
            optional=True,
            in_route=True,
        ),
        COST_CODE_REF,
        COST_TYPE_REF,
    ),
    erp_key_label="contract_no/co_no#line",
    locks="everything once its potential change order is approved",
    locked_hint=LOCKED_HINT,
    money=LINE_MONEY.format(call="the PCO line items sync", total="PCO `grand_total` (and so its package's)"),
    applies_when=TWO_TIER,
)

POTENTIAL_CHANGE_ORDER_STATUSES = IntegrationPoint(
    name="potential_change_order_statuses",
    kind="potential_change_order",
    tier=3,
    title="Potential change order statuses (2-tier)",
    scope="project",
    scope_column="job_number",
    canonical_columns=STATUS_COLUMNS,
    key=CO_KEY,
    payload_model=PotentialChangeOrderStatusPayload,
    mapping=maps.map_change_order_statuses,
    lines=Lines(field="lines", mapping=map_status_gate_lines),
    load=SyncLoad(path="/rest/v1.0/potential_change_orders/sync", query_scope=("project_id", "contract_id")),
    references=(PROJECT_REF, CONTRACT_ROUTE, PCO_REF, _status_gate("potential_change_order_lines")),
    erp_key_label="contract_no/co_no",
    locks="status when a Procore workflow controls it",
    money="none; the package's status decides what the commitment counts its total as",
    applies_when=TWO_TIER,
)

CHANGE_ORDER_PACKAGE_STATUSES = IntegrationPoint(
    name="change_order_package_statuses",
    kind="change_order",
    tier=3,
    title="Change order package statuses (2-tier)",
    scope="project",
    scope_column="job_number",
    canonical_columns=STATUS_COLUMNS,
    key=CO_KEY,
    payload_model=PackageStatusPayload,
    mapping=maps.map_change_order_statuses,
    lines=Lines(field="lines", mapping=map_status_gate_lines),
    load=CreateUpdateLoad(
        create_path=None,
        update_path="/rest/v1.0/change_order_packages/{change_order_package_id}",
        wrapper="change_order",
        body_scope=("project_id",),
    ),
    references=(
        PROJECT_REF,
        Reference(key=CO_KEY, point="change_orders", field="change_order_package_id", in_route=True),
        _status_gate("potential_change_order_lines"),
    ),
    # the PCO's own status goes first: a package approved around a pending PCO would read oddly
    runs_after=("potential_change_order_statuses",),
    erp_key_label="contract_no/co_no",
    locks="status when a Procore workflow controls it",
    money=STATUS_MONEY,
    applies_when=TWO_TIER,
)

POINTS = (
    COMMITMENT_CHANGE_ORDERS,
    COMMITMENT_CHANGE_ORDER_LINES,
    COMMITMENT_CHANGE_ORDER_STATUSES,
    CHANGE_ORDERS,
    POTENTIAL_CHANGE_ORDERS,
    POTENTIAL_CHANGE_ORDER_LINES,
    POTENTIAL_CHANGE_ORDER_STATUSES,
    CHANGE_ORDER_PACKAGE_STATUSES,
)
