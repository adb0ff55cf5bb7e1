"""Seeding and mutation helpers: what the demo, the tests and the benchmarks do to the demo ERP."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa

from demo_erp.generator import GenerationReport, generate
from demo_erp.schema import ERP_TABLES, create_schema, drop_schema, metadata

_IN_CHUNK = 500


def make_engine(url: str | sa.URL) -> sa.Engine:
    """An engine for the demo ERP; MariaDB/MySQL URLs get ``charset=utf8mb4`` so emoji survive."""
    parsed = sa.make_url(url)
    if parsed.get_backend_name() in ("mysql", "mariadb") and "charset" not in parsed.query:
        parsed = parsed.update_query_dict({"charset": "utf8mb4"})
    return sa.create_engine(parsed)


def seed(
    url: str | sa.URL,
    *,
    scale: float = 1.0,
    dirty_share: float = 0.05,
    seed: int = 42,
    reset: bool = True,
    history_start: date = date(2024, 1, 1),
    history_end: date = date(2026, 10, 31),
) -> GenerationReport:
    """Generates the demo ERP at ``url``; ``reset`` drops and recreates the tables first.

    Without ``reset`` the tables must be empty (missing ones are created), so a seeded database is never
    silently mixed with a second generation.
    """
    engine = make_engine(url)
    try:
        if reset:
            drop_schema(engine)
        create_schema(engine)
        return generate(
            engine,
            scale=scale,
            dirty_share=dirty_share,
            seed=seed,
            history_start=history_start,
            history_end=history_end,
        )
    finally:
        engine.dispose()


def row_counts(engine: sa.Engine) -> dict[str, int]:
    """Current row count of every ERP table (0 for tables that do not exist)."""
    existing = set(sa.inspect(engine).get_table_names())
    with engine.connect() as conn:
        return {
            table: conn.execute(sa.select(sa.func.count()).select_from(metadata.tables[table])).scalar_one()
            if table in existing
            else 0
            for table in ERP_TABLES
        }


def touch_rows(
    engine: sa.Engine,
    table: str,
    key_column: str,
    keys: Iterable[Any],
    changes: dict[str, Any],
    *,
    at: datetime,
) -> int:
    """Applies ``changes`` to the rows whose ``key_column`` is in ``keys`` and sets ``updated_at = at``.

    Simulates ERP users editing records between two sync runs; returns the number of rows changed
    (a duplicated key changes every row that carries it).
    """
    if table not in ERP_TABLES:
        raise ValueError(f"unknown demo ERP table {table!r}")
    target = metadata.tables[table]
    unknown = [c for c in [key_column, *changes] if c not in target.c]
    if unknown:
        raise ValueError(f"table {table!r} has no column(s) {', '.join(unknown)}")
    values = {**changes, "updated_at": at.replace(microsecond=0, tzinfo=None)}
    key_list = list(keys)
    touched = 0
    with engine.begin() as conn:
        for offset in range(0, len(key_list), _IN_CHUNK):
            chunk = key_list[offset : offset + _IN_CHUNK]
            result = conn.execute(target.update().where(target.c[key_column].in_(chunk)).values(values))
            touched += result.rowcount
    return touched


def touch_vendors(engine: sa.Engine, vendor_nos: Sequence[str], *, at: datetime) -> int:
    """Changes each named vendor's phone number (visible in Procore) and bumps ``updated_at``.

    The new number is derived from the old one, so repeated touches keep changing it deterministically.
    """
    vendor = metadata.tables["vendor"]
    stamp = at.replace(microsecond=0, tzinfo=None)
    touched = 0
    with engine.begin() as conn:
        for offset in range(0, len(vendor_nos), _IN_CHUNK):
            chunk = list(vendor_nos[offset : offset + _IN_CHUNK])
            rows = conn.execute(
                sa.select(vendor.c.vendor_id, vendor.c.phone).where(vendor.c.vendor_no.in_(chunk))
            ).all()
            for vendor_id, phone in rows:
                conn.execute(
                    vendor.update()
                    .where(vendor.c.vendor_id == vendor_id)
                    .values(phone=_next_phone(phone), updated_at=stamp)
                )
                touched += 1
    return touched


def _next_phone(phone: str | None) -> str:
    """Same format, last four digits advanced by one (wrapping), e.g. (512) 555-0142 → (512) 555-0143."""
    if not phone or sum(ch.isdigit() for ch in phone) < 4:
        return "(512) 555-0100"
    digits = [i for i, ch in enumerate(phone) if ch.isdigit()][-4:]
    number = (int("".join(phone[i] for i in digits)) + 1) % 10_000
    chars = list(phone)
    for i, ch in zip(digits, f"{number:04d}", strict=True):
        chars[i] = ch
    return "".join(chars)
