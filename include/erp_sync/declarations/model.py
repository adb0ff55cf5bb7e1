"""What an integration point declaration is made of, and the facts derived from it.

A point declares its SQL contract, ERP key, references, payload model, mapping and Procore load once.
Its origin ids, Procore endpoints and place in the dependency graph are computed from those
declarations here, never written down a second time.
"""

from __future__ import annotations

import itertools
import string
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

import pandas as pd
from pydantic import BaseModel

# A mapping turns a point's canonical rows into one column per payload (or line) field, index-aligned.
MapRows = Callable[..., pd.DataFrame]
# Allowed values of a route key, e.g. (("contract_path", ("work_order_contracts", ...)),).
RouteValues = tuple[tuple[str, tuple[str, ...]], ...]

# The route key the plan reads: a true value means "voided in the ERP", so the record is deleted.
VOID = "void"


def key_columns(fmt: str) -> list[str]:
    """The canonical columns a key format (or a path template) names, in order."""
    return [name for _, name, _, _ in string.Formatter().parse(fmt) if name]


def compose_keys(rows: pd.DataFrame, fmt: str) -> pd.Series:
    """ERP keys built from canonical columns, whole columns at a time; missing if any part is blank.

    The one place a key is built: the ledger key, reference keys and the key inside origin_id all come
    from here, so they agree even for an integer column read as float because it holds a NULL. Parts
    are in Unicode's composed form (NFC): the same text typed two ways is one key, one Procore record.
    """
    result = pd.Series("", index=rows.index, dtype="string")
    missing = pd.Series(False, index=rows.index)
    for literal, name, _, _ in string.Formatter().parse(fmt):
        result = result + literal
        if name:
            part = rows[name].astype("string").str.strip().str.normalize("NFC")
            part = part.str.removesuffix(".0") if rows[name].dtype.kind == "f" else part
            missing |= part.isna() | (part == "")
            result = result + part.fillna("")
    return result.mask(missing)


def fill_template(template: str, values: Mapping[str, str]) -> str:
    """``template`` with the named keys filled in and every other ``{key}`` left as it is."""
    parts = []
    for literal, name, _, _ in string.Formatter().parse(template):
        parts.append(literal)
        if name:
            parts.append(values.get(name, "{" + name + "}"))
    return "".join(parts)


def expand_template(template: str, values: RouteValues) -> list[str]:
    """One path per combination of the declared values of the route keys the template uses."""
    allowed = dict(values)
    names = [name for name in key_columns(template) if name in allowed]
    return [
        fill_template(template, dict(zip(names, combo, strict=True)))
        for combo in itertools.product(*(allowed[name] for name in names))
    ]


def _query(names: Iterable[str]) -> str:
    names = list(names)
    return "?" + "&".join(f"{name}=" for name in names) if names else ""


@dataclass(frozen=True)
class Reference:
    """Another point's ERP key, built from canonical columns, resolved to its Procore id via the ledger.

    ``key`` is a format over canonical columns, e.g. ``"{job_number}/{cost_code}"``, that must produce
    the referenced point's ``key`` format. ``present`` names a canonical column holding the ERP's raw
    foreign key: when it is set but the key is blank, the ERP row points at a record that does not
    exist (a dangling reference) and the record is blocked, even for an optional reference.

    The resolved id goes into the payload field ``field``; with ``in_route`` into the route instead
    (it addresses the call, e.g. ``{project_id}`` in the path), with ``on_line`` into each of the
    record's lines (see :class:`Lines`).

    A record whose reference is not synced (rejected, failed, blocked or missing) is not sent: it is
    recorded as ``blocked`` naming the missing reference, and goes out on the first run after the
    reference is fixed. Every reference is also a dependency: its point runs first.
    """

    key: str
    point: str
    field: str
    in_route: bool = False
    optional: bool = False
    present: str | None = None
    on_line: bool = False


@dataclass(frozen=True)
class Lines:
    """The point's ERP rows are the lines of its records: rows sharing an ERP key form one record.

    ``mapping`` maps each row to its line's fields (its header fields come from the point's
    mapping); the record carries its lines as a list under the payload field ``field``.
    """

    field: str
    mapping: MapRows


