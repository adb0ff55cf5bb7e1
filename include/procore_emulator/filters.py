"""Builders for the ``filters[...]`` list parameters Procore documents, shared by all resources.

Malformed filter values raise ValueError; the list route answers 400 with the message, because a
filter the server silently ignores would make a client's lookup by origin_id return everything.
Every filter a list operation documents is declared: applied where the emulator models what it
filters on, else :func:`accepted` (checked for shape, not applied, and said so in the declaration).
A filter no extract documents is a 400.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable

from .records import StoredRecord
from .schema import ListFilter

Predicate = Callable[[StoredRecord], bool]


def _single(name: str, values: list[str]) -> str:
    if len(values) != 1:
        raise ValueError(f"filters[{name}] takes exactly one value")
    return values[0]


def equals(name: str, attribute: str | None = None) -> ListFilter:
    """``filters[name]=X``: records whose attribute equals X exactly (origin_id lookups)."""
    attr = attribute or name

    def build(values: list[str]) -> Predicate:
        wanted = _single(name, values)
        return lambda rec: rec.fields.get(attr) == wanted

    return ListFilter(name, build)


def ids(name: str = "id", attribute: str | None = None) -> ListFilter:
    """``filters[id][]=1&filters[id][]=2`` (also ``filters[id]=1,2``): records with those ids."""
    attr = attribute or name

    def build(values: list[str]) -> Predicate:
        wanted: set[int] = set()
        for raw in values:
            for part in raw.split(","):
                part = part.strip()
                if not part:
                    continue
                try:
                    wanted.add(int(part))
                except ValueError:
                    raise ValueError(f"filters[{name}] must be integers, got {part!r}") from None
        if attr == "id":
            return lambda rec: rec.id in wanted
        return lambda rec: rec.fields.get(attr) in wanted

    return ListFilter(name, build)


def any_of_list(name: str, attribute: str) -> ListFilter:
    """``filters[trade_id][]=4``: records whose id-list attribute (``trade_ids``) holds one of them."""

    def build(values: list[str]) -> Predicate:
        wanted = _parse_ids(name, values)
        return lambda rec: bool(wanted & set(rec.fields.get(attribute) or ()))

    return ListFilter(name, build)


def flag(name: str, attribute: str | None = None, *, stored_default: bool = False) -> ListFilter:
    """``filters[executed]=true``: records whose boolean attribute has that value (``stored_default``
    when never set); a constant when ``attribute`` is None (``filters[is_demo]``: no demo projects)."""

    def build(values: list[str]) -> Predicate:
        raw = _single(name, values).strip().lower()
        if raw not in ("true", "false", "1", "0"):
            raise ValueError(f"filters[{name}] must be true or false, got {raw!r}")
        wanted = raw in ("true", "1")
        if attribute is None:
            return lambda rec: wanted == stored_default
        return lambda rec: bool(rec.fields.get(attribute, stored_default)) == wanted

    return ListFilter(name, build)


def accepted(name: str, kind: str = "string", choices: Iterable[str] = ()) -> ListFilter:
    """A documented filter on something the emulator does not model (custom fields, change reviews,
    deleted records): the value is checked for shape and the filter is not applied."""
    allowed = tuple(choices)

    def build(values: list[str]) -> Predicate:
        for raw in values:
            if kind == "integer":
                _parse_ids(name, [raw])
            elif allowed and raw not in allowed:
                raise ValueError(f"filters[{name}] must be one of {', '.join(allowed)}")
        return lambda rec: True

    return ListFilter(name, build)


def _parse_instant(text: str, *, end: bool) -> float:
    text = text.strip()
    try:
        if len(text) == 10:
            day = dt.date.fromisoformat(text)
            moment = dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)
            return (moment + dt.timedelta(days=1)).timestamp() - 1e-6 if end else moment.timestamp()
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"'{text}' is not an ISO 8601 date or date-time") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.timestamp()


def time_range(name: str) -> ListFilter:
    """``filters[updated_at]=A...B`` with dates or date-times, both ends inclusive (a date end covers
    the whole day). Compared at whole seconds, the precision the records are rendered with."""

    def build(values: list[str]) -> Predicate:
        raw = _single(name, values)
        if "..." not in raw:
            raise ValueError(f"filters[{name}] must be a range 'START...END', got {raw!r}")
        start_text, end_text = raw.split("...", 1)
        start = _parse_instant(start_text, end=False)
        end = _parse_instant(end_text, end=True)
        if end < start:
            raise ValueError(f"filters[{name}] ends before it starts")

        def pred(rec: StoredRecord) -> bool:
            value: float = math.floor(getattr(rec, name))
            return start <= value <= end

        return pred

    return ListFilter(name, build)


def contains(name: str, attributes: Iterable[str]) -> ListFilter:
    """``filters[search]=text``: case-insensitive substring match over the given attributes."""
    attrs = tuple(attributes)

    def build(values: list[str]) -> Predicate:
        needle = _single(name, values).casefold()
        return lambda rec: any(needle in str(rec.fields.get(a) or "").casefold() for a in attrs)

    return ListFilter(name, build)


def boolean_status(name: str, attribute: str, *, default: str | None = None) -> ListFilter:
    """``filters[by_status]=Active|Inactive|All`` over a boolean attribute that defaults to true."""
    choices = {"Active": True, "Inactive": False}

    def build(values: list[str]) -> Predicate:
        raw = _single(name, values)
        if raw == "All":
            return lambda rec: True
        if raw not in choices:
            raise ValueError(f"filters[{name}] must be one of Active, Inactive, All")
        wanted = choices[raw]
        return lambda rec: (rec.fields.get(attribute) is not False) == wanted

    return ListFilter(name, build, default=default)


def scope_ids(name: str) -> ListFilter:
    """``filters[commitment_id]=1`` over a scope parameter the list does not itself take (the
    requisitions of one commitment, listed per project)."""

    def build(values: list[str]) -> Predicate:
        wanted = _parse_ids(name, values)
        return lambda rec: rec.scope.get(name) in wanted

    return ListFilter(name, build)


def _parse_ids(name: str, values: list[str]) -> set[int]:
    wanted: set[int] = set()
    for raw in values:
        for part in raw.strip("[]").split(","):
            part = part.strip()
            if not part:
                continue
            try:
                wanted.add(int(part))
            except ValueError:
                raise ValueError(f"filters[{name}] must be integers, got {part!r}") from None
    return wanted


def one_of(name: str, choices: Iterable[str], attribute: str | None = None) -> ListFilter:
    """``filters[status]=Approved``: records whose attribute equals the value, which must be one of
    ``choices`` (Procore documents them as an enum)."""
    allowed = tuple(choices)
    attr = attribute or name

    def build(values: list[str]) -> Predicate:
        wanted = _single(name, values)
        if wanted not in allowed:
            raise ValueError(f"filters[{name}] must be one of {', '.join(allowed)}")
        return lambda rec: rec.fields.get(attr) == wanted

    return ListFilter(name, build)


def date_range(name: str, attribute: str | None = None) -> ListFilter:
    """``filters[payment_date]=2026-01-01...2026-01-31`` over a stored date (or the date of a stored
    date-time), both ends inclusive."""
    attr = attribute or name

    def build(values: list[str]) -> Predicate:
        raw = _single(name, values)
        if "..." not in raw:
            raise ValueError(f"filters[{name}] must be a range 'START...END', got {raw!r}")
        start_text, end_text = (part.strip()[:10] for part in raw.split("...", 1))
        for text in (start_text, end_text):
            try:
                dt.date.fromisoformat(text)
            except ValueError:
                raise ValueError(f"'{text}' is not an ISO 8601 date") from None
        return lambda rec: (
            rec.fields.get(attr) is not None and start_text <= str(rec.fields[attr])[:10] <= end_text
        )

    return ListFilter(name, build)
