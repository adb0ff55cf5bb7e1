"""Report: a point's summary row and the run's summary table (what the ``summarize`` task logs).

Every extracted row is counted in exactly one of the outcome columns, so a row of the table adds up.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
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
    "orphaned",
)
# Every extracted row ends in exactly one of these; orphaned records are the ledger's that a full run
# no longer extracted, counted apart.
OUTCOME_COUNTS = SUMMARY_COLUMNS[1:-1]


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


_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")
_REFERENCE = re.compile(r"references (\w+) [^()]*?which (?:is|does) (not exist in the ERP|[\w ]+?)(?: \(|$)")
_DANGLING = re.compile(r"references (\w+) with ERP id .*? \((\w+)\), which does not exist in the ERP")
KIND_LENGTH = 120


def reason_kind(reason: str) -> str:
    """A reason without its record: the field and rule, or the reference and its state.

    ``vendors vendor_no=10042: field 'name': String should have at most 255 characters`` →
    ``field 'name': String should have at most 255 characters``; a blocked record's reason keeps the
    referenced point and why it is not synced (``references vendors (rejected)``).
    """
    head, _, rest = reason.partition(": ")
    text = rest or head
    if text.startswith("blocked: "):
        if dangling := _DANGLING.search(text):
            return f"references {dangling.group(1)} by {dangling.group(2)} (not in the ERP)"
        found = _REFERENCE.search(text)
        return f"references {found.group(1)} ({found.group(2)})" if found else text[:KIND_LENGTH]
    field, _, message = text.partition(": ")
    if not field.startswith("field "):
        field, message = "", text
    message = _QUOTED.sub("…", message)
    if len(message) > KIND_LENGTH:
        message = message[:KIND_LENGTH] + "…"
    return f"{field}: {message}" if field else message


def reasons_by_kind(reasons: Iterable[str], *, examples: int = 3) -> str:
    """One line per kind of reason, most frequent first: count, kind, a few records as examples."""
    groups: dict[str, list[str]] = {}
    for reason in reasons:
        groups.setdefault(reason_kind(reason), []).append(reason.partition(": ")[0])
    lines = []
    for kind, records in sorted(groups.items(), key=lambda item: (-len(item[1]), item[0])):
        shown = ", ".join(records[:examples]) + (", …" if len(records) > examples else "")
        lines.append(f"{len(records):>6} × {kind} (e.g. {shown})")
    return "\n".join(lines)
