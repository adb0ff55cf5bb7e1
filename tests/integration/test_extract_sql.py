"""Every point's extract SQL runs unchanged on SQLite, PostgreSQL and MariaDB and returns the same rows."""

from __future__ import annotations

from datetime import datetime

import demo_erp
import pandas as pd
import pytest
import sqlalchemy as sa
from erp_sync.declarations import compose_keys, in_dependency_order
from erp_sync.extract import FULL_WINDOW, extract, read_erp
from erp_sync.settings import PACKAGE_SQL_DIR


def extracted(url: str) -> dict[str, pd.DataFrame]:
    demo_erp.seed(url, scale=0.2, dirty_share=0.05, seed=5)
    engine = sa.create_engine(url)
    try:
        return {
            p.name: extract(engine, p, PACKAGE_SQL_DIR, FULL_WINDOW, 10_000) for p in in_dependency_order()
        }
    finally:
        engine.dispose()


def comparable(frame: pd.DataFrame) -> list[tuple]:
    def norm(value: object) -> str:
        if value is None or (isinstance(value, float) and pd.isna(value)):
            return ""
        if isinstance(value, bool):
            value = int(value)
        text = str(value)
        try:
            return f"{float(text):.4f}"
        except ValueError:
            return text[:19] if len(text) >= 19 and text[4] == "-" else text

    return sorted(tuple(norm(v) for v in row) for row in frame.itertuples(index=False))


@pytest.mark.parametrize("other", ["pg_url", "mariadb_url"])
def test_extract_sql_is_portable(other, request, tmp_path):
    baseline = extracted(f"sqlite:///{tmp_path / 'erp.sqlite'}")
    results = extracted(request.getfixturevalue(other))
    for point in in_dependency_order():
        assert list(results[point.name].columns)[: len(point.canonical_columns)] == list(
            point.canonical_columns
        )
        assert len(results[point.name]) == len(baseline[point.name]) > 0, point.name
        assert comparable(results[point.name]) == comparable(baseline[point.name]), point.name


def test_window_selects_by_change_time_and_business_date(tmp_path):
    url = f"sqlite:///{tmp_path / 'erp.sqlite'}"
    demo_erp.seed(url, scale=0.2, dirty_share=0.0, seed=5)
    engine = sa.create_engine(url)
    point = next(p for p in in_dependency_order() if p.name == "payments")
    window = (datetime(2025, 3, 1), datetime(2025, 4, 1))
    rows = extract(engine, point, PACKAGE_SQL_DIR, window, 10_000)
    with engine.connect() as conn:
        expected = conn.execute(
            sa.text(
                "SELECT COUNT(*) FROM payment "
                "WHERE (updated_at >= '2025-03-01' AND updated_at < '2025-04-01') "
                "OR (payment_date >= '2025-03-01' AND payment_date < '2025-04-01')"
            )
        ).scalar()
    assert len(rows) == expected > 0
    dates = pd.to_datetime(rows["payment_date"])
    changed = pd.to_datetime(rows["updated_at"])
    in_window = ((dates >= window[0]) & (dates < window[1])) | (
        (changed >= window[0]) & (changed < window[1])
    )
    assert in_window.all()


@pytest.mark.parametrize("database", ["sqlite", "pg_url", "mariadb_url"])
def test_failed_and_blocked_records_are_read_again_by_key_outside_the_window(database, request, tmp_path):
    """Every point's SQL, wrapped and narrowed by key, returns exactly the rows of the wanted records
    (whatever their change time), on every database; a key the window already read is not read twice."""
    url = (
        f"sqlite:///{tmp_path / 'erp.sqlite'}" if database == "sqlite" else request.getfixturevalue(database)
    )
    everything = extracted(url)
    nothing_changed = (datetime(2099, 1, 1), datetime(2099, 1, 2))
    for point in in_dependency_order():
        rows = everything[point.name]
        keys = compose_keys(rows, point.key).dropna()
        wanted = sorted(set(keys.iloc[:: max(1, len(keys) // 4)]))[:4]
        again = read_erp(url, point, PACKAGE_SQL_DIR, nothing_changed, 10_000, retry_keys=wanted)
        assert sorted(set(compose_keys(again, point.key))) == wanted, point.name
        expected = rows[keys.reindex(rows.index).isin(wanted).to_numpy()]
        assert comparable(again) == comparable(expected), point.name
    vendors = next(p for p in in_dependency_order() if p.name == "vendors")
    key = compose_keys(everything["vendors"], vendors.key).dropna().iloc[0]
    both = read_erp(url, vendors, PACKAGE_SQL_DIR, FULL_WINDOW, 10_000, retry_keys=[key])
    assert len(both) == len(everything["vendors"])
