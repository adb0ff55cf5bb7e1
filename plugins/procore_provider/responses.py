"""Reading Procore's answers: error details, the end of a list, and a sync action's per-item outcomes.

Pure functions over decoded bodies and headers, so they are tested without HTTP; this module imports no
HTTP client at run time (the exception types build their messages with ``error_details``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import requests

__all__ = ["SyncOutcome", "error_details", "is_last_page", "match_sync_response"]

_MISSING_FROM_RESPONSE = "missing from Procore's sync response"


def error_details(response: requests.Response) -> tuple[Any, str]:
    """Extract (errors, message) from an error response without assuming its shape."""
    try:
        body = response.json()
    except ValueError:
        text = (response.text or "").strip()
        return None, (text[:500] or response.reason or "no response body")
    errors: Any = None
    message: str | None = None
    if isinstance(body, dict):
        errors = body.get("errors")
        for key in ("message", "error_description", "error"):
            if isinstance(body.get(key), str) and body[key]:
                message = body[key]
                break
        if message is None and isinstance(errors, str):
            message = errors
    if message is None:
        message = json.dumps(body if errors is None else errors, separators=(",", ":"))[:500]
    return errors, message


def is_last_page(response: requests.Response, page_length: int, seen: int, per_page: int) -> bool:
    """Whether a list endpoint has nothing after this page.

    The ``Link`` header decides when present (no ``rel="next"``); otherwise ``Total`` once reached, or
    else a page shorter than the page size the server says it served (it may clamp ``per_page``).
    """
    if not page_length:
        return True
    if "link" in response.headers:
        return "next" not in response.links
    total = response.headers.get("Total", "")
    if total.isdigit():
        return seen >= int(total)
    served = response.headers.get("Per-Page", "")
    return page_length < (int(served) if served.isdigit() else per_page)


@dataclass
class SyncOutcome:
    """What happened to one submitted sync item: the stored ``entity``, per-item ``errors`` or a
    ``transport_error`` when the whole chunk's request failed."""

    index: int
    item: dict[str, Any]
    entity: dict[str, Any] | None
    errors: dict[str, list[str]] | None
    transport_error: str | None

    @property
    def ok(self) -> bool:
        """True when Procore stored the item without errors."""
        return self.entity is not None and not self.errors and self.transport_error is None


def match_sync_response(
    items: Sequence[dict[str, Any]], payload: Any, *, offset: int = 0
) -> list[SyncOutcome]:
    """Pair each submitted item with its entity or error entry from a sync response.

    Items are matched by ``origin_id``, else by ``id``; several items with one key take matches in
    order (an error entry equal to the item first). Keyless items take the remaining unmatched error
    entries equal to them, then unmatched entities without origin_id, in order. Unmatched items get
    ``{"base": ["missing from Procore's sync response"]}``.
    """
    return _SyncResponseMatcher(items, payload, offset).outcomes()


def _key(record: Mapping[str, Any], field: str) -> str | None:
    value = record.get(field)
    return None if value is None or value == "" else str(value)


def _normalise_errors(errors: Any) -> dict[str, list[str]]:
    if isinstance(errors, dict):
        return {str(k): [str(m) for m in (v if isinstance(v, list) else [v])] for k, v in errors.items()}
    if isinstance(errors, list):
        return {"base": [str(m) for m in errors]}
    return {"base": [str(errors)]}


def _same_item(error_entry: Mapping[str, Any], item: Mapping[str, Any]) -> bool:
    return {k: v for k, v in error_entry.items() if k != "errors"} == dict(item)


_ENTITY, _ERROR = "entity", "error"


