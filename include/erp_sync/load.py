"""Load: send planned changes to Procore and classify each record's outcome.

Every record sent comes back as exactly one outcome — synced, deleted, failed or locked, with
Procore's message — even when a whole batch fails in transport. Creates on endpoints without a sync
action are made idempotent by looking the record up by origin_id whenever an earlier attempt may
have been applied without an answer.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Protocol

import pandas as pd

from erp_sync.declarations.model import CreateUpdateLoad, IntegrationPoint, Load, SyncLoad, key_columns
from erp_sync.fields_patch import differing, hold_back, patch_call
from erp_sync.locking import Refusal, classify, is_workflow_controlled, rule_of, show_call
from erp_sync.origin import origin_data_stamp
from erp_sync.plan import CREATE, DELETE, SENDING, UPDATE

OUTCOME_COLUMNS = ["erp_key", "scope_key", "action", "status", "procore_id", "error", "transport_error"]


class SyncResult(Protocol):
    """What load reads of one sync item's result (the hook's ``SyncOutcome``)."""

    @property
    def index(self) -> int: ...

    @property
    def entity(self) -> dict[str, Any] | None: ...

    @property
    def errors(self) -> Any: ...

    @property
    def transport_error(self) -> str | None: ...

    @property
    def ok(self) -> bool: ...


class Response(Protocol):
    """What load reads of an HTTP response."""

    @property
    def content(self) -> bytes: ...

    def json(self) -> Any: ...


class ProcoreClient(Protocol):
    """What load needs of the Procore hook (the real hook in production and tests)."""

    @property
    def company_id(self) -> int: ...

    def sync(
        self,
        path: str,
        items: Sequence[Mapping[str, Any]],
        *,
        body_scope: Mapping[str, Any] | None = None,
        query_scope: Mapping[str, Any] | None = None,
        items_key: str = "updates",
        method: str = "PATCH",
    ) -> Sequence[SyncResult]: ...

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        retry_on_connection_error: bool = True,
    ) -> Response: ...

    def paginate(self, path: str, params: Mapping[str, Any] | None = None) -> Iterable[dict[str, Any]]: ...


def format_errors(errors: Any) -> str:
    """Procore's per-field errors as one line (``field: message; …``)."""
    if not errors:
        return ""
    if isinstance(errors, Mapping):
        return "; ".join(
            f"{field}: {', '.join(map(str, msgs)) if isinstance(msgs, list) else msgs}"
            for field, msgs in errors.items()
        )
    if isinstance(errors, list):
        return "; ".join(map(str, errors))
    return str(errors)


def ends_the_load(exc: BaseException) -> bool:
    """A failure no record can get past (the connection cannot authenticate): it ends the task, whose
    record step then records every undelivered record as failed, instead of failing them one by one."""
    from procore_provider.errors import ProcoreAuthError

    return isinstance(exc, ProcoreAuthError)


def _is_transport(exc: Exception) -> bool:
    from procore_provider.hooks import ProcoreAPIError, ProcoreRetryExhausted

    return (
        isinstance(exc, ProcoreRetryExhausted)
        or not isinstance(exc, ProcoreAPIError)
        or exc.status_code is None
    )


