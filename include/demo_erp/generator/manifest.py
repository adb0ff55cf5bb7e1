"""The manifest of planted defects: what a correct pipeline must reject, stored beside the data.

Stored in the seeded database itself (``demo_meta``, ``demo_dirty_row``) so tests and the CLI can read it
back without regenerating.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa

from demo_erp.schema import ERP_TABLES, demo_dirty_row, demo_meta, metadata

#: 2 added ``pay_app_line``; every table of version 1 is unchanged, row for row.
GENERATOR_VERSION = "2"
#: Rows per multi-row INSERT, for the generated tables and the manifest alike.
CHUNK_ROWS = 5_000

MISSING_NAME = "missing_name"
INVALID_STATE = "invalid_state"
OVERLONG_NAME = "overlong_name"
CONTROL_CHARS = "control_chars"
DUPLICATE_KEY = "duplicate_key"
INVALID_COUNTRY = "invalid_country"
INVALID_DATE = "invalid_date"
DANGLING_REFERENCE = "dangling_reference"
NEGATIVE_AMOUNT = "negative_amount"
DIRTY_PARENT = "dirty_parent"

#: (kind, column) planted per table, taken in turn so small data sets still show every kind.
DIRTY_PLAN: dict[str, tuple[tuple[str, str], ...]] = {
    "customer": (
        (MISSING_NAME, "name"),
        (INVALID_STATE, "state_code"),
        (OVERLONG_NAME, "name"),
        (CONTROL_CHARS, "name"),
        (INVALID_COUNTRY, "country_code"),
        (DUPLICATE_KEY, "customer_no"),
    ),
    "vendor": (
        (MISSING_NAME, "name"),
        (INVALID_STATE, "state_code"),
        (OVERLONG_NAME, "name"),
        (CONTROL_CHARS, "name"),
        (INVALID_COUNTRY, "country_code"),
        (DUPLICATE_KEY, "vendor_no"),
    ),
    "job": (
        (MISSING_NAME, "name"),
        (INVALID_STATE, "state_code"),
        (OVERLONG_NAME, "name"),
        (CONTROL_CHARS, "name"),
        (INVALID_COUNTRY, "country_code"),
        (INVALID_DATE, "est_completion_date"),
        (DUPLICATE_KEY, "job_no"),
    ),
    "job_cost_code": (
        (MISSING_NAME, "description"),
        (OVERLONG_NAME, "description"),
        (CONTROL_CHARS, "description"),
        (DANGLING_REFERENCE, "job_id"),
        (DUPLICATE_KEY, "cost_code"),
    ),
    "budget_line": (
        (NEGATIVE_AMOUNT, "original_amount"),
        (DANGLING_REFERENCE, "cost_code"),
        (DANGLING_REFERENCE, "cost_type_code"),
        (DUPLICATE_KEY, "cost_code"),
    ),
    "ap_invoice": ((DANGLING_REFERENCE, "vendor_id"), (DANGLING_REFERENCE, "job_id")),
    "ap_invoice_line": ((DANGLING_REFERENCE, "cost_code"), (DANGLING_REFERENCE, "cost_type_code")),
    "subcontract": ((DANGLING_REFERENCE, "vendor_id"), (DANGLING_REFERENCE, "job_id")),
    "subcontract_item": ((NEGATIVE_AMOUNT, "amount"), (DANGLING_REFERENCE, "cost_code")),
    "change_order": ((DANGLING_REFERENCE, "subcontract_id"),),
    "change_order_item": ((DANGLING_REFERENCE, "item_no"),),
    "owner_contract": ((DANGLING_REFERENCE, "customer_id"),),
    "owner_contract_item": ((NEGATIVE_AMOUNT, "amount"), (DANGLING_REFERENCE, "cost_code")),
    "pay_app": ((NEGATIVE_AMOUNT, "amount_this_period"), (DANGLING_REFERENCE, "subcontract_id")),
    "payment": ((NEGATIVE_AMOUNT, "amount"), (DANGLING_REFERENCE, "pay_app_id")),
    # Last, so its planter runs after every other table's: it draws from its own stream only.
    "pay_app_line": ((DANGLING_REFERENCE, "item_no"), (NEGATIVE_AMOUNT, "work_completed_this_period")),
}
#: Tables added after version 1. Their manifest entries come after all others, so the manifest of the
#: version-1 tables keeps its order and ``seq`` numbers (a seed's old manifest is a prefix of the new).
LATER_TABLES: tuple[str, ...] = ("pay_app_line",)


@dataclass(frozen=True, order=True)
class DirtyRow:
    """One planted defect: which row (natural ``key`` and surrogate ``row_id``), what kind, which column."""

    table: str
    key: str
    kind: str
    column: str
    row_id: int | None = None


def manifest_order(rows: list[DirtyRow]) -> list[DirtyRow]:
    """``rows`` with the entries of ``LATER_TABLES`` moved to the end, otherwise in generation order."""
    return [r for r in rows if r.table not in LATER_TABLES] + [r for r in rows if r.table in LATER_TABLES]


@dataclass
class GenerationReport:
    """What ``generate`` wrote: row counts per table and the manifest of planted defects."""

    seed: int
    scale: float
    dirty_share: float
    history_start: date
    history_end: date
    row_counts: dict[str, int]
    dirty: list[DirtyRow]
    blocked: list[DirtyRow] = field(default_factory=list)
    unicode_rows: list[tuple[str, str]] = field(default_factory=list)
    elapsed_seconds: float = field(default=0.0, compare=False)

    def dirty_by_kind(self) -> dict[str, int]:
        """Count of dirty rows per kind, for summaries."""
        counts: dict[str, int] = {}
        for row in self.dirty:
            counts[row.kind] = counts.get(row.kind, 0) + 1
        return dict(sorted(counts.items()))

    def dirty_in(self, table: str) -> list[DirtyRow]:
        """The dirty rows of one table."""
        return [row for row in self.dirty if row.table == table]

    def dirty_keys(self, table: str) -> set[str]:
        """Natural keys of one table's dirty rows (what a pipeline should reject)."""
        return {row.key for row in self.dirty if row.table == table}

    def dirty_ids(self, table: str) -> set[int]:
        """Surrogate ids of one table's dirty rows."""
        return {row.row_id for row in self.dirty if row.table == table and row.row_id is not None}

    @property
    def total_rows(self) -> int:
        return sum(self.row_counts.values())


