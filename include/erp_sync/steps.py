"""The pipeline steps of one integration point, as plain functions the DAG's tasks call.

Each step reads what the previous one staged, calls its stage module (:mod:`~erp_sync.extract`,
:mod:`~erp_sync.transform`, :mod:`~erp_sync.plan`, :mod:`~erp_sync.load`, :mod:`~erp_sync.record`,
:mod:`~erp_sync.report`) and stages its own result, so a task retried on another worker resumes
from files, not from memory. No step imports Airflow.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pandas as pd
import sqlalchemy as sa

from erp_sync import ledger
from erp_sync.declarations.model import IntegrationPoint, ItemUpdateLoad, LineItemsLoad, compose_keys
from erp_sync.declarations.registry import POINTS, get_point
from erp_sync.extract import choose_window, read_erp
from erp_sync.item_update import load_items
from erp_sync.line_items import load_line_items
from erp_sync.load import ProcoreClient, load
from erp_sync.plan import plan, sending_scopes
from erp_sync.record import check_accounted, gather_outcomes, ledger_rows, outcome_counts, run_record
from erp_sync.references import resolve
from erp_sync.report import (
    SUMMARY_COLUMNS,
    format_summary,
    not_applicable_row,
    reasons_by_kind,
    skipped_row,
    summary_row,
)
from erp_sync.settings import SyncSettings
from erp_sync.staging import Stage, prune_runs
from erp_sync.transform import transform

__all__ = [
    "SUMMARY_COLUMNS",
    "LoadIncomplete",
    "RunContext",
    "extract_step",
    "format_summary",
    "load_step",
    "plan_step",
    "record_step",
    "summarize_step",
    "transform_step",
]

log = logging.getLogger(__name__)


class LoadIncomplete(RuntimeError):
    """Some records could not be delivered (Procore unreachable); they are recorded as failed."""


@dataclass(frozen=True)
class RunContext:
    """What a step needs to know about the DAG run it belongs to."""

    dag_id: str
    run_id: str
    window_start: datetime | None
    window_end: datetime | None
    mode: str = "incremental"
    dry_run: bool = False
    points: tuple[str, ...] = ()
    settings: SyncSettings = field(default_factory=SyncSettings)

    def stage(self, point: str) -> Stage:
        """The staging folder of one point in this run."""
        return Stage(self.settings.resolved_staging_url, self.dag_id, self.run_id, point)

    def selected(self, point: str) -> bool:
        """Whether this run syncs the point (no selection means every point)."""
        return not self.points or point in self.points


def _ledger(run: RunContext) -> sa.Engine:
    return ledger.connect(run.settings.resolved_ledger_url)


def _skip_reason(point_name: str, run: RunContext) -> str | None:
    """Why the deployment's settings leave the point out (e.g. the other change order tier), if they do."""
    condition = get_point(point_name).applies_when
    return condition.skip_reason(run.settings) if condition else None


def extract_step(point_name: str, run: RunContext) -> dict[str, Any]:
    """Runs the point's SQL for this run's window (the whole history on full runs or a first sync),
    plus, by key, the records the ledger holds as failed or blocked: they go out the first run after
    their cause is fixed, incremental or not."""
    point = get_point(point_name)
    if reason := _skip_reason(point_name, run):
        log.info("%s: %s; nothing is extracted or sent", point.name, reason)
        return {"extracted": 0, "skipped_by_setting": reason}
    ledger_engine = _ledger(run)
    first_sync = not ledger.has_rows(ledger_engine, point.name)
    window, full = choose_window(
        mode=run.mode,
        first_sync=first_sync,
        interval=(run.window_start, run.window_end),
        last_end=ledger.last_window_end(ledger_engine, point.name),
    )
    if full and run.mode != "full":
        log.info("%s has no ledger rows yet: extracting its whole history", point.name)
    elif not full and (run.window_start is None or run.window_end is None):
        log.info(
            "%s: run has no data interval; extracting changes since the last recorded window", point.name
        )
    settings = run.settings
    retry_keys = [] if full else ledger.keys_to_retry(ledger_engine, point.name)
    rows = read_erp(
        settings.resolved_erp_url,
        point,
        settings.resolved_sql_dir,
        window,
        settings.extract_chunk_rows,
        retry_keys=retry_keys,
    )
    if retry_keys:
        log.info("%s: %d failed or blocked records read again by key", point.name, len(retry_keys))
    stage = run.stage(point.name)
    stage.write_frame("extracted", rows)
    stage.write_json("extract_meta", {"window": [str(w) for w in window], "full": full, "rows": len(rows)})
    log.info("%s: extracted %d rows for window %s .. %s", point.name, len(rows), *window)
    return {"extracted": len(rows), "full": full}


