"""The vocabulary for declaring an emulated Procore resource, and the validation that reads it.

A resource is data (:class:`ResourceSpec`): its paths, scope parameters, fields with their rules, list
filters and hooks. The generic core (``core.py``) and the generated routes (``app.py``) read nothing
else, so adding a resource is a declaration in ``resources.py`` plus, at most, a hook.

Strictness: where Procore's documentation is silent the emulator is the stricter party, so the
pipeline's mistakes surface here instead of in a customer's Procore. Unknown attributes are rejected
with an error naming them; strings, integers and booleans are not coerced; numbers accept JSON numbers
or decimal strings (Procore itself renders money as strings).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal

from . import iso

if TYPE_CHECKING:
    from .state import EmulatorState, StoredRecord

Errors = dict[str, list[str]]
"""Field name (dotted for nested attributes, ``base`` for the whole item) → messages."""

NAME_MAX_LENGTH = 255
"""Procore does not document a length limit for names. Its records live in Rails/PostgreSQL columns
whose conventional limit is 255 characters, so the emulator enforces that (counted in code points)."""

_CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f]")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DECIMAL_STRING = re.compile(r"^-?\d+(\.\d+)?$")


class Kind(StrEnum):
    """JSON value kinds an attribute can take."""

    STRING = "string"
    INTEGER = "integer"
    NUMBER = "number"
    BOOLEAN = "boolean"
    DATE = "date"
    INTEGER_LIST = "integer_list"
    OBJECT = "object"
    """An object whose keys are declared as nested fields (unknown keys rejected)."""
    FREE_OBJECT = "free_object"
    """An object Procore stores without documenting its keys (e.g. origin_custom_fields)."""
    DECIMAL_STRING = "decimal_string"
    """A decimal number the spec types as a string (commitment money: ``"1250.00"``). JSON numbers are
    refused, as for any other string attribute: no coercion."""
    STRING_LIST = "string_list"
    OBJECT_LIST = "object_list"
    """An array of objects whose keys are declared as nested fields (e.g. a change order's lines)."""


class Op(StrEnum):
    """The operations a resource may expose; routes are generated only for those declared."""

    LIST = "list"
    SHOW = "show"
    CREATE = "create"
    UPDATE = "update"
    SYNC = "sync"
    DELETE = "delete"


STANDARD_OPS = frozenset({Op.LIST, Op.SHOW, Op.CREATE, Op.UPDATE, Op.SYNC})
"""The five operations vendors and projects expose (no DELETE)."""


Location = Literal["query", "body", "path", "item"]
"""Where a scope parameter travels. ``item`` means inside the record's own attributes: a sync item (or
the wrapped payload of a single create/update) names its parent, e.g. direct cost line items' sync
items carry ``direct_cost_id``."""


def add_error(errors: Errors, key: str, message: str) -> None:
    errors.setdefault(key, []).append(message)


def merge_errors(into: Errors, other: Mapping[str, Iterable[str]] | None) -> Errors:
    for key, messages in (other or {}).items():
        for message in messages:
            add_error(into, key, message)
    return into


@dataclass(frozen=True)
class Field:
    """One writable attribute and the rules Procore (or the emulator's stricter reading) applies to it.

    ``required`` means required when a record is created. ``immutable`` attributes may be set once and
    then never changed. ``code`` asks for an ISO check: ``country`` (ISO-3166-1 alpha-2) or
    ``subdivision`` (ISO-3166-2, relative to ``country_field``). ``render_as="string"`` reproduces
    Procore's habit of rendering decimals as strings in Show. ``shown=False`` marks write-only
    parameters that Show does not return.
    """

    name: str
    kind: Kind = Kind.STRING
    required: bool = False
    enum: tuple[Any, ...] | None = None
    max_length: int | None = None
    forbid_control_chars: bool = False
    code: Literal["country", "subdivision", "currency"] | None = None
    country_field: str = "country_code"
    immutable: bool = False
    default: Any = None
    render_as: Literal["native", "string"] = "native"
    shown: bool = True
    fields: tuple[Field, ...] = ()
    ref: str | tuple[str, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None
    max_items: int | None = None

    @property
    def refs(self) -> tuple[str, ...]:
        if self.ref is None:
            return ()
        return (self.ref,) if isinstance(self.ref, str) else tuple(self.ref)

    def check(self, value: Any, path: str, errors: Errors) -> Any:
        """Returns the normalised value, or adds messages under ``path`` and returns None."""
        if value is None:
            return None
        checker = _CHECKERS[self.kind]
        return checker(self, value, path, errors)


def _check_string(f: Field, value: Any, path: str, errors: Errors) -> Any:
    if not isinstance(value, str):
        add_error(errors, path, "must be a string")
        return None
    ok = True
    if f.max_length is not None and len(value) > f.max_length:
        add_error(errors, path, f"is too long (maximum is {f.max_length} characters)")
        ok = False
    if f.forbid_control_chars and _CONTROL_CHARS.search(value):
        add_error(errors, path, "must not contain control characters (U+0000–U+001F, U+007F)")
        ok = False
    if f.enum is not None and value not in f.enum:
        allowed = ", ".join(str(v) for v in f.enum if v is not None)
        add_error(errors, path, f"is not included in the list ({allowed})")
        ok = False
    if f.code == "country" and value and not iso.is_country_code(value):
        add_error(errors, path, f"'{value}' is not an ISO-3166-1 alpha-2 country code")
        ok = False
    if f.code == "currency" and not re.fullmatch(r"[A-Z]{3}", value):
        add_error(errors, path, f"'{value}' is not an ISO-4217 currency code")
        ok = False
    return value if ok else None


def _check_integer(f: Field, value: Any, path: str, errors: Errors) -> Any:
    if isinstance(value, bool) or not isinstance(value, int):
        add_error(errors, path, "must be an integer")
        return None
    if not -(2**63) <= value < 2**63:
        add_error(errors, path, "is out of range for a 64-bit integer")
        return None
    if _bounded(f, Decimal(value), path, errors) is None:
        return None
    return value


def _check_number(f: Field, value: Any, path: str, errors: Errors) -> Any:
    if isinstance(value, bool):
        add_error(errors, path, "must be a number")
        return None
    if isinstance(value, int | float):
        number = Decimal(str(value))
    elif isinstance(value, str) and _DECIMAL_STRING.match(value.strip()):
        number = Decimal(value.strip())
    else:
        add_error(errors, path, "must be a number")
        return None
    if not number.is_finite():
        add_error(errors, path, "must be a finite number")
        return None
    return _bounded(f, number, path, errors)


def _bounded(f: Field, number: Decimal, path: str, errors: Errors) -> str | None:
    if f.minimum is not None and number < Decimal(str(f.minimum)):
        add_error(errors, path, f"must be greater than or equal to {f.minimum:g}")
        return None
    if f.maximum is not None and number > Decimal(str(f.maximum)):
        add_error(errors, path, f"must be less than or equal to {f.maximum:g}")
        return None
    return str(number)


def _check_decimal_string(f: Field, value: Any, path: str, errors: Errors) -> Any:
    if not isinstance(value, str):
        add_error(errors, path, 'must be a string holding a decimal number (e.g. "1250.00")')
        return None
    if not _DECIMAL_STRING.match(value.strip()):
        add_error(errors, path, f"'{value}' is not a decimal number")
        return None
    return _bounded(f, Decimal(value.strip()), path, errors)


def _check_string_list(f: Field, value: Any, path: str, errors: Errors) -> Any:
    if not isinstance(value, list) or any(not isinstance(v, str) for v in value):
        add_error(errors, path, "must be an array of strings")
        return None
    return list(value)


def _check_object_list(f: Field, value: Any, path: str, errors: Errors) -> Any:
    if not isinstance(value, list):
        add_error(errors, path, "must be an array of objects")
        return None
    if f.max_items is not None and len(value) > f.max_items:
        add_error(errors, path, f"has {len(value)} items; at most {f.max_items} are accepted per request")
        return None
    item_field = Field(f.name, Kind.OBJECT, fields=f.fields)
    out = []
    before = sum(len(v) for v in errors.values())
    for index, item in enumerate(value):
        out.append(_check_object(item_field, item, f"{path}[{index}]", errors))
    return out if sum(len(v) for v in errors.values()) == before else None


def _check_boolean(f: Field, value: Any, path: str, errors: Errors) -> Any:
    if not isinstance(value, bool):
        add_error(errors, path, "must be true or false")
        return None
    return value


def _check_date(f: Field, value: Any, path: str, errors: Errors) -> Any:
    if isinstance(value, str) and _DATE.match(value):
        try:
            dt.date.fromisoformat(value)
            return value
        except ValueError:
            pass
    add_error(errors, path, "must be a valid date in YYYY-MM-DD format")
    return None


def _check_integer_list(f: Field, value: Any, path: str, errors: Errors) -> Any:
    if not isinstance(value, list) or any(isinstance(v, bool) or not isinstance(v, int) for v in value):
        add_error(errors, path, "must be an array of integers")
        return None
    return list(value)


def _check_object(f: Field, value: Any, path: str, errors: Errors) -> Any:
    if not isinstance(value, dict):
        add_error(errors, path, "must be an object")
        return None
    nested = {n.name: n for n in f.fields}
    out: dict[str, Any] = {}
    before = sum(len(v) for v in errors.values())
    for key, item in value.items():
        sub = nested.get(key)
        if sub is None:
            add_error(errors, f"{path}.{key}", f"unknown attribute '{key}' for {path}")
            continue
        out[key] = sub.check(item, f"{path}.{key}", errors)
    for sub in f.fields:
        if sub.required and _blank(value.get(sub.name)):
            add_error(errors, f"{path}.{sub.name}", "can't be blank")
    return out if sum(len(v) for v in errors.values()) == before else None


def _check_free_object(f: Field, value: Any, path: str, errors: Errors) -> Any:
    if not isinstance(value, dict):
        add_error(errors, path, "must be an object")
        return None
    return value


_CHECKERS: dict[Kind, Callable[[Field, Any, str, Errors], Any]] = {
    Kind.STRING: _check_string,
    Kind.INTEGER: _check_integer,
    Kind.NUMBER: _check_number,
    Kind.BOOLEAN: _check_boolean,
    Kind.DATE: _check_date,
    Kind.INTEGER_LIST: _check_integer_list,
    Kind.OBJECT: _check_object,
    Kind.FREE_OBJECT: _check_free_object,
    Kind.DECIMAL_STRING: _check_decimal_string,
    Kind.STRING_LIST: _check_string_list,
    Kind.OBJECT_LIST: _check_object_list,
}


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


@dataclass(frozen=True)
class ScopeParam:
    """A parameter that places a record (``company_id``, later ``project_id``), and where each
    operation takes it from. Operations missing from ``where`` do not take it at all. ``parent`` names
    the resource whose record the value must identify within the caller's company (404 otherwise)."""

    name: str
    where: Mapping[Op, tuple[Location, ...]]
    parent: str | tuple[str, ...] | None = None
    optional: frozenset[Op] = frozenset()
    """Operations where the parameter may be left out (then it does not narrow the placement)."""
    rendered: bool = True
    """Whether Show renders the value as a top-level key (``project_id``); Procore's Show for some
    resources names the parent differently (``project: {id, name}``), declared in ``render_extra``."""
    cascade: bool = False
    """Deleting the parent record deletes the records it places (line items of a direct cost)."""

    @property
    def parents(self) -> tuple[str, ...]:
        if self.parent is None:
            return ()
        return (self.parent,) if isinstance(self.parent, str) else tuple(self.parent)


@dataclass(frozen=True)
class Unique:
    """Attribute values that may appear on only one live record among those sharing the ``within``
    scope keys (always within one company). A None value never clashes."""

    fields: tuple[str, ...]
    within: tuple[str, ...] = ("project_id",)
    message: str = "has already been taken"
    nullable: tuple[str, ...] = ()
    """Fields whose None is a value like any other (a top-level cost code's ``parent_id``)."""


@dataclass(frozen=True)
class ListFilter:
    """A ``filters[name]`` (or ``filters[name][]``) list parameter.

    ``build`` turns the raw values into a predicate over stored records, raising ValueError with a
    message for malformed input; ``default`` applies when the caller sends no such filter.
    """

    name: str
    build: Callable[[list[str]], Callable[[StoredRecord], bool]]
    default: str | None = None


@dataclass(frozen=True)
class ValidationContext:
    """What a resource's ``validate`` hook may look at: the request's change set and the record."""

    spec: ResourceSpec
    state: EmulatorState
    company_id: int
    scope: Mapping[str, int]
    changes: Mapping[str, Any]
    existing: StoredRecord | None
    record_id: int | None

    def effective(self, name: str) -> Any:
        """The value the attribute will have after the write."""
        if name in self.changes:
            return self.changes[name]
        return self.existing.fields.get(name) if self.existing else None


WriteAction = Literal["create", "update", "delete"]


@dataclass(frozen=True)
class WriteContext:
    """What a resource's ``guard`` hook sees before a write is applied: the stored record (None on
    create), the normalised change set, the part of it that actually changes a stored value
    (``diff``; everything on create, nothing on delete) and how the write arrived."""

    spec: ResourceSpec
    state: EmulatorState
    company_id: int
    scope: Mapping[str, int]
    existing: StoredRecord | None
    changes: Mapping[str, Any]
    diff: Mapping[str, Any]
    action: WriteAction
    via_sync: bool = False

    def effective(self, name: str) -> Any:
        if name in self.changes:
            return self.changes[name]
        return self.existing.fields.get(name) if self.existing else None


@dataclass(frozen=True)
class ResourceSpec:
    """Everything the emulator needs to serve one Procore resource.

    ``name`` is the collection name (state key, admin path), ``singular`` the body wrapper key of create
    and update (``{"vendor": {...}}``). ``update_required`` lists attributes the spec requires even on
    update. ``validate`` adds cross-field or reference rules; ``render_extra`` adds computed keys to Show;
    ``lock`` returns errors when the stored record may not be changed (record locking); it sees only
    the attributes whose value would change, so re-sending a locked record unchanged succeeds.
    ``body_params`` lists further top-level body keys the spec accepts beside the wrapper and scope
    (e.g. cost codes' ``sub_job_id``); any other top-level key is refused.

    Further knobs for resources that deviate from the vendors/projects pattern:
    ``list_path`` (prime contracts create at ``/prime_contract`` but list at ``/prime_contracts``);
    ``sync_method``/``sync_response`` (budget line items sync with POST and answer a plain array,
    one element per submitted item); ``sync_by_id`` False when sync items may not carry ``id``
    (commitment SOV lines are matched by origin_id only); ``wrapper_required`` False when the wrapped
    payload may be left out (requisitions); ``unique`` rules; ``guard`` (like ``lock`` but with the
    state, the scope and the action, also called on create and delete: parent-record locks, delete
    refusals); ``conflict_keys`` names the records a write touches that refuse concurrent writes
    (409 Conflict, direct costs); ``delete_status``/``delete_body`` shape DELETE's answer.
    """

    name: str
    singular: str
    path: str
    fields: tuple[Field, ...]
    scope: tuple[ScopeParam, ...]
    operations: frozenset[Op]
    update_required: tuple[str, ...] = ()
    filters: tuple[ListFilter, ...] = ()
    sorts: Mapping[str, Callable[[StoredRecord], Any]] = field(default_factory=dict)
    max_per_page: int | None = None
    validate: Callable[[ValidationContext], Errors | None] | None = None
    render_extra: Callable[[StoredRecord, EmulatorState], dict[str, Any]] | None = None
    lock: Callable[[StoredRecord, Mapping[str, Any]], Errors | None] | None = None
    sync_path: str | None = None
    sync_items_key: str = "updates"
    body_params: tuple[str, ...] = ()
    origin_tracked: bool = True
    list_path: str | None = None
    sync_method: Literal["PATCH", "POST"] = "PATCH"
    sync_response: Literal["entities", "array"] = "entities"
    sync_by_id: bool = True
    wrapper_required: bool = True
    unique: tuple[Unique, ...] = ()
    guard: Callable[[WriteContext], Errors | None] | None = None
    conflict_keys: Callable[..., set[tuple[str, int]]] | None = None
    delete_status: int = 200
    delete_body: Literal["empty", "id"] = "empty"
    status_field: str | None = "status"
    """The attribute a workflow controls when the resource is named in ``workflow_controlled``."""
    wrapper: str | None = None
    """The body key of create/update when it is not ``singular`` (direct costs: ``item``)."""
    prepare: Callable[[WriteContext], Mapping[str, Any]] | None = None
    """Completes a clean change set before it is compared and stored (numbering, nested line ids);
    returns attributes to set."""
    timestamps: bool = True
    """Whether Show renders ``created_at``/``updated_at`` (budget line items' Show does not)."""

    @property
    def wrapper_key(self) -> str:
        return self.wrapper or self.singular

    @property
    def label(self) -> str:
        """The resource's name in messages: ``work order contract``."""
        return self.singular.replace("_", " ")

    @cached_property
    def field_map(self) -> dict[str, Field]:
        return {f.name: f for f in self.fields}

    @property
    def resolved_sync_path(self) -> str:
        return self.sync_path or f"{self.path}/sync"

    @property
    def resolved_list_path(self) -> str:
        return self.list_path or self.path

    @property
    def origin_id_patchable(self) -> bool:
        """Without a sync action, a single PATCH is the only way to change (or clear) an origin_id."""
        return Op.SYNC not in self.operations

    def item_scope(self, op: Op) -> tuple[ScopeParam, ...]:
        """Scope parameters that travel inside the record's attributes for ``op``."""
        return tuple(p for p in self.scope if "item" in p.where.get(op, ()))

    def scope_param(self, name: str) -> ScopeParam | None:
        return next((p for p in self.scope if p.name == name), None)


def validate_payload(
    spec: ResourceSpec,
    payload: Any,
    *,
    creating: bool,
    state: EmulatorState,
    company_id: int,
    scope: Mapping[str, int],
    existing: StoredRecord | None = None,
    record_id: int | None = None,
    company_country_code: str = "US",
    partial_update: bool = False,
) -> tuple[dict[str, Any], Errors]:
    """Checks one record's attributes against ``spec``; returns (normalised changes, errors).

    ``partial_update`` skips ``spec.update_required``: sync items name only what changes, while the
    single-record update schema may require more. Run in full before anything is stored, which is
    what makes every write atomic per item.
    """
    errors: Errors = {}
    if not isinstance(payload, dict):
        return {}, {"base": [f"{spec.singular} must be a JSON object"]}
    fields = spec.field_map
    changes: dict[str, Any] = {}
    for key, value in payload.items():
        f = fields.get(key)
        if f is None:
            add_error(errors, key, f"unknown attribute '{key}' for {spec.singular}")
            continue
        normalised = f.check(value, key, errors)
        if key not in errors:
            changes[key] = normalised

    if creating:
        required = [f.name for f in spec.fields if f.required]
    else:
        required = [] if partial_update else list(spec.update_required)
    for name in required:
        if _blank(payload.get(name)) and name not in errors:
            add_error(errors, name, "can't be blank")
    if not creating:
        for f in spec.fields:
            if f.required and f.name in payload and _blank(payload[f.name]) and f.name not in errors:
                add_error(errors, f.name, "can't be blank")
        if existing is not None:
            for f in spec.fields:
                old = existing.fields.get(f.name)
                if f.immutable and f.name in changes and old is not None and changes[f.name] != old:
                    add_error(errors, f.name, "cannot be changed once set")

    def effective(name: str) -> Any:
        if name in changes:
            return changes[name]
        return existing.fields.get(name) if existing else None

    for f in spec.fields:
        if f.code != "subdivision" or f.name in errors or f.country_field in errors:
            continue
        if f.name not in changes and f.country_field not in changes:
            continue
        state_code = effective(f.name)
        if not state_code:
            continue
        country = effective(f.country_field) or company_country_code
        if not iso.is_subdivision_code(country, state_code):
            add_error(errors, f.name, f"'{state_code}' is not an ISO-3166-2 subdivision code of {country}")

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

    if spec.validate is not None and not errors:
        ctx = ValidationContext(spec, state, company_id, scope, changes, existing, record_id)
        merge_errors(errors, spec.validate(ctx))
    return changes, errors


def resolve_reference(
    state: EmulatorState,
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


def describe_resources(state: EmulatorState, resources: Iterable[str]) -> str:
    return " or ".join(state.spec(r).label for r in resources)


def _check_reference(
    f: Field,
    value: Any,
    path: str,
    state: EmulatorState,
    company_id: int,
    scope: Mapping[str, int],
    errors: Errors,
) -> None:
    if resolve_reference(state, f.refs, value, company_id, scope) is not None:
        return
    add_error(
        errors, path, f"{describe_resources(state, f.refs)} {value} not found{_within(state, f.refs, scope)}"
    )


def _within(state: EmulatorState, resources: Iterable[str], scope: Mapping[str, int]) -> str:
    """`` in project N`` when the looked-up resources live in projects, else nothing."""
    project_scoped = any(state.spec(r).scope_param("project_id") is not None for r in resources)
    return f" in project {scope['project_id']}" if project_scoped and "project_id" in scope else ""


def not_found_message(
    state: EmulatorState, resources: Iterable[str], record_id: Any, scope: Mapping[str, int]
) -> str:
    resources = tuple(resources)
    return f"{describe_resources(state, resources)} {record_id} not found{_within(state, resources, scope)}"


def render_value(f: Field, value: Any) -> Any:
    """A stored value as Procore's Show renders it."""
    if value is None:
        return f.default
    if f.kind == Kind.NUMBER:
        if f.render_as == "string":
            return value
        number = Decimal(value)
        return int(number) if number == number.to_integral_value() and "." not in value else float(number)
    return value