class _Loader:
    """Loads one scope (company, or one project) of one point."""

    def __init__(
        self, hook: ProcoreClient, point: IntegrationPoint, *, source: str, run_id: str, retrying: bool
    ) -> None:
        self.hook, self.point, self.source, self.run_id, self.retrying = hook, point, source, run_id, retrying
        self.rows: list[dict[str, Any]] = []
        self._listings: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self._list_scope = False

    def outcome(
        self,
        sent: Mapping[str, Any],
        status: str,
        *,
        procore_id: Any = None,
        error: str = "",
        transport: bool = False,
        note: str = "",
    ) -> None:
        """Keeps the record's one outcome; the message names the point and the ERP key."""
        label = f"{self.point.name} {self.point.erp_key_label}={sent['erp_key']}"
        if status == "locked" and self.point.locked_hint:
            error = f"{error} — {self.point.locked_hint}"
        message = f"{label}: {error}" if error else (f"{label}: {note}" if note else None)
        self.rows.append(
            {
                "erp_key": sent["erp_key"],
                "scope_key": sent["scope_key"],
                "action": sent["action"],
                "status": status,
                "procore_id": procore_id if procore_id is not None and not pd.isna(procore_id) else None,
                "error": message,
                "transport_error": transport,
            }
        )

    def item(self, sent: Mapping[str, Any], *, sync: bool = False) -> dict[str, Any]:
        """The JSON body of one record, stamped with origin_data where the point carries an origin_id."""
        item: dict[str, Any] = json.loads(sent["payload_json"])
        if sync and not self.point.has_origin_id and not pd.isna(sent["procore_id"]):
            item["id"] = int(sent["procore_id"])  # sync items without origin_id match by id
        if self.point.has_origin_id:
            item["origin_data"] = origin_data_stamp(
                source=self.source,
                erp_key=sent["erp_key"],
                content_hash=sent["content_hash"],
                run_id=self.run_id,
            )
        return item

    def route(self, sent: Mapping[str, Any]) -> dict[str, Any]:
        """The record's route keys, plus the company from the connection."""
        return {"company_id": self.hook.company_id, **json.loads(sent["route_json"])}

    @staticmethod
    def scoped(route: Mapping[str, Any], names: Iterable[str]) -> dict[str, Any]:
        """The named route keys, for a body or query scope."""
        return {name: route[name] for name in names}

    def classify(
        self,
        error: str,
        sent: Mapping[str, Any] | None = None,
        http_status: int | None = None,
        *,
        parent: Callable[[], Any] | None = None,
    ) -> str:
        """A refusal because the record is locked in Procore, or another failure (see :mod:`locking`).

        ``http_status`` is None for a sync item's own error. Without ``sent`` the refused write is a
        line of a record already in Procore (an invoice's item, a change order's line): ``parent``
        reads that record, whose status (approved: locked) decides when the message gives no hint.
        """
        procore_id = None if sent is None else sent.get("procore_id")
        in_procore = sent is None or not (procore_id is None or pd.isna(procore_id))

        def probe() -> Any:
            assert sent is not None and procore_id is not None
            call = show_call(self.point.load, self.route(sent), int(procore_id))
            return None if call is None else self.hook.request("GET", call[0], params=call[1] or None).json()

        refusal = Refusal(error, http_status, in_procore)
        return classify(
            rule_of(self.point.locks),
            refusal,
            has_origin_id=self.point.has_origin_id,
            probe=parent if sent is None else probe if in_procore else None,
        )

    def workflow(self, error: str, item: Mapping[str, Any], without_status: bool) -> bool:
        """Whether to retry a refused item once without its status (a workflow may control it)."""
        return not without_status and "status" in item and is_workflow_controlled(self.point.locks, error)

    # --- deletes / voids -------------------------------------------------------------------------
    def delete(self, sent: Mapping[str, Any], load: Load) -> None:
        """Deletes a record voided in the ERP, where Procore's API allows it for this record."""
        route = self.route(sent)
        deletable = all(route.get(name) in allowed for name, allowed in load.delete_only)
        if not load.delete_path or not deletable:
            self.outcome(
                sent,
                "locked",
                procore_id=sent["procore_id"],
                error=(
                    "voided in the ERP, but Procore's API offers no way to void or delete this record: "
                    "void it in Procore"
                ),
            )
            return
        try:
            self.hook.request(
                "DELETE",
                load.delete_path.format(id=int(sent["procore_id"]), **route),
                params=self.scoped(route, load.delete_scope or load.query_scope) or None,
            )
        except Exception as exc:  # noqa: BLE001 - every failure becomes this record's outcome
            if ends_the_load(exc):
                raise
            error = format_errors(getattr(exc, "errors", None)) or str(exc)
            if _is_transport(exc):
                self.outcome(sent, "failed", procore_id=sent["procore_id"], error=error, transport=True)
            else:
                status = self.classify(error, sent, getattr(exc, "status_code", None))
                self.outcome(sent, status, procore_id=sent["procore_id"], error=error)
            return
        self.outcome(
            sent, "deleted", procore_id=sent["procore_id"], note="voided in the ERP: deleted in Procore"
        )

    # --- sync actions ------------------------------------------------------------------------------
    def sync(self, rows: pd.DataFrame, load: SyncLoad) -> None:
        """Sends through the sync action, one call per route (deletes one by one)."""
        for _, group in rows.groupby(rows["route_json"].map(lambda r: _route_group(r, load)), sort=False):
            sending = group[group["action"].isin([CREATE, UPDATE])].to_dict(orient="records")
            for sent in group[group["action"] == DELETE].to_dict(orient="records"):
                self.delete(sent, load)
            if sending:
                self._sync_group(sending, load)

    def _sync_group(
        self,
        sending: list[dict[str, Any]],
        load: SyncLoad,
        *,
        without_status: bool = False,
        adopting: bool = False,
    ) -> None:
        route = self.route(sending[0])
        items = [self.item(sent, sync=True) for sent in sending]
        held = [hold_back(item, load.then_patch) for item in items]
        if without_status:
            for item in items:
                item.pop("status", None)
        kwargs: dict[str, Any] = {
            "body_scope": self.scoped(route, load.body_scope) or None,
            "query_scope": self.scoped(route, load.query_scope) or None,
            "items_key": load.items_key,
            "method": load.method,
        }
        outcomes = self.hook.sync(load.path.format(**route), items, **kwargs)
        if len(outcomes) != len(items):
            raise RuntimeError(
                f"{self.point.name}: hook returned {len(outcomes)} outcomes for {len(items)} items"
            )
        retry_without_status, adopt = [], []
        for outcome in outcomes:
            sent = sending[outcome.index]
            entity = outcome.entity or {}
            error = outcome.transport_error or format_errors(outcome.errors)
            if outcome.ok:
                procore_id = entity.get("id", sent["procore_id"])
                if self._then_patch(sent, load, procore_id, differing(held[outcome.index], entity)):
                    continue
                note = "status not changed: Procore's workflow controls it" if without_status else ""
                if adopting:
                    note = f"adopted Procore's {self.point.kind} {procore_id}, which already held this record"
                if sent.get("recreating"):
                    note = f"created again: Procore no longer had {self.point.kind} {sent['recreating']}"
                self.outcome(sent, "synced", procore_id=procore_id, note=note)
            elif outcome.transport_error:
                self.outcome(sent, "failed", procore_id=sent["procore_id"], error=error, transport=True)
            elif self.workflow(error, items[outcome.index], without_status):
                retry_without_status.append(sent)
            elif not adopting and pd.isna(sent["procore_id"]) and (taken := taken_by(error)) is not None:
                adopt.append({**sent, "procore_id": taken, "action": UPDATE})
            elif not adopting and self._id_gone(sent, error):
                # matched by id (no origin_id) and deleted in Procore by hand: ours, created again
                adopt.append(
                    {**sent, "procore_id": pd.NA, "action": CREATE, "recreating": int(sent["procore_id"])}
                )
            else:
                self.outcome(sent, self.classify(error, sent), procore_id=sent["procore_id"], error=error)
        if retry_without_status:
            self._sync_group(retry_without_status, load, without_status=True)
        if adopt:
            # A record without origin_id that Procore already holds (an earlier answer was lost, or the
            # ledger was rebuilt): update that one instead of failing forever.
            self._sync_group(adopt, load, adopting=True)

    def _id_gone(self, sent: Mapping[str, Any], error: str) -> bool:
        """A sync item matched by id that Procore says it does not have (procore-api.md's wording)."""
        known = not pd.isna(sent["procore_id"])
        return known and not self.point.has_origin_id and ID_NOT_FOUND in error

    def _then_patch(
        self, sent: Mapping[str, Any], load: SyncLoad, procore_id: Any, changes: dict[str, Any]
    ) -> bool:
        """PATCHes the fields the sync does not take where they differ; True when that failed (recorded)."""
        if load.then_patch is None or not changes or procore_id is None or pd.isna(procore_id):
            return False
        path, body = patch_call(load.then_patch, self.route(sent), int(procore_id), changes)
        try:
            self.hook.request("PATCH", path, json=body)
        except Exception as exc:  # noqa: BLE001 - every failure becomes this record's outcome
            if ends_the_load(exc):
                raise
            error = f"synced, but {', '.join(changes)} not set: " + (
                format_errors(getattr(exc, "errors", None)) or str(exc)
            )
            transport = _is_transport(exc)
            status = "failed" if transport else self.classify(error, sent, getattr(exc, "status_code", None))
            self.outcome(sent, status, procore_id=procore_id, error=error, transport=transport)
            return True
        return False

    # --- create / update without a sync action -----------------------------------------------------
    def create_update(self, rows: pd.DataFrame, load: CreateUpdateLoad) -> None:
        """Sends record by record where Procore has no sync action."""
        creates = int((rows["action"] == CREATE).sum())
        # Every create is looked up first (a crashed run may have created it without recording it):
        # by origin_id one by one for a few, by one listing of the scope for many.
        self._list_scope = creates > LOOKUPS_ONE_BY_ONE
        for sent in rows.to_dict(orient="records"):
            if sent["action"] == DELETE:
                self.delete(sent, load)
            else:
                self._write_one(sent, load)

    def _lookup(self, sent: Mapping[str, Any], load: CreateUpdateLoad, *, fresh: bool = False) -> int | None:
        """The Procore id of a record an earlier attempt may have created, found by its lookup fields.

        Lists without ``filters[origin_id]`` are read once per scope and reused for every record of
        the scope; ``fresh`` re-reads after a create whose answer was lost.
        """
        route = self.route(sent)
        wanted = {**json.loads(sent["payload_json"]), "origin_id": sent["origin_id"]}
        params = self.scoped(route, load.list_scope)
        if load.filters_by_origin_id and not (self._list_scope and not fresh):
            params["filters[origin_id]"] = sent["origin_id"]
        if load.list_path is None:
            raise RuntimeError(f"{self.point.name}: no list_path to look records up on")
        path = load.list_path.format(**route)
        listing_key = (path, json.dumps(params, sort_keys=True, default=str))
        if fresh or listing_key not in self._listings:
            self._listings[listing_key] = list(self.hook.paginate(path, params))
        for record in self._listings[listing_key]:
            if all(_same_value(record.get(f), wanted.get(f)) for f in load.lookup):
                return int(record["id"])
        return None

    def _write_one(
        self, sent: dict[str, Any], load: CreateUpdateLoad, *, without_status: bool = False
    ) -> None:
        """Creates or updates one record; a workflow-controlled status is retried without it."""
        route = self.route(sent)
        item = self.item(sent)
        if without_status:
            item.pop("status", None)
        body = {**self.scoped(route, load.body_scope), load.wrapper: item}
        params = self.scoped(route, load.query_scope) or None
        procore_id = sent["procore_id"]
        try:
            if load.create_path is None:
                response = self.hook.request(
                    "PATCH", load.update_path.format(**route), params=params, json=body
                )
                procore_id = None
            else:
                if pd.isna(procore_id):  # no confirmed id: an earlier attempt may have created it
                    found = self._lookup(sent, load)
                    procore_id = found if found is not None else procore_id
                if pd.isna(procore_id):
                    response = self._create(sent, load, load.create_path.format(**route), params, body)
                    if response is None:
                        return
                else:
                    response = self.hook.request(
                        "PATCH",
                        load.update_path.format(id=int(procore_id), **route),
                        params=params,
                        json=body,
                    )
        except Exception as exc:  # noqa: BLE001 - every failure becomes this record's outcome
            if ends_the_load(exc):
                raise
            error = format_errors(getattr(exc, "errors", None)) or str(exc)
            if _is_transport(exc):
                self.outcome(sent, "failed", procore_id=procore_id, error=error, transport=True)
            elif self._gone(exc, load, procore_id) and not sent.get("recreating"):
                # Deleted in Procore by hand while the ERP still has it: ours, so it is created again.
                self._write_one({**sent, "procore_id": pd.NA, "recreating": int(procore_id)}, load)
            elif self.workflow(error, item, without_status):
                self._write_one({**sent, "procore_id": procore_id}, load, without_status=True)
            else:
                known = {**sent, "procore_id": procore_id}
                status = self.classify(error, known, getattr(exc, "status_code", None))
                self.outcome(sent, status, procore_id=procore_id, error=error)
            return
        entity = response.json() if response.content else {}
        note = "status not changed: Procore's workflow controls it" if without_status else ""
        if sent.get("recreating"):
            note = (
                f"created again: Procore no longer had {self.point.kind} {sent['recreating']} (deleted there)"
            )
        self.outcome(sent, "synced", procore_id=entity.get("id", procore_id), note=note)

    @staticmethod
    def _gone(exc: Exception, load: CreateUpdateLoad, procore_id: Any) -> bool:
        """Procore answered 404 for the record the ledger knows, on a point that can create it again."""
        known = procore_id is not None and not pd.isna(procore_id)
        return known and load.create_path is not None and getattr(exc, "status_code", None) == 404

    def _create(
        self,
        sent: Mapping[str, Any],
        load: CreateUpdateLoad,
        path: str,
        params: dict[str, Any] | None,
        body: dict[str, Any],
    ) -> Any:
        """POSTs a new record and returns the response; None when a lost answer was found applied.

        A dropped connection may hide a create Procore applied: the record is looked up again before
        the failure counts (the failure is re-raised when it is not there).
        """
        try:
            return self.hook.request("POST", path, params=params, json=body, retry_on_connection_error=False)
        except Exception as exc:
            if ends_the_load(exc):
                raise
            if not _is_transport(exc):
                raise
            found = self._lookup(sent, load, fresh=True)
            if found is None:
                raise
        self.outcome(
            sent,
            "synced",
            procore_id=found,
            note="create answered with a dropped connection; found by origin_id",
        )
        return None