class _SyncResponseMatcher:
    """One pass of ``match_sync_response``: each entity and error entry is claimed at most once."""

    def __init__(self, items: Sequence[dict[str, Any]], payload: Any, offset: int) -> None:
        self.items = items
        self.offset = offset
        self.entities: list[Any] = []
        self.errors: list[Any] = []
        if isinstance(payload, list):
            # budget line items' sync answers a plain array: the entities, and each refused item as
            # itself with its ``errors`` (matched to its item like a sync's error entries)
            self.entities = [e for e in payload if not (isinstance(e, dict) and "errors" in e)]
            self.errors = [e for e in payload if isinstance(e, dict) and "errors" in e]
        elif isinstance(payload, dict):
            self.entities = list(payload.get("entities") or [])
            self.errors = list(payload.get("errors") or [])
        self.used: dict[str, set[int]] = {_ENTITY: set(), _ERROR: set()}
        self.by_key = self._index()

    def _index(self) -> dict[tuple[str, str], dict[str, list[int]]]:
        """(key field, key value) -> positions in ``entities`` / ``errors``, in response order."""
        by_key: dict[tuple[str, str], dict[str, list[int]]] = {}
        for kind, records in ((_ENTITY, self.entities), (_ERROR, self.errors)):
            for position, record in enumerate(records):
                if not isinstance(record, dict):
                    continue
                for key_field in ("origin_id", "id"):
                    value = _key(record, key_field)
                    if value is not None:
                        slot = by_key.setdefault((key_field, value), {_ENTITY: [], _ERROR: []})
                        slot[kind].append(position)
        return by_key

    def outcomes(self) -> list[SyncOutcome]:
        results: list[SyncOutcome | None] = [None] * len(self.items)
        keyless: list[int] = []
        for i, item in enumerate(self.items):
            key_field = "origin_id" if _key(item, "origin_id") is not None else "id"
            value = _key(item, key_field)
            if value is None:
                keyless.append(i)
            else:
                results[i] = self._match_keyed(i, key_field, value)
        for i in keyless:
            results[i] = self._match_keyless(i)
        return [
            found
            if found is not None
            else SyncOutcome(self.offset + i, self.items[i], None, {"base": [_MISSING_FROM_RESPONSE]}, None)
            for i, found in enumerate(results)
        ]

    def _match_keyed(self, i: int, key_field: str, value: str) -> SyncOutcome | None:
        slot = self.by_key.get((key_field, value), {_ENTITY: [], _ERROR: []})
        own_error = self._claim(_ERROR, slot[_ERROR], self._is_error_of(self.items[i]))
        if own_error is not None:
            return self._outcome(i, error=own_error)
        entity = self._claim(_ENTITY, slot[_ENTITY], lambda p: True)
        if entity is not None:
            return self._outcome(i, entity=entity)
        other_error = self._claim(_ERROR, slot[_ERROR], lambda p: True)
        if other_error is not None:
            return self._outcome(i, error=other_error)
        return None

    def _match_keyless(self, i: int) -> SyncOutcome | None:
        own_error = self._claim(_ERROR, range(len(self.errors)), self._is_error_of(self.items[i]))
        if own_error is not None:
            return self._outcome(i, error=own_error)
        item = self.items[i]
        entity = self._claim(_ENTITY, range(len(self.entities)), lambda p: self._is_new_entity_of(item, p))
        if entity is not None:
            return self._outcome(i, entity=entity)
        return None

    def _is_error_of(self, item: Mapping[str, Any]) -> Callable[[int], bool]:
        return lambda p: isinstance(self.errors[p], dict) and _same_item(self.errors[p], item)

    def _is_new_entity_of(self, item: Mapping[str, Any], position: int) -> bool:
        """An entity without origin_id whose references (``*_id`` fields it shows) are the item's."""
        entity = self.entities[position]
        if not isinstance(entity, dict) or _key(entity, "origin_id") is not None:
            return False
        for field, wanted in item.items():
            if not field.endswith("_id") or wanted is None:
                continue
            shown = entity.get(field)
            if shown is None and isinstance(entity.get(field.removesuffix("_id")), Mapping):
                shown = entity[field.removesuffix("_id")].get("id")
            if shown is not None and str(shown) != str(wanted):
                return False
        return True

    def _claim(self, kind: str, candidates: Iterable[int], accept: Callable[[int], bool]) -> int | None:
        for position in candidates:
            if position not in self.used[kind] and accept(position):
                self.used[kind].add(position)
                return position
        return None

    def _outcome(self, i: int, *, entity: int | None = None, error: int | None = None) -> SyncOutcome:
        if error is not None:
            errors = _normalise_errors(self.errors[error].get("errors"))
            return SyncOutcome(self.offset + i, self.items[i], None, errors, None)
        stored = self.entities[entity] if entity is not None else None
        return SyncOutcome(self.offset + i, self.items[i], stored, None, None)
