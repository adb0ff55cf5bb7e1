"""Checking one record's attributes against its declaration, and resolving the references they hold.

Everything here runs before anything is stored, which is what makes every write atomic per item.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from . import iso
from .fields import Errors, Field, Kind, add_error, is_blank, merge_errors
from .operations import OperationRules
from .ops import Op
from .records import StoredRecord
from .schema import RecordStore, ResourceSpec, ValidationContext


def validate_payload(
    spec: ResourceSpec,
    payload: Any,
    *,
    creating: bool,
    state: RecordStore,
    company_id: int,
    scope: Mapping[str, int],
    existing: StoredRecord | None = None,
    record_id: int | None = None,
    company_country_code: str = "US",
    rules: OperationRules | None = None,
) -> tuple[dict[str, Any], Errors]:
    """Checks one record's attributes against the operation ``rules`` (by default the resource's
    create or update); returns (normalised changes, errors).

    A sync item names only what changes: it needs what a create needs when it creates a record
    (the emulator's reading; sync schemas require nothing) and nothing when it updates one.
    """
    if rules is None:
        rules = spec.rules(Op.CREATE if creating else Op.UPDATE)
    if not isinstance(payload, dict):
        return {}, {"base": [f"{spec.singular} must be a JSON object"]}
    errors: Errors = {}
    changes = _check_attributes(spec, rules, payload, errors)
    _check_blanks(spec, rules, payload, errors, creating=creating)
    if not creating and existing is not None:
        _check_immutable(spec, changes, existing, errors)
    _check_subdivisions(spec, changes, existing, errors, company_country_code)
    _check_references(spec, changes, existing, errors, state, company_id, scope)
    if spec.validate is not None and not errors:
        ctx = ValidationContext(spec, state, company_id, scope, changes, existing, record_id)
        merge_errors(errors, spec.validate(ctx))
    return changes, errors


def unknown_message(spec: ResourceSpec, rules: OperationRules, key: str) -> str:
    elsewhere = " (other operations on this resource take it)" if key in spec.field_map else ""
    return f"unknown attribute '{key}' for {spec.singular}: {rules.label} does not accept it{elsewhere}"


def _check_attributes(
    spec: ResourceSpec, rules: OperationRules, payload: Mapping[str, Any], errors: Errors
) -> dict[str, Any]:
    fields = rules.field_map
    changes: dict[str, Any] = {}
    for key, value in payload.items():
        f = fields.get(key)
        if f is None and rules.open_items and key not in spec.field_map:
            continue  # the extract collapses this item schema: unknown content is accepted, not stored
        if f is None:
            add_error(errors, key, unknown_message(spec, rules, key))
            continue
        normalised = f.check(value, key, errors, rules.op)
        if key not in errors:
            changes[key] = normalised
    return changes


def _check_blanks(
    spec: ResourceSpec, rules: OperationRules, payload: Mapping[str, Any], errors: Errors, *, creating: bool
) -> None:
    if rules.op == Op.SYNC:
        required = [f.name for f in spec.fields if f.required] if creating else []
    else:
        required = list(rules.required)
    for name in required:
        if is_blank(payload.get(name)) and name not in errors:
            add_error(errors, name, "can't be blank")
    if creating:
        return
    for f in spec.fields:
        if f.required and f.name in payload and is_blank(payload[f.name]) and f.name not in errors:
            add_error(errors, f.name, "can't be blank")


def _check_immutable(
    spec: ResourceSpec, changes: Mapping[str, Any], existing: StoredRecord, errors: Errors
) -> None:
    for f in spec.fields:
        old = existing.fields.get(f.name)
        if f.immutable and f.name in changes and old is not None and changes[f.name] != old:
            add_error(errors, f.name, "cannot be changed once set")


def _effective(changes: Mapping[str, Any], existing: StoredRecord | None, name: str) -> Any:
    if name in changes:
        return changes[name]
    return existing.fields.get(name) if existing else None


def _check_subdivisions(
    spec: ResourceSpec,
    changes: Mapping[str, Any],
    existing: StoredRecord | None,
    errors: Errors,
    company_country_code: str,
) -> None:
    for f in spec.fields:
        if f.code != "subdivision" or f.name in errors or f.country_field in errors:
            continue
        if f.name not in changes and f.country_field not in changes:
            continue
        state_code = _effective(changes, existing, f.name)
        if not state_code:
            continue
        country = _effective(changes, existing, f.country_field) or company_country_code
        if not iso.is_subdivision_code(country, state_code):
            add_error(errors, f.name, f"'{state_code}' is not an ISO-3166-2 subdivision code of {country}")


def _check_references(
    spec: ResourceSpec,
    changes: Mapping[str, Any],
    existing: StoredRecord | None,
    errors: Errors,
    state: RecordStore,
    company_id: int,
    scope: Mapping[str, int],
) -> None:
    for f in spec.fields:
        if f.name in errors or changes.get(f.name) is None:
            continue
        if existing is not None and existing.fields.get(f.name) == changes[f.name]:
            continue  # an unchanged reference is not re-checked (its target may since have gone)
        if f.refs:
            _check_reference(f, changes[f.name], f.name, state, company_id, scope, errors)
        elif f.kind == Kind.OBJECT_LIST:
            for index, item in enumerate(changes[f.name]):
                for sub in f.fields:
                    if sub.refs and isinstance(item, dict) and item.get(sub.name) is not None:
                        path = f"{f.name}[{index}].{sub.name}"
                        _check_reference(sub, item[sub.name], path, state, company_id, scope, errors)


def resolve_reference(
    state: RecordStore,
    resources: Iterable[str],
    record_id: int,
    company_id: int,
    scope: Mapping[str, int],
) -> StoredRecord | None:
    """The live record ``record_id`` of one of ``resources`` in the company and, where both the record
    and ``scope`` carry a ``project_id``, the same project; None otherwise."""
    for resource in resources:
        rec = state.get(resource, record_id)
        if rec is None or rec.company_id != company_id:
            continue
        project = scope.get("project_id")
        if project is not None and rec.scope.get("project_id", project) != project:
            continue
        return rec
    return None


def describe_resources(state: RecordStore, resources: Iterable[str]) -> str:
    return " or ".join(state.spec(r).label for r in resources)


def _check_reference(
    f: Field,
    value: Any,
    path: str,
    state: RecordStore,
    company_id: int,
    scope: Mapping[str, int],
    errors: Errors,
) -> None:
    if resolve_reference(state, f.refs, value, company_id, scope) is not None:
        return
    add_error(
        errors, path, f"{describe_resources(state, f.refs)} {value} not found{_within(state, f.refs, scope)}"
    )


def _within(state: RecordStore, resources: Iterable[str], scope: Mapping[str, int]) -> str:
    """`` in project N`` when the looked-up resources live in projects, else nothing."""
    project_scoped = any(state.spec(r).scope_param("project_id") is not None for r in resources)
    return f" in project {scope['project_id']}" if project_scoped and "project_id" in scope else ""


def not_found_message(
    state: RecordStore, resources: Iterable[str], record_id: Any, scope: Mapping[str, int]
) -> str:
    resources = tuple(resources)
    return f"{describe_resources(state, resources)} {record_id} not found{_within(state, resources, scope)}"
