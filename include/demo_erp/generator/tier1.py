"""Tier 1: owners (customers), vendors and jobs, planned whole before any detail is generated.

Parties are planned first so every later row can reference one that already existed; their final
``updated_at`` is settled only after the details have said when each party is first used.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from demo_erp.generator import draws
from demo_erp.generator.base import Party, PlannedJob, Pool, RunState
from demo_erp.generator.party_defects import plant_party_dirt
from demo_erp.generator.values import MAILBOXES, Row, add_months, ascii_slug, money, round_to
from demo_erp.reference.names import (
    BUILDING_TYPES,
    CUSTOMER_PATTERNS,
    DELIVERY_METHODS,
    JOB_PLACES,
    NAME_PREFIXES,
    UNICODE_JOBS,
    UNICODE_VENDORS,
)
from demo_erp.reference.trades import TRADE_BY_KEY, TRADES
from demo_erp.schema import PRIMARY_KEYS

# ---- customers ------------------------------------------------------------------------------------


def plan_customers(g: RunState) -> None:
    rng = random.Random(f"demo-erp:{g.seed}:customers")
    n_clean = max(1, round(8 * g.scale))
    used: set[str] = set()
    parties: list[Party] = []

    def make(clean: bool, legacy: bool) -> Party:
        address = draws.place(rng, (0.92, 0.05, 0.03))
        pattern = rng.choice(CUSTOMER_PATTERNS)
        name = draws.unique(
            used, lambda: pattern.format(city=address["city"], prefix=rng.choice(NAME_PREFIXES))
        )
        if legacy:
            created = g.START - timedelta(days=rng.randint(30, 3650), seconds=rng.randint(0, 86399))
        else:
            created = g.uniform_time(rng, g.START, g.END - timedelta(days=120))
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
            "email": f"accountspayable@{ascii_slug(name, 3)[:24] or 'owner'}.example",
            "status": "A",
            "created_at": created,
        }
        return Party(
            row=row,
            clean=clean,
            desired_updated=g.uniform_time(rng, max(created, g.START), g.END),
        )

    for i in range(n_clean):
        parties.append(make(True, i == 0 or rng.random() < 0.75))
    plant_party_dirt(g, rng, parties, "customer", round(n_clean * g.share), make)
    number_parties(g, rng, parties, "customer", "customer_no", lambda n: f"C{n:05d}", 1000)
    g.customers = parties
    g.customer_pool = Pool([(p.row["created_at"], i) for i, p in enumerate(parties) if p.clean])


# ---- vendors --------------------------------------------------------------------------------------


def plan_vendors(g: RunState) -> None:
    rng = random.Random(f"demo-erp:{g.seed}:vendors")
    n_clean = max(8, round(120 * g.scale))
    make = _vendor_maker(g, rng, set())
    parties: list[Party] = []
    n_odd = min(len(UNICODE_VENDORS), max(4, n_clean // 10), n_clean)
    for odd in UNICODE_VENDORS[:n_odd]:
        parties.append(make(True, True, odd=odd))
    covered = {p.trade for p in parties}
    order = list(TRADES)
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
    plant_party_dirt(g, rng, parties, "vendor", round(n_clean * g.share), make)
    number_parties(g, rng, parties, "vendor", "vendor_no", lambda n: str(n), 10000)
    g.vendors = parties
    _index_vendors(g, parties)


def _vendor_maker(g: RunState, rng: random.Random, used: set[str]) -> Callable[..., Party]:
    """One factory for clean, coverage, odd-unicode and dirty vendors, so all draw alike."""

    def make(clean: bool, legacy: bool, trade_key: str | None = None, odd: tuple | None = None) -> Party:
        if odd is not None:
            name, country, _state, city, trade_key = odd
            address = draws.address(rng, country, city)
            used.add(name)
        else:
            address = draws.place(rng, (0.90, 0.06, 0.04))
        if trade_key is None:
            trade_key = rng.choices(TRADES, weights=[3 if t.role == "SC" else 2 for t in TRADES])[0].key
        trade = TRADE_BY_KEY[trade_key]
        if odd is None:
            name = draws.unique(used, lambda: draws.vendor_name(rng, trade, address["country_code"]))
        if legacy:
            created = g.START - timedelta(days=rng.randint(1, 4000), seconds=rng.randint(0, 86399))
        else:
            created = g.uniform_time(rng, g.START, g.END - timedelta(days=20))
        slug = ascii_slug(name)
        dba = _dba_name(rng, name)
        country = address["country_code"]
        tax_id = _tax_id(rng, country)
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
            "email": f"{rng.choice(MAILBOXES)}@{slug or 'vendor'}.example" if rng.random() < 0.85 else None,
            "tax_id": tax_id,
            "status": "A",
            "created_at": created,
        }
        return Party(
            row=row,
            clean=clean,
            trade=trade_key,
            desired_updated=g.uniform_time(rng, max(created, g.START), g.END),
        )

    return make


def _dba_name(rng: random.Random, name: str) -> str | None:
    """Mostly none; sometimes initials, sometimes an empty string (ERPs store both)."""
    dba: str | None = None
    roll = rng.random()
    if roll < 0.12:
        dba = "".join(w[0] for w in name.split() if w[:1].isalpha()).upper()[:8] or None
    elif roll < 0.17:
        dba = ""
    return dba


def _tax_id(rng: random.Random, country: str) -> str:
    """EIN, Canadian business number or Mexican RFC, in each one's own format."""
    if country == "US":
        return f"{rng.randint(10, 99)}-{rng.randint(1000000, 9999999)}"
    if country == "CA":
        return f"{rng.randint(100000000, 999999999)}RT0001"
    letters = "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(3))
    return (
        f"{letters}{rng.randint(0, 99):02d}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
        f"{rng.choice('ABCDEFGH')}{rng.randint(10, 99)}"
    )