def transform_step(point_name: str, run: RunContext) -> dict[str, Any]:
    """Maps canonical rows to payloads, resolves references and validates; keeps every reason."""
    point = get_point(point_name)
    if reason := _skip_reason(point_name, run):
        return {"valid": 0, "rejected": 0, "blocked": 0, "skipped_by_setting": reason}
    stage = run.stage(point.name)
    rows = stage.read_frame("extracted")
    keys = compose_keys(rows, point.key)
    result = transform(
        point,
        rows,
        source=run.settings.source_name,
        default_country=run.settings.default_country_code,
        keys=keys,
        resolved=resolve(point, rows, keys, _ledger(run)),
    )
    stage.write_json("transform_meta", {"records": result.records})
    stage.write_frame("payloads", result.payloads)
    stage.write_frame("rejected", result.rejected)
    stage.write_frame("blocked", result.blocked)
    for label, frame in (("rejected", result.rejected), ("blocked", result.blocked)):
        if len(frame):
            # counts by reason, a few examples each: the full list is in the ledger
            log.warning(
                "%s: %d %s, by reason:\n%s", point.name, len(frame), label, reasons_by_kind(frame["reason"])
            )
    return {"valid": len(result.payloads), "rejected": len(result.rejected), "blocked": len(result.blocked)}


def plan_step(point_name: str, run: RunContext) -> dict[str, Any]:
    """Decides create / update / delete / unchanged per record; returns the scopes that have sends."""
    point = get_point(point_name)
    stage = run.stage(point.name)
    if reason := _skip_reason(point_name, run):
        stage.write_json("plan_meta", {"scopes": [], "counts": {}, "skipped_by_setting": reason})
        return {"scopes": [""], "counts": {}, "skipped_by_setting": reason}
    if not run.dry_run:
        # From here to its record step the point is this run's: an overlapping run waits its turn.
        ledger.acquire_point(
            _ledger(run),
            point.name,
            run.run_id,
            wait_seconds=run.settings.point_lease_wait_seconds,
            stale_after_seconds=run.settings.point_lease_stale_seconds,
        )
    known = ledger.read_point(_ledger(run), point.name)
    planned = plan(stage.read_frame("payloads"), known)
    stage.write_frame("plan", planned)
    if stage.read_json("extract_meta")["full"]:
        orphaned = find_orphans(point, known, planned, stage, _ledger(run))
        stage.write_frame("orphaned", orphaned)
        if len(orphaned):
            log.warning(
                "%s: %d records of the ledger no longer extracted (orphaned), by reason:\n%s",
                point.name,
                len(orphaned),
                reasons_by_kind(orphaned["reason"]),
            )
    counts = {str(k): int(v) for k, v in planned["action"].value_counts().items()}
    log.info("%s plan: %s%s", point.name, counts, " (dry run: nothing will be sent)" if run.dry_run else "")
    scopes = [] if run.dry_run else sending_scopes(planned)
    stage.write_json("plan_meta", {"scopes": scopes, "counts": counts})
    # At least one load task instance runs (a no-op for ""), so the mapped load never expands to nothing.
    return {"scopes": scopes or [""], "counts": counts}


ORPHAN_CANDIDATES = ("synced", "locked", "failed", "blocked", "rejected")


