"""The demo construction ERP: a realistic job-cost schema and a deterministic generator of its history.

It is the source system for the demo, the test suite and the benchmarks: SQLite by default, PostgreSQL
and MariaDB alike, with a controllable share of dirty rows whose manifest tells tests what a correct
pipeline must reject. See ``README.md`` in this package for the tables and the dirty-row contract.
"""

from __future__ import annotations

from demo_erp.generator import (
    AP_STATUS_TO_PROCORE,
    DIRTY_PLAN,
    DirtyRow,
    GenerationReport,
    generate,
    load_report,
)
from demo_erp.ops import make_engine, row_counts, seed, touch_rows, touch_vendors
from demo_erp.schema import ERP_TABLES, PRIMARY_KEYS, create_schema, drop_schema, metadata

__all__ = [
    "AP_STATUS_TO_PROCORE",
    "DIRTY_PLAN",
    "ERP_TABLES",
    "PRIMARY_KEYS",
    "DirtyRow",
    "GenerationReport",
    "create_schema",
    "drop_schema",
    "generate",
    "load_report",
    "make_engine",
    "metadata",
    "row_counts",
    "seed",
    "touch_rows",
    "touch_vendors",
]
