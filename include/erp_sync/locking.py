"""Is a refusal Procore's lock on the record, or another failure? Decided from what we know, not wording.

Procore's lock messages are undocumented (its UI says "The invoice is not editable because it has
been synced with ERP", "The Contract Payment cannot be edited or deleted because it is synced with an
ERP system"), so a message is only a hint. What decides:

- the point's declared locking rule (:func:`rule_of` reads its ``locks``): ``origin_id`` (the record
  is immutable once it carries our origin_id), ``status`` (locked once it, or its parent, is Approved
  or Complete), or ``none`` (nothing locks: a refusal is a failure, whatever it says);
- the HTTP status: only a refusal of the request's content (400, 403, 422, or a sync item's error)
  can be a lock; 401, 404, 409 (a concurrent write), 429 and 5xx never are;
- the ledger: an ``origin_id`` lock needs a record already in Procore (it has a Procore id);
- for a ``status`` rule whose message gives no hint: one GET of the record, whose status decides.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from erp_sync.declarations.model import CreateUpdateLoad, Load, SyncLoad

LockRule = Literal["none", "origin_id", "status"]

# Words of lock refusals seen so far (Procore's UI, the emulator): a hint, never the decision alone.
LOCK_HINT = re.compile(
    r"locked|immutable|read[- ]only|not editable|cannot be (modified|changed|edited|deleted)"
    r"|synced with (an )?ERP",
    re.I,
)
WORKFLOW_HINT = re.compile(r"workflow", re.I)
LOCKING_STATUSES = frozenset({"approved", "complete", "completed"})
REFUSAL_STATUSES = frozenset({400, 403, 422})


def rule_of(locks: str) -> LockRule:
    """The machine-readable rule of a point's ``locks`` declaration (the docs table's wording).

    Raises on wording it cannot place, so a new point states its rule in words this function knows.
    """
    text = locks.lower()
    if "origin_id" in text:
        return "origin_id"
    if "approved" in text or "complete" in text:
        return "status"
    if text == "nothing" or "workflow" in text:
        return "none"  # a workflow-controlled status is retried without it, not locked
    raise ValueError(f"locking rule not understood: {locks!r}")


@dataclass(frozen=True)
class Refusal:
    """One refused write of one record, with what the ledger knows about the record."""

    message: str
    http_status: int | None  # None: a sync item's own error inside a 200 answer
    in_procore: bool  # the ledger has its Procore id (it exists there, carrying our origin_id)


def classify(
    rule: LockRule,
    refusal: Refusal,
    *,
    has_origin_id: bool,
    probe: Callable[[], Mapping[str, Any] | None] | None = None,
) -> str:
    """``locked`` or ``failed``. ``probe`` GETs the record (once, only when the evidence is unclear)."""
    if rule == "none":
        return "failed"
    if refusal.http_status is not None and refusal.http_status not in REFUSAL_STATUSES:
        return "failed"
    if rule == "origin_id":
        return "locked" if has_origin_id and refusal.in_procore else "failed"
    if LOCK_HINT.search(refusal.message):
        return "locked"
    if probe is None or not refusal.in_procore:
        return "failed"
    try:
        record = probe()
    except Exception:  # noqa: BLE001 - a probe that fails proves nothing: the refusal stays a failure
        return "failed"
    return "locked" if record is not None and _status_of(record) in LOCKING_STATUSES else "failed"


def _status_of(record: Mapping[str, Any]) -> str:
    status = record.get("status")
    if isinstance(status, Mapping):  # some Show answers nest it: {"status": {"name": "Approved"}}
        status = status.get("name") or status.get("status")
    return str(status or "").strip().lower()


def show_call(load: Load, route: Mapping[str, Any], procore_id: int) -> tuple[str, dict[str, Any]] | None:
    """The GET of one record: its update path, or its sync path without ``/sync`` plus ``/{id}``."""
    if isinstance(load, SyncLoad):
        template = load.path.removesuffix("/sync") + "/{id}"
    elif isinstance(load, CreateUpdateLoad) and "{id}" in load.update_path:
        template = load.update_path
    else:
        return None  # no Show of its own (e.g. items updated through their parent): the hint decides
    scope = (*load.query_scope, *load.body_scope)
    params = {name: route[name] for name in scope if name in route}
    return template.format(id=procore_id, **route), params


def is_workflow_controlled(locks: str, message: str) -> bool:
    """A status refusal worth one retry without the status: the point says a workflow may own it,
    or the message says so (a hint)."""
    return "workflow" in locks.lower() or bool(WORKFLOW_HINT.search(message))
