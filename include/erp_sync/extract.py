"""Extract: run a point's SQL file against the ERP with the run's window as bound parameters.

The SQL files ship inside the package (``erp_sync/sql``); a deployment may point
``PROCORE_SYNC_SQL_DIR`` at its own copies (see :mod:`erp_sync.settings`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from importlib.resources.abc import Traversable

import pandas as pd
import sqlalchemy as sa

from erp_sync.declarations.model import IntegrationPoint, compose_keys, key_columns

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


def keyed_sql(point: IntegrationPoint, sql_dir: Traversable, column: str) -> sa.TextClause:
    """The point's query over all of history, narrowed to rows whose ``column`` is in ``:retry_keys``.

    Wrapping keeps the user's SQL as written; the databases push the filter into it (no full scan
    where the column is indexed). ``column`` is the first column of the point's key: a superset of
    the wanted records, which the caller narrows by the whole key.
    """
    inner = load_sql(point, sql_dir)
    wrapped = sa.text(
        f"SELECT * FROM ({inner.text.strip().rstrip(';')}) retried WHERE retried.{column} IN :retry_keys"
    )
    types = {name: sa.Date() if name.endswith("_date") else sa.DateTime() for name in WINDOW_PARAMETERS}
    wrapped = wrapped.bindparams(
        *(sa.bindparam(n, type_=t) for n, t in types.items() if n in wrapped._bindparams)
    )
    return wrapped.bindparams(sa.bindparam("retry_keys", expanding=True))


def _window_params(query: sa.TextClause, window: Window) -> dict[str, object]:
    params = {
        "window_start": window[0],
        "window_end": window[1],
        "window_start_date": window[0].date(),
        "window_end_date": window[1].date(),
    }
    return {name: value for name, value in params.items() if name in query._bindparams}


def extract_chunks(
    engine: sa.Engine,
    point: IntegrationPoint,
    sql_dir: Traversable,
    window: Window,
    chunk_rows: int,
    *,
    retry: tuple[str, list[object]] | None = None,
) -> Iterator[pd.DataFrame]:
    """Yields the point's canonical rows in chunks, checking the column contract on the first one.

    With ``retry`` (a key column and its values) the rows come from all of history, narrowed to those
    values (see :func:`keyed_sql`) instead of the window.
    """
    query = load_sql(point, sql_dir) if retry is None else keyed_sql(point, sql_dir, retry[0])
    params = _window_params(query, window if retry is None else FULL_WINDOW)
    if retry is not None:
        params["retry_keys"] = retry[1]
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
    *,
    retry: tuple[str, list[object]] | None = None,
) -> pd.DataFrame:
    """All canonical rows of the window as one DataFrame (empty, with the right columns, when none)."""
    chunks = list(extract_chunks(engine, point, sql_dir, window, chunk_rows, retry=retry))
    if not chunks:
        return pd.DataFrame(columns=list(point.canonical_columns))
    frame = pd.concat(chunks, ignore_index=True)
    for column in frame.columns:
        if frame[column].dtype == object:
            frame[column] = _one_type(frame[column].map(_portable_scalar))
    return frame


def _one_type(values: pd.Series) -> pd.Series:
    """Text among other values (``'Infinity'`` in a numeric column, a code in a date column) makes the
    whole column text: staging stores one type per column, and validation rejects the bad cell by
    name instead of the extract failing for every row."""
    kinds = {type(v) for v in values if v is not None and not (isinstance(v, float) and v != v)}
    if str in kinds and len(kinds) > 1:
        return values.map(lambda v: None if v is None or (isinstance(v, float) and v != v) else str(v))
    return values


def _portable_scalar(value: object) -> object:
    """Decimals become their exact text (never floats: money keeps its digits) and dates ISO text, so
    Parquet stores one type per column."""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return value


def read_erp(
    erp_url: str,
    point: IntegrationPoint,
    sql_dir: Traversable,
    window: Window,
    chunk_rows: int,
    *,
    retry_keys: Iterable[str] = (),
) -> pd.DataFrame:
    """:func:`extract` on a connection of its own, closed afterwards (tasks run in short processes).

    ``retry_keys`` are ERP keys (the ledger's failed and blocked records) read again by key whatever
    their change time, so a record goes out the first run after its cause is fixed, without a full
    scan; rows of the window win over the same key read again.
    """
    engine = sa.create_engine(erp_url, pool_pre_ping=True)
    try:
        rows = extract(engine, point, sql_dir, window, chunk_rows)
        wanted = set(retry_keys) - set(compose_keys(rows, point.key).dropna())
        if not wanted:
            return rows
        column = key_columns(point.key)[0]
        values: list[object] = list(sorted({_first_key_part(point, key) for key in wanted}))
        retried = [
            extract(engine, point, sql_dir, window, chunk_rows, retry=(column, values[i : i + RETRY_CHUNK]))
            for i in range(0, len(values), RETRY_CHUNK)
        ]
        again = pd.concat(retried, ignore_index=True)
        again = again[compose_keys(again, point.key).isin(wanted).to_numpy()]
        return pd.concat([rows, again], ignore_index=True) if len(rows) else again.reset_index(drop=True)
    finally:
        engine.dispose()


RETRY_CHUNK = 500


def _first_key_part(point: IntegrationPoint, key: str) -> str:
    """The value of the key's first column in an ERP key built by ``point.key`` (e.g. ``SC-1`` of
    ``SC-1/3`` for ``{contract_number}/{app_number}``)."""
    template = point.key
    first = key_columns(template)[0]
    after = template.split("{" + first + "}", 1)[1]
    separator = after[: after.index("{")] if "{" in after else ""
    return key.split(separator, 1)[0] if separator else key
