"""Reference data the generator draws from: codes, trades, places and names.

Kept as plain tuples so generation needs nothing beyond the standard library and the output does not
depend on third-party data that changes between releases. Reordering any tuple changes the generated
data: draws pick by position.
"""

from __future__ import annotations

from demo_erp.reference.costs import BASE_TYPES, CORE_COST_CODES, COST_CODES, COST_TYPES, CostCode
from demo_erp.reference.geography import (
    CA_PLACES,
    CA_STREETS,
    CA_STREETS_QC,
    MX_PLACES,
    MX_STREETS,
    SUBDIVISIONS,
    US_PLACES,
    US_STREETS,
)
from demo_erp.reference.invalid import CONTROL_SNIPPETS, INVALID_COUNTRIES, INVALID_STATES
from demo_erp.reference.names import (
    BUILDING_TYPES,
    CA_SUFFIXES,
    CUSTOMER_PATTERNS,
    DELIVERY_METHODS,
    JOB_PLACES,
    MX_SUFFIXES,
    NAME_PREFIXES,
    SURNAMES,
    UNICODE_JOBS,
    UNICODE_VENDORS,
    US_SUFFIXES,
)
from demo_erp.reference.trades import PO_UNITS, SC_COMMON_ITEMS, TRADE_BY_KEY, TRADES, Trade

__all__ = [
    "BASE_TYPES",
    "BUILDING_TYPES",
    "CA_PLACES",
    "CA_STREETS",
    "CA_STREETS_QC",
    "CA_SUFFIXES",
    "CONTROL_SNIPPETS",
    "CORE_COST_CODES",
    "COST_CODES",
    "COST_TYPES",
    "CUSTOMER_PATTERNS",
    "DELIVERY_METHODS",
    "INVALID_COUNTRIES",
    "INVALID_STATES",
    "JOB_PLACES",
    "MX_PLACES",
    "MX_STREETS",
    "MX_SUFFIXES",
    "NAME_PREFIXES",
    "PO_UNITS",
    "SC_COMMON_ITEMS",
    "SUBDIVISIONS",
    "SURNAMES",
    "TRADES",
    "TRADE_BY_KEY",
    "UNICODE_JOBS",
    "UNICODE_VENDORS",
    "US_PLACES",
    "US_STREETS",
    "US_SUFFIXES",
    "CostCode",
    "Trade",
]
