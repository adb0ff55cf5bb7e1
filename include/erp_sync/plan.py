"""Plan: compare each valid payload's content hash with the ledger to decide create, update or skip.

Only what changed since the last successful sync is sent; a record Procore refused as locked is not
retried until its ERP content changes.
"""

from __future__ import annotations

import hashlib
import json

import pandas as pd

CREATE, UPDATE, UNCHANGED, LOCKED = "create", "update", "unchanged", "locked"
SENDING = (CREATE, UPDATE)


def canonical_json(payload: dict) -> str:
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def content_hash(payload_json: pd.Series) -> pd.Series:
    return payload_json.map(lambda text: hashlib.sha256(text.encode()).hexdigest())


def plan(payloads: pd.DataFrame, ledger: pd.DataFrame) -> pd.DataFrame:
    """Adds ``content_hash``, ``action`` and the known ``procore_id`` to each valid payload row."""
    planned = payloads.copy()
    planned["content_hash"] = content_hash(planned["payload_json"])
    known = ledger.reindex(planned["erp_key"].to_numpy())
    procore_id = known["procore_id"].astype("Int64").to_numpy()
    same_hash = known["content_hash"].to_numpy() == planned["content_hash"].to_numpy()
    status = known["status"].to_numpy()
    planned["procore_id"] = pd.array(procore_id, dtype="Int64")
    has_id = ~pd.isna(procore_id)
    action = pd.Series(CREATE, index=planned.index, dtype="string")
    action[has_id] = UPDATE
    action[has_id & same_hash & (status == "synced")] = UNCHANGED
    action[same_hash & (status == "locked")] = LOCKED
    planned["action"] = action
    planned["previous_error"] = known["last_error"].to_numpy()
    return planned
