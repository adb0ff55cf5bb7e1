"""Load a record's lines into the items Procore made for it: a subcontractor invoice's money.

Procore creates a requisition's items itself, one per SOV line of its commitment, when the
requisition is created; the ERP's invoice lines only set their amounts. Per requisition this load
lists the items once (cached for the run's load), matches each ERP line to the item of its SOV line,
and sends all of the requisition's lines in one ``bulk_item_update``. Every line ends in one outcome:
a line whose SOV line has no item on the requisition fails naming the record and the field, and an
item Procore refuses is reported with Procore's message while the other lines are sent again.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

import pandas as pd

from erp_sync.declarations.model import IntegrationPoint, ItemUpdateLoad, key_columns
from erp_sync.load import OUTCOME_COLUMNS, ProcoreClient, _is_transport, _Loader, format_errors
from erp_sync.plan import SENDING

# "requisition_items[3].work_completed_this_period" → (3, "work_completed_this_period")
_INDEXED = re.compile(r"^\w+\[(\d+)\]\.?(.*)$")

Matched = list[tuple[dict[str, Any], dict[str, Any]]]


class _ItemLoader(_Loader):
    """Loads the lines of one scope (a project) of an :class:`ItemUpdateLoad` point."""

    def __init__(self, hook: ProcoreClient, point: IntegrationPoint, load: ItemUpdateLoad, **kw: Any) -> None:
        super().__init__(hook, point, **kw)
        self.load = load
        self._items: dict[tuple[str, str], list[dict[str, Any]]] = {}

    def send(self, rows: pd.DataFrame) -> None:
        """One listing and one update per parent record (a requisition) of the lines planned."""
        parents = rows["route_json"].map(lambda r: json.loads(r).get(self.load.parent_key))
        for _, group in rows.groupby(parents, sort=False, dropna=False):
            self._send_parent(group.to_dict(orient="records"))

    def items_of(self, route: Mapping[str, Any]) -> list[dict[str, Any]]:
        """The parent's items as Procore lists them, read once per parent."""
        path = self.load.list_path.format(**route)
        params = self.scoped(route, self.load.query_scope)
        key = (path, json.dumps(params, sort_keys=True, default=str))
        if key not in self._items:
            self._items[key] = list(self.hook.paginate(path, params))
        return self._items[key]

    def _send_parent(self, sending: list[dict[str, Any]]) -> None:
        route = self.route(sending[0])
        try:
            items = self.items_of(route)
        except Exception as exc:  # noqa: BLE001 - every failure becomes each line's outcome
            self._refused([(sent, {}) for sent in sending], exc)
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

    def _not_an_item(self, route: Mapping[str, Any], line_id: Any, count: int) -> str:
        field = key_columns(self.point.key)[-1]
        parent = f"{self.load.parent_key.removesuffix('_id')} {route.get(self.load.parent_key)}"
        return (
            f"field '{field}': its SOV line (Procore {self.load.match_field} {line_id}) is not an item of "
            f"{parent} in Procore ({count} items, made from the commitment's SOV when the invoice was "
            "created); a line added to the SOV later is billed on a later invoice or through its change order"
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
            per_item = _errors_by_index(getattr(exc, "errors", None))
            if again or _is_transport(exc) or not per_item or not set(per_item) <= set(range(len(matched))):
                self._refused(matched, exc)
                return
            for index, error in per_item.items():
                sent, item = matched[index]
                self.outcome(sent, self.classify(error), procore_id=item["id"], error=error)
            self._update(route, [m for i, m in enumerate(matched) if i not in per_item], again=True)
            return
        for sent, item in matched:
            self.outcome(sent, "synced", procore_id=item["id"])

    def _refused(self, matched: Matched, exc: Exception) -> None:
        """The same failure for every line of a call."""
        error = format_errors(getattr(exc, "errors", None)) or str(exc)
        transport = _is_transport(exc)
        for sent, item in matched:
            status = "failed" if transport else self.classify(error)
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
    to_send = planned[planned["action"].isin(SENDING)].reset_index(drop=True)
    if to_send.empty:
        return pd.DataFrame(columns=OUTCOME_COLUMNS)
    loader = _ItemLoader(hook, point, point.load, source=source, run_id=run_id, retrying=retrying)
    loader.send(to_send)
    frame = pd.DataFrame(loader.rows, columns=OUTCOME_COLUMNS)
    frame["procore_id"] = frame["procore_id"].astype("Int64")
    if len(frame) != len(to_send) or set(frame["erp_key"]) != set(to_send["erp_key"]):
        raise RuntimeError(f"{point.name}: {len(to_send)} lines sent but {len(frame)} outcomes")
    return frame
