"""The sync ledger: one row per (point, ERP key) with its Procore id, content hash and last outcome.

It is the crosswalk from ERP keys to Procore ids, the memory that makes nightly runs send only what
changed, and the source of every report. It lives in its own database (embedded SQLite by default,
PostgreSQL in compose): back it up with the metadata database. A lost ledger is recovered by a full run
for every record that carries an origin_id (sync actions upsert by it; creates are looked up by it
first) and for budget lines (adopted by their cost code and type); change order lines, which Procore
keeps without origin_id, would be created again.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

import pandas as pd
import sqlalchemy as sa

from erp_sync.values import is_missing

# void_unsynced: voided in the ERP before it was ever synced, so nothing was sent (deleted means a
# DELETE Procore accepted). orphaned: in the ledger, but a full run no longer extracted it (deleted in
# the ERP?): left as it is in Procore, with the reason.
STATUSES = ("synced", "failed", "locked", "rejected", "blocked", "deleted", "void_unsynced", "orphaned")

metadata = sa.MetaData()

ledger_table = sa.Table(
    "sync_ledger",
    metadata,
    sa.Column("point", sa.String(50), primary_key=True),
    sa.Column("erp_key", sa.String(255), primary_key=True),
    sa.Column("scope_key", sa.String(100), nullable=False, default=""),
    sa.Column("origin_id", sa.String(255)),
    sa.Column("procore_id", sa.BigInteger),
    sa.Column("content_hash", sa.String(64)),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("last_action", sa.String(20)),
    sa.Column("last_error", sa.Text),
    sa.Column("run_id", sa.String(250)),
    sa.Column("first_seen_at", sa.DateTime),
    sa.Column("synced_at", sa.DateTime),
    sa.Column("updated_at", sa.DateTime, nullable=False),
    sa.Index("ix_sync_ledger_origin_id", "origin_id"),
    sa.Index("ix_sync_ledger_status", "point", "status"),
)

run_table = sa.Table(
    "sync_run",
    metadata,
    sa.Column("run_id", sa.String(250), primary_key=True),
    sa.Column("point", sa.String(50), primary_key=True),
    sa.Column("mode", sa.String(20)),
    sa.Column("window_start", sa.DateTime),
    sa.Column("window_end", sa.DateTime),
    sa.Column("extracted", sa.Integer),
    sa.Column("created", sa.Integer),
    sa.Column("updated", sa.Integer),
    sa.Column("unchanged", sa.Integer),
    sa.Column("rejected", sa.Integer),
    sa.Column("failed", sa.Integer),
    sa.Column("locked", sa.Integer),
    sa.Column("finished_at", sa.DateTime),
    # Added after the first release: connect() adds them to an existing ledger (see _add_missing_columns).
    sa.Column("blocked", sa.Integer),
    sa.Column("deleted", sa.Integer),
    sa.Column("void_unsynced", sa.Integer),
    sa.Column("orphaned", sa.Integer),
)

lease_table = sa.Table(
    "sync_lease",
    metadata,
    sa.Column("point", sa.String(50), primary_key=True),
    sa.Column("run_id", sa.String(250), nullable=False),
    sa.Column("acquired_at", sa.DateTime, nullable=False),
)

LEDGER_COLUMNS = [c.name for c in ledger_table.columns]
_KEY_CHUNK = 500


def connect(url: str) -> sa.Engine:
    """Engine for the ledger, creating its tables or adding newer columns if needed (idempotent)."""
    connect_args = {"timeout": 60} if url.startswith("sqlite") else {}
    engine = sa.create_engine(url, connect_args=connect_args, pool_pre_ping=True)
    # A parallel task may create a table between create_all's check and its CREATE: each such failure
    # means one more table exists, so one retry per table suffices; a real error raises again.
    for attempt in range(len(metadata.tables) + 1):
        try:
            metadata.create_all(engine)
            break
        except sa.exc.DBAPIError:
            if attempt == len(metadata.tables):
                raise
    for table in metadata.sorted_tables:
        _add_missing_columns(engine, table)
    return engine


def _add_missing_columns(engine: sa.Engine, table: sa.Table) -> None:
    """Additive migration: a ledger made by an earlier version gains the columns added since.

    Only nullable columns are ever added, so existing rows stay valid (their new counts are NULL).
    """
    present = {c["name"] for c in sa.inspect(engine).get_columns(table.name)}
    for column in table.columns:
        if column.name in present:
            continue
        quote = engine.dialect.identifier_preparer.quote
        ddl = (
            f"ALTER TABLE {quote(table.name)} ADD COLUMN {quote(column.name)} "
            f"{column.type.compile(dialect=engine.dialect)}"
        )
        try:
            with engine.begin() as conn:
                conn.execute(sa.text(ddl))
        except sa.exc.DBAPIError:  # a parallel task added it first; anything else raises again
            if column.name not in {c["name"] for c in sa.inspect(engine).get_columns(table.name)}:
                raise


def read_point(engine: sa.Engine, point: str) -> pd.DataFrame:
    """The ledger rows of one point, indexed by ERP key."""
    with engine.connect() as conn:
        rows = conn.execute(sa.select(ledger_table).where(ledger_table.c.point == point)).mappings().all()
    frame = pd.DataFrame(rows, columns=LEDGER_COLUMNS)
    frame["procore_id"] = frame["procore_id"].astype("Int64")
    return frame.set_index("erp_key", drop=False)


RETRIED_STATUSES = ("failed", "blocked")


def keys_to_retry(engine: sa.Engine, point: str) -> list[str]:
    """ERP keys of the point's records that failed or were blocked: every run reads them again."""
    with engine.connect() as conn:
        keys = conn.execute(
            sa.select(ledger_table.c.erp_key).where(
                ledger_table.c.point == point,
                ledger_table.c.status.in_(RETRIED_STATUSES),
                ledger_table.c.erp_key != "",
            )
        ).scalars()
        return sorted(keys)


