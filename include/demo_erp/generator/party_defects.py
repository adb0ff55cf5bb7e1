"""Dirty customers, vendors and jobs (tier 1), and the dirty text shared with cost code descriptions.

Each kind spoils one column of an extra party row; the kinds are separate functions so the plan in
``DIRTY_PLAN`` reads as a table of what each defect does.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from demo_erp.generator.base import RunState
from demo_erp.generator.manifest import (
    CONTROL_CHARS,
    DUPLICATE_KEY,
    INVALID_COUNTRY,
    INVALID_DATE,
    INVALID_STATE,
    MISSING_NAME,
    OVERLONG_NAME,
)
from demo_erp.generator.values import Row
from demo_erp.reference.invalid import CONTROL_SNIPPETS, INVALID_COUNTRIES, INVALID_STATES
from demo_erp.reference.names import NAME_PREFIXES, SURNAMES

# ---- dirty text -----------------------------------------------------------------------------------


def overlong(rng: random.Random, base: str) -> str:
    filler = (
        f" (formerly {rng.choice(NAME_PREFIXES)} Holdings), a wholly owned subsidiary of "
        f"{rng.choice(NAME_PREFIXES)} {rng.choice(SURNAMES)} Construction Group International, "
        "doing business in all fifty states and the provinces of Canada under license numbers on file"
    )
    text = (base or "Unnamed") + filler
    while len(text) < 400:
        text += filler
    return text[: rng.randint(270, 399)].rstrip() + "."


def with_control(rng: random.Random, base: str) -> str:
    words = base.split(" ")
    cut = rng.randint(1, max(1, len(words) - 1))
    return " ".join(words[:cut]) + rng.choice(CONTROL_SNIPPETS) + " " + " ".join(words[cut:])


# ---- tier 1: customers, vendors, jobs -------------------------------------------------------------


def _missing_name(rng: random.Random, row: Row) -> None:
    row["name"] = rng.choice((None, "", "   "))


def _invalid_state(rng: random.Random, row: Row) -> None:
    row["state_code"] = rng.choice(INVALID_STATES[row["country_code"]])


def _overlong_name(rng: random.Random, row: Row) -> None:
    row["name"] = overlong(rng, row["name"])


def _control_chars(rng: random.Random, row: Row) -> None:
    row["name"] = with_control(rng, row["name"])


def _invalid_country(rng: random.Random, row: Row) -> None:
    row["country_code"] = rng.choice(INVALID_COUNTRIES)
    row["state_code"] = None


def _invalid_date(rng: random.Random, row: Row) -> None:
    row["est_completion_date"] = row["start_date"] - timedelta(days=rng.randint(20, 400))


#: How each kind spoils a party row in place (a duplicate key needs a twin, see ``_plant_twin``).
_PARTY_DEFECTS: dict[str, Callable[[random.Random, Row], None]] = {
    MISSING_NAME: _missing_name,
    INVALID_STATE: _invalid_state,
    OVERLONG_NAME: _overlong_name,
    CONTROL_CHARS: _control_chars,
    INVALID_COUNTRY: _invalid_country,
    INVALID_DATE: _invalid_date,
}


def plant_party_dirt(
    g: RunState, rng: random.Random, parties: list, table: str, count: int, make: Callable[..., Any]
) -> None:
    """Adds ``count`` dirty entities (a duplicate-key pair counts once) to a party list."""
    for n in range(count):
        kind, column = g.next_kind(table)
        party = make(False, rng.random() < 0.3)
        party.dirty = (kind, column)
        party.desired_updated = g.uniform_time(rng, max(party.row["created_at"], g.START), g.END)
        if kind == DUPLICATE_KEY:
            _plant_twin(g, rng, parties, table, party, n, make)
        else:
            _PARTY_DEFECTS[kind](rng, party.row)
        parties.append(party)


def _plant_twin(
    g: RunState, rng: random.Random, parties: list, table: str, party: Any, n: int, make: Callable[..., Any]
) -> None:
    """A second row under the same number, named as a re-keyed duplicate would be."""
    row = party.row
    kind, column = party.dirty
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
        row["created_at"] + timedelta(days=rng.randint(1, 300)), g.END - timedelta(days=1)
    )
    twin.desired_updated = g.uniform_time(rng, max(twin.row["created_at"], g.START), g.END)
    if table == "job":
        for k in ("start_date", "est_completion_date"):
            twin.row[k] = row[k]
        twin.row["updated_at"] = twin.desired_updated
    twin.dirty = (kind, column)
    party.pair = twin.pair = n
    parties.append(twin)
