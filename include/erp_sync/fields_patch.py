"""Fields a sync action does not accept, sent after the sync by the record's own update.

Procore's ``PATCH /rest/v1.0/projects/sync`` items have no ``origin_code`` while ``PATCH
/rest/v1.0/projects/{id}`` has: sending it in the sync would be refused (or silently dropped by real
Procore). The point declares such fields in a :class:`~erp_sync.declarations.model.FieldsPatch`; they
are held back from each sync item and PATCHed only where the synced entity shows another value.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from erp_sync.declarations.model import FieldsPatch


def hold_back(item: dict[str, Any], patch: FieldsPatch | None) -> dict[str, Any]:
    """Removes the fields the sync does not take from one sync item and returns them."""
    if patch is None:
        return {}
    return {name: item.pop(name) for name in patch.fields if name in item}


def differing(held: Mapping[str, Any], entity: Mapping[str, Any]) -> dict[str, Any]:
    """The held fields whose value in the synced entity differs (what the PATCH must carry)."""
    return {name: value for name, value in held.items() if value is not None and entity.get(name) != value}


def patch_call(
    patch: FieldsPatch, route: Mapping[str, Any], procore_id: int, changes: Mapping[str, Any]
) -> tuple[str, dict[str, Any]]:
    """The path and JSON body of the follow-up update of one record."""
    body = {**{name: route[name] for name in patch.body_scope}, patch.wrapper: dict(changes)}
    return patch.path.format(id=procore_id, **route), body
