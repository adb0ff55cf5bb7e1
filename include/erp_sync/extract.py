"""Extract: run a point's SQL file against the ERP with the run's window as bound parameters.

The SQL files ship inside the package (``erp_sync/sql``); a deployment may point
``PROCORE_SYNC_SQL_DIR`` at its own copies (see :mod:`erp_sync.settings`).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from importlib.resources.abc import Traversable

import pandas as pd
import sqlalchemy as sa

from erp_sync.declarations.model import IntegrationPoint

Window = tuple[datetime, datetime]

# Full runs widen the window to every date any of the supported databases can store.
FULL_WINDOW: Window = (datetime(1900, 1, 1), datetime(9999, 12, 31))


# Business dates compare with the *_date forms so a DATE column works the same on every database.
WINDOW_PARAMETERS = ("window_start", "window_end", "window_start_date", "window_end_date")


class ExtractContractError(ValueError):
    """The SQL file does not return the point's canonical columns."""


def choose_window(
    *,
    mode: str,
    first_sync: bool,
    interval: tuple[datetime | None, datetime | None],
    last_end: datetime | None,
) -> tuple[Window, bool]:
    """The window to extract and whether it is a full read.

    Full runs and a point's first sync read all of history; a run without a data interval (triggered
    outside the schedule) reads everything changed since the last recorded window.
    """
    if mode == "full" or first_sync:
        return FULL_WINDOW, True
    start, end = interval
    if start is None or end is None:
        return (last_end or FULL_WINDOW[0], naive_utc(datetime.now(UTC))), False
    return (naive_utc(start), naive_utc(end)), False


def naive_utc(value: datetime) -> datetime:
    """The ERP and ledger store naive UTC times."""
    return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo is not None else value


def load_sql(point: IntegrationPoint, sql_dir: Traversable) -> sa.TextClause:
    """The point's query with the window parameters typed, so DATE and DATETIME columns compare alike."""
    path = sql_dir / point.sql_file
    if not path.is_file():
        raise FileNotFoundError(f"extract SQL for {point.name} not found: {path}")
    # Whole-line comments are dropped so a ':name' written in a comment is not taken for a parameter.
    sql = "\n".join(line for line in path.read_text().splitlines() if not line.lstrip().startswith("--"))
    query = sa.text(sql)
    types = {name: sa.Date() if name.endswith("_date") else sa.DateTime() for name in WINDOW_PARAMETERS}
    return query.bindparams(*(sa.bindparam(n, type_=t) for n, t in types.items() if n in query._bindparams))


def extract_chunks(
    engine: sa.Engine,
    point: IntegrationPoint,
    sql_dir: Traversable,
    window: Window,
    chunk_rows: int,
) -> Iterator[pd.DataFrame]:
    """Yields the point's canonical rows in chunks, checking the column contract on the first one."""
    query = load_sql(point, sql_dir)
    params = {
        "window_start": window[0],
        "window_end": window[1],
        "window_start_date": window[0].date(),
        "window_end_date": window[1].date(),
    }
    params = {name: value for name, value in params.items() if name in query._bindparams}
    with engine.connect() as conn:
        result = conn.execution_options(stream_results=True).execute(query, params)
        columns = list(result.keys())
        missing = [c for c in point.canonical_columns if c not in columns]
        if missing:
            raise ExtractContractError(
                f"{point.sql_file} must return columns {', '.join(point.canonical_columns)}; "
                f"missing {', '.join(missing)}"
            )
        while rows := result.fetchmany(chunk_rows):
            yield pd.DataFrame.from_records(rows, columns=columns)
        return


def extract(
    engine: sa.Engine,
    point: IntegrationPoint,
    sql_dir: Traversable,
    window: Window,
    chunk_rows: int,
) -> pd.DataFrame:
    """All canonical rows of the window as one DataFrame (empty, with the right columns, when none)."""
    chunks = list(extract_chunks(engine, point, sql_dir, window, chunk_rows))
    if not chunks:
        return pd.DataFrame(columns=list(point.canonical_columns))
    frame = pd.concat(chunks, ignore_index=True)
    for column in frame.columns:
        if frame[column].dtype == object:
            frame[column] = frame[column].map(_portable_scalar)
    return frame


def _portable_scalar(value: object) -> object:
    """Decimals become floats and dates ISO text so Parquet stores one type per column."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return value


def read_erp(
    erp_url: str, point: IntegrationPoint, sql_dir: Traversable, window: Window, chunk_rows: int
) -> pd.DataFrame:
    """:func:`extract` on a connection of its own, closed afterwards (tasks run in short processes)."""
    engine = sa.create_engine(erp_url, pool_pre_ping=True)
    try:
        return extract(engine, point, sql_dir, window, chunk_rows)
    finally:
        engine.dispose()
