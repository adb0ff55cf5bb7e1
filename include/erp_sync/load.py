"""Load: send planned creates and updates through Procore sync actions and classify each outcome.

Every submitted record comes back as exactly one outcome (synced, failed or locked, with Procore's
message); nothing sent is lost, even when a whole batch fails in transport.
"""

from __future__ import annotations

import json
import re
from typing import Any, Protocol

import pandas as pd

from erp_sync.declarations import IntegrationPoint
from erp_sync.origin import origin_data_stamp
from erp_sync.plan import SENDING

# Procore's record-locking refusals (approved commitments, immutable records with origin_id).
_LOCK_MESSAGE = re.compile(r"locked|immutable|cannot be (modified|changed|edited)|read[- ]only", re.IGNORECASE)

OUTCOME_COLUMNS = ["erp_key", "action", "status", "procore_id", "error", "transport_error"]


class SyncClient(Protocol):
    """What load needs of the Procore hook (kept narrow so tests can pass the real hook or another)."""

    company_id: int

    def sync(self, path: str, items: list[dict], **kwargs: Any) -> list[Any]: ...


def build_items(point: IntegrationPoint, to_send: pd.DataFrame, *, source: str, run_id: str) -> list[dict]:
    items = []
    for erp_key, payload_json, content_hash in to_send[["erp_key", "payload_json", "content_hash"]].itertuples(
        index=False
    ):
        item = json.loads(payload_json)
        item["origin_data"] = origin_data_stamp(
            source=source, erp_key=erp_key, content_hash=content_hash, run_id=run_id
        )
        items.append(item)
    return items


def sync_scope(point: IntegrationPoint, company_id: int) -> dict[str, Any]:
    if point.scope == "company" and point.scope_in == "body":
        return {"body_scope": {"company_id": company_id}}
    raise NotImplementedError(f"{point.name}: scope {point.scope}/{point.scope_in} is not wired yet")


def format_errors(errors: dict[str, list[str]] | None) -> str:
    if not errors:
        return ""
    return "; ".join(f"{field}: {', '.join(map(str, msgs)) if isinstance(msgs, list) else msgs}" for field, msgs in errors.items())


def load(hook: SyncClient, point: IntegrationPoint, planned: pd.DataFrame, *, source: str, run_id: str) -> pd.DataFrame:
    """Sends the rows planned as create/update; returns one outcome row per sent record."""
    to_send = planned[planned["action"].isin(SENDING)].reset_index(drop=True)
    if to_send.empty:
        return pd.DataFrame(columns=OUTCOME_COLUMNS)
    items = build_items(point, to_send, source=source, run_id=run_id)
    outcomes = hook.sync(point.sync_path, items, **sync_scope(point, hook.company_id))
    if len(outcomes) != len(items):
        raise RuntimeError(f"{point.name}: hook returned {len(outcomes)} outcomes for {len(items)} items")
    rows = []
    for outcome in outcomes:
        sent = to_send.iloc[outcome.index]
        entity = outcome.entity or {}
        error = outcome.transport_error or format_errors(outcome.errors)
        if outcome.ok:
            status = "synced"
        elif not outcome.transport_error and _LOCK_MESSAGE.search(error):
            status = "locked"
        else:
            status = "failed"
        rows.append(
            {
                "erp_key": sent["erp_key"],
                "action": sent["action"],
                "status": status,
                "procore_id": entity.get("id", sent["procore_id"]),
                "error": f"{point.name} {point.erp_key_label}={sent['erp_key']}: {error}" if error else None,
                "transport_error": bool(outcome.transport_error),
            }
        )
    frame = pd.DataFrame(rows, columns=OUTCOME_COLUMNS)
    frame["procore_id"] = frame["procore_id"].astype("Int64")
    return frame
