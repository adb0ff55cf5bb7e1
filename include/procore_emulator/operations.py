"""Per-operation rules: what one documented Procore operation accepts.

Procore documents every operation (method + path template + API version) with its own request schema,
and two operations on one resource often differ: the projects sync items have no ``origin_code`` while
the single create has; the v1.0 commitment change order has no ``line_items`` (Procore documents them
under v2.0 only). Procore silently drops what an operation does not know, so money sent to the wrong
operation vanishes. The emulator therefore validates each request against the rules of the operation
it addressed, never a union of a resource's operations, and refuses what that operation does not list.

The rules are the emulator's own declarations (``ResourceSpec`` derives them from per-field ``ops``;
hand-written routes declare theirs); ``tests/emulator/test_spec_conformance.py`` compares them with
Procore's extracts in ``../shared/procore-spec``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from .fields import Field, Kind
from .ops import Op

_BOOLEANS = frozenset({"true", "false", "1", "0"})


@dataclass(frozen=True)
class QueryParam:
    """A documented query parameter. ``name`` is as documented (``filters[trade_id][]``); a trailing
    ``[]`` is optional when sent, as Rails reads both forms."""

    name: str
    kind: Kind = Kind.STRING
    enum: tuple[str, ...] | None = None
    required: bool = False

    @property
    def key(self) -> str:
        return self.name.removesuffix("[]")

    def problem(self, raw: str) -> str | None:
        """Why ``raw`` is not a valid value, or None."""
        if self.kind == Kind.INTEGER and not raw.strip().lstrip("-").isdigit():
            return f"{self.name} must be an integer, got {raw!r}"
        if self.kind == Kind.BOOLEAN and raw.strip().lower() not in _BOOLEANS:
            return f"{self.name} must be true or false, got {raw!r}"
        if self.enum is not None and raw not in self.enum:
            return f"{self.name} must be one of {', '.join(self.enum)}, got {raw!r}"
        return None


PAGINATION = (QueryParam("page", Kind.INTEGER), QueryParam("per_page", Kind.INTEGER))
"""Every list answers ``page``/``per_page`` (procore-api.md), even where an extract leaves them out."""

RUN_CONFIGURABLE_VALIDATIONS = QueryParam("run_configurable_validations", Kind.BOOLEAN)


def view(*values: str) -> QueryParam:
    """``view=...``: which attributes the answer carries; accepted, the emulator renders one view."""
    return QueryParam("view", enum=values)


@dataclass(frozen=True)
class OperationRules:
    """One documented operation as the emulator serves it.

    ``fields`` are the record attributes its request schema lists (inside ``wrapper``, the body key of
    the record, or of the item array for a sync; ``wrapper`` None: the body is the record itself, as in
    v2.0). ``required`` are the attributes it requires. ``body_params`` are the other top-level body
    keys it takes. ``query`` lists every query parameter it documents (scope, pagination, filters,
    sort, view...). ``open_items``: the extract collapses the item schema to ``{}``, so unknown
    attributes are accepted (and ignored) rather than refused.
    """

    operation_id: str | None
    method: str
    path: str
    op: Op
    fields: tuple[Field, ...] = ()
    required: tuple[str, ...] = ()
    wrapper: str | None = None
    body_params: tuple[str, ...] = ()
    query: tuple[QueryParam, ...] = ()
    open_items: bool = False
    wrapper_required: bool = True

    @property
    def label(self) -> str:
        return f"{self.method} {self.path}"

    @cached_property
    def field_map(self) -> dict[str, Field]:
        return {f.name: f for f in self.fields}

    @cached_property
    def query_map(self) -> dict[str, QueryParam]:
        return {q.key: q for q in self.query}

    def query_problems(self, pairs: Iterable[tuple[str, str]], *, checked: Iterable[str] = ()) -> list[str]:
        """Messages for query parameters this operation does not document, values of the wrong kind
        and missing required ones (except those in ``checked``, which the caller reports itself)."""
        problems: list[str] = []
        unknown: list[str] = []
        seen: set[str] = set()
        for key, raw in pairs:
            param = self.query_map.get(key.removesuffix("[]"))
            if param is None:
                unknown.append(key)
                continue
            seen.add(param.key)
            if not param.key.startswith("filters["):  # filter values are parsed by the filter itself
                problem = param.problem(raw)
                if problem:
                    problems.append(problem)
        if unknown:
            known = ", ".join(q.name for q in self.query) or "none"
            problems.insert(
                0,
                f"unknown query parameter(s) {', '.join(sorted(set(unknown)))} for {self.label} "
                f"(it documents: {known})",
            )
        skip = set(checked)
        for param in self.query:
            if param.required and param.key not in seen and param.key not in skip:
                problems.append(f"param is missing or the value is empty: {param.name}")
        return problems