ID_NOT_FOUND = "Entity with this ID not found"  # a sync item's error for an unknown id (procore-api.md)
LOOKUPS_ONE_BY_ONE = 50  # creates in one load above which the scope is listed once instead

_TAKEN_BY = re.compile(r"already been taken \(by [\w ]*?(\d+)\)")


def taken_by(error: str) -> int | None:
    """The id of the record Procore says already holds the item's unique values, if it names one
    (``has already been taken (by budget line item 5)``)."""
    found = _TAKEN_BY.search(error)
    return int(found.group(1)) if found else None


def _same_value(found: Any, wanted: Any) -> bool:
    if isinstance(found, Mapping):  # Show may nest a reference: {"contract": {"id": 5}} style
        found = found.get("id")
    return wanted is not None and str(found) == str(wanted)


def _route_group(route_json: str, load: SyncLoad) -> str:
    route = json.loads(route_json)
    names = set(key_columns(load.path)) | set(load.body_scope) | set(load.query_scope)
    return json.dumps({k: route.get(k) for k in sorted(names) if k != "company_id"})


def outcomes_of(
    point: IntegrationPoint, planned: pd.DataFrame, send: Callable[[pd.DataFrame], list[dict[str, Any]]]
) -> pd.DataFrame:
    """Every load's frame: ``send`` gets the rows planned as create/update/delete and returns one
    outcome row per record; a record sent without an outcome is a bug, never a silent drop."""
    to_send = planned[planned["action"].isin(SENDING)].reset_index(drop=True)
    if to_send.empty:
        return pd.DataFrame(columns=OUTCOME_COLUMNS)
    frame = pd.DataFrame(send(to_send), columns=OUTCOME_COLUMNS)
    frame["procore_id"] = frame["procore_id"].astype("Int64")
    if len(frame) != len(to_send) or set(frame["erp_key"]) != set(to_send["erp_key"]):
        raise RuntimeError(f"{point.name}: {len(to_send)} records sent but {len(frame)} outcomes")
    return frame


def load(
    hook: ProcoreClient,
    point: IntegrationPoint,
    planned: pd.DataFrame,
    *,
    source: str,
    run_id: str,
    retrying: bool = False,
) -> pd.DataFrame:
    """Sends the rows planned as create/update/delete; returns one outcome row per sent record."""

    def send(rows: pd.DataFrame) -> list[dict[str, Any]]:
        loader = _Loader(hook, point, source=source, run_id=run_id, retrying=retrying)
        if isinstance(point.load, SyncLoad):
            loader.sync(rows, point.load)
        elif isinstance(point.load, CreateUpdateLoad):
            loader.create_update(rows, point.load)
        else:
            raise TypeError(f"{point.name}: its lines are loaded by erp_sync.item_update or line_items")
        return loader.rows

    return outcomes_of(point, planned, send)
