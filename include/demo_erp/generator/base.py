"""State shared by every tier: id counters, write buffers, dirt quotas, time draws and vendor pools.

Ids are assigned here, never by the database, so one seed gives the same keys on every backend; rows are
buffered and flushed in batches so memory stays flat at any scale.
"""

from __future__ import annotations

import bisect
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as dtime
from typing import Any

import sqlalchemy as sa

from demo_erp.generator.manifest import CHUNK_ROWS, DIRTY_PARENT, DIRTY_PLAN, DirtyRow
from demo_erp.generator.values import Row
from demo_erp.reference.costs import CostCode
from demo_erp.reference.trades import TRADE_BY_KEY
from demo_erp.schema import ERP_TABLES, metadata

FLUSH_ROWS = 50_000
#: Dangling integer references point at ids from here up, far above anything generated.
DANGLING_ID_BASE = 900_000_000


class Pool:
    """Clean, active parties that may be referenced, searchable by 'created before t' in O(log n)."""

    def __init__(self, entries: list[tuple[datetime, int]]) -> None:
        entries = sorted(entries)
        self.created = [created for created, _ in entries]
        self.indexes = [index for _, index in entries]

    def pick(self, rng: random.Random, at: datetime) -> int | None:
        available = bisect.bisect_right(self.created, at)
        return self.indexes[rng.randrange(available)] if available else None


@dataclass
class Party:
    """A vendor or customer row plus what generation needs to know about it."""

    row: Row
    clean: bool
    trade: str = ""
    desired_updated: datetime | None = None
    earliest_use: datetime | None = None
    dirty: tuple[str, str] | None = None
    pair: int | None = None


@dataclass
class PlannedJob:
    """A job row plus its planning facts; ``index`` (among clean jobs) seeds the job's own random stream."""

    row: Row
    clean: bool
    name: str = ""
    size_cents: int = 0
    desired_updated: datetime | None = None
    dirty: tuple[str, str] | None = None
    pair: int | None = None
    index: int = 0