def has_rows(engine: sa.Engine, point: str) -> bool:
    """Whether the point was ever recorded (a point without rows syncs its whole history first)."""
    with engine.connect() as conn:
        return (
            conn.execute(sa.select(sa.literal(1)).where(ledger_table.c.point == point).limit(1)).first()
            is not None
        )


def upsert(engine: sa.Engine, rows: pd.DataFrame) -> int:
    """Writes complete ledger rows (replacing existing ones by key) in one transaction."""
    if rows.empty:
        return 0
    records = [
        {k: (None if is_missing(v) else v) for k, v in rec.items()}
        for rec in rows[LEDGER_COLUMNS].to_dict(orient="records")
    ]
    for rec in records:
        if rec["procore_id"] is not None:
            rec["procore_id"] = int(rec["procore_id"])
    with engine.begin() as conn:
        for point, group in _group_keys(records):
            for start in range(0, len(group), _KEY_CHUNK):
                conn.execute(
                    ledger_table.delete().where(
                        ledger_table.c.point == point,
                        ledger_table.c.erp_key.in_(group[start : start + _KEY_CHUNK]),
                    )
                )
        conn.execute(ledger_table.insert(), records)
    return len(records)


def record_run(engine: sa.Engine, summary: Mapping[str, Any]) -> None:
    """Stores one point's counts of one run (replacing an earlier record of the same run and point)."""
    with engine.begin() as conn:
        conn.execute(
            run_table.delete().where(
                run_table.c.run_id == summary["run_id"], run_table.c.point == summary["point"]
            )
        )
        conn.execute(run_table.insert(), [{c.name: summary.get(c.name) for c in run_table.columns}])


def last_window_end(engine: sa.Engine, point: str) -> datetime | None:
    """End of the latest recorded extract window of a point (for runs without a data interval)."""
    with engine.connect() as conn:
        return conn.execute(
            sa.select(sa.func.max(run_table.c.window_end)).where(run_table.c.point == point)
        ).scalar()


def status_counts(engine: sa.Engine) -> pd.DataFrame:
    """Ledger rows per point and status (for reports and the status page)."""
    query = sa.select(ledger_table.c.point, ledger_table.c.status, sa.func.count().label("records")).group_by(
        ledger_table.c.point, ledger_table.c.status
    )
    with engine.connect() as conn:
        return pd.DataFrame(conn.execute(query).mappings().all(), columns=["point", "status", "records"])


def now() -> datetime:
    """The ledger's clock: naive UTC."""
    return datetime.now(UTC).replace(tzinfo=None)


def _group_keys(records: Iterable[Mapping[str, Any]]) -> list[tuple[str, list[str]]]:
    groups: dict[str, list[str]] = {}
    for rec in records:
        groups.setdefault(rec["point"], []).append(rec["erp_key"])
    return list(groups.items())


class PointBusy(RuntimeError):
    """Another run holds the point: two runs planning and recording one point would both create."""


def acquire_point(
    engine: sa.Engine,
    point: str,
    run_id: str,
    *,
    wait_seconds: float,
    stale_after_seconds: float,
    poll_seconds: float = 5.0,
) -> None:
    """Takes the point's lease for ``run_id`` (from plan to record), waiting up to ``wait_seconds`` for
    another run to finish it. A lease older than ``stale_after_seconds`` (its run crashed) is taken
    over; the same run taking it again (a task retry) is fine."""
    deadline = time.monotonic() + wait_seconds
    while True:
        holder = _try_lease(engine, point, run_id, stale_after_seconds)
        if holder is None:
            return
        if time.monotonic() >= deadline:
            raise PointBusy(
                f"{point} is being synced by run {holder[0]} (since {holder[1]:%Y-%m-%d %H:%M:%S} UTC): "
                f"waited {wait_seconds:.0f} s; this run syncs it on a retry or its next run "
                "(PROCORE_SYNC_POINT_LEASE_WAIT_SECONDS)"
            )
        time.sleep(min(poll_seconds, max(0.0, deadline - time.monotonic())))


def _try_lease(
    engine: sa.Engine, point: str, run_id: str, stale_after_seconds: float
) -> tuple[str, datetime] | None:
    """None when ``run_id`` holds the lease now; else the holder's (run id, since)."""
    at = now()
    try:
        with engine.begin() as conn:
            row = conn.execute(
                sa.select(lease_table.c.run_id, lease_table.c.acquired_at).where(lease_table.c.point == point)
            ).first()
            if row is None:
                conn.execute(lease_table.insert().values(point=point, run_id=run_id, acquired_at=at))
                return None
            if row.run_id == run_id:
                return None
            if (at - row.acquired_at).total_seconds() > stale_after_seconds:
                taken = conn.execute(
                    lease_table.update()
                    .where(lease_table.c.point == point, lease_table.c.run_id == row.run_id)
                    .values(run_id=run_id, acquired_at=at)
                )
                if taken.rowcount == 1:
                    return None
            return (str(row.run_id), row.acquired_at)
    except sa.exc.IntegrityError:  # another run inserted first: it holds the lease
        return ("another run", at)


def release_point(engine: sa.Engine, point: str, run_id: str) -> None:
    """Gives the point's lease back (only ``run_id``'s own)."""
    with engine.begin() as conn:
        conn.execute(lease_table.delete().where(lease_table.c.point == point, lease_table.c.run_id == run_id))
