"""The pipeline steps of one integration point, as plain functions the DAG's tasks call.

Each step reads what the previous one staged and stages its own result, so a task retried on
another worker resumes from files, not from memory. No step imports Airflow.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

import pandas as pd
import sqlalchemy as sa

from erp_sync import ledger
from erp_sync.declarations import compose_keys, get_point
from erp_sync.extract import FULL_WINDOW, extract
from erp_sync.load import OUTCOME_COLUMNS, ProcoreClient, load
from erp_sync.plan import CREATE, DELETE, LOCKED, SENDING, UNCHANGED, UPDATE, VOID_UNSENT, plan
from erp_sync.references import resolve
from erp_sync.settings import SyncSettings
from erp_sync.staging import Stage
from erp_sync.validate import validate
from erp_sync.values import present_items

log = logging.getLogger(__name__)

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
)


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
        return Stage(self.settings.resolved_staging_url, self.dag_id, self.run_id, point)

    def selected(self, point: str) -> bool:
        return not self.points or point in self.points


def _ledger(run: RunContext) -> sa.Engine:
    return ledger.connect(run.settings.resolved_ledger_url)


def extract_step(point_name: str, run: RunContext) -> dict:
    """Runs the point's SQL for this run's window (the whole history on full runs or a first sync)."""
    point = get_point(point_name)
    ledger_engine = _ledger(run)
    first_sync = not ledger.has_rows(ledger_engine, point.name)
    full = run.mode == "full" or first_sync
    if full:
        window = FULL_WINDOW
    elif run.window_start is None or run.window_end is None:
        window = (ledger.last_window_end(ledger_engine, point.name) or FULL_WINDOW[0], ledger.now())
        log.info(
            "%s: run has no data interval; extracting changes since the last recorded window", point.name
        )
    else:
        window = (_naive_utc(run.window_start), _naive_utc(run.window_end))
    if full and run.mode != "full":
        log.info("%s has no ledger rows yet: extracting its whole history", point.name)
    engine = sa.create_engine(run.settings.resolved_erp_url, pool_pre_ping=True)
    try:
        rows = extract(engine, point, run.settings.sql_dir, window, run.settings.extract_chunk_rows)
    finally:
        engine.dispose()
    stage = run.stage(point.name)
    stage.write_frame("extracted", rows)
    stage.write_json("extract_meta", {"window": [str(w) for w in window], "full": full, "rows": len(rows)})
    log.info("%s: extracted %d rows for window %s .. %s", point.name, len(rows), *window)
    return {"extracted": len(rows), "full": full}


def transform_step(point_name: str, run: RunContext) -> dict:
    """Maps canonical rows to payloads, resolves references and validates; keeps every reason."""
    point = get_point(point_name)
    stage = run.stage(point.name)
    rows = stage.read_frame("extracted")
    keys = compose_keys(rows, point.key)
    scope_keys = rows[point.scope_column].astype("string").str.strip() if point.scope_column else None
    resolved = resolve(point, rows, keys, _ledger(run))
    mapped = point.mapping(
        rows, source=run.settings.source_name, default_country=run.settings.default_country_code
    )
    for ref in point.references:
        column = f"route.{ref.field}" if ref.in_route else ref.field
        # A blocked row gets a stand-in id so validation judges only its own data (it is never sent).
        mapped[column] = resolved.ids[ref.field].mask(
            resolved.blocked.notna() & resolved.ids[ref.field].isna(), 0
        )
    blocked = resolved.blocked
    if point.lines_field:
        rows, keys, scope_keys, mapped, blocked = _group_lines(
            point.lines_field, rows, keys, scope_keys, mapped, blocked
        )
    result = validate(point, keys, mapped, scope_keys=scope_keys, blocked=blocked, rows=rows)
    stage.write_json("transform_meta", {"records": len(keys)})
    stage.write_frame("payloads", result.payloads)
    stage.write_frame("rejected", result.rejected)
    stage.write_frame("blocked", result.blocked)
    for reason in [*result.rejected["reason"].head(10), *result.blocked["reason"].head(10)]:
        log.warning("%s", reason)
    return {"valid": len(result.payloads), "rejected": len(result.rejected), "blocked": len(result.blocked)}


def _group_lines(
    field: str,
    rows: pd.DataFrame,
    keys: pd.Series,
    scope_keys: pd.Series | None,
    mapped: pd.DataFrame,
    blocked: pd.Series,
) -> tuple[pd.DataFrame, pd.Series, pd.Series | None, pd.DataFrame, pd.Series]:
    """Rows sharing an ERP key are the lines of one record: one row per record, its lines in ``field``.

    A record is blocked when any of its lines is (the first line's reason is kept). Rows without a
    key stay separate so validation rejects each of them.
    """
    line_columns = [c for c in mapped.columns if c.startswith("line.")]
    group = keys.fillna(pd.Series(["\0row" + str(i) for i in range(len(keys))], index=keys.index))
    first = ~group.duplicated()
    lines = mapped[line_columns].rename(columns=lambda c: c.removeprefix("line."))
    records = lines.to_dict(orient="records")
    by_group: dict[str, list[dict]] = {}
    for name, record in zip(group, records, strict=True):
        by_group.setdefault(name, []).append(present_items(record))
    header = mapped.loc[first, [c for c in mapped.columns if c not in line_columns]].copy()
    header[field] = [by_group[name] for name in group[first]]
    first_blocked = blocked.groupby(group, sort=False).first()
    return (
        rows[first],
        keys[first],
        scope_keys[first] if scope_keys is not None else None,
        header,
        pd.Series(first_blocked.reindex(group[first]).to_numpy(), index=header.index, dtype="string"),
    )


def plan_step(point_name: str, run: RunContext) -> dict:
    """Decides create / update / delete / unchanged per record; returns the scopes that have sends."""
    point = get_point(point_name)
    stage = run.stage(point.name)
    planned = plan(stage.read_frame("payloads"), ledger.read_point(_ledger(run), point.name))
    stage.write_frame("plan", planned)
    counts = {str(k): int(v) for k, v in planned["action"].value_counts().items()}
    log.info("%s plan: %s%s", point.name, counts, " (dry run: nothing will be sent)" if run.dry_run else "")
    sending = planned[planned["action"].isin(SENDING)]
    scopes = [] if run.dry_run else sorted(sending["scope_key"].unique().tolist())
    stage.write_json("plan_meta", {"scopes": scopes, "counts": counts})
    # At least one load task instance runs (a no-op for ""), so the mapped load never expands to nothing.
    return {"scopes": scopes or [""], "counts": counts}


def _outcome_name(scope_key: str) -> str:
    return f"outcomes__{scope_key}" if scope_key else "outcomes"


def load_step(
    point_name: str,
    run: RunContext,
    hook: ProcoreClient | None,
    scope_key: str = "",
    *,
    retrying: bool = False,
) -> dict:
    """Sends one scope's planned changes (nothing on a dry run) and stages one outcome per record."""
    point = get_point(point_name)
    stage = run.stage(point.name)
    if run.dry_run or hook is None:
        return {"sent": 0, "dry_run": True}
    planned = stage.read_frame("plan")
    planned = planned[planned["scope_key"] == scope_key]
    if scope_key not in stage.read_json("plan_meta")["scopes"]:
        return {"sent": 0}
    outcomes = load(
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


def record_step(point_name: str, run: RunContext) -> dict:
    """Writes every record's outcome to the ledger and the point's summary row."""
    point = get_point(point_name)
    stage = run.stage(point.name)
    extracted = stage.read_json("transform_meta")["records"]
    planned = stage.read_frame("plan")
    rejected = stage.read_frame("rejected")
    blocked = stage.read_frame("blocked")
    scopes = stage.read_json("plan_meta")["scopes"]
    engine = _ledger(run)
    at = ledger.now()

    counts = dict.fromkeys(SUMMARY_COLUMNS, 0)
    counts["extracted"] = extracted
    counts["rejected"] = len(rejected)
    counts["blocked"] = len(blocked)
    counts["unchanged"] = int((planned["action"] == UNCHANGED).sum())
    counts["locked"] = int((planned["action"] == LOCKED).sum())
    if run.dry_run:
        for action, column in (
            (CREATE, "created"),
            (UPDATE, "updated"),
            (DELETE, "deleted"),
            (VOID_UNSENT, "deleted"),
        ):
            counts[column] += int((planned["action"] == action).sum())
    else:
        outcomes = _gather_outcomes(stage, planned, scopes)
        synced = outcomes["status"] == "synced"
        counts["created"] = int((synced & (outcomes["action"] == CREATE)).sum())
        counts["updated"] = int((synced & (outcomes["action"] == UPDATE)).sum())
        counts["failed"] = int((outcomes["status"] == "failed").sum())
        counts["locked"] += int((outcomes["status"] == "locked").sum())
        counts["deleted"] += int((outcomes["status"] == "deleted").sum())
        existing = ledger.read_point(engine, point.name)
        rows = _ledger_rows(point.name, existing, planned, outcomes, rejected, blocked, run.run_id, at)
        ledger.upsert(engine, rows)
    accounted = sum(counts[c] for c in SUMMARY_COLUMNS[1:])
    if accounted != extracted:
        raise RuntimeError(f"{point.name}: {extracted} rows extracted but {accounted} accounted for")
    summary = {
        "point": point.name,
        "title": point.title,
        "tier": point.tier,
        "dry_run": run.dry_run,
        **counts,
    }
    stage.write_json("summary", summary)
    if not run.dry_run:
        meta = stage.read_json("extract_meta")
        ledger.record_run(
            engine,
            {
                **counts,
                "run_id": run.run_id,
                "point": point.name,
                "mode": "full" if meta["full"] else "incremental",
                "window_start": datetime.fromisoformat(meta["window"][0]),
                "window_end": datetime.fromisoformat(meta["window"][1]),
                "finished_at": at,
            },
        )
    return summary


def _gather_outcomes(stage: Stage, planned: pd.DataFrame, scopes: list[str]) -> pd.DataFrame:
    """Every scope's staged outcomes; a scope whose load never finished counts its records as failed."""
    frames = []
    for scope_key in scopes:
        name = _outcome_name(scope_key)
        if stage.has_frame(name):
            frames.append(stage.read_frame(name))
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
        planned_void.assign(
            status="deleted",
            error="voided in the ERP before it was ever synced: not sent",
            transport_error=False,
        )[OUTCOME_COLUMNS]
    )
    frames = [f for f in frames if not f.empty]
    if not frames:
        return pd.DataFrame(columns=OUTCOME_COLUMNS)
    return pd.concat(frames, ignore_index=True)


def _ledger_rows(
    point: str,
    existing: pd.DataFrame,
    planned: pd.DataFrame,
    outcomes: pd.DataFrame,
    rejected: pd.DataFrame,
    blocked: pd.DataFrame,
    run_id: str,
    at: datetime,
) -> pd.DataFrame:
    """New ledger rows for every record whose state this run changed."""
    sent = outcomes.merge(planned[["erp_key", "origin_id", "content_hash"]], on="erp_key", how="left")
    voided_unsent = (sent["status"] == "deleted") & (sent["action"] == VOID_UNSENT)
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
    frames = [sent_rows]
    for status, frame in (("rejected", rejected), ("blocked", blocked)):
        reasons = frame.groupby("erp_key", sort=False).agg(
            reason=("reason", "first"), scope_key=("scope_key", "first")
        )
        frames.append(
            pd.DataFrame(
                {
                    "point": point,
                    "erp_key": reasons.index,
                    "scope_key": reasons["scope_key"].to_numpy(),
                    "status": status,
                    "last_action": status.removesuffix("ed").removesuffix("e")
                    if status == "rejected"
                    else "block",
                    "last_error": reasons["reason"].to_numpy(),
                }
            )
        )
    non_empty = [f for f in frames if not f.empty]
    rows = (pd.concat(non_empty, ignore_index=True) if non_empty else sent_rows).reindex(
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


def summarize_step(run: RunContext, point_names: list[str]) -> list[dict]:
    """Collects each point's summary row; points not run this time are listed as skipped."""
    rows = []
    for name in point_names:
        stage = run.stage(name)
        if stage.exists("summary.json"):
            rows.append(stage.read_json("summary"))
        else:
            point = get_point(name)
            rows.append({"point": name, "title": point.title, "tier": point.tier, "skipped": True})
    Stage(run.settings.resolved_staging_url, run.dag_id, run.run_id, "_run").write_json("summary", rows)
    return rows


def format_summary(rows: list[dict]) -> str:
    """The summary as a fixed-width table, one row per integration point."""
    header = ["point", *SUMMARY_COLUMNS]
    lines = [header]
    for row in rows:
        if row.get("skipped"):
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
    return "\n".join(out)


def _naive_utc(value: datetime) -> datetime:
    if value.tzinfo is not None:
        from datetime import UTC

        value = value.astimezone(UTC).replace(tzinfo=None)
    return value