def find_orphans(
    point: IntegrationPoint, known: pd.DataFrame, planned: pd.DataFrame, stage: Stage, engine: sa.Engine
) -> pd.DataFrame:
    """Ledger records a full run no longer extracted: deleted in the ERP (or filtered out by its SQL).

    They are never silently kept as synced: each is recorded ``orphaned`` with the reason, and left as
    it is in Procore. A record another point of its kind deleted or voided (a voided purchase order
    that the statuses SQL leaves out) is no orphan.
    """
    seen = set(planned["erp_key"]) | set(stage.read_frame("rejected")["erp_key"])
    seen |= set(stage.read_frame("blocked")["erp_key"])
    gone = known[known["status"].isin(ORPHAN_CANDIDATES) & ~known.index.isin(list(seen))]
    for sibling in POINTS.values():
        if sibling.kind == point.kind and sibling.name != point.name and len(gone):
            others = ledger.read_point(engine, sibling.name)
            ended = others.index[others["status"].isin(["deleted", "void_unsynced"])]
            gone = gone[~gone.index.isin(list(ended))]
    reasons = [
        f"{point.name} {point.erp_key_label}={key}: no longer returned by {point.sql_file} on a full run "
        f"(deleted in the ERP?): left as it is in Procore"
        + (f" ({point.kind} {int(row['procore_id'])})" if not pd.isna(row["procore_id"]) else "")
        + "; delete or void it there if it was removed on purpose, or restore the ERP row"
        for key, row in gone.iterrows()
    ]
    return pd.DataFrame(
        {
            "erp_key": list(gone.index.astype(str)),
            "scope_key": gone["scope_key"].fillna("").to_numpy(),
            "reason": reasons,
        }
    )


def _outcome_name(scope_key: str) -> str:
    return f"outcomes__{scope_key}" if scope_key else "outcomes"


def load_step(
    point_name: str,
    run: RunContext,
    hook: ProcoreClient | None,
    scope_key: str = "",
    *,
    retrying: bool = False,
) -> dict[str, Any]:
    """Sends one scope's planned changes (nothing on a dry run) and stages one outcome per record."""
    point = get_point(point_name)
    stage = run.stage(point.name)
    if reason := _skip_reason(point_name, run):
        return {"sent": 0, "skipped_by_setting": reason}
    if run.dry_run or hook is None:
        return {"sent": 0, "dry_run": True}
    planned = stage.read_frame("plan")
    planned = planned[planned["scope_key"] == scope_key]
    if scope_key not in stage.read_json("plan_meta")["scopes"]:
        return {"sent": 0}
    send = (
        load_items
        if isinstance(point.load, ItemUpdateLoad)
        else load_line_items
        if isinstance(point.load, LineItemsLoad)
        else load
    )
    outcomes = send(
        hook, point, planned, source=run.settings.source_name, run_id=run.run_id, retrying=retrying
    )
    stage.write_frame(_outcome_name(scope_key), outcomes)
    undelivered = int(outcomes["transport_error"].sum()) if not outcomes.empty else 0
    if undelivered:
        raise LoadIncomplete(
            f"{point.name}{' ' + scope_key if scope_key else ''}: {undelivered} of {len(outcomes)} records "
            "could not be delivered to Procore; they are staged as failed and the task will be retried"
        )
    return {"sent": len(outcomes), "failed": int((outcomes["status"] != "synced").sum())}


def record_step(point_name: str, run: RunContext) -> dict[str, Any]:
    """Writes every record's outcome to the ledger, the run's counts to ``sync_run``, and the summary row."""
    point = get_point(point_name)
    stage = run.stage(point.name)
    if reason := _skip_reason(point_name, run):
        summary = not_applicable_row(point, reason)
        stage.write_json("summary", summary)
        return summary
    try:
        return _record_outcomes(point, run, stage)
    finally:
        if not run.dry_run:
            ledger.release_point(_ledger(run), point.name, run.run_id)  # the plan step took it


