"""An independent audit of a seeded demo ERP: finds every defect in the data by looking at it.

Written from the dirty-row contract (include/demo_erp/README.md) with pycountry as the ISO authority,
not from the generator's code, so the tests compare two implementations of the same rules.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

import demo_erp
import pycountry
import sqlalchemy as sa

#: Small but dirty enough that every planted kind appears in every table that can carry it.
SMALL = {"scale": 0.5, "dirty_share": 0.2, "seed": 7}
PIPELINE_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
NAME_COLUMNS = {"vendor": "name", "customer": "name", "job": "name", "job_cost_code": "description"}
ADDRESS_TABLES = ("vendor", "customer", "job")
NON_NEGATIVE = {
    "budget_line": "original_amount",
    "subcontract_item": "amount",
    "owner_contract_item": "amount",
    "pay_app": "amount_this_period",
    "pay_app_line": "work_completed_this_period",
    "payment": "amount",
}
Defect = tuple[str, str]


def load(engine: sa.Engine) -> dict[str, list[dict[str, Any]]]:
    """Every ERP table as a list of dicts, ordered by surrogate key."""
    tables: dict[str, list[dict[str, Any]]] = {}
    with engine.connect() as conn:
        for name in demo_erp.ERP_TABLES:
            table = demo_erp.metadata.tables[name]
            pk = table.c[demo_erp.PRIMARY_KEYS[name]]
            tables[name] = [dict(r._mapping) for r in conn.execute(sa.select(table).order_by(pk))]
    return tables


def is_subdivision(country: str | None, state: str | None) -> bool:
    return (
        bool(country and state) and pycountry.subdivisions.get(code=f"{country}-{state.upper()}") is not None
    )


def is_country(code: str | None) -> bool:
    return bool(code) and pycountry.countries.get(alpha_2=code) is not None


@dataclass
class Audit:
    """Defects per (table, row id), plus the reference graph used for the timing and cleanliness checks."""

    data: dict[str, list[dict[str, Any]]]

    def __post_init__(self) -> None:
        d = self.data
        self.by_id = {t: {r[demo_erp.PRIMARY_KEYS[t]]: r for r in rows} for t, rows in d.items()}
        self.cost_types = {r["cost_type_code"] for r in d["cost_type"]}
        self.code_rows: dict[tuple[int, str], list[dict]] = {}
        for r in d["job_cost_code"]:
            self.code_rows.setdefault((r["job_id"], r["cost_code"]), []).append(r)
        self.sov = {(r["subcontract_id"], r["item_no"]): r for r in d["subcontract_item"]}
        self.key_counts = {
            "vendor": Counter(r["vendor_no"] for r in d["vendor"]),
            "customer": Counter(r["customer_no"] for r in d["customer"]),
            "job": Counter(r["job_no"] for r in d["job"]),
            "job_cost_code": Counter((r["job_id"], r["cost_code"]) for r in d["job_cost_code"]),
            "budget_line": Counter(
                (r["job_id"], r["cost_code"], r["cost_type_code"]) for r in d["budget_line"]
            ),
        }

    # ---- defects --------------------------------------------------------------------------------

    def defects(self, table: str, row: dict[str, Any]) -> set[Defect]:
        found: set[Defect] = set()
        name_column = NAME_COLUMNS.get(table)
        if name_column:
            value = row[name_column]
            if value is None or not value.strip():
                found.add(("missing_name", name_column))
            elif len(value.strip()) > 255:
                found.add(("overlong_name", name_column))
        for column, value in row.items():
            if isinstance(value, str) and PIPELINE_CONTROL.search(value):
                found.add(("control_chars", column))
        if table in ADDRESS_TABLES:
            if not is_country(row["country_code"]):
                found.add(("invalid_country", "country_code"))
            elif not is_subdivision(row["country_code"], row["state_code"]):
                found.add(("invalid_state", "state_code"))
        if table == "job" and row["est_completion_date"] < row["start_date"]:
            found.add(("invalid_date", "est_completion_date"))
        key_column = {
            "vendor": "vendor_no",
            "customer": "customer_no",
            "job": "job_no",
            "job_cost_code": "cost_code",
            "budget_line": "cost_code",
        }.get(table)
        if key_column:
            key = {
                "job_cost_code": lambda: (row["job_id"], row["cost_code"]),
                "budget_line": lambda: (row["job_id"], row["cost_code"], row["cost_type_code"]),
            }.get(table, lambda: row[key_column])()
            if self.key_counts[table][key] > 1:
                found.add(("duplicate_key", key_column))
        if table in NON_NEGATIVE and row[NON_NEGATIVE[table]] < 0:
            found.add(("negative_amount", NON_NEGATIVE[table]))
        for column in self.dangling(table, row):
            found.add(("dangling_reference", column))
        return found

    def job_of(self, table: str, row: dict[str, Any]) -> int | None:
        if table in ("budget_line", "job_cost_code", "ap_invoice", "subcontract", "owner_contract"):
            return row["job_id"]
        parent = {
            "ap_invoice_line": ("ap_invoice", "ap_invoice_id"),
            "subcontract_item": ("subcontract", "subcontract_id"),
            "owner_contract_item": ("owner_contract", "owner_contract_id"),
            "change_order_item": ("change_order", "change_order_id"),
        }.get(table)
        if parent is None:
            return None
        header = self.by_id[parent[0]].get(row[parent[1]])
        if header is None:
            return None
        if parent[0] == "change_order":
            sub = self.by_id["subcontract"].get(header["subcontract_id"])
            return sub["job_id"] if sub else None
        return header["job_id"]

    def dangling(self, table: str, row: dict[str, Any]) -> list[str]:
        missing: list[str] = []
        for column, target in {
            "job_id": "job",
            "vendor_id": "vendor",
            "customer_id": "customer",
            "subcontract_id": "subcontract",
            "pay_app_id": "pay_app",
            "owner_contract_id": "owner_contract",
            "change_order_id": "change_order",
            "ap_invoice_id": "ap_invoice",
        }.items():
            if (
                column in row
                and row[column] is not None
                and table != target
                and row[column] not in self.by_id[target]
            ):
                missing.append(column)
        if "cost_code" in row and table not in ("job_cost_code",):
            job_id = self.job_of(table, row)
            if (
                job_id is not None
                and row["cost_code"] is not None
                and (job_id, row["cost_code"]) not in self.code_rows
            ):
                missing.append("cost_code")
        if "cost_type_code" in row and table != "cost_type" and row["cost_type_code"] not in self.cost_types:
            missing.append("cost_type_code")
        if table == "change_order_item" and row["item_no"] is not None:
            co = self.by_id["change_order"].get(row["change_order_id"])
            if co is not None and (co["subcontract_id"], row["item_no"]) not in self.sov:
                missing.append("item_no")
        if table == "pay_app_line" and self.sov_line(row) is None:
            missing.append("item_no")
        return missing

    def sov_line(self, line: dict[str, Any]) -> dict[str, Any] | None:
        """The SOV item a pay app line bills: its item number within its pay app's subcontract."""
        app = self.by_id["pay_app"][line["pay_app_id"]]
        return self.sov.get((app["subcontract_id"], line["item_no"]))

    # ---- references (for timing and 'clean refers to clean') -------------------------------------

    def parents(self, table: str, row: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
        """Rows this row references, as (table, row)."""
        found: list[tuple[str, dict[str, Any]]] = []
        for column, target in {
            "job_id": "job",
            "vendor_id": "vendor",
            "customer_id": "customer",
            "subcontract_id": "subcontract",
            "pay_app_id": "pay_app",
            "owner_contract_id": "owner_contract",
            "change_order_id": "change_order",
            "ap_invoice_id": "ap_invoice",
        }.items():
            if column in row and row[column] is not None and table != target:
                parent = self.by_id[target].get(row[column])
                if parent is not None:
                    found.append((target, parent))
        job_id = self.job_of(table, row)
        if table != "job_cost_code" and row.get("cost_code") is not None and job_id is not None:
            found += [("job_cost_code", r) for r in self.code_rows.get((job_id, row["cost_code"]), [])]
        if table != "cost_type" and row.get("cost_type_code") in self.cost_types:
            found += [("cost_type", self.by_id["cost_type"][row["cost_type_code"]])]
        if table == "change_order_item" and row["item_no"] is not None:
            co = self.by_id["change_order"].get(row["change_order_id"])
            if co is not None and (co["subcontract_id"], row["item_no"]) in self.sov:
                found.append(("subcontract_item", self.sov[(co["subcontract_id"], row["item_no"])]))
        if table == "pay_app_line" and (item := self.sov_line(row)) is not None:
            found.append(("subcontract_item", item))
        return found


#: The canonical invoice-line columns, as a pipeline would extract them; left joins keep the lines of a pay
#: app whose subcontract dangles, so they can be reported as blocked.
INVOICE_LINES_SQL = """
SELECT
    s.contract_no                 AS contract_number,
    p.app_no                      AS app_number,
    j.job_no                      AS job_number,
    l.item_no                     AS item_number,
    l.work_completed_this_period  AS work_completed_this_period,
    l.materials_stored            AS materials_stored,
    l.retainage_this_period       AS retainage_this_period,
    l.updated_at                  AS updated_at
FROM pay_app_line l
JOIN pay_app p ON p.pay_app_id = l.pay_app_id
LEFT JOIN subcontract s ON s.subcontract_id = p.subcontract_id
LEFT JOIN job j ON j.job_id = s.job_id
WHERE (l.updated_at >= :window_start AND l.updated_at < :window_end)
   OR (p.billing_date >= :window_start_date AND p.billing_date < :window_end_date)
ORDER BY s.contract_no, p.app_no, l.item_no, l.pay_app_line_id
"""
#: Pay apps without lines, or whose lines outside the manifest's dirty rows do not add up to the totals.
#: ROUND: SQLite sums NUMERIC as floating point.
UNBALANCED_PAY_APPS_SQL = """
SELECT p.pay_app_id
FROM pay_app p
LEFT JOIN (
    SELECT l.pay_app_id,
           SUM(l.work_completed_this_period + l.materials_stored) AS billed,
           SUM(l.retainage_this_period) AS held
    FROM pay_app_line l
    WHERE l.pay_app_line_id NOT IN (
        SELECT d.row_id FROM demo_dirty_row d
        WHERE d.table_name = 'pay_app_line' AND d.kind <> 'dirty_parent'
    )
    GROUP BY l.pay_app_id
) s ON s.pay_app_id = p.pay_app_id
WHERE s.pay_app_id IS NULL
   OR ROUND(s.billed - p.amount_this_period, 2) <> 0
   OR ROUND(s.held - p.retainage_this_period, 2) <> 0
"""


def invoice_lines(engine: sa.Engine) -> list[tuple[Any, ...]]:
    """Every pay app line through ``INVOICE_LINES_SQL`` (a window covering all time), typed alike on every
    database and sorted, since NULL contract numbers sort differently per database."""
    money = sa.Numeric(14, 2)
    query = sa.text(INVOICE_LINES_SQL).columns(
        sa.column("contract_number", sa.String),
        sa.column("app_number", sa.Integer),
        sa.column("job_number", sa.String),
        sa.column("item_number", sa.Integer),
        sa.column("work_completed_this_period", money),
        sa.column("materials_stored", money),
        sa.column("retainage_this_period", money),
        sa.column("updated_at", sa.DateTime),
    )
    window = {
        "window_start": datetime(2000, 1, 1),
        "window_end": datetime(2100, 1, 1),
        "window_start_date": date(2000, 1, 1),
        "window_end_date": date(2100, 1, 1),
    }
    with engine.connect() as conn:
        rows = [tuple(r) for r in conn.execute(query, window)]
    return sorted(rows, key=lambda r: (r[0] or "", *r[1:4]))


def unbalanced_pay_apps(engine: sa.Engine) -> list[int]:
    with engine.connect() as conn:
        return list(conn.execute(sa.text(UNBALANCED_PAY_APPS_SQL)).scalars())


def history_bounds(report: demo_erp.GenerationReport) -> tuple[datetime, datetime]:
    return (
        datetime.combine(report.history_start, time(0, 0)),
        datetime.combine(report.history_end, time(23, 59, 59)),
    )


def has_cc(value: str) -> bool:
    """Any Unicode control character (category Cc), C1 included: clean text carries none."""
    return any(unicodedata.category(ch) == "Cc" for ch in value)
