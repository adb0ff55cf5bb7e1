"""Load a record's lines into the items Procore made for it: a subcontractor invoice's money.

Procore creates a requisition's items itself, one per SOV line of its commitment, when the
requisition is created; the ERP's invoice lines only set their amounts. This load reads the
requisitions of a project's lines with their items in one list call per hundred (``view=items``),
matches each ERP line to the item of its SOV line, and sends all of a requisition's lines in one
``bulk_item_update``. Every line ends in one outcome:
a line whose SOV line has no item on the requisition fails naming the record and the field, and an
item Procore refuses is reported with Procore's message while the other lines are sent again.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd

from erp_sync.declarations.model import IntegrationPoint, ItemUpdateLoad, key_columns
from erp_sync.load import ProcoreClient, _is_transport, _Loader, ends_the_load, format_errors, outcomes_of

# "requisition_items[3].work_completed_this_period" → (3, "work_completed_this_period")
_INDEXED = re.compile(r"^\w+\[(\d+)\]\.?(.*)$")

Matched = list[tuple[dict[str, Any], dict[str, Any]]]


class _ItemLoader(_Loader):
    """Loads the lines of one scope (a project) of an :class:`ItemUpdateLoad` point."""

    def __init__(self, hook: ProcoreClient, point: IntegrationPoint, load: ItemUpdateLoad, **kw: Any) -> None:
        super().__init__(hook, point, **kw)
        self.load = load
        self._items: dict[int, list[dict[str, Any]]] = {}
        self._parents: dict[int, dict[str, Any]] = {}  # as listed: their status tells a lock from a failure

    def send(self, rows: pd.DataFrame) -> None:
        """The parents' items read in a few list calls, then one update per parent of its lines."""
        records = rows.to_dict(orient="records")
        parents = [self.route(sent).get(self.load.parent_key) for sent in records]
        groups: dict[Any, list[dict[str, Any]]] = {}
        for parent, sent in zip(parents, records, strict=True):
            groups.setdefault(parent, []).append(sent)
        wanted = list(groups)
        for start in range(0, len(wanted), self.load.chunk):
            chunk = wanted[start : start + self.load.chunk]
            try:
                self._read_items(self.route(groups[chunk[0]][0]), chunk)
            except Exception as exc:  # noqa: BLE001 - every failure becomes each line's outcome
                if ends_the_load(exc):
                    raise
                self._refused([(sent, {}) for parent in chunk for sent in groups[parent]], exc)
                continue
            for parent in chunk:
                self._send_parent(groups[parent])

    def _read_items(self, route: Mapping[str, Any], parents: list[Any]) -> None:
        """The parents' items as Procore lists them (read once per run's load of the scope)."""
        missing = [p for p in parents if int(p) not in self._items]
        if not missing:
            return
        params: dict[str, Any] = {
            **self.scoped(route, self.load.list_scope),
            **dict(self.load.list_params),
            self.load.parents_filter: [int(p) for p in missing],
        }
        for parent in self.hook.paginate(self.load.list_path.format(**route), params):
            self._items[int(parent["id"])] = list(parent.get(self.load.items_field) or [])
            self._parents[int(parent["id"])] = parent

    def _send_parent(self, sending: list[dict[str, Any]]) -> None:
        route = self.route(sending[0])
        parent = route.get(self.load.parent_key)
        items = self._items.get(int(parent)) if parent is not None else None
        if items is None:
            error = (
                f"{self._parent_label(route)} is not in Procore (deleted there?): its lines cannot be billed"
            )
            for sent in sending:
                self.outcome(sent, "failed", error=error)
            return
        by_line = {item.get(self.load.match_field): item for item in items}
        matched: Matched = []
        for sent in sending:
            line_id = self.route(sent).get(self.load.match_key)
            item = by_line.get(line_id)
            if item is None:
                self.outcome(sent, "failed", error=self._not_an_item(route, line_id, len(items)))
            else:
                matched.append((sent, item))
        self._update(route, matched)

    def _parent_label(self, route: Mapping[str, Any]) -> str:
        return f"{self.load.parent_key.removesuffix('_id')} {route.get(self.load.parent_key)}"

    def _not_an_item(self, route: Mapping[str, Any], line_id: Any, count: int) -> str:
        field = key_columns(self.point.key)[-1]
        return (
            f"field '{field}': its SOV line (Procore {self.load.match_field} {line_id}) is not an item of "
            f"{self._parent_label(route)} in Procore ({count} items, made from the commitment's SOV when "
            "the invoice was created); a line added to the SOV later is billed on a later invoice or through "
            "its change order"
        )

    def _update(self, route: Mapping[str, Any], matched: Matched, *, again: bool = False) -> None:
        """One update of the matched items; items Procore refuses by position are dropped, the rest resent."""
        if not matched:
            return
        body = {
            self.load.items_key: [
                {"id": item["id"], "item_type": item.get("item_type"), **self.item(sent)}
                for sent, item in matched
            ]
        }
        try:
            self.hook.request(
                "PATCH",
                self.load.path.format(**route),
                params=self.scoped(route, self.load.query_scope) or None,
                json=body,
            )
        except Exception as exc:  # noqa: BLE001 - every failure becomes each line's outcome
            if ends_the_load(exc):
                raise
            per_item = _errors_by_index(getattr(exc, "errors", None))
            if again or _is_transport(exc) or not per_item or not set(per_item) <= set(range(len(matched))):
                self._refused(matched, exc)
                return
            for index, error in per_item.items():
                sent, item = matched[index]
                status = self.classify(
                    error, http_status=getattr(exc, "status_code", None), parent=self._parent(route)
                )
                self.outcome(sent, status, procore_id=item["id"], error=error)
            self._update(route, [m for i, m in enumerate(matched) if i not in per_item], again=True)
            return
        for sent, item in matched:
            self.outcome(sent, "synced", procore_id=item["id"])

    def _parent(self, route: Mapping[str, Any]) -> Callable[[], Any]:
        """The parent as listed before the update (no extra call): an approved one holds its items."""
        parent = self._parents.get(int(route[self.load.parent_key]))
        return lambda: parent

    def _refused(self, matched: Matched, exc: Exception) -> None:
        """The same failure for every line of a call."""
        error = format_errors(getattr(exc, "errors", None)) or str(exc)
        transport = _is_transport(exc)
        http_status = getattr(exc, "status_code", None)
        for sent, item in matched:
            route = self.route(sent)
            status = (
                "failed"
                if transport
                else self.classify(error, http_status=http_status, parent=self._parent(route))
            )
            self.outcome(sent, status, procore_id=item.get("id"), error=error, transport=transport)


