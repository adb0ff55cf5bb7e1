"""``PATCH /rest/v1.0/requisitions/{requisition_id}/bulk_item_update``: sets an invoice's amounts item
by item. All items are checked before any is stored; a problem answers 422 naming
``requisition_items[i].field``. (The items are listed by the generic ``.../contract_items`` route.)
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from ..core import ResourceEngine
from ..fields import Errors, add_error
from ..records import Placement, StoredRecord
from ..resources.requisition_items import BULK_ITEM_UPDATE
from ..schema import Op
from ..state import EmulatorState
from .common import ApiError, check_query, check_top_level, context, read_json, resolve_placement

RULES = BULK_ITEM_UPDATE


def add_bulk_item_update(app: FastAPI, state: EmulatorState, engine: ResourceEngine) -> None:
    spec = state.spec("requisition_items")

    @app.patch(RULES.path, tags=["requisitions"], summary="Bulk update requisition items")
    async def bulk_item_update(request: Request, requisition_id: str) -> JSONResponse:
        check_query(request, RULES, spec)
        body = check_top_level(await read_json(request), RULES)
        items = body[RULES.wrapper or ""]
        if not isinstance(items, list):
            raise ApiError(400, "requisition_items must be an array of item objects")
        context(request).items = len(items)
        where = resolve_placement(spec, Op.LIST, request, None, state)
        with state.transaction() as changed:
            plans, errors = _plan(state, engine, where, items, changed)
            if errors:
                raise ApiError(422, errors)
            done = []
            for target, payload in plans:
                rec, _ = engine.write(
                    spec, where, payload, target, via_sync=False, changed=changed, rules=RULES
                )
                done.append(rec or target)
            return JSONResponse([state.render(rec) for rec in done])


def _plan(
    state: EmulatorState,
    engine: ResourceEngine,
    where: Placement,
    items: list[Any],
    changed: list[StoredRecord],
) -> tuple[list[tuple[StoredRecord, dict[str, Any]]], Errors]:
    """Each item's stored record and checked change, or the errors under ``requisition_items[i]``."""
    spec = state.spec("requisition_items")
    plans: list[tuple[StoredRecord, dict[str, Any]]] = []
    errors: Errors = {}
    for index, item in enumerate(items):
        prefix = f"requisition_items[{index}]"
        if not isinstance(item, dict):
            add_error(errors, prefix, "must be an item object")
            continue
        payload = dict(item)
        item_id = payload.pop("id", None)
        target = (
            state.get(spec.name, item_id)
            if isinstance(item_id, int) and not isinstance(item_id, bool)
            else None
        )
        if target is None or target.scope.get("requisition_id") != where.scope.get("requisition_id"):
            add_error(
                errors, f"{prefix}.id", f"item {item_id} is not an item of this requisition (send its id)"
            )
            continue
        kind = payload.get("item_type")
        if kind is not None and kind != target.fields.get("item_type"):
            add_error(
                errors, f"{prefix}.item_type", f"item {target.id} is a {target.fields.get('item_type')}"
            )
        _, problems = engine.write(
            spec, where, payload, target, via_sync=False, changed=changed, apply=False, rules=RULES
        )
        for key, messages in problems.items():
            for message in messages:
                add_error(errors, f"{prefix}.{key}", message)
        plans.append((target, payload))
    return plans, errors
