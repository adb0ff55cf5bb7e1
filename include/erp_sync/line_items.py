"""Load change order lines through Procore's v2.0 line item API (a :class:`LineItemsLoad`).

v2.0 differs from the v1.0 create/update the rest of the pipeline uses: the body is the line itself,
answers are ``{"data": ...}`` with string ids, and a line names its budget code by ``wbs_code_id``.
The project's WBS codes are read once per project and each line takes the code of its cost code and
cost type. v2.0 lines carry no origin_id: when an earlier create may have been applied without an
answer, the line is found again by its WBS code, amount, description and SOV line among the change
order's lines that no other ERP line holds. Every line ends in one outcome.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

import pandas as pd

from erp_sync.declarations.model import IntegrationPoint, LineItemsLoad
from erp_sync.load import ProcoreClient, _is_transport, _Loader, ends_the_load, format_errors, outcomes_of

PER_PAGE = 100


class _LineItemsLoader(_Loader):
    """Sends the lines of one scope (a project) of a :class:`LineItemsLoad` point, one call per line."""

    def __init__(self, hook: ProcoreClient, point: IntegrationPoint, load: LineItemsLoad, **kw: Any) -> None:
        super().__init__(hook, point, **kw)
        self.load = load
        self._wbs: dict[str, dict[tuple[int, int], str]] = {}
        self._held: set[str] = set()  # Procore ids of lines the ledger (or a lookup) gives an ERP line

    def send(self, rows: pd.DataFrame) -> None:
        """Creates or updates every planned line (v2.0 lines are never voided by the ERP)."""
        self._held = {str(int(i)) for i in rows["procore_id"].dropna()}
        for sent in rows.to_dict(orient="records"):
            self._send_line(sent)

    def wbs_codes(self, route: Mapping[str, Any]) -> dict[tuple[int, int], str]:
        """The project's WBS codes by (cost code id, cost type id) of their segment items, read once."""
        path = self.load.wbs_path.format(**route)
        if path not in self._wbs:
            codes: dict[tuple[int, int], str] = {}
            for code in self.hook.paginate(path):
                items = code.get("segment_items") or []
                if len(items) == 2:
                    codes[(int(items[0]["id"]), int(items[1]["id"]))] = str(code["id"])
            self._wbs[path] = codes
        return self._wbs[path]

    def _send_line(self, sent: dict[str, Any]) -> None:
        route = self.route(sent)
        cost_code, cost_type = (int(route[name]) for name in self.load.wbs_from)
        try:
            wbs_code_id = self.wbs_codes(route).get((cost_code, cost_type))
        except Exception as exc:  # noqa: BLE001 - every failure becomes this line's outcome
            if ends_the_load(exc):
                raise
            self._failed(sent, sent["procore_id"], exc)
            return
        if wbs_code_id is None:
            self.outcome(
                sent,
                "failed",
                procore_id=sent["procore_id"],
                error=f"field 'wbs_code_id': the project has no WBS code for cost code id {cost_code} and "
                f"cost type id {cost_type} in Procore",
            )
            return
        item = {**self.item(sent), "wbs_code_id": wbs_code_id}
        procore_id = sent["procore_id"]
        try:
            if pd.isna(procore_id) and (self.retrying or not pd.isna(sent.get("previous_status"))):
                procore_id = self._lookup_line(route, item) or procore_id
            if pd.isna(procore_id):
                entity = self._create_line(route, item)
            else:
                path = self.load.update_path.format(id=int(procore_id), **route)
                entity = self._data(self.hook.request("PATCH", path, json=item).json())
        except _FoundAfterDrop as found:
            self.outcome(sent, "synced", procore_id=int(found.procore_id), note=found.note)
            return
        except Exception as exc:  # noqa: BLE001 - every failure becomes this line's outcome
            if ends_the_load(exc):
                raise
            self._failed(sent, procore_id, exc)
            return
        self._held.add(str(entity.get("id", procore_id)))
        self.outcome(sent, "synced", procore_id=int(entity.get("id", procore_id)))

    def _create_line(self, route: Mapping[str, Any], item: dict[str, Any]) -> dict[str, Any]:
        """POSTs the line; a dropped answer is looked up before the failure counts."""
        path = str(self.load.create_path).format(**route)
        try:
            response = self.hook.request("POST", path, json=item, retry_on_connection_error=False)
        except Exception as exc:
            if ends_the_load(exc):
                raise
            found = self._lookup_line(route, item) if _is_transport(exc) else None
            if found is None:
                raise
            raise _FoundAfterDrop(found) from exc
        entity: dict[str, Any] = self._data(response.json())
        return entity

    def _lookup_line(self, route: Mapping[str, Any], item: Mapping[str, Any]) -> str | None:
        """A line of the change order equal to ``item`` that no other ERP line holds."""
        for line in self._list_lines(route):
            if str(line.get("id")) not in self._held and _same_line(line, item):
                self._held.add(str(line["id"]))
                return str(line["id"])
        return None

    def _list_lines(self, route: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
        path = str(self.load.list_path).format(**route)
        page = 1
        while True:
            data = self._data(
                self.hook.request("GET", path, params={"page": page, "per_page": PER_PAGE}).json()
            )
            yield from data
            if len(data) < PER_PAGE:
                return
            page += 1

    def _data(self, answer: Any) -> Any:
        """The payload of a v2.0 answer (``{"data": ...}``)."""
        return answer.get(self.load.envelope) if isinstance(answer, Mapping) else answer

    def _failed(self, sent: Mapping[str, Any], procore_id: Any, exc: Exception) -> None:
        error = format_errors(getattr(exc, "errors", None)) or str(exc)
        if _is_transport(exc):
            self.outcome(sent, "failed", procore_id=procore_id, error=error, transport=True)
        else:
            status = self.classify(
                error, http_status=getattr(exc, "status_code", None), parent=self._parent(sent)
            )
            self.outcome(sent, status, procore_id=procore_id, error=error)

    def _parent(self, sent: Mapping[str, Any]) -> Callable[[], Any] | None:
        """One GET of the line's record (the change order), whose status tells a lock from a failure."""
        if self.load.parent_path is None:
            return None
        path = self.load.parent_path.format(**self.route(sent))
        return lambda: self.hook.request("GET", path).json()


class _FoundAfterDrop(Exception):
    """A create answered with a dropped connection was applied: the line was found in Procore."""

    note = "create answered with a dropped connection; found among the change order's lines"

    def __init__(self, procore_id: str) -> None:
        super().__init__(procore_id)
        self.procore_id = procore_id


def _decimal(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value)) if value is not None else None
    except InvalidOperation:
        return None


