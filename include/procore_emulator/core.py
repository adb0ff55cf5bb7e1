"""The generic resource engine: list, show, create, update and sync for any declared resource.

HTTP-free on purpose: the routes in ``routes/`` translate requests into these calls and results into
responses, so the sync matching rules live in one place whatever the resource.

Sync matching (procore-api.md): ``origin_id`` only → update the record holding it, else create;
``id`` only → update, else the item fails with "Entity with this ID not found"; both → the record
found by id gets the new origin_id (the only way to change one); neither → create without origin_id.
Items are applied in order, so when two items in one batch carry the same origin_id the second
updates the record the first created (or updated), exactly as two consecutive calls would.

Every write then passes, in order: attribute validation (types, enums, required, references), the
origin_id rules, ``unique`` rules, the workflow rule (a resource named in ``workflow_controlled``
refuses a status change), the resource's ``lock`` and ``guard`` hooks. Any error refuses the whole
item; nothing is stored.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from .fields import Errors, add_error, merge_errors
from .operations import OperationRules
from .records import Placement, StoredRecord
from .schema import Op, ResourceSpec, WriteAction, WriteContext
from .state import EmulatorState
from .validation import describe_resources, not_found_message, resolve_reference, validate_payload

ORIGIN_CHANGE_MESSAGE = (
    "cannot be changed here once set; send both id and origin_id to the sync action to change it"
)
ORIGIN_TAKEN_MESSAGE = "has already been taken"
NOT_FOUND_MESSAGE = "Entity with this ID not found"
ORIGIN_ONLY_MATCH_MESSAGE = (
    "is not accepted by this sync action: items are matched by origin_id (send origin_id instead)"
)


def workflow_message(spec: ResourceSpec) -> str:
    return (
        f"is controlled by a workflow on this {spec.label} and cannot be changed "
        "through this endpoint; act on the workflow instead (/rest/v1.0/workflow_instances, "
        "/rest/v1.0/workflow_activity_histories), or resend the record without status"
    )


def stored_value(spec: ResourceSpec, rec: StoredRecord, name: str) -> Any:
    """An attribute's value as Show renders it: what is stored, else the declared default (creates
    store defaults; a record whose attribute was cleared with null renders the default again, and
    re-sending that default is not a change)."""
    if name in rec.fields:
        return rec.fields[name]
    f = spec.field_map.get(name)
    return f.default if f is not None else None


class NotFound(Exception):
    """The addressed record does not exist in the caller's company and scope."""


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
        elif where.scope:
            key, value = next(iter(where.scope.items()))
            candidates = self.state.children(spec.name, key, value)
        else:
            candidates = self.state.stored(spec.name, where.company_id)
        recs = [r for r in candidates if self._visible(r, where) and all(p(r) for p in predicates)]
        if sort_key is not None:
            recs.sort(key=lambda r: (sort_key(r), r.id))
        return recs

    def get(self, spec: ResourceSpec, where: Placement, record_id: int) -> StoredRecord:
        rec = self.state.get(spec.name, record_id)
        if rec is None or not self._visible(rec, where):
            raise NotFound(f"{spec.label} {record_id} not found")
        return rec

    # writes --------------------------------------------------------------------------------------

    def write(
        self,
        spec: ResourceSpec,
        where: Placement,
        payload: Any,
        existing: StoredRecord | None,
        *,
        via_sync: bool,
        changed: list[StoredRecord],
        apply: bool = True,
        rules: OperationRules | None = None,
    ) -> tuple[StoredRecord | None, Errors]:
        """Validates and, if clean (and ``apply``), applies one create (``existing`` None) or update
        against the operation ``rules`` (by default the resource's sync, create or update)."""
        state = self.state
        rules = rules or spec.rules(Op.SYNC if via_sync else Op.CREATE if existing is None else Op.UPDATE)
        payload, errors = self._take_item_scope(spec, where, payload)
        changes, problems = validate_payload(
            spec,
            payload,
            creating=existing is None,
            state=state,
            company_id=where.company_id,
            scope=where.scope,
            existing=existing,
            record_id=existing.id if existing else None,
            company_country_code=state.config.company_country_code,
            rules=rules,
        )
        merge_errors(errors, problems)
        self._check_origin(spec, where, changes, existing, errors, via_sync=via_sync)
        if not errors:
            self._check_unique(spec, where, changes, existing, errors)
        self._check_workflow(spec, changes, existing, errors)
        action: WriteAction = "create" if existing is None else "update"
        if spec.prepare is not None and not errors:
            draft = WriteContext(
                spec, state, where.company_id, where.scope, existing, changes, changes, action, via_sync
            )
            changes = {**changes, **spec.prepare(draft)}
        diff = (
            dict(changes)
            if existing is None
            else {k: v for k, v in changes.items() if stored_value(spec, existing, k) != v}
        )
        if existing is not None and spec.lock is not None and not errors and diff:
            merge_errors(errors, spec.lock(existing, diff))
        if spec.guard is not None and not errors:
            ctx = WriteContext(
                spec, state, where.company_id, where.scope, existing, changes, diff, action, via_sync
            )
            merge_errors(errors, spec.guard(ctx))
        if errors or not apply:
            return None, errors
        rec = self._store(spec, where, changes, existing, changed)
        if spec.after_write is not None:
            ctx = WriteContext(
                spec, state, where.company_id, where.scope, existing, changes, diff, action, via_sync
            )
            changed.extend(self._put_all(spec.after_write(ctx, rec)))
        return rec, {}

    def _put_all(self, records: list[StoredRecord]) -> list[StoredRecord]:
        for rec in records:
            self.state.put(rec)
        return records

    def _take_item_scope(self, spec: ResourceSpec, where: Placement, payload: Any) -> tuple[Any, Errors]:
        """Removes the scope parameters a payload may name itself (``direct_cost_id``), which must
        agree with the placement: a record cannot be moved."""
        errors: Errors = {}
        if not isinstance(payload, dict):
            return payload, errors
        payload = dict(payload)
        for param in spec.scope:
            if param.name in spec.field_map or not any("item" in w for w in param.where.values()):
                continue
            if param.name in payload:
                value = payload.pop(param.name)
                expected = where.scope.get(param.name)
                if value is not None and value != expected:
                    add_error(
                        errors,
                        param.name,
                        f"must be {expected}, the {describe_resources(self.state, param.parents)} this "
                        f"{spec.label} belongs to (a record cannot be moved)",
                    )
        return payload, errors

    def _check_origin(
        self,
        spec: ResourceSpec,
        where: Placement,
        changes: Mapping[str, Any],
        existing: StoredRecord | None,
        errors: Errors,
        *,
        via_sync: bool,
    ) -> None:
        if not spec.origin_tracked or "origin_id" not in changes or "origin_id" in errors:
            return
        new_origin = changes["origin_id"]
        old_origin = existing.fields.get("origin_id") if existing else None
        if new_origin == "":
            add_error(errors, "origin_id", "can't be blank (send null to clear it)")
        elif (
            existing is not None
            and not via_sync
            and not spec.origin_id_patchable
            and old_origin is not None
            and new_origin != old_origin
        ):
            add_error(errors, "origin_id", ORIGIN_CHANGE_MESSAGE)
        elif new_origin is not None and new_origin != old_origin:
            holder = self.state.find_by_origin(spec.name, where.company_id, new_origin)
            if holder is not None and (existing is None or holder.id != existing.id):
                add_error(errors, "origin_id", ORIGIN_TAKEN_MESSAGE)

    def _check_workflow(
        self, spec: ResourceSpec, changes: Mapping[str, Any], existing: StoredRecord | None, errors: Errors
    ) -> None:
        status_field = spec.status_field
        if (
            spec.name not in self.state.workflow_controlled
            or status_field is None
            or status_field not in changes
            or status_field in errors
        ):
            return
        before = (
            stored_value(spec, existing, status_field)
            if existing is not None
            else spec.field_map[status_field].default
        )
        if changes[status_field] is not None and changes[status_field] != before:
            add_error(errors, status_field, workflow_message(spec))

    def _store(
        self,
        spec: ResourceSpec,
        where: Placement,
        changes: Mapping[str, Any],
        existing: StoredRecord | None,
        changed: list[StoredRecord],
    ) -> StoredRecord:
        """Stores a validated write; an update that changes nothing keeps the record (and its
        ``updated_at``) as it was. Attributes declared ``stored=False`` are a hook's input only."""
        now = self.state.now()
        fmap = spec.field_map
        changes = {k: v for k, v in changes.items() if k not in fmap or fmap[k].stored}
        if existing is None:
            rec = StoredRecord(
                resource=spec.name,
                id=self.state.allocate_id(),
                company_id=where.company_id,
                scope=dict(where.scope),
                fields={
                    **{
                        f.name: copy.deepcopy(f.default)
                        for f in spec.fields
                        if f.default is not None and f.stored
                    },
                    **{k: v for k, v in changes.items() if v is not None},
                },
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
                return existing
            rec = replace(existing, fields=fields, updated_at=now)
        self.state.put(rec)
        changed.append(rec)
        return rec

    def _check_unique(
        self,
        spec: ResourceSpec,
        where: Placement,
        changes: Mapping[str, Any],
        existing: StoredRecord | None,
        errors: Errors,
    ) -> None:
        for rule in spec.unique:
            if existing is not None and not any(f in changes for f in rule.fields):
                continue
            values = {
                f: changes[f] if f in changes else (existing.fields.get(f) if existing else None)
                for f in rule.fields
            }
            if any(v is None for f, v in values.items() if f not in rule.nullable):
                continue
            if existing is not None and all(existing.fields.get(f) == v for f, v in values.items()):
                continue
            scope = {k: where.scope[k] for k in rule.within if k in where.scope}
            if scope:
                key, value = next(iter(scope.items()))
                candidates = self.state.children(spec.name, key, value)
            else:
                candidates = self.state.stored(spec.name, where.company_id)
            for rec in candidates:
                if (
                    rec.company_id == where.company_id
                    and (existing is None or rec.id != existing.id)
                    and all(rec.scope.get(k) == v for k, v in scope.items())
                    and all(rec.fields.get(f) == v for f, v in values.items())
                ):
                    add_error(errors, rule.fields[-1], f"{rule.message} (by {spec.label} {rec.id})")
                    break

    def create(
        self, spec: ResourceSpec, where: Placement, payload: Any
    ) -> tuple[dict[str, Any] | None, Errors]:
        with self.state.transaction() as changed:
            rec, errors = self.write(spec, where, payload, None, via_sync=False, changed=changed)
            return (self.state.render(rec) if rec else None), errors

    def update(
        self, spec: ResourceSpec, where: Placement, record_id: int, payload: Any
    ) -> tuple[dict[str, Any] | None, Errors]:
        with self.state.transaction() as changed:
            existing = self.get(spec, where, record_id)
            rec, errors = self.write(spec, where, payload, existing, via_sync=False, changed=changed)
            return (self.state.render(rec) if rec else None), errors

    def delete(
        self, spec: ResourceSpec, where: Placement, record_id: int
    ) -> tuple[StoredRecord | None, Errors]:
        """Deletes a record (and what cascades from it) unless its ``guard`` refuses."""
        with self.state.transaction() as changed:
            existing = self.get(spec, where, record_id)
            if spec.guard is not None:
                ctx = WriteContext(
                    spec, self.state, where.company_id, where.scope, existing, {}, {}, "delete"
                )
                errors = merge_errors({}, spec.guard(ctx))
                if errors:
                    return None, errors
            changed.extend(self.state.delete(existing))
            return existing, {}

    def sync(
        self, spec: ResourceSpec, where: Placement, items: list[Any]
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """Creates or updates each item; returns (entities as Show renders them, failed items)."""
        entities: list[dict[str, Any]] = []
        failures: list[dict[str, Any]] = []
        for entity, failure in self.sync_results(spec, where, items):
            if entity is not None:
                entities.append(entity)
            else:
                failures.append(failure or {})
        return entities, failures

    def sync_results(
        self, spec: ResourceSpec, where: Placement, items: list[Any]
    ) -> list[tuple[dict[str, Any] | None, dict[str, Any] | None]]:
        """One (entity, None) or (None, failed item) per submitted item, in order."""
        results: list[tuple[dict[str, Any] | None, dict[str, Any] | None]] = []
        with self.state.transaction() as changed:
            for item in items:
                rec, errors = self._sync_one(spec, where, item, changed)
                if rec is not None:
                    results.append((self.state.render(rec), None))
                elif isinstance(item, dict):
                    results.append((None, {**item, "errors": errors}))
                else:
                    results.append((None, {"item": item, "errors": errors}))
        return results

    def _item_placement(
        self, spec: ResourceSpec, where: Placement, payload: dict[str, Any], existing: StoredRecord | None
    ) -> tuple[Placement | None, Errors]:
        """Adds the scope parameters a sync item carries itself (``direct_cost_id``) to the placement:
        the stored record's for an update, the item's (checked) for a create."""
        scope = dict(where.scope)
        errors: Errors = {}
        for param in spec.item_scope(Op.SYNC):
            if existing is not None:
                scope[param.name] = existing.scope[param.name]
                continue
            value = payload.get(param.name)
            if value is None:
                add_error(errors, param.name, "can't be blank")
            elif isinstance(value, bool) or not isinstance(value, int):
                add_error(errors, param.name, "must be an integer")
            elif resolve_reference(self.state, param.parents, value, where.company_id, scope) is None:
                add_error(errors, param.name, not_found_message(self.state, param.parents, value, scope))
            else:
                scope[param.name] = value
        return (None, errors) if errors else (Placement(where.company_id, scope), {})

    def _sync_one(
        self, spec: ResourceSpec, where: Placement, item: Any, changed: list[StoredRecord]
    ) -> tuple[StoredRecord | None, Errors]:
        if not isinstance(item, dict):
            return None, {"base": [f"each item must be a JSON object describing a {spec.singular}"]}
        payload = dict(item)
        if not spec.sync_by_id and "id" in payload:
            return None, {"id": [ORIGIN_ONLY_MATCH_MESSAGE]}
        record_id = payload.pop("id", None)
        origin_id = payload.get("origin_id") if spec.origin_tracked else None

        if record_id is not None:
            if isinstance(record_id, bool) or not isinstance(record_id, int):
                return None, {"id": ["must be an integer"]}
            try:
                by_id = self.get(spec, where, record_id)
            except NotFound:
                return None, {"id": [NOT_FOUND_MESSAGE]}
            placed, errors = self._item_placement(spec, where, payload, by_id)
            if placed is None:
                return None, errors
            return self.write(spec, placed, payload, by_id, via_sync=True, changed=changed)

        existing = None
        if isinstance(origin_id, str) and origin_id:
            existing = self.state.find_by_origin(spec.name, where.company_id, origin_id)
            if existing is not None and not self._visible(existing, where):
                return None, {"origin_id": [f"{ORIGIN_TAKEN_MESSAGE} (by a {spec.label} in another scope)"]}
        placed, errors = self._item_placement(spec, where, payload, existing)
        if placed is None:
            return None, errors
        return self.write(spec, placed, payload, existing, via_sync=True, changed=changed)
