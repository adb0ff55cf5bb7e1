"""Mappings of the change order points (canonical ERP rows → payload columns), for either tier.

Amounts are mapped on the line points only (``mappings.map_amount_lines``: decimal text, never float
arithmetic): the headers and statuses carry none, so a change order's money reaches Procore exactly once.
"""

from __future__ import annotations

import pandas as pd

from erp_sync.mappings import iso_date, text


def map_change_order_packages(rows: pd.DataFrame, **_: object) -> pd.DataFrame:
    """Canonical change order rows → the package's header (2-tier; no amount, no status yet)."""
    return pd.DataFrame(
        {
            "origin_code": text(rows["co_number"]),
            "title": text(rows["title"]),
            "description": text(rows["description"]),
            "due_date": iso_date(rows["co_date"]),
        },
        index=rows.index,
    )


def map_commitment_change_orders(rows: pd.DataFrame, **_: object) -> pd.DataFrame:
    """Canonical change order rows → the commitment change order's header (1-tier; no status yet)."""
    return pd.DataFrame(
        {
            "number": text(rows["co_number"]),
            "title": text(rows["title"]),
            "description": text(rows["description"]),
            "due_date": iso_date(rows["co_date"]),
        },
        index=rows.index,
    )


def map_potential_change_orders(rows: pd.DataFrame, **_: object) -> pd.DataFrame:
    """Canonical change order rows → the PCO's fields (2-tier; no status yet, no amount)."""
    return pd.DataFrame(
        {
            "number": text(rows["co_number"]),
            "title": text(rows["title"]),
            "description": text(rows["description"]),
        },
        index=rows.index,
    )


def map_change_order_statuses(rows: pd.DataFrame, **_: object) -> pd.DataFrame:
    """A change order's ERP status (one row per line; the pipeline keeps one per change order)."""
    return pd.DataFrame({"status": text(rows["status"]).str.lower()}, index=rows.index)
