"""Validate mapped payloads with the point's pydantic model; rejected rows get a reason per record.

A reason always names the point, the ERP key and the field, e.g.
``vendors vendor_no=V1042: field 'state_code': 'ZZ' is not an ISO-3166-2 subdivision of US``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import pandas as pd
from pydantic import TypeAdapter, ValidationError

from erp_sync.codes import code_reasons
from erp_sync.declarations.model import CreateUpdateLoad, IntegrationPoint, key_columns
from erp_sync.plan import canonical_json
from erp_sync.values import present_items


@dataclass
class Validated:
    """Valid payloads, and the rows rejected (bad data) or blocked (missing reference) with reasons."""

    payloads: pd.DataFrame  # erp_key, scope_key, origin_id, payload_json, route_json (canonical JSON)
    rejected: pd.DataFrame  # erp_key, scope_key, reason
    blocked: pd.DataFrame  # erp_key, scope_key, reason

    @property
    def records(self) -> int:
        """Records judged (after grouping lines): each is exactly one of valid, rejected or blocked."""
        return len(self.payloads) + len(self.rejected) + len(self.blocked)


def _format_error(point: IntegrationPoint, erp_key: str, error: dict[str, Any]) -> str:
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


MAX_KEY_LENGTH = 255  # the ledger's erp_key column (and Procore's origin_id, which holds the key)


def long_key_reasons(point: IntegrationPoint, keys: pd.Series) -> pd.Series:
    """Why a row's ERP key cannot be kept: longer than the ledger and Procore's origin_id hold."""
    lengths = keys.astype("string").str.len()
    reasons = (
        f"{point.name} {point.erp_key_label}="
        + keys.astype("string").str.slice(0, 60)
        + "…: record: ERP key of "
        + lengths.astype("string")
        + f" characters, longer than {MAX_KEY_LENGTH} (the ledger and Procore's origin_id hold "
        f"{MAX_KEY_LENGTH}): shorten the key columns {', '.join(key_columns(point.key))} in {point.sql_file}"
    )
    return reasons.where(lengths > MAX_KEY_LENGTH)


def ledger_keys(keys: pd.Series, rows: pd.DataFrame | None) -> pd.Series:
    """The key each row is recorded under in the ledger: its ERP key, or for a row without one (or one
    too long to keep) a key of its own, ``row:`` and a digest of its values, so every row held back
    has its own ledger entry instead of sharing ``''``."""
    result = keys.astype("string")
    too_long = (result.str.len() > MAX_KEY_LENGTH).fillna(False)
    if too_long.any():  # digests only for the rows that need one
        long_keys = result[too_long]
        result[too_long] = long_keys.str.slice(0, 200) + "…" + long_keys.map(_digest).astype("string")
    missing = result.isna()
    if rows is not None and missing.any():
        values = rows.loc[missing].drop(columns=["updated_at"], errors="ignore").astype("string")
        identity = values.fillna("\u2205").agg("\x1f".join, axis=1).map(_digest)
        result[missing] = "row:" + identity.astype("string")
    return result.fillna("")


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def missing_key_reasons(
    point: IntegrationPoint, keys: pd.Series, rows: pd.DataFrame | None = None
) -> pd.Series:
    """Why a row has no ERP key: which of the key's columns are blank (e.g. a dangling parent)."""
    reasons = pd.Series(
        f"{point.name} row: field '{point.erp_key_label}': missing ERP key", index=keys.index, dtype="string"
    )
    if rows is not None:
        for column in key_columns(point.key):
            blank = rows[column].isna() | (rows[column].astype("string").str.strip() == "")
            reasons = reasons.where(
                ~blank,
                f"{point.name} row: field '{column}': blank, so the ERP key {point.key} cannot be formed "
                "(does the row reference a record missing from the ERP?)",
            )
    return reasons.where(keys.isna())


