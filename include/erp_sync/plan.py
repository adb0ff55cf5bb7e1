"""Plan: compare each valid payload's content hash with the ledger to decide what to send.

Only what changed since the last successful sync is sent; a record Procore refused as locked is not
retried until its ERP content changes; a record voided in the ERP is voided or deleted in Procore once.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import numpy as np
import pandas as pd

from erp_sync.declarations.model import VOID
from erp_sync.values import plain

CREATE, UPDATE, UNCHANGED, LOCKED, DELETE, VOID_UNSENT = (
    "create",
    "update",
    "unchanged",
    "locked",
    "delete",
    "void_unsent",
)
SENDING = (CREATE, UPDATE, DELETE)


def canonical_json(payload: dict[str, Any]) -> str:
    """One text per content (sorted keys, no spaces), so equal payloads hash equal."""
    return json.dumps(
        payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_json_default
    )


def _json_default(value: object) -> object:
    converted = plain(value)
    return converted if converted is not value else str(value)


def content_hash(payload_json: pd.Series, route_json: pd.Series | None = None) -> pd.Series:
    """SHA-256 of payload and route: a change to either is a change to send."""
    text = (
        payload_json.astype("string")
        if route_json is None
        else (payload_json.astype("string") + "|" + route_json.astype("string"))
    )
    return text.map(lambda t: hashlib.sha256(t.encode()).hexdigest())


def plan(payloads: pd.DataFrame, ledger: pd.DataFrame) -> pd.DataFrame:
    """Adds ``content_hash``, ``action`` and the known ``procore_id`` to each valid payload row."""
    planned = payloads.copy()
    if "route_json" not in planned:
        planned["route_json"] = "{}"
    if "scope_key" not in planned:
        planned["scope_key"] = ""
    planned["content_hash"] = content_hash(planned["payload_json"], planned["route_json"])
    known = ledger.reindex(planned["erp_key"].to_numpy())
    procore_id = known["procore_id"].astype("Int64").to_numpy()
    same_hash = np.asarray(known["content_hash"].to_numpy() == planned["content_hash"].to_numpy(), dtype=bool)
    status = known["status"].to_numpy()
    void = np.asarray([bool(json.loads(r).get(VOID)) for r in planned["route_json"]], dtype=bool)
    planned["procore_id"] = pd.array(procore_id, dtype="Int64")
    has_id = np.asarray(~pd.isna(procore_id), dtype=bool)
    action = pd.Series(CREATE, index=planned.index, dtype="string")
    action[has_id] = UPDATE
    action[has_id & same_hash & (status == "synced")] = UNCHANGED
    action[same_hash & (status == "locked")] = LOCKED
    action[void & has_id] = DELETE
    action[void & ~has_id] = VOID_UNSENT
    # Deleted in Procore, or voided before it was ever synced (status void_unsynced): nothing to do.
    action[void & np.isin(status, ("deleted", "void_unsynced"))] = UNCHANGED
    action[void & same_hash & (status == "locked")] = LOCKED
    planned["action"] = action
    planned["previous_status"] = known["status"].to_numpy()
    planned["previous_error"] = known["last_error"].to_numpy()
    return planned


def sending_scopes(planned: pd.DataFrame) -> list[str]:
    """The scopes (projects, or "" for the company) with something to send, each loaded by one task."""
    return sorted(planned.loc[planned["action"].isin(SENDING), "scope_key"].unique().tolist())
