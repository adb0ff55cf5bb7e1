"""Attribute rules: the kinds a field may take, the checks each kind runs, and how Show renders it.

Strictness: where Procore's documentation is silent the emulator is the stricter party, so the
pipeline's mistakes surface here instead of in a customer's Procore. Unknown attributes are rejected
with an error naming them; strings, integers and booleans are not coerced; numbers accept JSON numbers
or decimal strings (Procore itself renders money as strings).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any, Literal

from . import iso
from .ops import WRITE_OPS, Op

Errors = dict[str, list[str]]
"""Field name (dotted for nested attributes, ``base`` for the whole item) → messages."""

NAME_MAX_LENGTH = 255
"""Procore does not document a length limit for names. Its records live in Rails/PostgreSQL columns
whose conventional limit is 255 characters, so the emulator enforces that (counted in code points)."""

_CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f]")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")
_ID_STRING = re.compile(r"^[1-9]\d{0,18}$")
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
    DATETIME = "datetime"
    """An ISO 8601 date-time string (``2026-03-01T08:00:00Z``), the spec's ``format: date-time``."""
    ID_STRING = "id_string"
    """A record id the spec types as a string (Procore's v2.0 endpoints: ``"562949953421313"``); stored as
    an integer so references resolve, rendered as a string again."""


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

    ``ops`` names the operations whose request schema lists the attribute (None: every write
    operation of the resource); a request to any other operation naming it is refused, since Procore
    would drop it silently. ``op_enums`` overrides ``enum`` where one operation documents other
    values. ``stored=False`` marks input a hook consumes (a requisition's ``items`` become item records).
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
    ops: frozenset[Op] | None = None
    op_enums: tuple[tuple[Op, tuple[Any, ...]], ...] = ()
    stored: bool = True

    @property
    def refs(self) -> tuple[str, ...]:
        if self.ref is None:
            return ()
        return (self.ref,) if isinstance(self.ref, str) else tuple(self.ref)

    def accepted_in(self, op: Op | None) -> bool:
        """Whether operation ``op``'s request schema lists this attribute (None: any)."""
        return op is None or self.ops is None or op in self.ops

    def enum_for(self, op: Op | None) -> tuple[Any, ...] | None:
        return next((values for o, values in self.op_enums if o == op), self.enum)

    def nested(self, op: Op | None) -> dict[str, Field]:
        """The nested attributes ``op`` accepts inside an object or each object of a list."""
        return {f.name: f for f in self.fields if f.accepted_in(op)}

    def check(self, value: Any, path: str, errors: Errors, op: Op | None = None) -> Any:
        """Returns the normalised value, or adds messages under ``path`` and returns None."""
        if value is None:
            return None
        checker = _CHECKERS[self.kind]
        return checker(self, value, path, errors, op)


def only(*ops: Op) -> frozenset[Op]:
    """``Field(..., ops=only(Op.CREATE))``: the attribute is documented for these operations only."""
    return frozenset(ops)


def except_(*ops: Op) -> frozenset[Op]:
    """``Field(..., ops=except_(Op.SYNC))``: every write operation but these documents the attribute."""
    return WRITE_OPS - frozenset(ops)


def _check_string(f: Field, value: Any, path: str, errors: Errors, op: Op | None) -> Any:
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
    enum = f.enum_for(op)
    if enum is not None and value not in enum:
        allowed = ", ".join(str(v) for v in enum if v is not None)
        add_error(errors, path, f"is not included in the list ({allowed})")
        ok = False
    if f.code == "country" and value and not iso.is_country_code(value):
        add_error(errors, path, f"'{value}' is not an ISO-3166-1 alpha-2 country code")
        ok = False
    if f.code == "currency" and not re.fullmatch(r"[A-Z]{3}", value):
        add_error(errors, path, f"'{value}' is not an ISO-4217 currency code")
        ok = False
    return value if ok else None


def _check_integer(f: Field, value: Any, path: str, errors: Errors, op: Op | None) -> Any:
    if isinstance(value, bool) or not isinstance(value, int):
        add_error(errors, path, "must be an integer")
        return None
    if not -(2**63) <= value < 2**63:
        add_error(errors, path, "is out of range for a 64-bit integer")
        return None
    if _bounded(f, Decimal(value), path, errors) is None:
        return None
    return value


def _check_number(f: Field, value: Any, path: str, errors: Errors, op: Op | None) -> Any:
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


def _check_decimal_string(f: Field, value: Any, path: str, errors: Errors, op: Op | None) -> Any:
    if not isinstance(value, str):
        add_error(errors, path, 'must be a string holding a decimal number (e.g. "1250.00")')
        return None
    if not _DECIMAL_STRING.match(value.strip()):
        add_error(errors, path, f"'{value}' is not a decimal number")
        return None
    return _bounded(f, Decimal(value.strip()), path, errors)


def _check_string_list(f: Field, value: Any, path: str, errors: Errors, op: Op | None) -> Any:
    if not isinstance(value, list) or any(not isinstance(v, str) for v in value):
        add_error(errors, path, "must be an array of strings")
        return None
    return list(value)


def _check_object_list(f: Field, value: Any, path: str, errors: Errors, op: Op | None) -> Any:
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
        out.append(_check_object(item_field, item, f"{path}[{index}]", errors, op))
    return out if sum(len(v) for v in errors.values()) == before else None


def _check_boolean(f: Field, value: Any, path: str, errors: Errors, op: Op | None) -> Any:
    if not isinstance(value, bool):
        add_error(errors, path, "must be true or false")
        return None
    return value


def _check_date(f: Field, value: Any, path: str, errors: Errors, op: Op | None) -> Any:
    if isinstance(value, str) and _DATE.match(value):
        try:
            dt.date.fromisoformat(value)
            return value
        except ValueError:
            pass
    add_error(errors, path, "must be a valid date in YYYY-MM-DD format")
    return None


def _check_integer_list(f: Field, value: Any, path: str, errors: Errors, op: Op | None) -> Any:
    if not isinstance(value, list) or any(isinstance(v, bool) or not isinstance(v, int) for v in value):
        add_error(errors, path, "must be an array of integers")
        return None
    return list(value)


def _check_object(f: Field, value: Any, path: str, errors: Errors, op: Op | None) -> Any:
    if not isinstance(value, dict):
        add_error(errors, path, "must be an object")
        return None
    nested = f.nested(op)
    out: dict[str, Any] = {}
    before = sum(len(v) for v in errors.values())
    for key, item in value.items():
        sub = nested.get(key)
        if sub is None:
            add_error(errors, f"{path}.{key}", f"unknown attribute '{key}' for {path}")
            continue
        out[key] = sub.check(item, f"{path}.{key}", errors, op)
    for sub in nested.values():
        if sub.required and is_blank(value.get(sub.name)):
            add_error(errors, f"{path}.{sub.name}", "can't be blank")
    return out if sum(len(v) for v in errors.values()) == before else None


def _check_free_object(f: Field, value: Any, path: str, errors: Errors, op: Op | None) -> Any:
    if not isinstance(value, dict):
        add_error(errors, path, "must be an object")
        return None
    return value


def _check_datetime(f: Field, value: Any, path: str, errors: Errors, op: Op | None) -> Any:
    if isinstance(value, str) and _DATETIME.match(value):
        try:
            dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
            return value
        except ValueError:
            pass
    add_error(errors, path, "must be an ISO 8601 date-time (YYYY-MM-DDTHH:MM:SSZ)")
    return None


def _check_id_string(f: Field, value: Any, path: str, errors: Errors, op: Op | None) -> Any:
    if isinstance(value, str) and _ID_STRING.match(value) and int(value) < 2**63:
        return int(value)
    add_error(errors, path, 'must be a string holding a record id (e.g. "562949953421313")')
    return None


_CHECKERS: dict[Kind, Callable[[Field, Any, str, Errors, Op | None], Any]] = {
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
    Kind.DATETIME: _check_datetime,
    Kind.ID_STRING: _check_id_string,
}


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def render_value(f: Field, value: Any) -> Any:
    """A stored value as Procore's Show renders it."""
    if value is None:
        return f.default
    if f.kind == Kind.ID_STRING:
        return str(value)
    if f.kind == Kind.NUMBER:
        if f.render_as == "string":
            return value
        number = Decimal(value)
        return int(number) if number == number.to_integral_value() and "." not in value else float(number)
    return value
