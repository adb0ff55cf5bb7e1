"""Report: a point's summary row and the run's summary table (what the ``summarize`` task logs).

Every extracted row is counted in exactly one of the outcome columns, so a row of the table adds up.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from erp_sync.declarations.model import IntegrationPoint

SUMMARY_COLUMNS = (
    "extracted",
    "created",
    "updated",
    "unchanged",
    "rejected",
    "blocked",
    "failed",
    "locked",
    "deleted",
    "void_unsynced",
)
OUTCOME_COUNTS = SUMMARY_COLUMNS[1:]


def summary_row(point: IntegrationPoint, counts: Mapping[str, int], *, dry_run: bool) -> dict[str, Any]:
    """One point's row of the run summary."""
    return {"point": point.name, "title": point.title, "tier": point.tier, "dry_run": dry_run, **counts}


def skipped_row(point: IntegrationPoint) -> dict[str, Any]:
    """The row of a point that did not run (not selected, or an earlier step failed)."""
    return {"point": point.name, "title": point.title, "tier": point.tier, "skipped": True}


def not_applicable_row(point: IntegrationPoint, reason: str) -> dict[str, Any]:
    """The row of a point the deployment's settings leave out (it ran and sent nothing, by design)."""
    return {
        "point": point.name,
        "title": point.title,
        "tier": point.tier,
        "dry_run": False,
        "skipped_by_setting": reason,
        **dict.fromkeys(SUMMARY_COLUMNS, 0),
    }


def format_summary(rows: list[dict[str, Any]]) -> str:
    """The summary as a fixed-width table, one row per integration point."""
    header = ["point", *SUMMARY_COLUMNS]
    lines = [header]
    for row in rows:
        if row.get("skipped") or row.get("skipped_by_setting"):
            lines.append([row["point"], *(["-"] * len(SUMMARY_COLUMNS))])
        else:
            lines.append(
                [
                    row["point"] + (" (dry run)" if row.get("dry_run") else ""),
                    *(str(row[c]) for c in SUMMARY_COLUMNS),
                ]
            )
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    out = []
    for n, line in enumerate(lines):
        out.append(
            "  ".join(
                cell.ljust(w) if i == 0 else cell.rjust(w)
                for i, (cell, w) in enumerate(zip(line, widths, strict=True))
            )
        )
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    out += [f"{row['point']}: {row['skipped_by_setting']}" for row in rows if row.get("skipped_by_setting")]
    return "\n".join(out)
