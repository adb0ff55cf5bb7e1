"""The generic resource engine: list, show, create, update and sync for any declared resource.

HTTP-free on purpose: routes in ``app.py`` translate requests into these calls and results into
responses, so the sync matching rules live in one place whatever the resource.

Sync matching (procore-api.md): ``origin_id`` only → update the record holding it, else create;
``id`` only → update, else the item fails with "Entity with this ID not found"; both → the record
found by id gets the new origin_id (the only way to change one); neither → create without origin_id.
Items are applied in order, so when two items in one batch carry the same origin_id the second
updates the record the first created (or updated), exactly as two consecutive calls would.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from .schema import Errors, ResourceSpec, add_error, merge_errors, validate_payload
from .state import EmulatorState, StoredRecord

ORIGIN_CHANGE_MESSAGE = (
    "cannot be changed here once set; send both id and origin_id to the sync action to change it"
)
ORIGIN_TAKEN_MESSAGE = "has already been taken"
NOT_FOUND_MESSAGE = "Entity with this ID not found"


class NotFound(Exception):
    """The addressed record does not exist in the caller's company and scope."""


@dataclass(frozen=True)
class Placement:
    """Where a request operates: its company and any further scope (e.g. ``{"project_id": 1}``)."""

    company_id: int
    scope: Mapping[str, int]