def _index_vendors(g: RunState, parties: list[Party]) -> None:
    """Pools of referencable vendors by trade and by role, and the odd-unicode ones for the report."""
    by_trade: dict[str, list[tuple[datetime, int]]] = {}
    by_role: dict[str, list[tuple[datetime, int]]] = {}
    odd_names = {u[0] for u in UNICODE_VENDORS}
    for index, party in enumerate(parties):
        if party.clean and party.row["status"] == "A":
            entry = (party.row["created_at"], index)
            by_trade.setdefault(party.trade, []).append(entry)
            by_role.setdefault(TRADE_BY_KEY[party.trade].role, []).append(entry)
        if party.clean and party.row["name"] in odd_names:
            g.unicode_rows.append(("vendor", party.row["vendor_no"]))
    g.vendor_pools = {key: Pool(entries) for key, entries in by_trade.items()}
    g.role_pools = {key: Pool(entries) for key, entries in sorted(by_role.items())}


def number_parties(
    g: RunState, rng: random.Random, parties: list, table: str, number_column: str, fmt: Any, first: int
) -> None:
    """Orders by creation (ids grow with time, as in a real ERP) and assigns ids and numbers."""
    parties.sort(key=lambda p: p.row["created_at"])
    id_column = PRIMARY_KEYS[table]
    number = first
    pair_numbers: dict[int, str] = {}
    for party in parties:
        party.row[id_column] = g.new_id(table)
        if party.pair is not None and party.pair in pair_numbers:
            party.row[number_column] = pair_numbers[party.pair]
            continue
        number += rng.randint(1, 7)
        party.row[number_column] = fmt(number)
        if party.pair is not None:
            pair_numbers[party.pair] = party.row[number_column]


def party_updated(g: RunState, party: Party) -> datetime:
    """Final updated_at: the desired time, pulled back to before the first row that uses the party."""
    floor = max(party.row["created_at"], g.START)
    desired = party.desired_updated or floor
    if party.earliest_use is not None:
        desired = min(desired, party.earliest_use)
    return max(floor, desired)


