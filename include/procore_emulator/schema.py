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


class Op(StrEnum):
    """The operations a resource may expose; routes are generated only for those declared."""

    LIST = "list"
    SHOW = "show"
    CREATE = "create"
    UPDATE = "update"
    SYNC = "sync"


Location = Literal["query", "body", "path"]


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
    return str(number)


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
    parent: str | None = None


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

    @cached_property
    def field_map(self) -> dict[str, Field]:
        return {f.name: f for f in self.fields}

    @property
    def resolved_sync_path(self) -> str:
        return self.sync_path or f"{self.path}/sync"

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

    if spec.validate is not None and not errors:
        ctx = ValidationContext(spec, state, company_id, scope, changes, existing, record_id)
        merge_errors(errors, spec.validate(ctx))
    return changes, errors


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