def line_gate(point: str, key: str) -> Reference:
    """The status waits for its lines: each line (``key``, the lines point's key) must be synced first.

    Procore locks what an approval covers (an Approved contract's SOV, an approved change order's lines,
    an approved invoice's items), so a status point's rows are one per line of its record (a record
    without lines: one row with a blank line key), with ``Lines(field="lines",
    mapping=map_status_gate_lines)``; a line not synced blocks the status, naming the line. Every
    status point gates the same way, so nothing is approved short of its money.
    """
    return Reference(key=key, point=point, field="line_id", optional=True, on_line=True)


@dataclass(frozen=True, kw_only=True)
class FieldsPatch:
    """Payload fields the sync action does not accept but the record's own update does.

    They are held back from the sync items and, after the sync, sent by one PATCH ``path`` (with the
    record's ``{id}``) per record whose synced entity shows a different value — e.g. a project's
    ``origin_code``, absent from ``PATCH /rest/v1.0/projects/sync`` but on ``PATCH /projects/{id}``.
    An unchanged night sends nothing, so it makes no call either.
    """

    path: str
    wrapper: str
    fields: tuple[str, ...]
    body_scope: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class SyncLoad:
    """Load through a Procore sync action (batch create-or-update keyed by origin_id).

    ``path`` may hold route keys (``{project_id}``, ``{contract_path}``, ...); ``body_scope`` and
    ``query_scope`` name the route keys sent in the body or the query string (``company_id`` is always
    available). Calls are split by every route key the path or scope uses. Responses are matched to
    items by origin_id, else id, else (for points without origin_id) in order. ``delete_only`` limits
    deletes to records with these route values (others have no delete in Procore's API).
    """

    path: str
    items_key: str = "updates"
    method: str = "PATCH"
    body_scope: tuple[str, ...] = ()
    query_scope: tuple[str, ...] = ()
    delete_path: str | None = None
    delete_scope: tuple[str, ...] = ()
    delete_only: RouteValues = ()
    then_patch: FieldsPatch | None = None

    def endpoints(self, route_values: RouteValues) -> list[str]:
        """The calls this load makes, as ``METHOD /path?query=`` with route values expanded."""
        query = _query(self.query_scope)
        sends = [f"{self.method} {p}{query}" for p in expand_template(self.path, route_values)]
        if self.then_patch:
            sends += [f"PATCH {p}" for p in expand_template(self.then_patch.path, route_values)]
        return sends + _delete_endpoints(self, route_values)


@dataclass(frozen=True, kw_only=True)
class CreateUpdateLoad:
    """Load where Procore has no sync action: POST to create, PATCH ``/{id}`` to update.

    Creates are idempotent through the ledger and, when the ledger is unsure (an earlier create may
    have been applied without an answer), a lookup on ``list_path`` by ``lookup`` first — through
    ``filters[origin_id]`` where Procore offers it (``origin_filter``), else by reading the list.
    With no ``create_path`` the point only updates a record another point created, addressed through
    a route key (e.g. ``/rest/v1.0/prime_contract/{prime_contract_id}``), and never lists.
    """

    create_path: str | None
    update_path: str
    wrapper: str
    list_path: str | None = None
    body_scope: tuple[str, ...] = ()
    query_scope: tuple[str, ...] = ()
    list_scope: tuple[str, ...] = ()
    origin_filter: bool = True
    lookup: tuple[str, ...] = ("origin_id",)
    delete_path: str | None = None
    delete_scope: tuple[str, ...] = ()
    delete_only: RouteValues = ()

    def __post_init__(self) -> None:
        if self.create_path and not self.list_path:
            raise ValueError(f"{self.create_path}: a create needs a list_path to find lost creates")

    @property
    def filters_by_origin_id(self) -> bool:
        """Whether a lookup asks Procore for the origin_id instead of reading the whole list."""
        return self.origin_filter and self.lookup == ("origin_id",)

    def endpoints(self, route_values: RouteValues) -> list[str]:
        """The calls this load makes, as ``METHOD /path?query=`` with route values expanded."""
        query = _query(self.query_scope)
        calls = []
        if self.create_path:
            calls += [f"POST {p}{query}" for p in expand_template(self.create_path, route_values)]
        calls += [f"PATCH {p}{query}" for p in expand_template(self.update_path, route_values)]
        calls += _delete_endpoints(self, route_values)
        if self.create_path and self.list_path:
            filters = ("filters[origin_id]",) if self.filters_by_origin_id else ()
            list_query = _query((*self.list_scope, *filters))
            calls += [f"GET {p}{list_query}" for p in expand_template(self.list_path, route_values)]
        return calls