def validate(
    point: IntegrationPoint,
    keys: pd.Series,
    payload: pd.DataFrame,
    route: pd.DataFrame | None = None,
    *,
    scope_keys: pd.Series | None = None,
    blocked: pd.Series | None = None,
    rows: pd.DataFrame | None = None,
) -> Validated:
    """Runs the payload model over every mapped row in one batch, collecting per-row errors.

    ``payload`` holds the fields to send, ``route`` the point's route keys (both index-aligned with
    ``keys``). Bad data wins over a missing reference: a row that is both is rejected, since fixing
    the reference alone would not let it through.
    """
    route = route if route is not None else pd.DataFrame(index=keys.index)
    scope_keys = scope_keys if scope_keys is not None else pd.Series("", index=keys.index, dtype="string")
    blocked = blocked if blocked is not None else pd.Series(pd.NA, index=keys.index, dtype="string")
    reasons = find_duplicate_keys(point, keys).fillna(missing_key_reasons(point, keys, rows))
    reasons = reasons.fillna(long_key_reasons(point, keys))
    reasons = reasons.fillna(route_reasons(point, keys, route, blocked))
    label = f"{point.name} {point.erp_key_label}=" + keys.astype("string")
    reasons = reasons.fillna(code_reasons(label, payload)).fillna(code_reasons(label, route))
    candidates = payload[reasons.isna()]
    records = [present_items(row) for row in candidates.to_dict(orient="records")]
    adapter = TypeAdapter(list[point.payload_model])  # type: ignore[name-defined]
    for position, message in _model_errors(point, keys, candidates.index, adapter, records).items():
        reasons.loc[candidates.index[position]] = message
    is_blocked = reasons.isna() & blocked.notna()
    good_positions = [
        i
        for i, index in enumerate(candidates.index)
        if pd.isna(reasons.loc[index]) and not is_blocked.loc[index]
    ]
    models = adapter.validate_python([records[i] for i in good_positions])
    good_index = candidates.index[good_positions]
    payloads = pd.DataFrame(
        {
            "erp_key": keys.loc[good_index].astype("string").to_numpy(),
            "scope_key": scope_keys.loc[good_index].astype("string").fillna("").to_numpy(),
            "origin_id": [getattr(m, "origin_id", None) for m in models],
            "payload_json": [canonical_json(m.to_procore()) for m in models],
            "route_json": [
                canonical_json(present_items(r)) for r in route.loc[good_index].to_dict(orient="records")
            ],
        }
    )
    recorded_as = ledger_keys(keys, rows)
    return Validated(
        payloads=payloads,
        rejected=_reason_frame(recorded_as, scope_keys, reasons, reasons.notna()),
        blocked=_reason_frame(recorded_as, scope_keys, blocked, is_blocked),
    )


def route_reasons(
    point: IntegrationPoint, keys: pd.Series, route: pd.DataFrame, blocked: pd.Series
) -> pd.Series:
    """Why a row's call cannot be addressed: a route value not declared, or a route key missing.

    A missing key of a blocked row is the missing reference's fault, already reported as blocked.
    """
    label = f"{point.name} {point.erp_key_label}=" + keys.astype("string")
    reasons = pd.Series(pd.NA, index=keys.index, dtype="string")
    for name, allowed in point.route_values:
        value = route[name]
        reasons = reasons.fillna(
            (
                label
                + f": field '{name}': "
                + value.astype("string").fillna("missing")
                + f" is not one of {', '.join(allowed)}"
            ).where(~value.isin(allowed))
        )
    for name in required_route_keys(point):
        value = route[name] if name in route else pd.Series(pd.NA, index=keys.index)
        reasons = reasons.fillna(
            pd.Series(label + f": field '{name}': missing", index=keys.index).where(
                value.isna() & blocked.isna()
            )
        )
    return reasons


def _model_errors(
    point: IntegrationPoint,
    keys: pd.Series,
    index: pd.Index,
    adapter: TypeAdapter[list[Any]],
    records: list[dict[str, Any]],
) -> dict[int, str]:
    """The payload model's complaints per record position, each naming the record and the field."""
    bad: dict[int, list[str]] = {}
    try:
        adapter.validate_python(records)
    except ValidationError as exc:
        for error in exc.errors():
            position = int(error["loc"][0])
            erp_key = str(keys.loc[index[position]])
            bad.setdefault(position, []).append(_format_error(point, erp_key, dict(error)))
    return {position: "; ".join(messages) for position, messages in bad.items()}


def required_route_keys(point: IntegrationPoint) -> list[str]:
    """Route keys the point's calls cannot be addressed without (``company_id`` comes from the hook)."""
    load = point.load
    path = (load.create_path or load.update_path) if isinstance(load, CreateUpdateLoad) else load.path
    names = set(key_columns(path)) | set(load.body_scope) | set(load.query_scope)
    return sorted(names - {"company_id", "id"})


def _reason_frame(
    keys: pd.Series, scope_keys: pd.Series, reasons: pd.Series, mask: pd.Series
) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "erp_key": keys[mask].astype("string").fillna("").to_numpy(),
            "scope_key": scope_keys[mask].astype("string").fillna("").to_numpy(),
            "reason": reasons[mask].astype("string").to_numpy(),
        }
    )
