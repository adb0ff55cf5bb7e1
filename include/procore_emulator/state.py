"""The emulator's memory: records, access tokens, the request log, rate-limit counters and faults.

One re-entrant lock guards records and tokens; every API write runs under it from validation to
storage, so concurrent requests see each write whole or not at all.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import secrets
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from typing import Any

from .config import EmulatorConfig, FaultConfig
from .faults import FaultInjector
from .fields import render_value
from .persistence import SqliteStore
from .ratelimit import RateLimiter
from .records import StoredRecord
from .requestlog import REQUEST_LOG_ENV, RequestLogFile
from .schema import ResourceSpec

FIRST_ID = 562_949_953_421_312
"""Ids start above 2**49, as Procore's do, so a client that squeezes ids into 32 bits fails here."""


def iso_timestamp(moment: float) -> str:
    """Procore's timestamp format: ISO 8601, UTC, whole seconds, ``Z``."""
    return dt.datetime.fromtimestamp(moment, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class RequestLogEntry:
    """One API or token request as the emulator saw it.

    ``items`` is the number of records submitted (writes) or returned (reads). ``dropped`` marks a
    write that was applied but whose response was never delivered (fault injection). ``route`` is the
    path with numeric segments replaced by ``{id}``, for per-endpoint statistics.
    """

    method: str
    path: str
    status: int
    write: bool
    items: int
    at: float
    dropped: bool = False
    route: str = ""
    client_id: str | None = None


@dataclass(frozen=True)
class Token:
    value: str
    client_id: str
    created_at: float
    expires_at: float


@dataclass
class _Limits:
    hourly_limit: int
    spike_limit: int
    spike_window_seconds: float
    hourly_window_seconds: float


@dataclass
class EmulatorState:
    """All mutable emulator state, shared by the HTTP app and the test-facing handle."""

    config: EmulatorConfig
    resources: Mapping[str, ResourceSpec]
    clock: Callable[[], float] = time.time
    lock: threading.RLock = field(default_factory=threading.RLock)
    request_log: list[RequestLogEntry] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._records: dict[str, dict[int, StoredRecord]] = {name: {} for name in self.resources}
        self._origin_index: dict[tuple[str, int, str], int] = {}
        self._scope_index: dict[tuple[str, str, int], dict[int, None]] = {}
        self._busy: set[tuple[str, int]] = set()
        self._busy_lock = threading.Lock()
        self.workflow_controlled: frozenset[str] = frozenset()
        self.write_hold_seconds: float = 0.0
        self._apply_config_knobs()
        self._tokens: dict[str, Token] = {}
        self._next_id = FIRST_ID
        self._log_lock = threading.Lock()
        cfg = self.config
        self.limits = _Limits(
            cfg.hourly_limit, cfg.spike_limit, cfg.spike_window_seconds, cfg.hourly_window_seconds
        )
        self.limiter = RateLimiter(
            cfg.hourly_limit,
            cfg.spike_limit,
            cfg.spike_window_seconds,
            cfg.hourly_window_seconds,
            clock=self.clock,
        )
        self.faults = FaultInjector(cfg.faults)
        log_path = cfg.request_log or os.environ.get(REQUEST_LOG_ENV)
        self.request_log_file = RequestLogFile(log_path, (cfg.client_secret,)) if log_path else None
        self._store = SqliteStore(cfg.state_file) if cfg.state_file else None
        if self._store is not None:
            records, next_id = self._store.load()
            for rec in records:
                if rec.resource in self._records:
                    self._index(rec)
            self._next_id = max(self._next_id, next_id)

    # companies -----------------------------------------------------------------------------------

    @property
    def companies(self) -> dict[int, str]:
        return {self.config.company_id: self.config.company_name}

    # records -------------------------------------------------------------------------------------

    def spec(self, resource: str) -> ResourceSpec:
        try:
            return self.resources[resource]
        except KeyError:
            raise KeyError(f"unknown resource {resource!r}; known: {', '.join(self.resources)}") from None

    def stored(self, resource: str, company_id: int | None = None) -> list[StoredRecord]:
        """Live stored records of a resource in id order (optionally of one company).

        Tables are dicts filled in id order (ids only grow; replacing a record keeps its slot), so
        no sort is needed.
        """
        self.spec(resource)
        with self.lock:
            return [
                r
                for r in self._records[resource].values()
                if r.deleted_at is None and (company_id is None or r.company_id == company_id)
            ]

    def records(self, resource: str, company_id: int | None = None) -> list[dict[str, Any]]:
        """Stored records rendered exactly as Show returns them."""
        with self.lock:
            return [self.render(r) for r in self.stored(resource, company_id)]

    def get(self, resource: str, record_id: int) -> StoredRecord | None:
        with self.lock:
            rec = self._records[resource].get(record_id)
            return rec if rec is not None and rec.deleted_at is None else None

    def find_by_origin(self, resource: str, company_id: int, origin_id: str) -> StoredRecord | None:
        with self.lock:
            record_id = self._origin_index.get((resource, company_id, origin_id))
            return self.get(resource, record_id) if record_id is not None else None

    def allocate_id(self) -> int:
        with self.lock:
            self._next_id += 1
            return self._next_id

    def now(self) -> float:
        return self.clock()

    def _index(self, rec: StoredRecord) -> None:
        self._records[rec.resource][rec.id] = rec
        if rec.deleted_at is not None:
            return
        origin = rec.fields.get("origin_id")
        if origin is not None:
            self._origin_index[(rec.resource, rec.company_id, origin)] = rec.id
        for key, value in rec.scope.items():
            self._scope_index.setdefault((rec.resource, key, value), {})[rec.id] = None

    def put(self, rec: StoredRecord) -> None:
        """Stores a new or replaced record and keeps the origin_id and scope indexes in step."""
        with self.lock:
            old = self._records[rec.resource].get(rec.id)
            if old is not None:
                old_origin = old.fields.get("origin_id")
                if old_origin is not None:
                    key = (old.resource, old.company_id, str(old_origin))
                    if self._origin_index.get(key) == old.id:
                        del self._origin_index[key]
                for scope_key, value in old.scope.items():
                    self._scope_index.get((old.resource, scope_key, value), {}).pop(old.id, None)
            self._index(rec)

    def children(self, resource: str, scope_key: str, value: int | None) -> list[StoredRecord]:
        """Live records of ``resource`` placed under ``scope_key == value`` (e.g. the line items of
        one direct cost), in id order, without scanning the whole table."""
        if value is None:
            return []
        with self.lock:
            ids = self._scope_index.get((resource, scope_key, value), {})
            table = self._records[resource]
            return [table[i] for i in sorted(ids) if table[i].deleted_at is None]

    def patch(self, resource: str, record_id: int, changes: Mapping[str, Any]) -> dict[str, Any]:
        """Changes a stored record directly, as a Procore user would in the web UI (e.g. approving a
        commitment: ``patch("work_order_contracts", id, {"status": "Approved"})``). Values are type
        checked against the declaration, but no validation hook, lock, workflow or origin rule
        applies. Returns the record as Show renders it. ``None`` clears an attribute."""
        spec = self.spec(resource)
        with self.lock:
            rec = self.get(resource, record_id)
            if rec is None:
                raise KeyError(f"{resource} {record_id} not found")
            fields = dict(rec.fields)
            problems: dict[str, list[str]] = {}
            for key, value in changes.items():
                f = spec.field_map.get(key)
                if f is None:
                    raise KeyError(f"unknown attribute {key!r} for {spec.singular}")
                normalised = f.check(value, key, problems)
                if key in problems:
                    raise ValueError(f"{key}: {'; '.join(problems[key])}")
                if normalised is None:
                    fields.pop(key, None)
                else:
                    fields[key] = normalised
            updated = dataclasses.replace(rec, fields=fields, updated_at=self.now())
            self.put(updated)
            self.persist([updated])
            return self.render(updated)

    def delete(self, rec: StoredRecord) -> list[StoredRecord]:
        """Soft-deletes a record and, recursively, the records its cascading scope parameters place
        under it; returns every record deleted."""
        now = self.now()
        gone: list[StoredRecord] = []
        with self.lock:
            pending = [rec]
            while pending:
                current = pending.pop()
                dead = dataclasses.replace(current, deleted_at=now, updated_at=now)
                self.put(dead)
                gone.append(dead)
                for spec in self.resources.values():
                    for param in spec.scope:
                        if param.cascade and current.resource in param.parents:
                            pending.extend(self.children(spec.name, param.name, current.id))
        return gone

    # concurrent writes ---------------------------------------------------------------------------

    def try_claim(self, keys: set[tuple[str, int]]) -> bool:
        """Marks records as being written; False (claiming nothing) if any already is."""
        with self._busy_lock:
            if self._busy & keys:
                return False
            self._busy |= keys
            return True

    def release(self, keys: set[tuple[str, int]]) -> None:
        with self._busy_lock:
            self._busy -= keys

    def persist(self, records: list[StoredRecord]) -> None:
        """Writes changed records through to the optional SQLite state file."""
        if self._store is not None and records:
            with self.lock:
                self._store.save(records, self._next_id)

    def render(self, rec: StoredRecord) -> dict[str, Any]:
        spec = self.spec(rec.resource)
        out: dict[str, Any] = {"id": rec.id}
        for f in spec.fields:
            if f.shown:
                out[f.name] = render_value(f, rec.fields.get(f.name))
        for param in spec.scope:
            if param.name != "company_id" and param.rendered:
                out[param.name] = rec.scope.get(param.name)
        if spec.timestamps:
            out["created_at"] = iso_timestamp(rec.created_at)
            out["updated_at"] = iso_timestamp(rec.updated_at)
        if spec.render_extra is not None:
            out.update(spec.render_extra(rec, self))
        return out

    # tokens --------------------------------------------------------------------------------------

    def issue_token(self, client_id: str) -> Token:
        now = self.clock()
        token = Token(secrets.token_urlsafe(32), client_id, now, now + self.config.token_ttl_seconds)
        with self.lock:
            self._tokens[token.value] = token
        return token

    def lookup_token(self, value: str) -> Token | None:
        with self.lock:
            return self._tokens.get(value)

    def expire_tokens(self) -> None:
        """Makes every issued token expired, as if 90 minutes had passed."""
        with self.lock:
            past = self.clock() - 1
            self._tokens = {
                k: Token(t.value, t.client_id, t.created_at, past) for k, t in self._tokens.items()
            }

    # log -----------------------------------------------------------------------------------------

    def log(self, entry: RequestLogEntry) -> None:
        with self._log_lock:
            self.request_log.append(entry)

    def write_calls(self, since: int = 0) -> int:
        with self._log_lock:
            return sum(1 for e in self.request_log[since:] if e.write)

    def log_entries(self, since: int = 0) -> list[dict[str, Any]]:
        with self._log_lock:
            return [{"index": i, **asdict(e)} for i, e in enumerate(self.request_log[since:], start=since)]

    def stats(self) -> dict[str, Any]:
        """Counts per endpoint (method + route): writes, reads, 429s and every status seen."""
        with self._log_lock:
            entries = list(self.request_log)
        per_route: dict[str, dict[str, Any]] = {}
        totals = {"requests": 0, "writes": 0, "reads": 0, "rate_limited": 0, "dropped": 0, "items_written": 0}
        for e in entries:
            row = per_route.setdefault(
                f"{e.method} {e.route or e.path}",
                {
                    "requests": 0,
                    "writes": 0,
                    "reads": 0,
                    "rate_limited": 0,
                    "dropped": 0,
                    "items_written": 0,
                    "statuses": {},
                },
            )
            for bucket in (row, totals):
                bucket["requests"] += 1
                bucket["writes" if e.write else "reads"] += 1
                bucket["rate_limited"] += e.status == 429
                bucket["dropped"] += e.dropped
                bucket["items_written"] += e.items if e.write else 0
            row["statuses"][str(e.status)] = row["statuses"].get(str(e.status), 0) + 1
        return {"totals": totals, "endpoints": per_route}

    # knobs ---------------------------------------------------------------------------------------

    def set_faults(self, faults: FaultConfig) -> None:
        self.faults.configure(faults)

    def set_limits(
        self,
        hourly_limit: int | None = None,
        spike_limit: int | None = None,
        spike_window_seconds: float | None = None,
        hourly_window_seconds: float | None = None,
    ) -> None:
        """Changes rate limits at runtime; counting starts afresh under the new limits."""
        lim = self.limits
        if hourly_limit is not None:
            lim.hourly_limit = int(hourly_limit)
        if spike_limit is not None:
            lim.spike_limit = int(spike_limit)
        if spike_window_seconds is not None:
            lim.spike_window_seconds = float(spike_window_seconds)
        if hourly_window_seconds is not None:
            lim.hourly_window_seconds = float(hourly_window_seconds)
        for name, value in asdict(lim).items():
            if value <= 0:
                raise ValueError(f"{name} must be positive")
        self.limiter.configure(
            lim.hourly_limit, lim.spike_limit, lim.spike_window_seconds, lim.hourly_window_seconds
        )

    def set_workflow_controlled(self, resources: Iterable[str]) -> None:
        """Names the resources whose ``status`` a Procore workflow governs: a status change through
        the object's own endpoint is then refused (the whole item, with a message saying so)."""
        names = frozenset(resources)
        unknown = sorted(n for n in names if n not in self.resources)
        if unknown:
            raise ValueError(f"unknown resource(s): {', '.join(unknown)}; known: {', '.join(self.resources)}")
        no_status = sorted(
            n for n in names if self.resources[n].status_field not in self.resources[n].field_map
        )
        if no_status:
            raise ValueError(f"resource(s) without a status attribute: {', '.join(no_status)}")
        self.workflow_controlled = names

    def set_write_hold(self, milliseconds: float) -> None:
        """How long a write to a record that refuses concurrent writes (a direct cost) holds that
        record before applying, so a test can overlap two writes and see the second answered 409."""
        if milliseconds < 0:
            raise ValueError("write hold must not be negative")
        self.write_hold_seconds = milliseconds / 1000.0

    def _apply_config_knobs(self) -> None:
        self.set_workflow_controlled(self.config.workflow_controlled)
        self.set_write_hold(self.config.write_hold_ms)

    def reset(self) -> None:
        """Back to a fresh sandbox: no records, tokens, log or counters; faults and limits as configured.

        Ids keep increasing across resets so a stale id held by a client never names a new record.
        """
        with self.lock:
            for table in self._records.values():
                table.clear()
            self._origin_index.clear()
            self._scope_index.clear()
            self._tokens.clear()
            if self._store is not None:
                self._store.clear(self._next_id)
        with self._log_lock:
            self.request_log.clear()
        cfg = self.config
        self.limits = _Limits(
            cfg.hourly_limit, cfg.spike_limit, cfg.spike_window_seconds, cfg.hourly_window_seconds
        )
        self.limiter.configure(
            cfg.hourly_limit, cfg.spike_limit, cfg.spike_window_seconds, cfg.hourly_window_seconds
        )
        self.faults.configure(cfg.faults)
        self._apply_config_knobs()

    @contextmanager
    def transaction(self) -> Iterator[list[StoredRecord]]:
        """Holds the lock for a whole request and persists the records it changed at the end."""
        changed: list[StoredRecord] = []
        with self.lock:
            yield changed
            self.persist(changed)