def _same_line(line: Mapping[str, Any], item: Mapping[str, Any]) -> bool:
    """Whether a listed line is the one ``item`` would create (amounts compared as decimals)."""
    wbs = line.get("wbs_code_id") or (line.get("wbs_code") or {}).get("id")
    return (
        str(wbs) == str(item["wbs_code_id"])
        and _decimal(line.get("amount")) == _decimal(item.get("amount"))
        and (line.get("description") or "") == (item.get("description") or "")
        and str(line.get("commitment_line_item_id") or "") == str(item.get("commitment_line_item_id") or "")
    )


def load_line_items(
    hook: ProcoreClient,
    point: IntegrationPoint,
    planned: pd.DataFrame,
    *,
    source: str,
    run_id: str,
    retrying: bool = False,
) -> pd.DataFrame:
    """Sends the lines planned as create/update; one outcome row per line."""
    if not isinstance(point.load, LineItemsLoad):
        raise TypeError(f"{point.name}: not a v2.0 line items point")
    load = point.load

    def send(rows: pd.DataFrame) -> list[dict[str, Any]]:
        loader = _LineItemsLoader(hook, point, load, source=source, run_id=run_id, retrying=retrying)
        loader.send(rows)
        return loader.rows

    return outcomes_of(point, planned, send)