class RunState:
    """Holds the state of one generation run: counters, pools, buffers and the manifest."""

    def __init__(
        self, conn: sa.Connection, *, scale: float, dirty_share: float, seed: int, start: date, end: date
    ) -> None:
        self.conn = conn
        self.scale = scale
        self.share = dirty_share / (1 - dirty_share)  # extra rows per clean row
        self.seed = seed
        self.start_date = start
        self.end_date = end
        self.START = datetime.combine(start, dtime(0, 0))
        self.END = datetime.combine(end, dtime(23, 59, 59))
        self.next_ids = {table: 1 for table in ERP_TABLES}
        self.buffers: dict[str, list[Row]] = {table: [] for table in ERP_TABLES}
        self.buffered = 0
        self.counts = {table: 0 for table in ERP_TABLES}
        self.dirty: list[DirtyRow] = []
        self.blocked: list[DirtyRow] = []
        self.unicode_rows: list[tuple[str, str]] = []
        self.quota = {table: 0.5 for table in DIRTY_PLAN}  # fractional carry-over, so small jobs add up
        self.turn = {table: 0 for table in DIRTY_PLAN}
        self.dangling = 0
        self.document_seq = 0
        self.vendors: list[Party] = []
        self.customers: list[Party] = []
        self.jobs: list[PlannedJob] = []
        self.vendor_pools: dict[str, Pool] = {}
        self.role_pools: dict[str, Pool] = {}
        self.customer_pool = Pool([])

    # ---- plumbing -------------------------------------------------------------------------------

    def new_id(self, table: str) -> int:
        value = self.next_ids[table]
        self.next_ids[table] = value + 1
        return value

    def dangling_id(self) -> int:
        self.dangling += 1
        return DANGLING_ID_BASE + self.dangling

    def next_document(self) -> int:
        self.document_seq += 1
        return self.document_seq

    def emit(self, table: str, row: Row) -> None:
        self.buffers[table].append(row)
        self.counts[table] += 1
        self.buffered += 1

    def flush(self) -> None:
        for table in ERP_TABLES:
            rows = self.buffers[table]
            for offset in range(0, len(rows), CHUNK_ROWS):
                self.conn.execute(metadata.tables[table].insert(), rows[offset : offset + CHUNK_ROWS])
            rows.clear()
        self.buffered = 0

    def mark(self, table: str, key: str, kind: str, column: str, row_id: int) -> None:
        self.dirty.append(DirtyRow(table, key, kind, column, row_id))

    def mark_blocked(self, table: str, key: str, column: str, row_id: int) -> None:
        self.blocked.append(DirtyRow(table, key, DIRTY_PARENT, column, row_id))

    def next_kind(self, table: str) -> tuple[str, str]:
        plan = DIRTY_PLAN[table]
        kind = plan[self.turn[table] % len(plan)]
        self.turn[table] += 1
        return kind

    def dirty_quota(self, table: str, clean_rows: int) -> int:
        self.quota[table] += clean_rows * self.share
        return int(self.quota[table])

    def spend_quota(self, table: str, used: int) -> None:
        self.quota[table] -= used

    # ---- time -----------------------------------------------------------------------------------

    @staticmethod
    def at(rng: random.Random, d: date) -> datetime:
        return datetime(d.year, d.month, d.day, rng.randint(6, 18), rng.randint(0, 59), rng.randint(0, 59))

    @staticmethod
    def lag(rng: random.Random, mean_hours: float) -> timedelta:
        return timedelta(seconds=int(rng.expovariate(1.0 / (mean_hours * 3600.0))))

    def cap(self, floor: datetime, desired: datetime) -> datetime:
        """``desired`` pulled into [floor, history end]: children never predate what they reference."""
        return max(floor, min(desired, self.END))

    def uniform_time(self, rng: random.Random, low: datetime, high: datetime) -> datetime:
        span = max(0, int((high - low).total_seconds()))
        return low + timedelta(seconds=rng.randint(0, span))

    # ---- vendors --------------------------------------------------------------------------------

    def pick_vendor(self, rng: random.Random, trade_key: str, at: datetime) -> int:
        """A clean active vendor of the trade that existed at ``at``; falls back to the role, then anyone."""
        pool = self.vendor_pools.get(trade_key)
        index = pool.pick(rng, at) if pool else None
        if index is None:
            role_pool = self.role_pools.get(TRADE_BY_KEY[trade_key].role)
            index = role_pool.pick(rng, at) if role_pool else None
        if index is None:
            for other in self.role_pools.values():
                index = other.pick(rng, at)
                if index is not None:
                    break
        if index is None:
            raise AssertionError("no legacy vendor to reference; coverage vendors are always legacy")
        return index

    def use_vendor(self, index: int, updated: datetime) -> None:
        party = self.vendors[index]
        party.earliest_use = updated if party.earliest_use is None else min(party.earliest_use, updated)


class JobContext:
    """One clean job's detail in progress; its own random stream keeps jobs independent of each other."""

    def __init__(self, gen: RunState, job_: PlannedJob) -> None:
        self.g = gen
        self.job = job_
        self.row = job_.row
        self.rng = random.Random(f"demo-erp:{gen.seed}:job:{job_.index}")
        # Pay app lines draw only from here, so adding them left every other row as it was.
        self.line_rng = random.Random(f"demo-erp:{gen.seed}:pay-app-lines:{job_.index}")
        self.job_id: int = job_.row["job_id"]
        self.job_no: str = job_.row["job_no"]
        self.start: date = job_.row["start_date"]
        self.end: date = job_.row["est_completion_date"]
        self.clean_counts = {table: 0 for table in DIRTY_PLAN}
        self.codes: list[CostCode] = []
        self.code_set: set[str] = set()
        self.taken_codes: set[str] = set()
        self.setup_done = job_.row["updated_at"]
        self.budget: dict[tuple[str, str], int] = {}
        self.budget_taken: set[tuple[str, str]] = set()
        self.subs: list[dict[str, Any]] = []
        self.invoices: list[dict[str, Any]] = []
        self.owner: dict[str, Any] | None = None
        self.sc_seq = 0
        self.po_seq = 0

    def emit(self, table: str, row: Row, *, clean: bool = True) -> None:
        self.g.emit(table, row)
        if clean:
            self.clean_counts[table] += 1