def emit_parties(g: RunState, table: str, parties: list[Party], key_column: str) -> None:
    for party in parties:
        party.row["updated_at"] = party_updated(g, party)
        g.emit(table, party.row)
        if party.dirty is not None:
            kind, column = party.dirty
            g.mark(table, party.row[key_column], kind, column, party.row[PRIMARY_KEYS[table]])


# ---- jobs -----------------------------------------------------------------------------------------


def plan_jobs(g: RunState) -> None:
    rng = random.Random(f"demo-erp:{g.seed}:jobs")
    n_clean = max(1, round(12 * g.scale))
    make = _job_maker(g, rng)
    jobs: list[PlannedJob] = []
    n_odd = min(len(UNICODE_JOBS), max(1, n_clean // 3))
    odd_positions = set(rng.sample(range(n_clean), n_odd))
    odd_iter = iter(UNICODE_JOBS)
    for i in range(n_clean):
        jobs.append(make(True, next(odd_iter) if i in odd_positions else None))

    def make_dirty(clean: bool, _legacy: bool = False) -> Party:
        job_ = make(clean)
        job_.row["contract_amount"] = money(round_to(job_.size_cents, 100_000))
        job_.row["updated_at"] = g.uniform_time(rng, job_.row["updated_at"], g.END)
        return job_  # type: ignore[return-value]

    plant_party_dirt(g, rng, jobs, "job", round(n_clean * g.share), make_dirty)
    _number_jobs(g, jobs)
    g.jobs = jobs


def _job_maker(g: RunState, rng: random.Random) -> Callable[..., PlannedJob]:
    """One factory for clean, odd-unicode and dirty jobs; the owner is a customer that already existed."""
    first_start = g.start_date + timedelta(days=45)
    last_start = g.end_date - timedelta(days=75)
    span = (last_start - first_start).days
    used: set[str] = set()

    def make(clean: bool, odd: tuple | None = None) -> PlannedJob:
        start = first_start + timedelta(days=rng.randint(0, span))
        months = rng.randint(8, 30)
        if odd is not None:
            name, country, _state, city = odd
            address = draws.address(rng, country, city)
            used.add(name)
            btype, sf = rng.choice(BUILDING_TYPES)
        else:
            address = draws.place(rng, (0.93, 0.05, 0.02))
            btype, sf = rng.choice(BUILDING_TYPES)
            name = draws.unique(used, lambda: f"{rng.choice(JOB_PLACES)} {btype}")
        sf = int(sf * rng.uniform(0.6, 1.5))
        created = g.at(rng, start - timedelta(days=rng.randint(5, 40)))
        customer_index = g.customer_pool.pick(rng, created)
        if customer_index is None:
            customer_index = g.customer_pool.indexes[0]
        customer = g.customers[customer_index]
        end = add_months(start, months)
        stories = max(1, sf // rng.randint(15000, 40000))
        description = (
            f"New {stories}-story, {sf:,} SF {btype.lower()} for {customer.row['name']}. "
            f"Delivery: {rng.choice(DELIVERY_METHODS)}."
        )
        closed = end + timedelta(days=45) < g.end_date and rng.random() < 0.85
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
            "updated_at": g.cap(created, created + g.lag(rng, 20)),
        }
        customer.earliest_use = min(filter(None, (customer.earliest_use, row["updated_at"])))
        return PlannedJob(row=row, clean=clean, name=name, size_cents=sf * rng.randint(180, 420) * 100)

    return make


def _number_jobs(g: RunState, jobs: list[PlannedJob]) -> None:
    """Ids by creation; job numbers per start year (``24-0007``); clean jobs indexed for their streams."""
    jobs.sort(key=lambda j: j.row["created_at"])
    per_year: dict[int, int] = {}
    pair_numbers: dict[int, str] = {}
    for job_ in jobs:
        job_.row["job_id"] = g.new_id("job")
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
        if job_.name in {u[0] for u in UNICODE_JOBS}:
            g.unicode_rows.append(("job", job_.row["job_no"]))
