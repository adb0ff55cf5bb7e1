"""origin_id namespacing and the origin_data stamp written on every Procore record the pipeline owns.

origin_id is unique per resource type within a Procore company, and only one integration may own it,
so ids are ``<source>:<kind>:<erp key>``: two ERPs or two kinds of record can never collide.
origin_data is a compact JSON stamp (≤ 1 KB, documented in the README) and never holds secrets.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pandas as pd

ORIGIN_DATA_MAX_BYTES = 1024


def origin_ids(source: str, kind: str, erp_keys: pd.Series) -> pd.Series:
    """``<source>:<kind>:<erp key>`` per row (missing where the key is)."""
    return f"{source}:{kind}:" + erp_keys.astype("string").str.strip()


def origin_data_stamp(
    *, source: str, erp_key: str, content_hash: str, run_id: str, at: datetime | None = None
) -> str:
    """The JSON stamp: source system, ERP key, short content hash, Airflow run id, sync time."""
    stamp = {
        "src": source,
        "key": erp_key,
        "hash": content_hash[:16],
        "run": run_id,
        "at": (at or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    text = json.dumps(stamp, separators=(",", ":"), ensure_ascii=False)
    if len(text.encode()) > ORIGIN_DATA_MAX_BYTES:
        stamp["key"] = erp_key[:200]
        stamp["run"] = run_id[:200]
        text = json.dumps(stamp, separators=(",", ":"), ensure_ascii=False)
    return text