def write_manifest(conn: sa.Connection, report: GenerationReport) -> None:
    meta = {
        "generator_version": GENERATOR_VERSION,
        "seed": str(report.seed),
        "scale": repr(report.scale),
        "dirty_share": repr(report.dirty_share),
        "history_start": report.history_start.isoformat(),
        "history_end": report.history_end.isoformat(),
        "unicode_rows": ";".join(f"{t}:{k}" for t, k in report.unicode_rows),
    }
    conn.execute(demo_meta.insert(), [{"meta_key": k, "meta_value": v} for k, v in meta.items()])
    rows = [
        {
            "seq": n,
            "table_name": r.table,
            "row_id": r.row_id,
            "row_key": r.key,
            "kind": r.kind,
            "column_name": r.column,
        }
        for n, r in enumerate(manifest_order(report.dirty + report.blocked), start=1)
    ]
    for offset in range(0, len(rows), CHUNK_ROWS):
        conn.execute(demo_dirty_row.insert(), rows[offset : offset + CHUNK_ROWS])


def load_report(engine: sa.Engine) -> GenerationReport:
    """Rebuilds the report of a seeded database from its harness tables and current row counts."""
    with engine.connect() as conn:
        meta = dict(conn.execute(sa.select(demo_meta.c.meta_key, demo_meta.c.meta_value)).all())
        counts = {
            t: conn.execute(sa.select(sa.func.count()).select_from(metadata.tables[t])).scalar_one()
            for t in ERP_TABLES
        }
        manifest = conn.execute(sa.select(demo_dirty_row).order_by(demo_dirty_row.c.seq)).all()
    rows = [DirtyRow(r.table_name, r.row_key, r.kind, r.column_name, r.row_id) for r in manifest]
    unicode_rows = [tuple(item.split(":", 1)) for item in meta.get("unicode_rows", "").split(";") if item]
    return GenerationReport(
        seed=int(meta["seed"]),
        scale=float(meta["scale"]),
        dirty_share=float(meta["dirty_share"]),
        history_start=date.fromisoformat(meta["history_start"]),
        history_end=date.fromisoformat(meta["history_end"]),
        row_counts=counts,
        dirty=[r for r in rows if r.kind != DIRTY_PARENT],
        blocked=[r for r in rows if r.kind == DIRTY_PARENT],
        unicode_rows=unicode_rows,  # type: ignore[misc]
    )