class ResourceEngine:
    """Applies the generic rules to an :class:`EmulatorState`."""

    def __init__(self, state: EmulatorState) -> None:
        self.state = state

    # reads ---------------------------------------------------------------------------------------

    def _visible(self, rec: StoredRecord, where: Placement) -> bool:
        return rec.company_id == where.company_id and all(
            rec.scope.get(k) == v for k, v in where.scope.items()
        )

    def select(
        self,
        spec: ResourceSpec,
        where: Placement,
        predicates: list[Callable[[StoredRecord], bool]],
        sort_key: Callable[[StoredRecord], Any] | None = None,
        origin_id: str | None = None,
    ) -> list[StoredRecord]:
        """Records in the placement that pass every predicate; ``origin_id`` narrows the scan to the
        one record holding it (the pipeline's ledger-recovery lookups stay fast on big sandboxes)."""
        if origin_id is not None and spec.origin_tracked:
            held = self.state.find_by_origin(spec.name, where.company_id, origin_id)
            candidates = [held] if held is not None else []
        else:
            candidates = self.state.stored(spec.name, where.company_id)
        recs = [r for r in candidates if self._visible(r, where) and all(p(r) for p in predicates)]
        if sort_key is not None:
            recs.sort(key=lambda r: (sort_key(r), r.id))
        return recs

    def get(self, spec: ResourceSpec, where: Placement, record_id: int) -> StoredRecord:
        rec = self.state.get(spec.name, record_id)
        if rec is None or not self._visible(rec, where):
            raise NotFound(f"{spec.singular} {record_id} not found")
        return rec

    # writes --------------------------------------------------------------------------------------

    def _write(
        self,
        spec: ResourceSpec,
        where: Placement,
        payload: Any,
        existing: StoredRecord | None,
        *,
        via_sync: bool,
        changed: list[StoredRecord],
    ) -> tuple[StoredRecord | None, Errors]:
        """Validates and, if clean, applies one create (``existing`` None) or update."""
        state = self.state
        changes, errors = validate_payload(
            spec,
            payload,
            creating=existing is None,
            state=state,
            company_id=where.company_id,
            scope=where.scope,
            existing=existing,
            record_id=existing.id if existing else None,
            company_country_code=state.config.company_country_code,
            partial_update=via_sync,
        )
        if spec.origin_tracked and "origin_id" in changes and "origin_id" not in errors:
            new_origin = changes["origin_id"]
            old_origin = existing.fields.get("origin_id") if existing else None
            if new_origin == "":
                add_error(errors, "origin_id", "can't be blank (send null to clear it)")
            elif (
                existing is not None and not via_sync and old_origin is not None and new_origin != old_origin
            ):
                add_error(errors, "origin_id", ORIGIN_CHANGE_MESSAGE)
            elif new_origin is not None and new_origin != old_origin:
                holder = state.find_by_origin(spec.name, where.company_id, new_origin)
                if holder is not None and (existing is None or holder.id != existing.id):
                    add_error(errors, "origin_id", ORIGIN_TAKEN_MESSAGE)
        if existing is not None and spec.lock is not None and not errors:
            diff = {k: v for k, v in changes.items() if existing.fields.get(k) != v}
            if diff:
                merge_errors(errors, spec.lock(existing, diff))
        if errors:
            return None, errors

        now = state.now()
        if existing is None:
            rec = StoredRecord(
                resource=spec.name,
                id=state.allocate_id(),
                company_id=where.company_id,
                scope=dict(where.scope),
                fields={k: v for k, v in changes.items() if v is not None},
                created_at=now,
                updated_at=now,
            )
        else:
            fields = dict(existing.fields)
            for key, value in changes.items():
                if value is None:
                    fields.pop(key, None)
                else:
                    fields[key] = value
            if fields == existing.fields:
                return existing, {}
            rec = replace(existing, fields=fields, updated_at=now)
        state.put(rec)
        changed.append(rec)
        return rec, {}

    def create(
        self, spec: ResourceSpec, where: Placement, payload: Any
    ) -> tuple[dict[str, Any] | None, Errors]:
        with self.state.transaction() as changed:
            rec, errors = self._write(spec, where, payload, None, via_sync=False, changed=changed)
            return (self.state.render(rec) if rec else None), errors

    def update(
        self, spec: ResourceSpec, where: Placement, record_id: int, payload: Any
    ) -> tuple[dict[str, Any] | None, Errors]:
        with self.state.transaction() as changed:
            existing = self.get(spec, where, record_id)
            rec, errors = self._write(spec, where, payload, existing, via_sync=False, changed=changed)
            return (self.state.render(rec) if rec else None), errors

    def sync(
        self, spec: ResourceSpec, where: Placement, items: list[Any]
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """Creates or updates each item; returns (entities as Show renders them, failed items)."""
        entities: list[dict[str, Any]] = []
        failures: list[dict[str, Any]] = []
        with self.state.transaction() as changed:
            for item in items:
                rec, errors = self._sync_one(spec, where, item, changed)
                if rec is not None:
                    entities.append(self.state.render(rec))
                elif isinstance(item, dict):
                    failures.append({**item, "errors": errors})
                else:
                    failures.append({"item": item, "errors": errors})
        return entities, failures

    def _sync_one(
        self, spec: ResourceSpec, where: Placement, item: Any, changed: list[StoredRecord]
    ) -> tuple[StoredRecord | None, Errors]:
        if not isinstance(item, dict):
            return None, {"base": [f"each item must be a JSON object describing a {spec.singular}"]}
        payload = dict(item)
        record_id = payload.pop("id", None)
        origin_id = payload.get("origin_id") if spec.origin_tracked else None

        if record_id is not None:
            if isinstance(record_id, bool) or not isinstance(record_id, int):
                return None, {"id": ["must be an integer"]}
            try:
                by_id = self.get(spec, where, record_id)
            except NotFound:
                return None, {"id": [NOT_FOUND_MESSAGE]}
            return self._write(spec, where, payload, by_id, via_sync=True, changed=changed)

        existing = None
        if isinstance(origin_id, str) and origin_id:
            existing = self.state.find_by_origin(spec.name, where.company_id, origin_id)
            if existing is not None and not self._visible(existing, where):
                errors: Errors = {}
                add_error(
                    errors, "origin_id", f"{ORIGIN_TAKEN_MESSAGE} (by a {spec.singular} in another scope)"
                )
                return None, errors
        return self._write(spec, where, payload, existing, via_sync=True, changed=changed)