@dataclass(frozen=True, kw_only=True)
class LineItemsLoad(CreateUpdateLoad):
    """Create/update of a record's line items under Procore's v2.0 API (commitment change order lines).

    v2.0 takes the line itself as the body (``wrapper=""``), answers ``{"data": {...}}`` with string
    ids, and names a line's budget code by ``wbs_code_id``: the load reads the project's WBS codes from
    ``wbs_path`` once and picks the one of the line's route values ``wbs_from`` (its cost code and
    cost type ids). Lines carry no origin_id: a lost create is found again by its WBS code, amount
    and description among the lines listed on ``list_path``.
    """

    wrapper: str = ""
    envelope: str = "data"
    wbs_path: str = "/rest/v1.0/projects/{project_id}/work_breakdown_structure/wbs_codes"
    wbs_from: tuple[str, str] = ("cost_code_id", "line_item_type_id")
    origin_filter: bool = False
    # GET of the lines' record (route keys in braces): its status tells whether a refusal is a lock
    parent_path: str | None = None

    def endpoints(self, route_values: RouteValues) -> list[str]:
        """The create, update and lookup calls, plus the WBS code list."""
        wbs = [f"GET {p}" for p in expand_template(self.wbs_path, route_values)]
        return super().endpoints(route_values) + wbs


@dataclass(frozen=True)
class SettingIs:
    """A point applies only when a pipeline setting has one of ``values`` (e.g. the change order tiers).

    Under another value the point sends nothing and the run summary lists it as skipped by setting.
    """

    setting: str
    values: tuple[object, ...]

    def skip_reason(self, settings: object) -> str | None:
        """Why the point does not apply under these settings, or None when it does."""
        value = getattr(settings, self.setting)
        if value in self.values:
            return None
        wanted = " or ".join(map(str, self.values))
        return f"skipped by setting PROCORE_SYNC_{self.setting.upper()}={value} (applies to {wanted})"


@dataclass(frozen=True, kw_only=True)
class ItemUpdateLoad:
    """Load into the items Procore made for a record another point created (a requisition's items).

    Procore creates a requisition's items itself, one per SOV line of its commitment; the ERP's lines
    only set their amounts. The parents (``{parent_key}`` in the route) of a scope's lines are read
    with their items in one list call per ``chunk`` of them (``list_path`` with ``list_params`` and
    their ids in ``parents_filter``; each parent's items under ``items_field``), each line is matched
    to the item whose ``match_field`` equals its route value ``match_key`` (the SOV line id), and one
    ``PATCH path`` per parent sends all of its lines under ``items_key`` (see
    :mod:`erp_sync.item_update`).
    """

    path: str
    list_path: str
    parent_key: str
    match_key: str
    match_field: str
    items_key: str
    items_field: str = "items"
    parents_filter: str = "filters[id][]"
    list_params: tuple[tuple[str, str], ...] = ()
    list_scope: tuple[str, ...] = ()
    chunk: int = 100
    body_scope: tuple[str, ...] = ()
    query_scope: tuple[str, ...] = ()
    delete_path: None = None
    delete_scope: tuple[str, ...] = ()
    delete_only: RouteValues = ()

    def endpoints(self, route_values: RouteValues) -> list[str]:
        """The calls this load makes: the parents listed with their items, one update per parent."""
        listing = _query((*self.list_scope, *(k for k, _ in self.list_params), self.parents_filter))
        return [
            *(f"PATCH {p}{_query(self.query_scope)}" for p in expand_template(self.path, route_values)),
            *(f"GET {p}{listing}" for p in expand_template(self.list_path, route_values)),
        ]


