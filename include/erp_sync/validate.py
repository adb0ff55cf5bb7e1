"""Validate mapped payloads with the point's pydantic model; rejected rows get a reason per record.

A reason always names the point, the ERP key and the field, e.g.
``vendors vendor_no=V1042: field 'state_code': 'ZZ' is not an ISO-3166-2 subdivision of US``.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from pydantic import TypeAdapter, ValidationError

from erp_sync.declarations import IntegrationPoint
from erp_sync.plan import canonical_json


@dataclass
class Validated:
    """Valid payload dicts (by row) and rejected rows with their reasons."""

    payloads: pd.DataFrame  # columns: erp_key, origin_id, payload_json (canonical JSON text)
    rejected: pd.DataFrame  # columns: erp_key, reason


def _format_error(point: IntegrationPoint, erp_key: str, error: dict) -> str:
    loc = [str(part) for part in error.get("loc", ())[1:]]
    message = error.get("msg", "invalid").removeprefix("Value error, ")
    field = ".".join(loc)
    if not field and ": " in message and message.split(": ", 1)[0].isidentifier():
        field, message = message.split(": ", 1)
    where = f"field '{field}'" if field else "record"
    return f"{point.name} {point.erp_key_label}={erp_key}: {where}: {message}"


def find_duplicate_keys(point: IntegrationPoint, keys: pd.Series) -> pd.Series:
    """Reason per row whose ERP key is shared with another row (which row is right is unknowable)."""
    counts = keys.map(keys.value_counts())
    reasons = (
        f"{point.name} {point.erp_key_label}="
        + keys.astype("string")
        + ": record: duplicate ERP key, "
        + counts.astype("string")
        + " rows share it"
    )
    return reasons.where(counts > 1)


def missing_key_reasons(point: IntegrationPoint, keys: pd.Series) -> pd.Series:
    return pd.Series(
        f"{point.name} row: field '{point.erp_key_label}': missing ERP key", index=keys.index, dtype="string"
    ).where(keys.isna())


def validate(point: IntegrationPoint, keys: pd.Series, mapped: pd.DataFrame) -> Validated:
    """Runs the payload model over every mapped row, in one batch, collecting per-row errors."""
    reasons = find_duplicate_keys(point, keys).fillna(missing_key_reasons(point, keys))
    candidates = mapped[reasons.isna()]
    records = [
        {k: v for k, v in row.items() if not _is_missing(v)} for row in candidates.to_dict(orient="records")
    ]
    adapter = TypeAdapter(list[point.payload_model])
    bad: dict[int, list[str]] = {}
    try:
        adapter.validate_python(records)
    except ValidationError as exc:
        for error in exc.errors():
            position = int(error["loc"][0])
            erp_key = str(keys.loc[candidates.index[position]])
            bad.setdefault(position, []).append(_format_error(point, erp_key, error))
    good_positions = [i for i in range(len(records)) if i not in bad]
    models = adapter.validate_python([records[i] for i in good_positions])
    for position, messages in bad.items():
        reasons.loc[candidates.index[position]] = "; ".join(messages)
    good_index = candidates.index[good_positions]
    payloads = pd.DataFrame(
        {
            "erp_key": keys.loc[good_index].astype("string").to_numpy(),
            "origin_id": [m.origin_id for m in models],
            "payload_json": [canonical_json(m.to_procore()) for m in models],
        }
    )
    rejected_mask = reasons.notna()
    rejected = pd.DataFrame(
        {
            "erp_key": keys[rejected_mask].astype("string").fillna("").to_numpy(),
            "reason": reasons[rejected_mask].to_numpy(),
        }
    )
    return Validated(payloads=payloads, rejected=rejected)


def _is_missing(value: object) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False
