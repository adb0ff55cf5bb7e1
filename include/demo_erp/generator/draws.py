"""Random addresses and names for parties and jobs, formatted the way each country writes them.

Every value comes from the caller's ``random.Random`` in a fixed order of draws; changing that order
changes every row generated after it.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from demo_erp.reference.geography import (
    CA_PLACES,
    CA_STREETS,
    CA_STREETS_QC,
    MX_PLACES,
    MX_STREETS,
    US_PLACES,
    US_STREETS,
)
from demo_erp.reference.names import CA_SUFFIXES, MX_SUFFIXES, NAME_PREFIXES, SURNAMES, US_SUFFIXES
from demo_erp.reference.trades import Trade


def place(rng: random.Random, weights: tuple[float, float, float]) -> dict[str, str]:
    roll = rng.random()
    country = "US" if roll < weights[0] else "CA" if roll < weights[0] + weights[1] else "MX"
    return address(rng, country)


def address(rng: random.Random, country: str, city: str | None = None) -> dict[str, str]:
    places = {"US": US_PLACES, "CA": CA_PLACES, "MX": MX_PLACES}[country]
    if city is not None:
        chosen = next(p for p in places if p[0] == city)
    else:
        chosen = places[int(len(places) * rng.random() ** 1.7)]
    name, state, prefix, area = chosen
    address2 = None
    if country == "US":
        address1 = f"{rng.randint(100, 19999)} {rng.choice(US_STREETS)}"
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
        streets = CA_STREETS_QC if state == "QC" else CA_STREETS
        address1 = f"{rng.randint(10, 2500)} {rng.choice(streets)}"
        postal = f"{prefix} {rng.randint(0, 9)}{rng.choice('ABCEGHJKLMNPRSTVWXYZ')}{rng.randint(0, 9)}"
        phone = f"+1 {area} 555 01{rng.randint(0, 99):02d}"
        if rng.random() < 0.3:
            address2 = (
                f"Bureau {rng.randint(100, 2500)}" if state == "QC" else f"Suite {rng.randint(100, 2500)}"
            )
    else:
        address1 = f"{rng.choice(MX_STREETS)} {rng.randint(10, 3500)}"
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


def vendor_name(rng: random.Random, trade: Trade, country: str) -> str:
    word = rng.choice(trade.words)
    prefix = rng.choice(NAME_PREFIXES)
    surname, surname2 = rng.sample(SURNAMES, 2)
    if country == "MX":
        suffix = rng.choice(MX_SUFFIXES)
        return rng.choice(
            (f"Constructora {surname} {suffix}", f"{prefix} {word} {suffix}", f"Grupo {surname} {suffix}")
        )
    suffix = rng.choice(CA_SUFFIXES if country == "CA" else US_SUFFIXES)
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


def unique(used: set[str], make: Callable[[], str]) -> str:
    """A name not in ``used`` (then added to it); numbered like a real ERP once retries run out."""
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
