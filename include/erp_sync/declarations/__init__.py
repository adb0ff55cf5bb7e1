"""The integration points, each declared once: the DAG, plan, docs table and reports derive from these.

:mod:`~erp_sync.declarations.model` says what a declaration is and derives origin ids, endpoints and
dependencies from it; the points themselves are declared by tier (``tier1`` … ``tier4``) and collected
in :mod:`~erp_sync.declarations.registry`. See CONTRIBUTING.md, "Adding an integration point".
"""

from __future__ import annotations

from erp_sync.declarations.change_orders import (
    CHANGE_ORDERS,
    COMMITMENT_CHANGE_ORDER_LINES,
    COMMITMENT_CHANGE_ORDER_STATUSES,
    COMMITMENT_CHANGE_ORDERS,
    POTENTIAL_CHANGE_ORDER_LINES,
    POTENTIAL_CHANGE_ORDER_STATUSES,
    POTENTIAL_CHANGE_ORDERS,
)
from erp_sync.declarations.model import (
    CreateUpdateLoad,
    IntegrationPoint,
    ItemUpdateLoad,
    Lines,
    Load,
    MapRows,
    Reference,
    RouteValues,
    SyncLoad,
    compose_keys,
    key_columns,
)
from erp_sync.declarations.registry import POINTS, check_points, get_point, in_dependency_order, registry_of
from erp_sync.declarations.tier1 import CUSTOMERS, PROJECT_REF, PROJECTS, VENDORS
from erp_sync.declarations.tier2 import (
    BUDGET,
    COST_CODE_REF,
    COST_CODES,
    COST_TYPE_REF,
    COST_TYPES,
    DIRECT_COST_LINES,
    DIRECT_COSTS,
)
from erp_sync.declarations.tier3 import COMMITMENT_LINES, COMMITMENT_STATUSES, COMMITMENTS
from erp_sync.declarations.tier4 import (
    PAYMENTS,
    PRIME_CONTRACT_LINES,
    PRIME_CONTRACT_STATUSES,
    PRIME_CONTRACTS,
    SUBCONTRACTOR_INVOICE_LINES,
    SUBCONTRACTOR_INVOICE_STATUSES,
    SUBCONTRACTOR_INVOICES,
)

__all__ = [
    "BUDGET",
    "CHANGE_ORDERS",
    "COMMITMENTS",
    "COMMITMENT_CHANGE_ORDERS",
    "COMMITMENT_CHANGE_ORDER_LINES",
    "COMMITMENT_CHANGE_ORDER_STATUSES",
    "COMMITMENT_LINES",
    "COMMITMENT_STATUSES",
    "COST_CODES",
    "CUSTOMERS",
    "COST_CODE_REF",
    "COST_TYPES",
    "COST_TYPE_REF",
    "DIRECT_COSTS",
    "DIRECT_COST_LINES",
    "PAYMENTS",
    "POTENTIAL_CHANGE_ORDERS",
    "POTENTIAL_CHANGE_ORDER_LINES",
    "POTENTIAL_CHANGE_ORDER_STATUSES",
    "POINTS",
    "PRIME_CONTRACTS",
    "PRIME_CONTRACT_LINES",
    "PRIME_CONTRACT_STATUSES",
    "PROJECTS",
    "PROJECT_REF",
    "SUBCONTRACTOR_INVOICES",
    "SUBCONTRACTOR_INVOICE_LINES",
    "SUBCONTRACTOR_INVOICE_STATUSES",
    "VENDORS",
    "CreateUpdateLoad",
    "IntegrationPoint",
    "ItemUpdateLoad",
    "Lines",
    "Load",
    "MapRows",
    "Reference",
    "RouteValues",
    "SyncLoad",
    "check_points",
    "compose_keys",
    "get_point",
    "in_dependency_order",
    "key_columns",
    "registry_of",
]
