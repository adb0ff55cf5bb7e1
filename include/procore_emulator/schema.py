"""The vocabulary for declaring an emulated Procore resource.

A resource is data (:class:`ResourceSpec`): its paths, scope parameters, fields with their rules
(``fields.py``), list filters and hooks. The generic engine (``core.py``) and the generated routes
(``routes/``) read nothing else, so adding a resource is a declaration in ``resources/`` plus, at
most, a hook. Hooks see the emulator's state through :class:`RecordStore`, so declarations never
import the state module that holds them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal, Protocol

from .config import EmulatorConfig
from .fields import Errors, Field, Kind
from .operations import PAGINATION, OperationRules, QueryParam
from .ops import STANDARD_OPS, WRITE_OPS, Op
from .records import StoredRecord

__all__ = ["STANDARD_OPS", "Op", "ResourceSpec", "ScopeParam"]


Location = Literal["query", "body", "path", "item"]
"""Where a scope parameter travels. ``item`` means inside the record's own attributes: a sync item (or
the wrapped payload of a single create/update) names its parent, e.g. direct cost line items' sync
items carry ``direct_cost_id``."""


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
    state: RecordStore
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
    state: RecordStore
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
    render_extra: Callable[[StoredRecord, RecordStore], dict[str, Any]] | None = None
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
    operation_ids: Mapping[Op, str] = field(default_factory=dict)
    """Procore's operationId per served operation (``INDEX.txt`` names them)."""
    query_params: Mapping[Op, tuple[QueryParam, ...]] = field(default_factory=dict)
    """Further query parameters an operation documents beyond scope, pagination, filters and sort
    (``view``, ``run_configurable_validations``...): accepted and type checked, not applied."""
    open_items: frozenset[Op] = frozenset()
    """Operations whose extract collapses the item schema to ``{}`` (budget sync): the content is
    unknown, so attributes the emulator does not know are accepted and ignored there."""
    default_per_page: int | None = None
    """The list's page size when ``per_page`` is left out, where its extract documents one."""
    after_write: Callable[[WriteContext, StoredRecord], list[StoredRecord]] | None = None
    """Records to store after a create or update (a requisition's items from the commitment's SOV)."""
    unwrapped: bool = False
    """The create/update body is the record itself, with no wrapper key (v2.0)."""
    envelope: str | None = None
    """The key answers are wrapped in (v2.0: ``{"data": ...}``)."""

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

    def route(self, op: Op) -> tuple[str, str]:
        """The (method, path template) ``op`` is served at."""
        return {
            Op.LIST: ("GET", self.resolved_list_path),
            Op.SHOW: ("GET", f"{self.path}/{{id}}"),
            Op.CREATE: ("POST", self.path),
            Op.UPDATE: ("PATCH", f"{self.path}/{{id}}"),
            Op.DELETE: ("DELETE", f"{self.path}/{{id}}"),
            Op.SYNC: (self.sync_method, self.resolved_sync_path),
        }[op]

    @cached_property
    def operation_rules(self) -> dict[Op, OperationRules]:
        """The rules of every operation the resource serves, derived from the declaration."""
        return {op: self._rules(op) for op in Op if op in self.operations}

    def rules(self, op: Op) -> OperationRules:
        return self.operation_rules.get(op) or self._rules(op)

    def _rules(self, op: Op) -> OperationRules:
        method, path = self.route(op)
        fields: tuple[Field, ...] = ()
        required: tuple[str, ...] = ()
        wrapper: str | None = None
        body: list[str] = [p.name for p in self.scope if "body" in p.where.get(op, ())]
        if op in WRITE_OPS:
            fields = tuple(f for f in self.fields if f.accepted_in(op))
            if op == Op.CREATE:
                required = tuple(f.name for f in fields if f.required)
            elif op == Op.UPDATE:
                required = self.update_required
            if op == Op.SYNC:
                wrapper = self.sync_items_key
            else:
                wrapper = None if self.unwrapped else self.wrapper_key
                body += self.body_params
        return OperationRules(
            operation_id=self.operation_ids.get(op),
            method=method,
            path=path,
            op=op,
            fields=fields,
            required=required,
            wrapper=wrapper,
            body_params=tuple(body),
            query=self._query(op),
            open_items=op in self.open_items,
            wrapper_required=self.wrapper_required or op == Op.SYNC,
        )

    def _query(self, op: Op) -> tuple[QueryParam, ...]:
        params = [  # the first location listed is where the extract requires it (projects sync: body)
            QueryParam(p.name, Kind.INTEGER, required=op not in p.optional and p.where[op][0] == "query")
            for p in self.scope
            if "query" in p.where.get(op, ())
        ]
        if op == Op.LIST:
            params += PAGINATION
            params += [QueryParam(f"filters[{f.name}]") for f in self.filters]
            if self.sorts:
                params.append(QueryParam("sort", enum=tuple(self.sorts)))
        params += self.query_params.get(op, ())
        return tuple(params)


class RecordStore(Protocol):
    """What hooks and validation may ask of the emulator's state (``EmulatorState`` provides it)."""

    config: EmulatorConfig

    @property
    def companies(self) -> dict[int, str]: ...

    def spec(self, resource: str) -> ResourceSpec: ...

    def get(self, resource: str, record_id: int) -> StoredRecord | None: ...

    def find_by_origin(self, resource: str, company_id: int, origin_id: str) -> StoredRecord | None: ...

    def children(self, resource: str, scope_key: str, value: int | None) -> list[StoredRecord]: ...

    def stored(self, resource: str, company_id: int | None = None) -> list[StoredRecord]: ...

    def render(self, rec: StoredRecord) -> dict[str, Any]: ...

    def allocate_id(self) -> int: ...

    def now(self) -> float: ...
