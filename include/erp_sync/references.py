"""Resolve a point's references (ERP keys of other points) to Procore ids through the ledger.

A reference resolves only when the referenced record is in the ledger with a Procore id and status
``synced`` or ``locked`` (a locked record still exists in Procore). Anything else blocks the record,
with a reason naming the missing reference and why it is missing.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa

from erp_sync import ledger
from erp_sync.declarations.model import IntegrationPoint, compose_keys
from erp_sync.declarations.registry import get_point

RESOLVING_STATUSES = ("synced", "locked")


@dataclass
class Resolved:
    """Procore ids per reference field (aligned with the rows) and the reasons rows are blocked."""

    ids: pd.DataFrame
    blocked: pd.Series


def resolve(point: IntegrationPoint, rows: pd.DataFrame, keys: pd.Series, engine: sa.Engine) -> Resolved:
    """Each reference's Procore id per row, and why a row is blocked (its first unresolved reference)."""
    ids = pd.DataFrame(index=rows.index)
    blocked = pd.Series(pd.NA, index=rows.index, dtype="string")
    for ref in point.references:
        target = get_point(ref.point)
        known = ledger.read_point(engine, ref.point)
        ref_keys = compose_keys(rows, ref.key)
        found = known.reindex(ref_keys.fillna("").to_numpy())
        ok = found["status"].isin(RESOLVING_STATUSES).to_numpy() & found["procore_id"].notna().to_numpy()
        resolved = pd.Series(pd.array(found["procore_id"].to_numpy(), dtype="Int64"), index=rows.index)
        resolved[~ok] = pd.NA
        # Several optional references may feed one field (a payment's contract: commitment or prime).
        ids[ref.field] = ids[ref.field].fillna(resolved) if ref.field in ids else resolved
        missing_key = ref_keys.isna().to_numpy()
        state = found["status"].fillna("not in the ledger (never extracted)").astype("string")
        why = found["last_error"].fillna("").astype("string")
        reason = (
            f"{point.name} {point.erp_key_label}="
            + keys.astype("string")
            + f": blocked: references {target.name} {target.erp_key_label}="
            + ref_keys.fillna("").astype("string")
            + " which is "
            + pd.Series(state.to_numpy(), index=rows.index)
            + pd.Series(why.to_numpy(), index=rows.index).map(lambda w: f" ({w})" if w else "")
        )
        dangling = pd.Series(False, index=rows.index)
        if ref.present:
            raw = rows[ref.present].astype("string").str.strip().str.removesuffix(".0")
            dangling = raw.notna() & (raw != "") & pd.Series(missing_key, index=rows.index)
            reason = reason.where(
                ~dangling,
                f"{point.name} {point.erp_key_label}="
                + keys.astype("string")
                + f": blocked: references {target.name} with ERP id "
                + raw.fillna("")
                + f" ({ref.present}), which does not exist in the ERP",
            )
        if ref.optional:
            needs_block = (~ok & ~missing_key) | dangling.to_numpy()
        else:
            reason = reason.where(
                ~(pd.Series(missing_key, index=rows.index) & ~dangling),
                (
                    f"{point.name} {point.erp_key_label}="
                    + keys.astype("string")
                    + f": missing reference to {target.name} ({ref.key} is blank)"
                ),
            )
            needs_block = ~ok
        blocked = blocked.where(~(pd.Series(needs_block, index=rows.index) & blocked.isna()), reason)
    return Resolved(ids=ids, blocked=blocked)
