"""Request reading and response shaping every route module shares.

Request parsing is done by hand rather than through FastAPI's parameter models so that every error
has Procore's shape (``{"errors": ...}``) and status, not FastAPI's ``{"detail": ...}``.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlencode

from fastapi import Request

from ..gateway import CONTEXT_KEY, RequestContext
from ..operations import OperationRules
from ..records import Placement, StoredRecord
from ..schema import ListFilter, Op, ResourceSpec, ScopeParam
from ..state import EmulatorState
from ..validation import not_found_message, resolve_reference

_FILTER_KEY = re.compile(r"^filters\[([A-Za-z_]+)\](\[\])?$")

CONFLICT_MESSAGE = (
    "Conflict: {what} is being updated or deleted by another request; this action does not support "
    "concurrent requests (retry once the other request has finished)"
)


class ApiError(Exception):
    """An error response in Procore's shape."""

    def __init__(self, status: int, errors: Any, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(status, errors)
        self.status = status
        self.errors = errors
        self.headers = dict(headers or {})


def context(request: Request) -> RequestContext:
    ctx = request.scope.get(CONTEXT_KEY)
    if ctx is None:
        ctx = RequestContext()
        request.scope[CONTEXT_KEY] = ctx
    return ctx


async def read_json(request: Request) -> Any:
    raw = await request.body()
    if not raw.strip():
        raise ApiError(400, "A JSON request body is required")
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ApiError(400, f"Malformed JSON request body: {exc}") from None


def int_param(name: str, raw: str) -> int:
    try:
        return int(raw)
    except ValueError:
        raise ApiError(400, f"{name} must be an integer, got {raw!r}") from None


def parse_record_id(raw: str, spec: ResourceSpec) -> int:
    try:
        return int(raw)
    except ValueError:
        raise ApiError(404, f"{spec.label} {raw!r} not found") from None


def resolve_placement(
    spec: ResourceSpec, op: Op, request: Request, body: Any, state: EmulatorState
) -> Placement:
    """Reads the resource's scope parameters for ``op`` from where the spec says they travel and
    checks them: company_id must be the header's company, parent records must exist (within the
    company and, for records placed in a project, that project). A value sent in two of its
    locations must agree."""
    ctx = context(request)
    company_id = ctx.company_id
    scope: dict[str, int] = {}
    for param in spec.scope:
        value = _scope_value(param, op, request, body)
        if value is None:
            continue
        if param.name == "company_id":
            if value != ctx.company_id:
                raise ApiError(
                    403,
                    f"company_id {value} does not match the Procore-Company-Id header "
                    f"({ctx.company_id}); this app has no access to it",
                )
            company_id = value
        else:
            scope[param.name] = value
    if company_id is None:
        raise ApiError(400, "Missing Procore-Company-Id header!")
    for param in spec.scope:
        if param.name not in scope or not param.parents:
            continue
        others = {k: v for k, v in scope.items() if k != param.name}
        if resolve_reference(state, param.parents, scope[param.name], company_id, others) is None:
            raise ApiError(404, not_found_message(state, param.parents, scope[param.name], others))
    return Placement(company_id, scope)


def _scope_value(param: ScopeParam, op: Op, request: Request, body: Any) -> int | None:
    """The parameter's value for ``op``; None when ``op`` does not take it or it may be left out."""
    locations = tuple(loc for loc in param.where.get(op, ()) if loc != "item")
    if not locations:
        return None
    found: dict[str, int] = {}
    for location in locations:
        if location == "query" and param.name in request.query_params:
            found[location] = int_param(param.name, request.query_params[param.name])
        elif location == "body" and isinstance(body, dict) and body.get(param.name) is not None:
            raw = body[param.name]
            if isinstance(raw, bool) or not isinstance(raw, int):
                raise ApiError(400, f"{param.name} must be an integer")
            found[location] = raw
        elif location == "path" and param.name in request.path_params:
            found[location] = int_param(param.name, request.path_params[param.name])
    if len(set(found.values())) > 1:
        raise ApiError(
            400,
            f"{param.name} differs between "
            + " and ".join(f"{loc} ({value})" for loc, value in found.items()),
        )
    if not found:
        if op in param.optional:
            return None
        raise ApiError(400, f"param is missing or the value is empty: {param.name}")
    return next(iter(found.values()))


def check_query(request: Request, rules: OperationRules, spec: ResourceSpec | None = None) -> None:
    """Refuses query parameters the operation does not document (400 naming them), values of the
    wrong kind and missing required ones; scope parameters are checked by ``resolve_placement``."""
    scope = [p.name for p in spec.scope] if spec is not None else []
    problems = rules.query_problems(request.query_params.multi_items(), checked=scope)
    if problems:
        raise ApiError(400, "; ".join(problems))


def check_top_level(body: Any, rules: OperationRules) -> dict[str, Any]:
    """Refuses top-level body keys the operation does not take (its wrapper, body scope parameters and
    further documented body keys); fills in an empty wrapper when it may be left out."""
    if not isinstance(body, dict):
        raise ApiError(400, "The request body must be a JSON object")
    if rules.wrapper is None:
        return body
    allowed = {rules.wrapper, *rules.body_params}
    unknown = sorted(set(body) - allowed)
    if unknown:
        raise ApiError(
            400,
            f"unknown parameter(s) at the top level: {', '.join(unknown)}; "
            f"{rules.label} takes {', '.join(sorted(allowed))}",
        )
    if body.get(rules.wrapper) is None:
        if rules.wrapper_required:
            raise ApiError(400, f"param is missing or the value is empty: {rules.wrapper}")
        body = {**body, rules.wrapper: {}}
    checked: dict[str, Any] = body
    return checked


def paginate(
    request: Request, items: list[Any], *, max_per_page: int, default_per_page: int
) -> tuple[list[Any], dict[str, str]]:
    """Slices one page and builds Procore's ``Total``, ``Per-Page`` and ``Link`` headers.

    ``per_page`` above the maximum is clamped (reported in ``Per-Page``) rather than refused: Procore
    documents a ceiling but not an error (v1.1 projects: "The max page size is 300"), and a client
    must follow ``Link`` anyway. ``Link`` follows
    the api-pagination convention Procore's headers come from: ``first``/``prev`` unless on page 1,
    ``next``/``last`` unless on (or past) the last page.
    """
    params = request.query_params
    page = int_param("page", params["page"]) if "page" in params else 1
    per_page = int_param("per_page", params["per_page"]) if "per_page" in params else default_per_page
    if page < 1:
        raise ApiError(400, "page must be 1 or greater")
    if per_page < 1:
        raise ApiError(400, "per_page must be 1 or greater")
    per_page = min(per_page, max_per_page)
    total = len(items)
    last_page = max(1, -(-total // per_page))
    chunk = items[(page - 1) * per_page : page * per_page]

    base = f"{request.url.scheme}://{request.url.netloc}{request.url.path}"
    kept = [(k, v) for k, v in params.multi_items() if k not in ("page", "per_page")]

    def link(number: int, rel: str) -> str:
        query = urlencode([*kept, ("page", str(number)), ("per_page", str(per_page))], safe="[]")
        return f'<{base}?{query}>; rel="{rel}"'

    links = []
    if page > 1:
        links += [link(1, "first"), link(min(page - 1, last_page), "prev")]
    if page < last_page:
        links += [link(last_page, "last"), link(page + 1, "next")]
    headers = {"Total": str(total), "Per-Page": str(per_page)}
    if links:
        headers["Link"] = ", ".join(links)
    return chunk, headers


def parse_filters(
    spec: ResourceSpec | tuple[ListFilter, ...], request: Request
) -> list[Callable[[StoredRecord], bool]]:
    """Turns ``filters[...]`` query parameters into predicates; unknown filters are a 400."""
    declared = {f.name: f for f in (spec.filters if isinstance(spec, ResourceSpec) else spec)}
    raw: dict[str, list[str]] = {}
    for key, value in request.query_params.multi_items():
        if not key.startswith("filters"):
            continue
        match = _FILTER_KEY.match(key)
        if match is None or match.group(1) not in declared:
            known = ", ".join(f"filters[{n}]" for n in declared)
            raise ApiError(400, f"Unknown or unsupported filter {key!r}; this endpoint supports {known}")
        raw.setdefault(match.group(1), []).append(value)
    predicates = []
    for name, flt in declared.items():
        values = raw.get(name)
        if values is None and flt.default is not None:
            values = [flt.default]
        if values is None:
            continue
        try:
            predicates.append(flt.build(values))
        except ValueError as exc:
            raise ApiError(400, str(exc)) from None
    return predicates


async def claimed(
    state: EmulatorState,
    spec: ResourceSpec,
    where: Placement,
    record_id: int | None,
    items: list[Any],
    work: Callable[[], Any],
) -> Any:
    """Runs ``work`` holding the records the write touches that refuse concurrent writes (answering
    409 Conflict if another request holds one), after the configured write hold."""
    keys = spec.conflict_keys(state, where, record_id, items) if spec.conflict_keys else set()
    if not keys:
        return work()
    if not state.try_claim(keys):
        resource, rid = sorted(keys)[0]
        what = f"{state.spec(resource).label} {rid}"
        raise ApiError(409, CONFLICT_MESSAGE.format(what=what))
    try:
        if state.write_hold_seconds:
            await asyncio.sleep(state.write_hold_seconds)
        return work()
    finally:
        state.release(keys)
