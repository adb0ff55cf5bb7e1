"""Record: count every record's outcome of a run and turn the outcomes into ledger rows.

Every extracted row ends in exactly one count (created, updated, unchanged, rejected, blocked,
failed, locked, deleted or void_unsynced); :func:`check_accounted` refuses a run where they do not add
up. ``deleted`` counts only DELETEs Procore accepted; a record voided before it was ever synced is
``void_unsynced`` (nothing is sent for it).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import pandas as pd

from erp_sync import ledger
from erp_sync.load import OUTCOME_COLUMNS
from erp_sync.plan import CREATE, DELETE, LOCKED, SENDING, UNCHANGED, UPDATE, VOID_UNSENT
from erp_sync.report import OUTCOME_COUNTS, SUMMARY_COLUMNS

VOID_UNSENT_NOTE = "voided in the ERP before it was ever synced: not sent"
VOID_UNSYNCED = "void_unsynced"


def gather_outcomes(
    planned: pd.DataFrame, scopes: list[str], staged: Mapping[str, pd.DataFrame | None]
) -> pd.DataFrame:
    """Every scope's outcomes; a scope whose load never staged any counts its records as failed.

    ``staged`` holds each scope's staged outcomes (None when its load did not finish). Records voided
    before they were ever synced are never sent: they are outcomes of their own, ``void_unsynced``.
    """
    frames = []
    for scope_key in scopes:
        outcomes = staged.get(scope_key)
        if outcomes is not None:
            frames.append(outcomes)
            continue
        missing = planned[(planned["scope_key"] == scope_key) & planned["action"].isin(SENDING)]
        frames.append(
            missing.assign(
                status="failed",
                error=missing["erp_key"].map(lambda k: f"{k}: load did not finish"),
                transport_error=True,
            )[OUTCOME_COLUMNS]
        )
    planned_void = planned[planned["action"] == VOID_UNSENT]
    frames.append(
        planned_void.assign(status=VOID_UNSYNCED, error=VOID_UNSENT_NOTE, transport_error=False)[
            OUTCOME_COLUMNS
        ]
    )
    frames = [f for f in frames if not f.empty]
    if not frames:
        return pd.DataFrame(columns=OUTCOME_COLUMNS)
    return pd.concat(frames, ignore_index=True)


def outcome_counts(
    extracted: int,
    planned: pd.DataFrame,
    rejected: pd.DataFrame,
    blocked: pd.DataFrame,
    outcomes: pd.DataFrame | None,
) -> dict[str, int]:
    """The summary counts; with no ``outcomes`` (a dry run) planned actions count as if sent."""
    counts = dict.fromkeys(SUMMARY_COLUMNS, 0)
    counts["extracted"] = extracted
    counts["rejected"] = len(rejected)
    counts["blocked"] = len(blocked)
    counts["unchanged"] = int((planned["action"] == UNCHANGED).sum())
    counts["locked"] = int((planned["action"] == LOCKED).sum())
    if outcomes is None:
        for action, column in (
            (CREATE, "created"),
            (UPDATE, "updated"),
            (DELETE, "deleted"),
            (VOID_UNSENT, VOID_UNSYNCED),
        ):
            counts[column] += int((planned["action"] == action).sum())
        return counts
    synced = outcomes["status"] == "synced"
    counts["created"] = int((synced & (outcomes["action"] == CREATE)).sum())
    counts["updated"] = int((synced & (outcomes["action"] == UPDATE)).sum())
    counts["failed"] = int((outcomes["status"] == "failed").sum())
    counts["locked"] += int((outcomes["status"] == "locked").sum())
    counts["deleted"] += int((outcomes["status"] == "deleted").sum())
    counts[VOID_UNSYNCED] += int((outcomes["status"] == VOID_UNSYNCED).sum())
    return counts


def check_accounted(point: str, counts: Mapping[str, int]) -> None:
    """Refuses a run whose outcomes do not add up to the rows extracted (a record went missing)."""
    accounted = sum(counts[c] for c in OUTCOME_COUNTS)
    if accounted != counts["extracted"]:
        raise RuntimeError(f"{point}: {counts['extracted']} rows extracted but {accounted} accounted for")


def run_record(
    point: str, run_id: str, counts: Mapping[str, int], extract_meta: Mapping[str, Any], at: datetime
) -> dict[str, Any]:
    """The ``sync_run`` row of one point in one run: every summary count and the extract window."""
    return {
        **counts,
        "run_id": run_id,
        "point": point,
        "mode": "full" if extract_meta["full"] else "incremental",
        "window_start": datetime.fromisoformat(extract_meta["window"][0]),
        "window_end": datetime.fromisoformat(extract_meta["window"][1]),
        "finished_at": at,
    }


def ledger_rows(
    point: str,
    existing: pd.DataFrame,
    planned: pd.DataFrame,
    outcomes: pd.DataFrame,
    rejected: pd.DataFrame,
    blocked: pd.DataFrame,
    run_id: str,
    at: datetime,
    orphaned: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """New ledger rows for every record whose state this run changed.

    What a row does not say this time (origin_id, Procore id, sync time, content hash) is kept from
    the record's previous ledger row.
    """
    sent = outcomes.merge(planned[["erp_key", "origin_id", "content_hash"]], on="erp_key", how="left")
    voided_unsent = (sent["status"] == VOID_UNSYNCED) & (sent["action"] == VOID_UNSENT)
    counted = ~voided_unsent & (sent["status"] != "failed")
    sent_rows = pd.DataFrame(
        {
            "point": point,
            "erp_key": sent["erp_key"],
            "scope_key": sent["scope_key"],
            "origin_id": sent["origin_id"],
            "procore_id": sent["procore_id"].astype("Int64"),
            "content_hash": sent["content_hash"].where(counted | voided_unsent),
            "status": sent["status"],
            "last_action": sent["action"],
            "last_error": sent["error"],
            "synced_at": pd.Series(at, index=sent.index).where(sent["status"] == "synced"),
        }
    )
    frames = [
        f
        for f in (
            sent_rows,
            _reason_rows(point, "rejected", rejected),
            _reason_rows(point, "blocked", blocked),
            _reason_rows(point, "orphaned", orphaned if orphaned is not None else _NO_REASONS),
        )
        if not f.empty
    ]
    rows = (pd.concat(frames, ignore_index=True) if frames else sent_rows).reindex(
        columns=ledger.LEDGER_COLUMNS
    )
    previous = existing.reindex(rows["erp_key"].to_numpy())
    for column in ("origin_id", "procore_id", "synced_at", "content_hash"):
        rows[column] = rows[column].where(rows[column].notna(), previous[column].to_numpy())
    rows["scope_key"] = rows["scope_key"].fillna("")
    rows["run_id"] = run_id
    rows["first_seen_at"] = previous["first_seen_at"].fillna(at).to_numpy()
    rows["updated_at"] = at
    return rows


_NO_REASONS = pd.DataFrame(columns=["erp_key", "scope_key", "reason"])


def _reason_rows(point: str, status: str, frame: pd.DataFrame) -> pd.DataFrame:
    """One ledger row per ERP key held back (rejected or blocked), with its first reason."""
    reasons = frame.groupby("erp_key", sort=False).agg(
        reason=("reason", "first"), scope_key=("scope_key", "first")
    )
    return pd.DataFrame(
        {
            "point": point,
            "erp_key": reasons.index,
            "scope_key": reasons["scope_key"].to_numpy(),
            "status": status,
            "last_action": {"rejected": "reject", "blocked": "block"}.get(status, "orphan"),
            "last_error": reasons["reason"].to_numpy(),
        }
    )
