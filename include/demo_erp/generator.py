"""Deterministic generator of a construction company's ERP history, with planted dirty rows.

Determinism: every value comes from ``random.Random`` streams seeded by text (stable across processes
and platforms), ids are assigned here rather than by the database, money is exact ``Decimal`` and
timestamps are whole seconds, so one seed and scale give the same rows on SQLite, PostgreSQL and MariaDB.

Shape of the data (what pipeline tests may rely on):

* Every clean row's ``updated_at`` is within the history range and is >= the ``updated_at`` of every row
  it references, so replaying date windows in order always meets parents before children.
* Dirty rows carry exactly one defect each and are listed in the report. Nothing clean references a
  dirty row; a dirty *header* (ap_invoice, subcontract, change_order, owner_contract) keeps its lines,
  which are listed separately as ``blocked`` (kind ``dirty_parent``): they cannot sync because their
  parent cannot.
* A duplicated key (vendor_no, customer_no, job_no, job cost code, budget line) is planted as a pair of
  extra rows sharing the key; both rows are dirty, since an ERP key that matches two rows is ambiguous.
"""

from __future__ import annotations

import bisect
import random
import time
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as dtime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from demo_erp import reference as ref
from demo_erp.schema import ERP_TABLES, PRIMARY_KEYS, create_schema, demo_dirty_row, demo_meta, metadata

Row = dict[str, Any]

GENERATOR_VERSION = "1"
FLUSH_ROWS = 50_000
CHUNK_ROWS = 5_000
#: Dangling integer references point at ids from here up, far above anything generated.
DANGLING_ID_BASE = 900_000_000

MISSING_NAME = "missing_name"
INVALID_STATE = "invalid_state"
OVERLONG_NAME = "overlong_name"
CONTROL_CHARS = "control_chars"
DUPLICATE_KEY = "duplicate_key"
INVALID_COUNTRY = "invalid_country"
INVALID_DATE = "invalid_date"
DANGLING_REFERENCE = "dangling_reference"
NEGATIVE_AMOUNT = "negative_amount"
DIRTY_PARENT = "dirty_parent"

#: (kind, column) planted per table, taken in turn so small data sets still show every kind.
DIRTY_PLAN: dict[str, tuple[tuple[str, str], ...]] = {
    "customer": (
        (MISSING_NAME, "name"),
        (INVALID_STATE, "state_code"),
        (OVERLONG_NAME, "name"),
        (CONTROL_CHARS, "name"),
        (INVALID_COUNTRY, "country_code"),
        (DUPLICATE_KEY, "customer_no"),
    ),
    "vendor": (
        (MISSING_NAME, "name"),
        (INVALID_STATE, "state_code"),
        (OVERLONG_NAME, "name"),
        (CONTROL_CHARS, "name"),
        (INVALID_COUNTRY, "country_code"),
        (DUPLICATE_KEY, "vendor_no"),
    ),
    "job": (
        (MISSING_NAME, "name"),
        (INVALID_STATE, "state_code"),
        (OVERLONG_NAME, "name"),
        (CONTROL_CHARS, "name"),
        (INVALID_COUNTRY, "country_code"),
        (INVALID_DATE, "est_completion_date"),
        (DUPLICATE_KEY, "job_no"),
    ),
    "job_cost_code": (
        (MISSING_NAME, "description"),
        (OVERLONG_NAME, "description"),
        (CONTROL_CHARS, "description"),
        (DANGLING_REFERENCE, "job_id"),
        (DUPLICATE_KEY, "cost_code"),
    ),
    "budget_line": (
        (NEGATIVE_AMOUNT, "original_amount"),
        (DANGLING_REFERENCE, "cost_code"),
        (DANGLING_REFERENCE, "cost_type_code"),
        (DUPLICATE_KEY, "cost_code"),
    ),
    "ap_invoice": ((DANGLING_REFERENCE, "vendor_id"), (DANGLING_REFERENCE, "job_id")),
    "ap_invoice_line": ((DANGLING_REFERENCE, "cost_code"), (DANGLING_REFERENCE, "cost_type_code")),
    "subcontract": ((DANGLING_REFERENCE, "vendor_id"), (DANGLING_REFERENCE, "job_id")),
    "subcontract_item": ((NEGATIVE_AMOUNT, "amount"), (DANGLING_REFERENCE, "cost_code")),
    "change_order": ((DANGLING_REFERENCE, "subcontract_id"),),
    "change_order_item": ((DANGLING_REFERENCE, "item_no"),),
    "owner_contract": ((DANGLING_REFERENCE, "customer_id"),),
    "owner_contract_item": ((NEGATIVE_AMOUNT, "amount"), (DANGLING_REFERENCE, "cost_code")),
    "pay_app": ((NEGATIVE_AMOUNT, "amount_this_period"), (DANGLING_REFERENCE, "subcontract_id")),
    "payment": ((NEGATIVE_AMOUNT, "amount"), (DANGLING_REFERENCE, "pay_app_id")),
}

#: ERP AP statuses and the Procore direct-cost status each one means.
AP_STATUS_TO_PROCORE: dict[str, str] = {
    "entered": "draft",
    "in_review": "pending",
    "rejected": "revise_and_resubmit",
    "approved": "approved",
    "paid": "approved",
}
SC_STATUSES = ("Draft", "Out For Bid", "Out For Signature", "Approved", "Complete", "Terminated", "Void")
PO_STATUSES = ("Draft", "Processing", "Submitted", "Partially Received", "Received", "Approved", "Closed")
CHANGE_ORDER_STATUSES = ("draft", "pending", "approved", "rejected", "void")
PAY_APP_STATUSES = ("draft", "under_review", "revise_and_resubmit", "approved", "approved_as_noted")
OWNER_CONTRACT_STATUSES = ("Draft", "Out For Signature", "Approved", "Complete")
PAYMENT_METHODS = ("check", "electronic", "credit_card")
DANGLING_COST_TYPES = ("LAB", "MAT", "X", "EQP")
MAILBOXES = ("ap", "billing", "accounts", "office", "info")


@dataclass(frozen=True, order=True)
class DirtyRow:
    """One planted defect: which row (natural ``key`` and surrogate ``row_id``), what kind, which column."""

    table: str
    key: str
    kind: str
    column: str
    row_id: int | None = None


@dataclass
class GenerationReport:
    """What ``generate`` wrote: row counts per table and the manifest of planted defects."""

    seed: int
    scale: float
    dirty_share: float
    history_start: date
    history_end: date
    row_counts: dict[str, int]
    dirty: list[DirtyRow]
    blocked: list[DirtyRow] = field(default_factory=list)
    unicode_rows: list[tuple[str, str]] = field(default_factory=list)
    elapsed_seconds: float = field(default=0.0, compare=False)

    def dirty_by_kind(self) -> dict[str, int]:
        """Count of dirty rows per kind, for summaries."""
        counts: dict[str, int] = {}
        for row in self.dirty:
            counts[row.kind] = counts.get(row.kind, 0) + 1
        return dict(sorted(counts.items()))

    def dirty_in(self, table: str) -> list[DirtyRow]:
        """The dirty rows of one table."""
        return [row for row in self.dirty if row.table == table]

    def dirty_keys(self, table: str) -> set[str]:
        """Natural keys of one table's dirty rows (what a pipeline should reject)."""
        return {row.key for row in self.dirty if row.table == table}

    def dirty_ids(self, table: str) -> set[int]:
        """Surrogate ids of one table's dirty rows."""
        return {row.row_id for row in self.dirty if row.table == table and row.row_id is not None}

    @property
    def total_rows(self) -> int:
        return sum(self.row_counts.values())


def _money(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)


def _qty(hundredths: int) -> Decimal:
    return Decimal(hundredths).scaleb(-2)


