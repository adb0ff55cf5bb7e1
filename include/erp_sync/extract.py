"""Extract: run a point's SQL file against the ERP with the run's window as bound parameters."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from erp_sync.declarations import IntegrationPoint

# Full runs widen the window to every date any of the supported databases can store.
FULL_WINDOW = (datetime(1900, 1, 1), datetime(9999, 12, 31))


# Business dates compare with the *_date forms so a DATE column works the same on every database.
WINDOW_PARAMETERS = ("window_start", "window_end", "window_start_date", "window_end_date")


class ExtractContractError(ValueError):
    """The SQL file does not return the point's canonical columns."""


def load_sql(point: IntegrationPoint, sql_dir: Path) -> sa.TextClause:
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
    sql_dir: Path,
    window: tuple[datetime, datetime],
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
    sql_dir: Path,
    window: tuple[datetime, datetime],
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
    from datetime import date
    from decimal import Decimal

    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return value