Load = SyncLoad | CreateUpdateLoad | ItemUpdateLoad


def _delete_endpoints(load: Load, route_values: RouteValues) -> list[str]:
    if not load.delete_path:
        return []
    values = dict(route_values) | dict(load.delete_only)
    query = _query(load.delete_scope or load.query_scope)
    return [f"DELETE {p}{query}" for p in expand_template(load.delete_path, tuple(values.items()))]


@dataclass(frozen=True, kw_only=True)
class IntegrationPoint:
    """One ERP → Procore integration point (a Singer-style stream declaration).

    ``kind`` namespaces the point's origin ids (``<source>:<kind>:<ERP key>``); two points that sync
    the same Procore records (a commitment and its status) share it. ``route_fields`` name the
    mapping's columns that address or steer the call instead of being sent (``contract_path``,
    ``void``); ``route_values`` list the values a route field may take. ``runs_after`` names points
    that must run first although nothing is referenced from them (ordering only): the dependencies
    are those plus every referenced point. ``money`` says, for the README, which call carries the
    record's money and what the user's SQL must return for it (empty: the point carries none).
    """

    name: str
    kind: str
    tier: int
    title: str
    scope: Literal["company", "project"]
    canonical_columns: tuple[str, ...]
    payload_model: type[BaseModel]
    mapping: MapRows
    load: Load
    references: tuple[Reference, ...] = ()
    runs_after: tuple[str, ...] = ()
    key: str = "{erp_key}"
    erp_key_label: str = "erp_key"
    scope_column: str | None = None
    has_origin_id: bool = True
    locks: str = "nothing"
    locked_hint: str = ""
    route_fields: tuple[str, ...] = ()
    route_values: RouteValues = ()
    lines: Lines | None = None
    # Which call carries the record's money and what the SQL must return for it (README table).
    money: str = ""
    # The point applies only under these settings (else skipped by setting, named in the summary).
    applies_when: SettingIs | None = None

    def __post_init__(self) -> None:
        if self.scope == "project" and not self.scope_column:
            raise ValueError(f"{self.name}: project-scoped points name their scope_column")
        for ref in self.references:
            if ref.present and ref.present not in self.canonical_columns:
                raise ValueError(f"{self.name}: reference presence column {ref.present!r} is not canonical")
            if ref.on_line and (ref.in_route or self.lines is None):
                raise ValueError(f"{self.name}: reference {ref.field!r} on a line needs Lines, not the route")
        for fmt in (self.key, *(r.key for r in self.references)):
            missing = [c for c in key_columns(fmt) if c not in self.canonical_columns]
            if missing:
                raise ValueError(f"{self.name}: key {fmt!r} uses non-canonical columns {missing}")
        undeclared = {n for n, _ in (*self.route_values, *self.load.delete_only)} - set(self.route_keys)
        if undeclared:
            raise ValueError(f"{self.name}: route values for {sorted(undeclared)}, which are no route keys")
        restated = set(self.runs_after) & {r.point for r in self.references}
        if restated or self.name in self.runs_after:
            raise ValueError(f"{self.name}: runs_after restates {sorted(restated) or [self.name]}")

    @property
    def sql_file(self) -> str:
        """The extract SQL file of the point, named after it."""
        return f"{self.name}.sql"

    @property
    def depends_on(self) -> tuple[str, ...]:
        """Points that must be synced first: every referenced point, then the ordering-only ones."""
        return tuple(dict.fromkeys((*(r.point for r in self.references), *self.runs_after)))

    @property
    def route_keys(self) -> tuple[str, ...]:
        """Names in the route of each record: the mapping's route fields and in-route references."""
        return tuple(dict.fromkeys((*self.route_fields, *(r.field for r in self.references if r.in_route))))

    @property
    def procore_endpoints(self) -> tuple[str, ...]:
        """The Procore calls the point makes, from its load declaration."""
        return tuple(self.load.endpoints(self.route_values))