def _times_cents(hundredths: int, unit_cents: int) -> int:
    """Rounds quantity x unit cost half away from zero to whole cents, as accounting systems do."""
    product = hundredths * unit_cents
    sign = -1 if product < 0 else 1
    return sign * ((abs(product) + 50) // 100)


def _round_to(cents: int, step: int) -> int:
    return int(round(cents / step)) * step


def _add_months(d: date, months: int) -> date:
    month = d.month - 1 + months
    year = d.year + month // 12
    month = month % 12 + 1
    day = min(
        d.day,
        [
            31,
            29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28,
            31,
            30,
            31,
            30,
            31,
            31,
            30,
            31,
            30,
            31,
        ][month - 1],
    )
    return date(year, month, day)


def _month_end(d: date) -> date:
    return _add_months(d.replace(day=1), 1) - timedelta(days=1)


def _smoothstep(x: float) -> float:
    x = min(1.0, max(0.0, x))
    return x * x * (3 - 2 * x)


def _ascii_slug(text: str, words: int = 2) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    parts = ["".join(ch for ch in w if ch.isalnum()).lower() for w in plain.split()]
    return "".join([p for p in parts if p][:words])


class _Pool:
    """Clean, active parties that may be referenced, searchable by 'created before t' in O(log n)."""

    def __init__(self, entries: list[tuple[datetime, int]]) -> None:
        entries = sorted(entries)
        self.created = [created for created, _ in entries]
        self.indexes = [index for _, index in entries]

    def pick(self, rng: random.Random, at: datetime) -> int | None:
        available = bisect.bisect_right(self.created, at)
        return self.indexes[rng.randrange(available)] if available else None


@dataclass
class _Party:
    """A vendor or customer row plus what generation needs to know about it."""

    row: Row
    clean: bool
    trade: str = ""
    desired_updated: datetime | None = None
    earliest_use: datetime | None = None
    dirty: tuple[str, str] | None = None
    pair: int | None = None


@dataclass
class _Job:
    """A job row plus its planning facts; ``index`` (among clean jobs) seeds the job's own random stream."""

    row: Row
    clean: bool
    name: str = ""
    size_cents: int = 0
    desired_updated: datetime | None = None
    dirty: tuple[str, str] | None = None
    pair: int | None = None
    index: int = 0


class _Generator:
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
        self.vendors: list[_Party] = []
        self.customers: list[_Party] = []
        self.jobs: list[_Job] = []
        self.vendor_pools: dict[str, _Pool] = {}
        self.role_pools: dict[str, _Pool] = {}
        self.customer_pool = _Pool([])

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

    # ---- places and names -----------------------------------------------------------------------

    def place(self, rng: random.Random, weights: tuple[float, float, float]) -> dict[str, str]:
        roll = rng.random()
        country = "US" if roll < weights[0] else "CA" if roll < weights[0] + weights[1] else "MX"
        return self.address(rng, country)

    def address(self, rng: random.Random, country: str, city: str | None = None) -> dict[str, str]:
        places = {"US": ref.US_PLACES, "CA": ref.CA_PLACES, "MX": ref.MX_PLACES}[country]
        if city is not None:
            chosen = next(p for p in places if p[0] == city)
        else:
            chosen = places[int(len(places) * rng.random() ** 1.7)]
        name, state, prefix, area = chosen
        address2 = None
        if country == "US":
            address1 = f"{rng.randint(100, 19999)} {rng.choice(ref.US_STREETS)}"
            postal = f"{prefix}{rng.randint(1, 99):02d}"
            if rng.random() < 0.15:
                postal += f"-{rng.randint(1000, 9999)}"
            phone = f"({area}) 555-01{rng.randint(0, 99):02d}"
            if rng.random() < 0.25:
                address2 = rng.choice(
                    (
                        f"Suite {rng.randint(100, 950)}",
                        f"Unit {rng.choice('ABCDEFGH')}",
                        f"Bldg {rng.randint(1, 9)}",
                        f"PO Box {rng.randint(100, 9999)}",
                    )
                )
        elif country == "CA":
            streets = ref.CA_STREETS_QC if state == "QC" else ref.CA_STREETS
            address1 = f"{rng.randint(10, 2500)} {rng.choice(streets)}"
            postal = f"{prefix} {rng.randint(0, 9)}{rng.choice('ABCEGHJKLMNPRSTVWXYZ')}{rng.randint(0, 9)}"
            phone = f"+1 {area} 555 01{rng.randint(0, 99):02d}"
            if rng.random() < 0.3:
                address2 = (
                    f"Bureau {rng.randint(100, 2500)}" if state == "QC" else f"Suite {rng.randint(100, 2500)}"
                )
        else:
            address1 = f"{rng.choice(ref.MX_STREETS)} {rng.randint(10, 3500)}"
            postal = f"{prefix}{rng.randint(0, 99):02d}"
            phone = f"+52 {area} {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}"
            if rng.random() < 0.5:
                address2 = rng.choice(("Col. Centro", "Col. Juárez", "Piso 3", "Int. 201"))
        return {
            "address1": address1,
            "address2": address2,
            "city": name,
            "state_code": state,
            "postal_code": postal,
            "country_code": country,
            "phone": phone,
        }

    def vendor_name(self, rng: random.Random, trade: ref.Trade, country: str) -> str:
        word = rng.choice(trade.words)
        prefix = rng.choice(ref.NAME_PREFIXES)
        surname, surname2 = rng.sample(ref.SURNAMES, 2)
        if country == "MX":
            suffix = rng.choice(ref.MX_SUFFIXES)
            return rng.choice(
                (f"Constructora {surname} {suffix}", f"{prefix} {word} {suffix}", f"Grupo {surname} {suffix}")
            )
        suffix = rng.choice(ref.CA_SUFFIXES if country == "CA" else ref.US_SUFFIXES)
        roll = rng.random()
        if roll < 0.45:
            return f"{prefix} {word} {suffix}"
        if roll < 0.68:
            return f"{surname} {word} {suffix}"
        if roll < 0.76:
            return f"{surname} & Sons {word}"
        if roll < 0.84:
            return f"{surname} & {surname2} {word}"
        return f"{prefix} {word}"

    @staticmethod
    def unique(rng: random.Random, used: set[str], make: Any) -> str:
        for _ in range(25):
            candidate = make()
            if candidate not in used:
                used.add(candidate)
                return candidate
        base = make()
        n = 2
        while f"{base} {n}" in used:
            n += 1
        used.add(f"{base} {n}")
        return f"{base} {n}"

    @staticmethod
    def overlong(rng: random.Random, base: str) -> str:
        filler = (
            f" (formerly {rng.choice(ref.NAME_PREFIXES)} Holdings), a wholly owned subsidiary of "
            f"{rng.choice(ref.NAME_PREFIXES)} {rng.choice(ref.SURNAMES)} Construction Group International, "
            "doing business in all fifty states and the provinces of Canada under license numbers on file"
        )
        text = (base or "Unnamed") + filler
        while len(text) < 400:
            text += filler
        return text[: rng.randint(270, 399)].rstrip() + "."

    @staticmethod
    def with_control(rng: random.Random, base: str) -> str:
        words = base.split(" ")
        cut = rng.randint(1, max(1, len(words) - 1))
        return " ".join(words[:cut]) + rng.choice(ref.CONTROL_SNIPPETS) + " " + " ".join(words[cut:])

    # ---- tier 1: customers, vendors, jobs ---------------------------------------------------------

    def plan_customers(self) -> None:
        rng = random.Random(f"demo-erp:{self.seed}:customers")
        n_clean = max(1, round(8 * self.scale))
        used: set[str] = set()
        parties: list[_Party] = []

        def make(clean: bool, legacy: bool) -> _Party:
            address = self.place(rng, (0.92, 0.05, 0.03))
            pattern = rng.choice(ref.CUSTOMER_PATTERNS)
            name = self.unique(
                rng, used, lambda: pattern.format(city=address["city"], prefix=rng.choice(ref.NAME_PREFIXES))
            )
            if legacy:
                created = self.START - timedelta(days=rng.randint(30, 3650), seconds=rng.randint(0, 86399))
            else:
                created = self.uniform_time(rng, self.START, self.END - timedelta(days=120))
            row: Row = {
                "name": name,
                **{
                    k: address[k]
                    for k in (
                        "address1",
                        "address2",
                        "city",
                        "state_code",
                        "postal_code",
                        "country_code",
                        "phone",
                    )
                },
                "email": f"accountspayable@{_ascii_slug(name, 3)[:24] or 'owner'}.example",
                "status": "A",
                "created_at": created,
            }
            return _Party(
                row=row,
                clean=clean,
                desired_updated=self.uniform_time(rng, max(created, self.START), self.END),
            )

        for i in range(n_clean):
            parties.append(make(True, i == 0 or rng.random() < 0.75))
        self.plant_party_dirt(rng, parties, "customer", round(n_clean * self.share), make)
        self.number_parties(rng, parties, "customer", "customer_no", lambda n: f"C{n:05d}", 1000)
        self.customers = parties
        self.customer_pool = _Pool([(p.row["created_at"], i) for i, p in enumerate(parties) if p.clean])

    def plan_vendors(self) -> None:
        rng = random.Random(f"demo-erp:{self.seed}:vendors")
        n_clean = max(8, round(120 * self.scale))
        used: set[str] = set()
        parties: list[_Party] = []

        def make(clean: bool, legacy: bool, trade_key: str | None = None, odd: tuple | None = None) -> _Party:
            if odd is not None:
                name, country, _state, city, trade_key = odd
                address = self.address(rng, country, city)
                used.add(name)
            else:
                address = self.place(rng, (0.90, 0.06, 0.04))
            if trade_key is None:
                trade_key = rng.choices(ref.TRADES, weights=[3 if t.role == "SC" else 2 for t in ref.TRADES])[
                    0
                ].key
            trade = ref.TRADE_BY_KEY[trade_key]
            if odd is None:
                name = self.unique(rng, used, lambda: self.vendor_name(rng, trade, address["country_code"]))
            if legacy:
                created = self.START - timedelta(days=rng.randint(1, 4000), seconds=rng.randint(0, 86399))
            else:
                created = self.uniform_time(rng, self.START, self.END - timedelta(days=20))
            slug = _ascii_slug(name)
            dba: str | None = None
            roll = rng.random()
            if roll < 0.12:
                dba = "".join(w[0] for w in name.split() if w[:1].isalpha()).upper()[:8] or None
            elif roll < 0.17:
                dba = ""
            country = address["country_code"]
            if country == "US":
                tax_id = f"{rng.randint(10, 99)}-{rng.randint(1000000, 9999999)}"
            elif country == "CA":
                tax_id = f"{rng.randint(100000000, 999999999)}RT0001"
            else:
                letters = "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(3))
                tax_id = (
                    f"{letters}{rng.randint(0, 99):02d}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
                    f"{rng.choice('ABCDEFGH')}{rng.randint(10, 99)}"
                )
            address1 = address["address1"] + (" " if rng.random() < 0.03 else "")
            row: Row = {
                "name": name,
                "dba_name": dba,
                "address1": address1,
                "address2": address["address2"],
                "city": address["city"],
                "state_code": address["state_code"],
                "postal_code": address["postal_code"],
                "country_code": country,
                "phone": address["phone"],
                "email": f"{rng.choice(MAILBOXES)}@{slug or 'vendor'}.example"
                if rng.random() < 0.85
                else None,
                "tax_id": tax_id,
                "status": "A",
                "created_at": created,
            }
            return _Party(
                row=row,
                clean=clean,
                trade=trade_key,
                desired_updated=self.uniform_time(rng, max(created, self.START), self.END),
            )

        n_odd = min(len(ref.UNICODE_VENDORS), max(4, n_clean // 10), n_clean)
        for odd in ref.UNICODE_VENDORS[:n_odd]:
            parties.append(make(True, True, odd=odd))
        covered = {p.trade for p in parties}
        order = list(ref.TRADES)
        rng.shuffle(order)
        for trade in order:
            if len(parties) >= n_clean:
                break
            if trade.key not in covered:
                parties.append(make(True, True, trade.key))
        while len(parties) < n_clean:
            party = make(True, rng.random() < 0.6)
            if rng.random() < 0.08:
                party.row["status"] = "I"
            parties.append(party)
        self.plant_party_dirt(rng, parties, "vendor", round(n_clean * self.share), make)
        self.number_parties(rng, parties, "vendor", "vendor_no", lambda n: str(n), 10000)
        self.vendors = parties
        by_trade: dict[str, list[tuple[datetime, int]]] = {}
        by_role: dict[str, list[tuple[datetime, int]]] = {}
        odd_names = {u[0] for u in ref.UNICODE_VENDORS}
        for index, party in enumerate(parties):
            if party.clean and party.row["status"] == "A":
                entry = (party.row["created_at"], index)
                by_trade.setdefault(party.trade, []).append(entry)
                by_role.setdefault(ref.TRADE_BY_KEY[party.trade].role, []).append(entry)
            if party.clean and party.row["name"] in odd_names:
                self.unicode_rows.append(("vendor", party.row["vendor_no"]))
        self.vendor_pools = {key: _Pool(entries) for key, entries in by_trade.items()}
        self.role_pools = {key: _Pool(entries) for key, entries in sorted(by_role.items())}

    def plant_party_dirt(self, rng: random.Random, parties: list, table: str, count: int, make: Any) -> None:
        """Adds ``count`` dirty entities (a duplicate-key pair counts once) to a party list."""
        for n in range(count):
            kind, column = self.next_kind(table)
            party = make(False, rng.random() < 0.3)
            party.dirty = (kind, column)
            party.desired_updated = self.uniform_time(rng, max(party.row["created_at"], self.START), self.END)
            row = party.row
            if kind == MISSING_NAME:
                row["name"] = rng.choice((None, "", "   "))
            elif kind == INVALID_STATE:
                row["state_code"] = rng.choice(ref.INVALID_STATES[row["country_code"]])
            elif kind == OVERLONG_NAME:
                row["name"] = self.overlong(rng, row["name"])
            elif kind == CONTROL_CHARS:
                row["name"] = self.with_control(rng, row["name"])
            elif kind == INVALID_COUNTRY:
                row["country_code"] = rng.choice(ref.INVALID_COUNTRIES)
                row["state_code"] = None
            elif kind == INVALID_DATE:
                row["est_completion_date"] = row["start_date"] - timedelta(days=rng.randint(20, 400))
            elif kind == DUPLICATE_KEY:
                twin = make(False, False)
                twin.row.update(
                    {
                        k: row[k]
                        for k in ("name", "address1", "city", "state_code", "postal_code", "country_code")
                        if k in row
                    }
                )
                twin.row["name"] = rng.choice(
                    (row["name"].upper(), row["name"].replace(" ", "  ", 1), row["name"] + " (2)")
                )
                twin.row["created_at"] = min(
                    row["created_at"] + timedelta(days=rng.randint(1, 300)), self.END - timedelta(days=1)
                )
                twin.desired_updated = self.uniform_time(
                    rng, max(twin.row["created_at"], self.START), self.END
                )
                if table == "job":
                    for k in ("start_date", "est_completion_date"):
                        twin.row[k] = row[k]
                    twin.row["updated_at"] = twin.desired_updated
                twin.dirty = (kind, column)
                party.pair = twin.pair = n
                parties.append(twin)
            parties.append(party)

    def number_parties(
        self, rng: random.Random, parties: list, table: str, number_column: str, fmt: Any, first: int
    ) -> None:
        """Orders by creation (ids grow with time, as in a real ERP) and assigns ids and numbers."""
        parties.sort(key=lambda p: p.row["created_at"])
        id_column = PRIMARY_KEYS[table]
        number = first
        pair_numbers: dict[int, str] = {}
        for party in parties:
            party.row[id_column] = self.new_id(table)
            if party.pair is not None and party.pair in pair_numbers:
                party.row[number_column] = pair_numbers[party.pair]
                continue
            number += rng.randint(1, 7)
            party.row[number_column] = fmt(number)
            if party.pair is not None:
                pair_numbers[party.pair] = party.row[number_column]

    def plan_jobs(self) -> None:
        rng = random.Random(f"demo-erp:{self.seed}:jobs")
        n_clean = max(1, round(12 * self.scale))
        first_start = self.start_date + timedelta(days=45)
        last_start = self.end_date - timedelta(days=75)
        span = (last_start - first_start).days
        used: set[str] = set()
        jobs: list[_Job] = []

        def make(clean: bool, odd: tuple | None = None) -> _Job:
            start = first_start + timedelta(days=rng.randint(0, span))
            months = rng.randint(8, 30)
            if odd is not None:
                name, country, _state, city = odd
                address = self.address(rng, country, city)
                used.add(name)
                btype, sf = rng.choice(ref.BUILDING_TYPES)
            else:
                address = self.place(rng, (0.93, 0.05, 0.02))
                btype, sf = rng.choice(ref.BUILDING_TYPES)
                name = self.unique(rng, used, lambda: f"{rng.choice(ref.JOB_PLACES)} {btype}")
            sf = int(sf * rng.uniform(0.6, 1.5))
            created = self.at(rng, start - timedelta(days=rng.randint(5, 40)))
            customer_index = self.customer_pool.pick(rng, created)
            if customer_index is None:
                customer_index = self.customer_pool.indexes[0]
            customer = self.customers[customer_index]
            end = _add_months(start, months)
            stories = max(1, sf // rng.randint(15000, 40000))
            description = (
                f"New {stories}-story, {sf:,} SF {btype.lower()} for {customer.row['name']}. "
                f"Delivery: {rng.choice(ref.DELIVERY_METHODS)}."
            )
            closed = end + timedelta(days=45) < self.end_date and rng.random() < 0.85
            row: Row = {
                "name": name,
                "description": description,
                "address1": address["address1"],
                "city": address["city"],
                "state_code": address["state_code"],
                "postal_code": address["postal_code"],
                "country_code": address["country_code"],
                "start_date": start,
                "est_completion_date": end,
                "contract_amount": None,
                "status": "closed" if closed else "open",
                "customer_id": customer.row["customer_id"],
                "created_at": created,
                "updated_at": self.cap(created, created + self.lag(rng, 20)),
            }
            customer.earliest_use = min(filter(None, (customer.earliest_use, row["updated_at"])))
            return _Job(row=row, clean=clean, name=name, size_cents=sf * rng.randint(180, 420) * 100)

        n_odd = min(len(ref.UNICODE_JOBS), max(1, n_clean // 3))
        odd_positions = set(rng.sample(range(n_clean), n_odd))
        odd_iter = iter(ref.UNICODE_JOBS)
        for i in range(n_clean):
            jobs.append(make(True, next(odd_iter) if i in odd_positions else None))

        def make_dirty(clean: bool, _legacy: bool = False) -> _Party:
            job_ = make(clean)
            job_.row["contract_amount"] = _money(_round_to(job_.size_cents, 100_000))
            job_.row["updated_at"] = self.uniform_time(rng, job_.row["updated_at"], self.END)
            return job_  # type: ignore[return-value]

        self.plant_party_dirt(rng, jobs, "job", round(n_clean * self.share), make_dirty)
        jobs.sort(key=lambda j: j.row["created_at"])
        per_year: dict[int, int] = {}
        pair_numbers: dict[int, str] = {}
        for job_ in jobs:
            job_.row["job_id"] = self.new_id("job")
            if job_.pair is not None and job_.pair in pair_numbers:
                job_.row["job_no"] = pair_numbers[job_.pair]
                continue
            year = job_.row["start_date"].year % 100
            per_year[year] = per_year.get(year, 0) + 1
            job_.row["job_no"] = f"{year:02d}-{per_year[year]:04d}"
            if job_.pair is not None:
                pair_numbers[job_.pair] = job_.row["job_no"]
        for index, job_ in enumerate(j for j in jobs if j.clean):
            job_.index = index
            if job_.name in {u[0] for u in ref.UNICODE_JOBS}:
                self.unicode_rows.append(("job", job_.row["job_no"]))
        self.jobs = jobs

    def party_updated(self, party: _Party) -> datetime:
        """Final updated_at: the desired time, pulled back to before the first row that uses the party."""
        floor = max(party.row["created_at"], self.START)
        desired = party.desired_updated or floor
        if party.earliest_use is not None:
            desired = min(desired, party.earliest_use)
        return max(floor, desired)

    def emit_parties(self, table: str, parties: list[_Party], key_column: str) -> None:
        for party in parties:
            party.row["updated_at"] = self.party_updated(party)
            self.emit(table, party.row)
            if party.dirty is not None:
                kind, column = party.dirty
                self.mark(table, party.row[key_column], kind, column, party.row[PRIMARY_KEYS[table]])

    def emit_cost_types(self) -> None:
        for code, description, base_type in ref.COST_TYPES:
            self.emit(
                "cost_type",
                {
                    "cost_type_code": code,
                    "description": description,
                    "base_type": base_type,
                    "created_at": datetime(2012, 1, 3, 9, 0, 0),
                    "updated_at": self.START,
                },
            )

    def pick_vendor(self, rng: random.Random, trade_key: str, at: datetime) -> int:
        """A clean active vendor of the trade that existed at ``at``; falls back to the role, then anyone."""
        pool = self.vendor_pools.get(trade_key)
        index = pool.pick(rng, at) if pool else None
        if index is None:
            role_pool = self.role_pools.get(ref.TRADE_BY_KEY[trade_key].role)
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

    # ---- run ------------------------------------------------------------------------------------

    def run(self) -> None:
        self.plan_customers()
        self.plan_vendors()
        self.plan_jobs()
        self.emit_parties("customer", self.customers, "customer_no")
        self.emit_cost_types()
        self.flush()
        for job_ in self.jobs:
            if not job_.clean:
                self.emit("job", job_.row)
                kind, column = job_.dirty  # type: ignore[misc]
                self.mark("job", job_.row["job_no"], kind, column, job_.row["job_id"])
        for job_ in self.jobs:
            if job_.clean:
                _JobBuilder(self, job_).build()
                if self.buffered >= FLUSH_ROWS:
                    self.flush()
        self.emit_parties("vendor", self.vendors, "vendor_no")
        self.flush()


class _JobBuilder:
    """Generates one job's detail: setup rows, commitments, billing, payments and AP, then its dirt."""

    def __init__(self, gen: _Generator, job_: _Job) -> None:
        self.g = gen
        self.job = job_
        self.row = job_.row
        self.rng = random.Random(f"demo-erp:{gen.seed}:job:{job_.index}")
        self.job_id: int = job_.row["job_id"]
        self.job_no: str = job_.row["job_no"]
        self.start: date = job_.row["start_date"]
        self.end: date = job_.row["est_completion_date"]
        self.clean_counts = {table: 0 for table in DIRTY_PLAN}
        self.codes: list[ref.CostCode] = []
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

    def build(self) -> None:
        self.cost_codes()
        self.budget_lines()
        self.owner_contract()
        self.g.emit("job", self.row)
        self.subcontracts()
        self.ap_invoices()
        self.plant_dirt()

    # ---- setup ----------------------------------------------------------------------------------

    def cost_codes(self) -> None:
        rng, g = self.rng, self.g
        core = [c for c in ref.COST_CODES if c.code in ref.CORE_COST_CODES]
        others = [c for c in ref.COST_CODES if c.code not in ref.CORE_COST_CODES]
        count = min(len(ref.COST_CODES), rng.randint(20, 30))
        self.codes = sorted(core + rng.sample(others, count - len(core)), key=lambda c: c.code)
        self.code_set = {c.code for c in self.codes}
        self.taken_codes = set(self.code_set)
        created = self.row["updated_at"] + timedelta(minutes=rng.randint(5, 240))
        for code in self.codes:
            stamp = g.cap(self.row["updated_at"], created + timedelta(seconds=rng.randint(0, 600)))
            updated = g.cap(stamp, stamp + g.lag(rng, 6))
            self.emit(
                "job_cost_code",
                {
                    "job_cost_code_id": g.new_id("job_cost_code"),
                    "job_id": self.job_id,
                    "cost_code": code.code,
                    "description": code.description,
                    "created_at": stamp,
                    "updated_at": updated,
                },
            )
            self.setup_done = max(self.setup_done, updated)

    def budget_lines(self) -> None:
        rng, g = self.rng, self.g
        shares: list[tuple[ref.CostCode, float]] = [(c, c.weight * rng.uniform(0.6, 1.4)) for c in self.codes]
        total = sum(s for _, s in shares)
        floor = self.setup_done
        for code, share in shares:
            types = [code.cost_types[0]] + [t for t in code.cost_types[1:] if rng.random() < 0.6]
            amount = int(self.job.size_cents * share / total)
            splits = [0.7] + [0.3 / (len(types) - 1)] * (len(types) - 1) if len(types) > 1 else [1.0]
            for cost_type_code, split in zip(types, splits, strict=True):
                cents = max(100_000, _round_to(int(amount * split), 10_000))
                self.budget[(code.code, cost_type_code)] = cents
                self.budget_taken.add((code.code, cost_type_code))
                created = g.cap(floor, floor + timedelta(minutes=rng.randint(10, 600)))
                updated = g.cap(created, created + g.lag(rng, 12))
                self.emit(
                    "budget_line",
                    {
                        "budget_line_id": g.new_id("budget_line"),
                        "job_id": self.job_id,
                        "cost_code": code.code,
                        "cost_type_code": cost_type_code,
                        "original_amount": _money(cents),
                        "created_at": created,
                        "updated_at": updated,
                    },
                )
                self.setup_done = max(self.setup_done, updated)

    def owner_contract(self, *, dangling_customer: bool = False) -> None:
        rng, g = self.rng, self.g
        executed = self.start - timedelta(days=rng.randint(0, 20))
        roll = rng.random()
        if self.row["status"] == "closed":
            status = "Complete"
        elif roll < 0.06:
            status, executed = rng.choice(("Draft", "Out For Signature")), None
        else:
            status = "Approved"
        created = g.cap(self.setup_done, self.setup_done + timedelta(minutes=rng.randint(30, 2880)))
        updated = g.cap(created, created + g.lag(rng, 72))
        oc_id = g.new_id("owner_contract")
        contract_no = f"PC-{self.job_no}" + ("-A" if dangling_customer else "")
        retainage = rng.choice((5, 10))
        items: list[Row] = []
        for number, code in enumerate(self.codes, start=1):
            cost = sum(c for (cc, _), c in self.budget.items() if cc == code.code)
            cents = _round_to(int(cost * rng.uniform(1.06, 1.12)), 10_000)
            items.append(
                {
                    "owner_contract_item_id": g.new_id("owner_contract_item"),
                    "owner_contract_id": oc_id,
                    "item_no": number,
                    "cost_code": code.code,
                    "description": code.description,
                    "amount": _money(cents),
                    "created_at": created,
                    "updated_at": updated,
                }
            )
        total = sum(int(i["amount"].scaleb(2)) for i in items)
        customer_id = g.dangling_id() if dangling_customer else self.row["customer_id"]
        header = {
            "owner_contract_id": oc_id,
            "job_id": self.job_id,
            "customer_id": customer_id,
            "contract_no": contract_no,
            "title": f"Owner Agreement — {self.job.name}",
            "status": status,
            "executed_date": executed,
            "original_amount": _money(total),
            "retainage_percent": Decimal(retainage).quantize(Decimal("0.01")),
            "created_at": created,
            "updated_at": updated,
        }
        if dangling_customer:
            self.emit("owner_contract", header, clean=False)
            g.mark("owner_contract", contract_no, DANGLING_REFERENCE, "customer_id", oc_id)
            for item in items:
                self.emit("owner_contract_item", item, clean=False)
                g.mark_blocked(
                    "owner_contract_item",
                    f"{contract_no}#{item['item_no']}",
                    "owner_contract_id",
                    item["owner_contract_item_id"],
                )
            return
        self.emit("owner_contract", header)
        for item in items:
            self.emit("owner_contract_item", item)
        self.owner = {"row": header, "items": items, "retainage": retainage}
        self.row["contract_amount"] = _money(total)
        if executed is not None:
            self.owner_receipts(header, total, retainage)

    def owner_receipts(self, header: Row, total: int, retainage: int) -> None:
        rng, g = self.rng, self.g
        month_end = _month_end(self.start)
        billed = 0
        held = 0
        duration = max(1, (self.end - self.start).days)
        while month_end <= min(_month_end(self.end), g.end_date) and billed < total:
            cumulative = int(total * _smoothstep((month_end - self.start).days / duration))
            this_period = cumulative - billed
            if this_period > 0:
                billed = cumulative
                retained = this_period * retainage // 100
                held += retained
                pay_date = month_end + timedelta(days=rng.randint(25, 55))
                if pay_date <= g.end_date:
                    self.receipt(header, pay_date, this_period - retained)
            month_end = _month_end(month_end + timedelta(days=1))
        if self.row["status"] == "closed" and held:
            pay_date = self.end + timedelta(days=rng.randint(60, 120))
            if pay_date <= g.end_date:
                self.receipt(header, pay_date, held)

    def receipt(self, header: Row, pay_date: date, cents: int) -> None:
        rng, g = self.rng, self.g
        method = "electronic" if rng.random() < 0.7 else "check"
        seq = g.next_document()
        created = g.cap(header["updated_at"], g.at(rng, pay_date))
        self.emit(
            "payment",
            {
                "payment_id": g.new_id("payment"),
                "direction": "received",
                "subcontract_id": None,
                "owner_contract_id": header["owner_contract_id"],
                "pay_app_id": None,
                "check_no": f"RW{seq:07d}" if method == "electronic" else f"RC{seq:07d}",
                "payment_method": method,
                "payment_date": pay_date,
                "amount": _money(cents),
                "voided": False,
                "created_at": created,
                "updated_at": g.cap(created, created + g.lag(rng, 4)),
            },
        )

    # ---- commitments ----------------------------------------------------------------------------

    def subcontracts(self) -> None:
        rng = self.rng
        count = rng.randint(7, 13)
        sc_trades = [t for t in ref.TRADES if t.role == "SC" and self.code_set.intersection(t.cost_codes)]
        po_trades = [t for t in ref.TRADES if t.role == "PO" and self.code_set.intersection(t.cost_codes)]
        n_po = min(len(po_trades), round(count * 0.3))
        picks = rng.sample(po_trades, n_po)
        picks += rng.sample(sc_trades, min(len(sc_trades), count - n_po))
        while len(picks) < count:
            picks.append(rng.choice(sc_trades or po_trades))
        planned = [self.plan_subcontract(t) for t in picks]
        planned.sort(key=lambda p: p["created"])
        for plan in planned:
            self.subs.append(self.make_subcontract(plan))

    def plan_subcontract(self, trade: ref.Trade) -> dict[str, Any]:
        rng, g = self.rng, self.g
        duration = max(30, (self.end - self.start).days)
        work_start = self.start + timedelta(days=int(trade.phase[0] * duration) + rng.randint(-10, 20))
        work_end = self.start + timedelta(days=int(trade.phase[1] * duration) + rng.randint(-10, 20))
        work_end = max(work_end, work_start + timedelta(days=30))
        executed = max(self.start - timedelta(days=30), work_start - timedelta(days=rng.randint(7, 45)))
        created = g.cap(self.setup_done, g.at(rng, executed - timedelta(days=rng.randint(3, 30))))
        return {
            "trade": trade,
            "work_start": work_start,
            "work_end": work_end,
            "executed": executed,
            "created": created,
        }

    def make_subcontract(self, plan: dict[str, Any], *, dangling: str | None = None) -> dict[str, Any]:
        """Builds (and emits) one commitment with its SOV, change orders, pay apps and payments."""
        rng, g = self.rng, self.g
        trade: ref.Trade = plan["trade"]
        kind = "PO" if trade.role == "PO" else "SC"
        executed: date | None = plan["executed"]
        created: datetime = plan["created"]
        voided = False
        if executed > g.end_date - timedelta(days=5):
            status = rng.choice(SC_STATUSES[:3] if kind == "SC" else PO_STATUSES[:3])
            executed = None
        else:
            roll = rng.random()
            finished = plan["work_end"] + timedelta(days=60) < g.end_date
            if roll < 0.03:
                status, voided = ("Void", True) if kind == "SC" else ("Closed", True)
            elif roll < 0.05 and kind == "SC":
                status = "Terminated"
            elif finished:
                status = "Complete" if kind == "SC" else rng.choice(("Received", "Closed"))
            elif kind == "SC":
                status = "Approved"
            else:
                status = "Partially Received" if plan["work_start"] < g.end_date else "Approved"
        if executed is not None:
            updated = g.cap(created, g.at(rng, executed) + g.lag(rng, 48))
        else:
            updated = g.cap(created, created + g.lag(rng, 72))
        vendor_index = g.pick_vendor(rng, trade.key, created)
        vendor_id = g.vendors[vendor_index].row["vendor_id"]
        if kind == "SC":
            self.sc_seq += 1
            contract_no = f"SC-{self.job_no}-{self.sc_seq:03d}"
        else:
            self.po_seq += 1
            contract_no = f"PO-{self.job_no}-{self.po_seq:03d}"
        job_id = self.job_id
        if dangling == "vendor_id":
            vendor_id = g.dangling_id()
        else:
            g.use_vendor(vendor_index, updated)
            if dangling == "job_id":
                job_id = g.dangling_id()
        sub_id = g.new_id("subcontract")
        retainage = 0 if kind == "PO" else rng.choice((5, 10, 10))
        header: Row = {
            "subcontract_id": sub_id,
            "job_id": job_id,
            "vendor_id": vendor_id,
            "contract_no": contract_no,
            "kind": kind,
            "title": f"{trade.words[0]} {'Subcontract' if kind == 'SC' else 'Purchase Order'}",
            "description": None,
            "status": status,
            "executed_date": executed,
            "retainage_percent": Decimal(retainage).quantize(Decimal("0.01")),
            "voided": voided,
            "created_at": created,
            "updated_at": updated,
        }
        codes = [c for c in trade.cost_codes if c in self.code_set] or [self.codes[0].code]
        weight = sum(c.weight for c in self.codes if c.code in codes) / sum(c.weight for c in self.codes)
        target = max(2_000_000, int(self.job.size_cents * weight * rng.uniform(0.4, 0.8)))
        n_items = rng.randint(3, 10)
        parts = [rng.uniform(0.5, 1.5) for _ in range(n_items)]
        items: list[Row] = []
        phrases = list(trade.items) + (list(ref.SC_COMMON_ITEMS) if kind == "SC" else [])
        areas = ("Level 1", "Level 2", "Level 3", "Building A", "Building B", "Phase 1", "Phase 2", "Site")
        descriptions = rng.sample(phrases, min(n_items, len(phrases)))
        while len(descriptions) < n_items:
            candidate = f"{rng.choice(trade.items)} — {rng.choice(areas)}"
            if candidate not in descriptions:
                descriptions.append(candidate)
        for number, (part, phrase) in enumerate(zip(parts, descriptions, strict=True), start=1):
            cents = max(50_000, _round_to(int(target * part / sum(parts)), 1_000))
            item: Row = {
                "subcontract_item_id": g.new_id("subcontract_item"),
                "subcontract_id": sub_id,
                "item_no": number,
                "cost_code": rng.choice(codes),
                "cost_type_code": "SUB" if kind == "SC" else "M",
                "description": phrase,
                "quantity": None,
                "uom": "LS",
                "unit_cost": None,
                "created_at": created,
                "updated_at": updated,
            }
            if kind == "PO":
                unit_cents = rng.randint(150, 250_000)
                quantity = max(1, cents // unit_cents)
                item.update(
                    quantity=_qty(quantity * 100), uom=rng.choice(ref.PO_UNITS), unit_cost=_money(unit_cents)
                )
                cents = quantity * unit_cents
            item["amount"] = _money(cents)
            items.append(item)
        header["description"] = (
            ("Furnish and install " if kind == "SC" else "Supply and deliver ")
            + ", ".join(sorted({i["description"].split(" — ")[0].lower() for i in items}))
            + " per contract documents."
        )
        clean = dangling is None
        self.emit("subcontract", header, clean=clean)
        for item in items:
            self.emit("subcontract_item", item, clean=clean)
            if not clean:
                g.mark_blocked(
                    "subcontract_item",
                    f"{contract_no}#{item['item_no']}",
                    "subcontract_id",
                    item["subcontract_item_id"],
                )
        sub = {
            "row": header,
            "items": items,
            "plan": plan,
            "codes": codes,
            "cos": [],
            "apps": [],
            "retainage": retainage,
            "kind": kind,
        }
        if not clean:
            g.mark("subcontract", contract_no, DANGLING_REFERENCE, dangling, sub_id)
            return sub
        if executed is not None and not voided:
            self.change_orders(sub)
            self.pay_apps(sub)
        return sub

    def change_orders(self, sub: dict[str, Any]) -> None:
        rng, g = self.rng, self.g
        header = sub["row"]
        low = max(
            header["executed_date"] + timedelta(days=14), header["updated_at"].date() + timedelta(days=1)
        )
        high = min(sub["plan"]["work_end"] + timedelta(days=30), g.end_date)
        if high <= low:
            return
        count = rng.choice((0, 0, 0, 1, 1, 1, 2, 2, 3, 4))
        dates = sorted(low + timedelta(days=rng.randint(0, (high - low).days)) for _ in range(count))
        for number, co_date in enumerate(dates, start=1):
            sub["cos"].append(self.make_change_order(sub, number, co_date))

    def make_change_order(
        self, sub: dict[str, Any], number: int, co_date: date, *, dangling: bool = False
    ) -> dict[str, Any]:
        rng, g = self.rng, self.g
        header = sub["row"]
        roll = rng.random()
        status = (
            "approved"
            if roll < 0.65
            else "pending"
            if roll < 0.77
            else "draft"
            if roll < 0.85
            else "rejected"
            if roll < 0.93
            else "void"
        )
        title = rng.choice(
            (
                f"Added scope per ASI-{rng.randint(1, 60):03d}",
                f"Owner-requested change — RFI {rng.randint(1, 400)}",
                "Unforeseen site conditions",
                "Value engineering credit",
                f"Design revision per Bulletin {rng.randint(1, 20)}",
                "Schedule acceleration",
            )
        )
        co_id = g.new_id("change_order")
        co_no = f"{number:03d}"
        created = g.cap(header["updated_at"], g.at(rng, co_date))
        updated = g.cap(created, created + g.lag(rng, 120))
        subcontract_id = g.dangling_id() if dangling else header["subcontract_id"]
        row: Row = {
            "change_order_id": co_id,
            "subcontract_id": subcontract_id,
            "co_no": co_no,
            "title": title,
            "description": f"{title}. Pricing per subcontractor proposal dated {co_date:%m/%d/%Y}.",
            "status": status,
            "co_date": co_date,
            "created_at": created,
            "updated_at": updated,
        }
        contract_total = sum(int(i["amount"].scaleb(2)) for i in sub["items"])
        lines: list[Row] = []
        for line_no in range(1, rng.randint(1, 3) + 1):
            cents = max(10_000, _round_to(int(contract_total * rng.uniform(0.01, 0.06)), 1_000))
            if title == "Value engineering credit" or rng.random() < 0.15:
                cents = -cents
            if not dangling and rng.random() < 0.7:
                base = rng.choice(sub["items"])
                item_no, code, cost_type_code = base["item_no"], base["cost_code"], base["cost_type_code"]
                description = f"{base['description']} — revised"
            else:
                item_no, code = None, rng.choice(sub["codes"])
                cost_type_code = "SUB" if sub["kind"] == "SC" else "M"
                description = f"{title} — new line"
            lines.append(
                {
                    "change_order_item_id": g.new_id("change_order_item"),
                    "change_order_id": co_id,
                    "line_no": line_no,
                    "item_no": item_no,
                    "cost_code": code,
                    "cost_type_code": cost_type_code,
                    "description": description,
                    "amount": _money(cents),
                    "created_at": created,
                    "updated_at": updated,
                }
            )
        key = f"{header['contract_no']}/CO{co_no}" if not dangling else f"#{subcontract_id}/CO{co_no}"
        self.emit("change_order", row, clean=not dangling)
        for line in lines:
            self.emit("change_order_item", line, clean=not dangling)
            if dangling:
                g.mark_blocked(
                    "change_order_item",
                    f"{key}#{line['line_no']}",
                    "change_order_id",
                    line["change_order_item_id"],
                )
        if dangling:
            g.mark("change_order", key, DANGLING_REFERENCE, "subcontract_id", co_id)
        return {
            "row": row,
            "lines": lines,
            "key": key,
            "approved_cents": sum(int(li["amount"].scaleb(2)) for li in lines) if status == "approved" else 0,
        }

    def pay_apps(self, sub: dict[str, Any]) -> None:
        rng, g = self.rng, self.g
        header = sub["row"]
        plan = sub["plan"]
        work_start: date = max(plan["work_start"], header["executed_date"])
        work_end: date = max(plan["work_end"], work_start + timedelta(days=30))
        final_fraction = 1.0
        if header["status"] == "Terminated":
            final_fraction = rng.uniform(0.3, 0.7)
            work_end = work_start + timedelta(days=int((work_end - work_start).days * final_fraction))
        sov = sum(int(i["amount"].scaleb(2)) for i in sub["items"])
        span = max(1, (work_end - work_start).days)
        period_end = _month_end(work_start)
        billed = 0
        app_no = 0
        held = 0
        last_billing = work_start
        while True:
            billing_date = period_end + timedelta(days=rng.randint(0, 6))
            if billing_date > g.end_date:
                break
            revised = sov + sum(
                co["approved_cents"] for co in sub["cos"] if co["row"]["co_date"] <= period_end
            )
            fraction = _smoothstep((period_end - work_start).days / span)
            if header["status"] == "Terminated":
                fraction = min(fraction, final_fraction)
            cumulative = int(revised * fraction)
            this_period = cumulative - billed
            if this_period > 0:
                app_no += 1
                billed = cumulative
                retained = this_period * sub["retainage"] // 100
                if billing_date > g.end_date - timedelta(days=40):
                    status = rng.choice(
                        ("draft", "under_review", "under_review", "revise_and_resubmit", "approved")
                    )
                else:
                    status = "approved" if rng.random() < 0.9 else "approved_as_noted"
                app = self.make_pay_app(
                    sub,
                    app_no,
                    max(period_end.replace(day=1), work_start),
                    period_end,
                    billing_date,
                    this_period,
                    retained,
                    status,
                )
                sub["apps"].append(app)
                last_billing = billing_date
                if status.startswith("approved"):
                    held += retained
                    self.pay_subcontractor(sub, app["row"], billing_date, this_period - retained)
            if period_end >= work_end and fraction >= final_fraction:
                break
            period_end = _month_end(period_end + timedelta(days=1))
        if header["status"] in ("Complete", "Received", "Closed") and held:
            release = max(work_end, last_billing) + timedelta(days=rng.randint(30, 75))
            if release <= g.end_date:
                self.issue_payment(sub, None, header["updated_at"], release, held)

    def make_pay_app(
        self,
        sub: dict[str, Any],
        app_no: int,
        period_start: date,
        period_end: date,
        billing_date: date,
        cents: int,
        retained: int,
        status: str,
        *,
        subcontract_id: int | None = None,
        clean: bool = True,
    ) -> dict[str, Any]:
        rng, g = self.rng, self.g
        header = sub["row"]
        created = g.cap(header["updated_at"], g.at(rng, billing_date))
        updated = g.cap(created, created + g.lag(rng, 7 * 24))
        row: Row = {
            "pay_app_id": g.new_id("pay_app"),
            "subcontract_id": subcontract_id or header["subcontract_id"],
            "app_no": app_no,
            "period_start": period_start,
            "period_end": period_end,
            "billing_date": billing_date,
            "amount_this_period": _money(cents),
            "retainage_this_period": _money(retained),
            "status": status,
            "created_at": created,
            "updated_at": updated,
        }
        self.emit("pay_app", row, clean=clean)
        return {"row": row}

    def pay_subcontractor(self, sub: dict[str, Any], app: Row, billing_date: date, cents: int) -> None:
        rng, g = self.rng, self.g
        pay_date = billing_date + timedelta(days=rng.randint(20, 45))
        if pay_date > g.end_date:
            return
        if rng.random() < 0.02:
            voided = self.issue_payment(sub, app, app["updated_at"], pay_date, cents, voided=True)
            pay_date += timedelta(days=rng.randint(3, 14))
            if pay_date > g.end_date:
                return
            self.issue_payment(sub, app, voided["updated_at"], pay_date, cents)
            return
        self.issue_payment(sub, app, app["updated_at"], pay_date, cents)

    def issue_payment(
        self,
        sub: dict[str, Any],
        app: Row | None,
        floor: datetime,
        pay_date: date,
        cents: int,
        *,
        voided: bool = False,
        clean: bool = True,
        pay_app_id: int | None = None,
    ) -> Row:
        rng, g = self.rng, self.g
        roll = rng.random()
        method = "check" if roll < 0.55 else "electronic" if roll < 0.98 else "credit_card"
        seq = g.next_document()
        check_no = {"check": f"{100000 + seq}", "electronic": f"EFT{seq:07d}", "credit_card": f"CC{seq:07d}"}[
            method
        ]
        created = g.cap(max(floor, sub["row"]["updated_at"]), g.at(rng, pay_date))
        updated = g.cap(created, created + (timedelta(days=rng.randint(2, 20)) if voided else g.lag(rng, 6)))
        row: Row = {
            "payment_id": g.new_id("payment"),
            "direction": "issued",
            "subcontract_id": sub["row"]["subcontract_id"],
            "owner_contract_id": None,
            "pay_app_id": pay_app_id if pay_app_id is not None else (app["pay_app_id"] if app else None),
            "check_no": check_no,
            "payment_method": method,
            "payment_date": pay_date,
            "amount": _money(cents),
            "voided": voided,
            "created_at": created,
            "updated_at": updated,
        }
        self.emit("payment", row, clean=clean)
        return row

    # ---- direct costs ---------------------------------------------------------------------------

    def ap_invoices(self) -> None:
        rng = self.rng
        window_end = min(self.end + timedelta(days=30), self.g.end_date)
        months = max(1, (window_end - self.start).days / 30)
        count = max(4, round(months * rng.uniform(1.8, 3.2)))
        dates = sorted(
            self.start + timedelta(days=rng.randint(0, (window_end - self.start).days)) for _ in range(count)
        )
        for invoice_date in dates:
            self.invoices.append(self.make_invoice(invoice_date))

    def make_invoice(self, invoice_date: date, *, dangling: str | None = None) -> dict[str, Any]:
        rng, g = self.rng, self.g
        roll = rng.random()
        dc_type = (
            "invoice"
            if roll < 0.55
            else "expense"
            if roll < 0.67
            else "payroll"
            if roll < 0.92
            else "subcontractor_invoice"
        )
        if dangling == "vendor_id" and dc_type == "payroll":
            dc_type = "invoice"
        received = min(invoice_date + timedelta(days=rng.randint(0, 12)), g.end_date)
        created = g.cap(self.setup_done, g.at(rng, received))
        age = (g.end_date - received).days
        if age < 30:
            status = rng.choice(("entered", "in_review", "in_review", "rejected", "approved"))
        else:
            roll = rng.random()
            status = (
                "paid"
                if roll < 0.82
                else "approved"
                if roll < 0.94
                else "rejected"
                if roll < 0.97
                else "in_review"
            )
        updated = g.cap(created, created + g.lag(rng, 96 if status != "paid" else 24 * 25))
        seq = g.next_document()
        trade: ref.Trade | None = None
        vendor_index: int | None = None
        if dc_type == "payroll":
            week_end = invoice_date + timedelta(days=(4 - invoice_date.weekday()) % 7)
            invoice_no = f"PR{week_end:%Y%m%d}-{seq:06d}"
            description = f"Payroll week ending {week_end:%m/%d/%Y}"
        else:
            if dc_type == "invoice":
                trade = rng.choice([t for t in ref.TRADES if t.role in ("PO", "AP")])
            elif dc_type == "expense":
                trade = ref.TRADE_BY_KEY[rng.choice(("site_services", "building_supply"))]
            else:
                trade = rng.choice([t for t in ref.TRADES if t.role == "SC"])
            vendor_index = g.pick_vendor(rng, trade.key, created)
            style = (vendor_index or 0) % 4
            invoice_no = (f"INV-{seq:07d}", f"A{seq:07d}", f"{invoice_date:%y%m}/{seq:06d}", f"{seq:09d}")[
                style
            ]
            if dc_type == "expense":
                invoice_no = f"EXP-{seq:07d}"
            description = {
                "invoice": f"{rng.choice(trade.items)} — delivered to site",
                "expense": rng.choice(
                    ("Field office supplies", "Fuel", "Per diem", "Small tools", "Safety supplies")
                ),
                "subcontractor_invoice": f"{trade.words[0]} T&M work",
            }[dc_type]
        vendor_id = g.vendors[vendor_index].row["vendor_id"] if vendor_index is not None else None
        job_id = self.job_id
        if dangling == "vendor_id":
            vendor_id = g.dangling_id()
        elif vendor_index is not None:
            g.use_vendor(vendor_index, updated)
        if dangling == "job_id":
            job_id = g.dangling_id()
        invoice_id = g.new_id("ap_invoice")
        header: Row = {
            "ap_invoice_id": invoice_id,
            "job_id": job_id,
            "vendor_id": vendor_id,
            "invoice_no": invoice_no,
            "invoice_date": invoice_date,
            "received_date": received,
            "direct_cost_type": dc_type,
            "status": status,
            "description": description,
            "voided": rng.random() < 0.02,
            "created_at": created,
            "updated_at": updated,
        }
        lines = self.invoice_lines(header, dc_type, trade)
        if dc_type == "expense":
            for line in lines:
                line["description"] = description
        key = f"{self.job_no if job_id == self.job_id else f'#{job_id}'}/{invoice_no}"
        clean = dangling is None
        self.emit("ap_invoice", header, clean=clean)
        for line in lines:
            self.emit("ap_invoice_line", line, clean=clean)
            if not clean:
                g.mark_blocked(
                    "ap_invoice_line", f"{key}#{line['line_no']}", "ap_invoice_id", line["ap_invoice_line_id"]
                )
        if not clean:
            g.mark("ap_invoice", key, DANGLING_REFERENCE, dangling, invoice_id)  # type: ignore[arg-type]
        return {"row": header, "lines": lines, "key": key}

    def invoice_lines(self, header: Row, dc_type: str, trade: ref.Trade | None) -> list[Row]:
        rng, g = self.rng, self.g
        credit = dc_type == "invoice" and rng.random() < 0.03
        labor_codes = [c.code for c in self.codes if "L" in c.cost_types] or ["01-310"]
        count = {
            "invoice": rng.randint(1, 5),
            "expense": rng.randint(1, 2),
            "payroll": rng.randint(1, 3),
            "subcontractor_invoice": rng.randint(1, 2),
        }[dc_type]
        lines: list[Row] = []
        for line_no in range(1, count + 1):
            if dc_type == "payroll":
                code, cost_type_code = rng.choice(labor_codes), "L"
                quantity = rng.randint(16, 800) * 50
                unit = rng.randint(2800, 6800)
                description = (
                    f"Field labor — {rng.choice(('carpenters', 'laborers', 'operators', 'supervision'))}"
                )
            else:
                assert trade is not None
                trade_codes = [c for c in trade.cost_codes if c in self.code_set]
                code = rng.choice(trade_codes or [c.code for c in self.codes])
                cost_type_code = {"equipment": "E", "professional": "S", "site_services": "O"}.get(
                    trade.key, "SUB" if dc_type == "subcontractor_invoice" else "M"
                )
                if dc_type == "expense":
                    cost_type_code = rng.choice(("O", "M"))
                if cost_type_code == "M":
                    quantity = rng.randint(1, 500) * 100
                    unit = rng.randint(500, 250_000)
                else:
                    quantity, unit = 100, rng.randint(15_000, 2_500_000)
                description = rng.choice(trade.items)
            if credit:
                quantity, description = -quantity, f"Credit: returned {description.lower()}"
            lines.append(
                {
                    "ap_invoice_line_id": g.new_id("ap_invoice_line"),
                    "ap_invoice_id": header["ap_invoice_id"],
                    "line_no": line_no,
                    "cost_code": code,
                    "cost_type_code": cost_type_code,
                    "description": description,
                    "quantity": _qty(quantity),
                    "unit_cost": _money(unit),
                    "amount": _money(_times_cents(quantity, unit)),
                    "created_at": header["created_at"],
                    "updated_at": header["updated_at"],
                }
            )
        return lines

    # ---- dirt -----------------------------------------------------------------------------------

    def unused_code(self) -> str:
        """A plausible cost code this job does not carry: the classic 'coded to the wrong job' error."""
        spare = [c.code for c in ref.COST_CODES if c.code not in self.taken_codes]
        code = self.rng.choice(spare) if spare else f"99-{self.rng.randint(100, 999)}"
        self.taken_codes.add(code)
        return code

    def plant_dirt(self) -> None:
        g = self.g
        for table in DIRTY_PLAN:
            if table in ("customer", "vendor", "job"):
                continue
            wanted = g.dirty_quota(table, self.clean_counts[table])
            planted = 0
            for _ in range(wanted):
                kind, column = g.next_kind(table)
                if self.plant(table, kind, column):
                    planted += 1
                else:
                    g.turn[table] -= 1
                    break
            g.spend_quota(table, planted)

    def later(self, floor: datetime) -> tuple[datetime, datetime]:
        created = self.g.uniform_time(self.rng, floor, self.g.END)
        return created, self.g.cap(created, created + self.g.lag(self.rng, 48))

    def plant(self, table: str, kind: str, column: str) -> bool:
        """Plants one dirty row; False when this job has nothing to hang it on."""
        rng, g = self.rng, self.g
        live_subs = [s for s in self.subs if s["row"]["executed_date"] and not s["row"]["voided"]]
        if table == "job_cost_code":
            code = self.unused_code()
            description = ref.COST_CODES[rng.randrange(len(ref.COST_CODES))].description
            job_id, key = self.job_id, f"{self.job_no}/{code}"
            if kind == MISSING_NAME:
                description = rng.choice((None, "", "  "))
            elif kind == OVERLONG_NAME:
                description = g.overlong(rng, description)
            elif kind == CONTROL_CHARS:
                description = g.with_control(rng, description)
            elif kind == DANGLING_REFERENCE:
                job_id = g.dangling_id()
                key = f"#{job_id}/{code}"
            copies = 2 if kind == DUPLICATE_KEY else 1
            for copy in range(copies):
                created, updated = self.later(self.row["updated_at"])
                row_id = g.new_id("job_cost_code")
                text = description if copy == 0 else f"{description} (dup)"
                self.emit(
                    "job_cost_code",
                    {
                        "job_cost_code_id": row_id,
                        "job_id": job_id,
                        "cost_code": code,
                        "description": text,
                        "created_at": created,
                        "updated_at": updated,
                    },
                    clean=False,
                )
                g.mark(table, key, kind, column, row_id)
            return True
        if table == "budget_line":
            cents = _round_to(rng.randint(500_000, 20_000_000), 10_000)
            copies = 2 if kind == DUPLICATE_KEY else 1
            if kind == DANGLING_REFERENCE and column == "cost_code":
                code, cost_type_code = self.unused_code(), rng.choice([c for c, _, _ in ref.COST_TYPES])
            else:
                types = (
                    DANGLING_COST_TYPES if kind == DANGLING_REFERENCE else [c for c, _, _ in ref.COST_TYPES]
                )
                free = [
                    (c.code, t) for c in self.codes for t in types if (c.code, t) not in self.budget_taken
                ]
                if not free:
                    return False
                code, cost_type_code = rng.choice(free)
            if kind == NEGATIVE_AMOUNT:
                cents = -cents
            self.budget_taken.add((code, cost_type_code))
            for _ in range(copies):
                created, updated = self.later(self.setup_done)
                row_id = g.new_id("budget_line")
                self.emit(
                    "budget_line",
                    {
                        "budget_line_id": row_id,
                        "job_id": self.job_id,
                        "cost_code": code,
                        "cost_type_code": cost_type_code,
                        "original_amount": _money(cents),
                        "created_at": created,
                        "updated_at": updated,
                    },
                    clean=False,
                )
                g.mark(table, f"{self.job_no}/{code}/{cost_type_code}", kind, column, row_id)
            return True
        if table == "ap_invoice":
            window_end = min(self.end + timedelta(days=30), g.end_date)
            invoice_date = self.start + timedelta(days=rng.randint(0, max(0, (window_end - self.start).days)))
            self.make_invoice(invoice_date, dangling=column)
            return True
        if table == "ap_invoice_line":
            candidates = [i for i in self.invoices if not i["row"]["voided"]]
            if not candidates:
                return False
            invoice = rng.choice(candidates)
            header = invoice["row"]
            base = invoice["lines"][0]
            line = dict(
                base, ap_invoice_line_id=g.new_id("ap_invoice_line"), line_no=len(invoice["lines"]) + 1
            )
            if column == "cost_code":
                line["cost_code"] = self.unused_code()
            else:
                line["cost_type_code"] = rng.choice(DANGLING_COST_TYPES)
            line["created_at"], line["updated_at"] = header["created_at"], header["updated_at"]
            invoice["lines"].append(line)
            self.emit("ap_invoice_line", line, clean=False)
            g.mark(table, f"{invoice['key']}#{line['line_no']}", kind, column, line["ap_invoice_line_id"])
            return True
        if table == "subcontract":
            trade = rng.choice([t for t in ref.TRADES if t.role == "SC"])
            plan = self.plan_subcontract(trade)
            plan["executed"] = min(plan["executed"], g.end_date - timedelta(days=10))
            self.make_subcontract(plan, dangling=column)
            return True
        if table == "subcontract_item":
            if not live_subs:
                return False
            sub = rng.choice(live_subs)
            base = sub["items"][0]
            item = dict(base, subcontract_item_id=g.new_id("subcontract_item"), item_no=len(sub["items"]) + 1)
            if kind == NEGATIVE_AMOUNT:
                item["amount"] = -abs(base["amount"])
                item["quantity"] = -base["quantity"] if base["quantity"] is not None else None
                item["description"] = f"{base['description']} — adjustment"
            else:
                item["cost_code"] = self.unused_code()
            item["created_at"], item["updated_at"] = self.later(sub["row"]["updated_at"])
            sub["items"].append(item)
            self.emit("subcontract_item", item, clean=False)
            g.mark(
                table,
                f"{sub['row']['contract_no']}#{item['item_no']}",
                kind,
                column,
                item["subcontract_item_id"],
            )
            return True
        if table == "change_order":
            if not live_subs:
                return False
            sub = rng.choice(live_subs)
            co_date = sub["row"]["updated_at"].date() + timedelta(days=rng.randint(1, 60))
            self.make_change_order(sub, 900 + rng.randint(1, 99), min(co_date, g.end_date), dangling=True)
            return True
        if table == "change_order_item":
            candidates = [(s, co) for s in live_subs for co in s["cos"]]
            if not candidates:
                return False
            sub, co = rng.choice(candidates)
            base = co["lines"][0]
            line = dict(
                base, change_order_item_id=g.new_id("change_order_item"), line_no=len(co["lines"]) + 1
            )
            line["item_no"] = max(i["item_no"] for i in sub["items"]) + rng.randint(50, 90)
            line["description"] = f"{co['row']['title']} — added line"
            co["lines"].append(line)
            self.emit("change_order_item", line, clean=False)
            g.mark(table, f"{co['key']}#{line['line_no']}", kind, column, line["change_order_item_id"])
            return True
        if table == "owner_contract":
            self.owner_contract(dangling_customer=True)
            return True
        if table == "owner_contract_item":
            if self.owner is None:
                return False
            header, items = self.owner["row"], self.owner["items"]
            base = items[0]
            item = dict(base, owner_contract_item_id=g.new_id("owner_contract_item"), item_no=len(items) + 1)
            if kind == NEGATIVE_AMOUNT:
                item["amount"] = -abs(base["amount"])
                item["description"] = "Allowance reconciliation"
            else:
                item["cost_code"] = self.unused_code()
                item["description"] = "Owner allowance"
            item["created_at"], item["updated_at"] = self.later(header["updated_at"])
            items.append(item)
            self.emit("owner_contract_item", item, clean=False)
            g.mark(
                table,
                f"{header['contract_no']}#{item['item_no']}",
                kind,
                column,
                item["owner_contract_item_id"],
            )
            return True
        if table == "pay_app":
            billed = [s for s in live_subs if s["apps"]]
            if not billed:
                return False
            sub = rng.choice(billed)
            last = sub["apps"][-1]["row"]
            period_start = last["period_end"] + timedelta(days=1)
            period_end = _month_end(period_start)
            billing = min(period_end + timedelta(days=rng.randint(0, 6)), g.end_date)
            cents = _round_to(rng.randint(100_000, 5_000_000), 100)
            if kind == NEGATIVE_AMOUNT:
                app = self.make_pay_app(
                    sub,
                    last["app_no"] + 1,
                    period_start,
                    period_end,
                    billing,
                    -cents,
                    -(cents * sub["retainage"] // 100),
                    "under_review",
                    clean=False,
                )
                key = f"{sub['row']['contract_no']}/PA{last['app_no'] + 1}"
            else:
                dangling_id = g.dangling_id()
                app = self.make_pay_app(
                    sub,
                    1,
                    period_start,
                    period_end,
                    billing,
                    cents,
                    cents * sub["retainage"] // 100,
                    "under_review",
                    subcontract_id=dangling_id,
                    clean=False,
                )
                key = f"#{dangling_id}/PA1"
            if kind == NEGATIVE_AMOUNT:
                sub["apps"].append(app)
            g.mark(table, key, kind, column, app["row"]["pay_app_id"])
            return True
        if table == "payment":
            billed = [s for s in live_subs if s["apps"]]
            if not billed:
                return False
            sub = rng.choice(billed)
            floor = sub["apps"][-1]["row"]["updated_at"]
            pay_date = g.uniform_time(rng, floor, g.END).date()
            cents = _round_to(rng.randint(100_000, 5_000_000), 100)
            if kind == NEGATIVE_AMOUNT:
                row = self.issue_payment(sub, None, floor, pay_date, -cents, clean=False)
            else:
                row = self.issue_payment(
                    sub, None, floor, pay_date, cents, clean=False, pay_app_id=g.dangling_id()
                )
            g.mark(table, row["check_no"], kind, column, row["payment_id"])
            return True
        raise AssertionError(table)


def _validate(scale: float, dirty_share: float, history_start: date, history_end: date) -> None:
    if not 0 < scale <= 10_000:
        raise ValueError(f"scale must be in (0, 10000], got {scale}")
    if not 0 <= dirty_share <= 0.5:
        raise ValueError(
            f"dirty_share must be in [0, 0.5] so clean rows stay the majority, got {dirty_share}"
        )
    if (history_end - history_start).days < 180:
        raise ValueError("the history range must span at least 180 days")


def generate(
    engine: sa.Engine,
    *,
    scale: float = 1.0,
    dirty_share: float = 0.05,
    seed: int = 42,
    history_start: date = date(2024, 1, 1),
    history_end: date = date(2026, 10, 31),
) -> GenerationReport:
    """Fills an empty demo ERP (creating missing tables) and returns what was written.

    Scale 1 is a mid-size general contractor: ~120 vendors and 12 jobs; detail grows linearly with scale.
    ``dirty_share`` is the share of each table's rows that are dirty, planted as extra rows.
    """
    _validate(scale, dirty_share, history_start, history_end)
    started = time.perf_counter()
    create_schema(engine)
    with engine.begin() as conn:
        occupied = [
            t
            for t in ERP_TABLES
            if conn.execute(sa.select(sa.literal(1)).select_from(metadata.tables[t]).limit(1)).first()
            is not None
        ]
        if occupied:
            raise RuntimeError(f"the demo ERP is not empty ({', '.join(occupied)}); seed with reset=True")
        gen = _Generator(
            conn, scale=scale, dirty_share=dirty_share, seed=seed, start=history_start, end=history_end
        )
        gen.run()
        report = GenerationReport(
            seed=seed,
            scale=scale,
            dirty_share=dirty_share,
            history_start=history_start,
            history_end=history_end,
            row_counts=dict(gen.counts),
            dirty=gen.dirty,
            blocked=gen.blocked,
            unicode_rows=gen.unicode_rows,
        )
        _write_manifest(conn, report)
        if conn.dialect.name == "postgresql":
            _advance_sequences(conn)
    report.elapsed_seconds = time.perf_counter() - started
    return report


def _write_manifest(conn: sa.Connection, report: GenerationReport) -> None:
    meta = {
        "generator_version": GENERATOR_VERSION,
        "seed": str(report.seed),
        "scale": repr(report.scale),
        "dirty_share": repr(report.dirty_share),
        "history_start": report.history_start.isoformat(),
        "history_end": report.history_end.isoformat(),
        "unicode_rows": ";".join(f"{t}:{k}" for t, k in report.unicode_rows),
    }
    conn.execute(demo_meta.insert(), [{"meta_key": k, "meta_value": v} for k, v in meta.items()])
    rows = [
        {
            "seq": n,
            "table_name": r.table,
            "row_id": r.row_id,
            "row_key": r.key,
            "kind": r.kind,
            "column_name": r.column,
        }
        for n, r in enumerate(report.dirty + report.blocked, start=1)
    ]
    for offset in range(0, len(rows), CHUNK_ROWS):
        conn.execute(demo_dirty_row.insert(), rows[offset : offset + CHUNK_ROWS])


def _advance_sequences(conn: sa.Connection) -> None:
    """Explicit ids do not move PostgreSQL's serial sequences; later plain INSERTs must not collide."""
    for table in ERP_TABLES:
        column = PRIMARY_KEYS[table]
        if isinstance(metadata.tables[table].c[column].type, sa.Integer):
            conn.execute(
                sa.text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), "
                    f"COALESCE((SELECT MAX({column}) FROM {table}), 0) + 1, false)"
                )
            )


def load_report(engine: sa.Engine) -> GenerationReport:
    """Rebuilds the report of a seeded database from its harness tables and current row counts."""
    with engine.connect() as conn:
        meta = dict(conn.execute(sa.select(demo_meta.c.meta_key, demo_meta.c.meta_value)).all())
        counts = {
            t: conn.execute(sa.select(sa.func.count()).select_from(metadata.tables[t])).scalar_one()
            for t in ERP_TABLES
        }
        manifest = conn.execute(sa.select(demo_dirty_row).order_by(demo_dirty_row.c.seq)).all()
    rows = [DirtyRow(r.table_name, r.row_key, r.kind, r.column_name, r.row_id) for r in manifest]
    unicode_rows = [tuple(item.split(":", 1)) for item in meta.get("unicode_rows", "").split(";") if item]
    return GenerationReport(
        seed=int(meta["seed"]),
        scale=float(meta["scale"]),
        dirty_share=float(meta["dirty_share"]),
        history_start=date.fromisoformat(meta["history_start"]),
        history_end=date.fromisoformat(meta["history_end"]),
        row_counts=counts,
        dirty=[r for r in rows if r.kind != DIRTY_PARENT],
        blocked=[r for r in rows if r.kind == DIRTY_PARENT],
        unicode_rows=unicode_rows,  # type: ignore[misc]
    )