def _errors_by_index(errors: Any) -> dict[int, str]:
    """Procore's ``{"requisition_items[i].field": [...]}`` as one message per item position."""
    if not isinstance(errors, Mapping):
        return {}
    found: dict[int, list[str]] = {}
    for key, messages in errors.items():
        match = _INDEXED.match(str(key))
        if match is None:
            return {}  # an error about the whole call: every item shares it
        text = ", ".join(map(str, messages)) if isinstance(messages, list) else str(messages)
        field = match.group(2)
        found.setdefault(int(match.group(1)), []).append(f"field '{field}': {text}" if field else text)
    return {index: "; ".join(parts) for index, parts in found.items()}


def load_items(
    hook: ProcoreClient,
    point: IntegrationPoint,
    planned: pd.DataFrame,
    *,
    source: str,
    run_id: str,
    retrying: bool = False,
) -> pd.DataFrame:
    """Sends the lines planned as create/update into their parents' items; one outcome row per line."""
    if not isinstance(point.load, ItemUpdateLoad):
        raise TypeError(f"{point.name}: not an item update point")
    load = point.load

    def send(rows: pd.DataFrame) -> list[dict[str, Any]]:
        loader = _ItemLoader(hook, point, load, source=source, run_id=run_id, retrying=retrying)
        loader.send(rows)
        return loader.rows

    return outcomes_of(point, planned, send)