def _record_outcomes(point: IntegrationPoint, run: RunContext, stage: Stage) -> dict[str, Any]:
    planned = stage.read_frame("plan")
    rejected = stage.read_frame("rejected")
    blocked = stage.read_frame("blocked")
    extracted = int(stage.read_json("transform_meta")["records"])
    if run.dry_run:
        counts = outcome_counts(extracted, planned, rejected, blocked, None)
        counts["orphaned"] = len(stage.read_frame("orphaned")) if stage.has_frame("orphaned") else 0
        check_accounted(point.name, counts)
        summary = summary_row(point, counts, dry_run=True)
        stage.write_json("summary", summary)
        return summary
    scopes = stage.read_json("plan_meta")["scopes"]
    staged = {
        s: stage.read_frame(_outcome_name(s)) if stage.has_frame(_outcome_name(s)) else None for s in scopes
    }
    outcomes = gather_outcomes(planned, scopes, staged)
    counts = outcome_counts(extracted, planned, rejected, blocked, outcomes)
    orphaned = stage.read_frame("orphaned") if stage.has_frame("orphaned") else None
    counts["orphaned"] = len(orphaned) if orphaned is not None else 0
    engine = _ledger(run)
    at = ledger.now()
    existing = ledger.read_point(engine, point.name)
    ledger.upsert(
        engine,
        ledger_rows(point.name, existing, planned, outcomes, rejected, blocked, run.run_id, at, orphaned),
    )
    check_accounted(point.name, counts)
    summary = summary_row(point, counts, dry_run=False)
    stage.write_json("summary", summary)
    ledger.record_run(engine, run_record(point.name, run.run_id, counts, stage.read_json("extract_meta"), at))
    return summary


def summarize_step(run: RunContext, point_names: list[str]) -> list[dict[str, Any]]:
    """Collects each point's summary row; points not run this time are listed as skipped."""
    rows = []
    for name in point_names:
        stage = run.stage(name)
        rows.append(
            stage.read_json("summary") if stage.exists("summary.json") else skipped_row(get_point(name))
        )
    Stage(run.settings.resolved_staging_url, run.dag_id, run.run_id, "_run").write_json("summary", rows)
    removed = prune_runs(
        run.settings.resolved_staging_url,
        run.dag_id,
        older_than_days=run.settings.staging_retention_days,
        keep=run.run_id,
    )
    if removed:
        log.info(
            "removed the staged data of %d runs older than %g days",
            len(removed),
            run.settings.staging_retention_days,
        )
    return rows


def run_verdict(run: RunContext, rows: list[dict[str, Any]]) -> str | None:
    """Why the run must fail by the deployment's policy (failed records, too many held), or None.

    Failed records are this run's; the held share is the ledger's, over the points the run synced
    (an incremental run reads mostly the records still held, so its own rows would overstate it).
    The message names the counts per point and the failed records by reason (a few examples each);
    the full list is in the ledger.
    """
    counted = [r["point"] for r in rows if not r.get("skipped") and not r.get("skipped_by_setting")]
    failed = {
        r["point"]: int(r.get("failed") or 0) for r in rows if r["point"] in counted and r.get("failed")
    }
    problems = []
    engine = _ledger(run)
    try:
        if failed and run.settings.fail_on_failed_records:
            for point, count in failed.items():
                entries = ledger.read_point(engine, point)
                reasons = entries.loc[
                    (entries["status"] == "failed") & (entries["run_id"] == run.run_id), "last_error"
                ]
                problems.append(
                    f"{point}: {count} failed (retried by the next run), by reason:\n"
                    + reasons_by_kind(reasons.dropna().astype(str))
                )
        statuses = ledger.status_counts(engine)
    finally:
        engine.dispose()
    statuses = statuses[statuses["point"].isin(counted)]
    total = int(statuses["records"].sum())
    held_rows = statuses[statuses["status"].isin(["rejected", "blocked"])]
    held = int(held_rows["records"].sum())
    if total and held / total > run.settings.max_held_share:
        by_point = ", ".join(
            f"{point} {int(n)}"
            for point, n in held_rows.groupby("point", sort=False)["records"].sum().items()
        )
        problems.append(
            f"{held} of the {total} records of this run's points ({held / total:.0%}) are rejected or "
            f"blocked, more than PROCORE_SYNC_MAX_HELD_SHARE={run.settings.max_held_share:g} ({by_point}); "
            "their reasons are in the ledger and the transform logs"
        )
    return "\n".join(problems) or None
