"""Transform: canonical rows → candidate payloads, then validation (:mod:`erp_sync.validate`).

The point's mapping supplies its fields; everything the declaration already says is added here, the
same way for every point: the origin_id (from ``kind`` and the ERP key), the Procore ids of its
references (into the payload, the route or each line, as each reference declares), and, for a point
whose ERP rows are lines, one record per ERP key carrying its lines.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from erp_sync.declarations.model import IntegrationPoint, Lines, compose_keys
from erp_sync.origin import origin_ids
from erp_sync.references import Resolved
from erp_sync.validate import Validated, validate
from erp_sync.values import present_items


@dataclass
class Mapped:
    """A point's mapped rows, split by where each column goes (all index-aligned with the rows).

    ``payload`` holds the fields sent to Procore, ``route`` what addresses or steers the call (path
    keys, ``void``), ``lines`` each row's line fields for a point declaring :class:`Lines`.
    """

    payload: pd.DataFrame
    route: pd.DataFrame
    lines: pd.DataFrame | None = None


def transform(
    point: IntegrationPoint,
    rows: pd.DataFrame,
    *,
    source: str,
    default_country: str,
    keys: pd.Series | None = None,
    resolved: Resolved | None = None,
) -> Validated:
    """Maps, completes and validates a point's canonical rows; keeps a reason for every row held back.

    ``keys`` default to the point's composed ERP keys; ``resolved`` (the references looked up in the
    ledger, :func:`erp_sync.references.resolve`) is required when the point has references.
    """
    keys = compose_keys(rows, point.key) if keys is None else keys
    if resolved is None:
        if point.references:
            raise ValueError(f"{point.name}: its references must be resolved before the transform")
        resolved = Resolved(
            ids=pd.DataFrame(index=rows.index), blocked=pd.Series(pd.NA, index=rows.index, dtype="string")
        )
    scope_keys = rows[point.scope_column].astype("string").str.strip() if point.scope_column else None
    mapped = map_point(point, rows, keys, resolved, source=source, default_country=default_country)
    blocked = resolved.blocked
    if point.lines is not None:
        rows, keys, scope_keys, mapped, blocked = group_lines(
            point.lines, rows, keys, scope_keys, mapped, blocked
        )
    return validate(
        point, keys, mapped.payload, mapped.route, scope_keys=scope_keys, blocked=blocked, rows=rows
    )


def map_point(
    point: IntegrationPoint,
    rows: pd.DataFrame,
    keys: pd.Series,
    resolved: Resolved,
    *,
    source: str,
    default_country: str,
) -> Mapped:
    """The point's mapping, plus its origin_id and reference ids where the declaration puts them."""
    frame = point.mapping(rows, default_country=default_country)
    route_fields = list(point.route_fields)
    mapped = Mapped(
        payload=frame.drop(columns=route_fields),
        route=frame[route_fields].copy(),
        lines=point.lines.mapping(rows, default_country=default_country) if point.lines else None,
    )
    if point.has_origin_id:
        mapped.payload["origin_id"] = origin_ids(source, point.kind, keys)
    for ref in point.references:
        target = mapped.route if ref.in_route else mapped.lines if ref.on_line else mapped.payload
        assert target is not None  # IntegrationPoint checks that a line reference has Lines
        ids = resolved.ids[ref.field]
        # A blocked row gets a stand-in id so validation judges only its own data (it is never sent).
        target[ref.field] = ids.mask(resolved.blocked.notna() & ids.isna(), 0)
    return mapped


def group_lines(
    lines: Lines,
    rows: pd.DataFrame,
    keys: pd.Series,
    scope_keys: pd.Series | None,
    mapped: Mapped,
    blocked: pd.Series,
) -> tuple[pd.DataFrame, pd.Series, pd.Series | None, Mapped, pd.Series]:
    """Rows sharing an ERP key are the lines of one record: one row per record, its lines in ``field``.

    A record is blocked when any of its lines is (the first line's reason is kept). Rows without a
    key stay separate so validation rejects each of them.
    """
    assert mapped.lines is not None
    group = keys.fillna(pd.Series(["\0row" + str(i) for i in range(len(keys))], index=keys.index))
    first = ~group.duplicated()
    by_group: dict[str, list[dict[str, object]]] = {}
    for name, record in zip(group, mapped.lines.to_dict(orient="records"), strict=True):
        by_group.setdefault(name, []).append(present_items(record))
    payload = mapped.payload.loc[first].copy()
    payload[lines.field] = [by_group[name] for name in group[first]]
    first_blocked = blocked.groupby(group, sort=False).first()
    return (
        rows[first],
        keys[first],
        scope_keys[first] if scope_keys is not None else None,
        Mapped(payload=payload, route=mapped.route.loc[first]),
        pd.Series(first_blocked.reindex(group[first]).to_numpy(), index=payload.index, dtype="string"),
    )
