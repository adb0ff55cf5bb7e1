"""The emulator as a FastAPI application: OAuth, identity endpoints, and routes generated per resource.

Request parsing is done by hand rather than through FastAPI's parameter models so that every error
has Procore's shape (``{"errors": ...}``) and status, not FastAPI's ``{"detail": ...}``.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import re
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import parse_qs, urlencode

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from .config import EmulatorConfig
from .core import NotFound, Placement, ResourceEngine
from .gateway import CONTEXT_KEY, Gateway, Receive, RequestContext, Scope, Send
from .resources import RESOURCES
from .schema import Op, ResourceSpec, not_found_message, resolve_reference
from .state import EmulatorState, StoredRecord

_FILTER_KEY = re.compile(r"^filters\[([A-Za-z_]+)\](\[\])?$")


class ApiError(Exception):
    """An error response in Procore's shape."""

    def __init__(self, status: int, errors: Any, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(status, errors)
        self.status = status
        self.errors = errors
        self.headers = dict(headers or {})


class EmulatorApp(FastAPI):
    """FastAPI with the :class:`Gateway` in front of Starlette's own middleware, so the gateway
    receives the server's ``send`` unwrapped (needed to drop a connection on purpose)."""

    emulator_state: EmulatorState
    gateway: Gateway

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:  # type: ignore[override]
        await self.gateway(scope, receive, send, super().__call__)


def create_app(config: EmulatorConfig, resources: Mapping[str, ResourceSpec] | None = None) -> EmulatorApp:
    """Builds the emulator for ``config``; ``resources`` defaults to every declared resource."""
    state = EmulatorState(config=config, resources=dict(resources or RESOURCES))
    app = EmulatorApp(
        title="Procore sandbox emulator",
        description="Behaves like Procore's REST API for the endpoints procore-erp-sync uses.",
        version="1",
    )
    app.emulator_state = state
    app.gateway = Gateway(state)
    app.state.emulator = state
    engine = ResourceEngine(state)

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse({"errors": exc.errors}, status_code=exc.status, headers=exc.headers)

    @app.exception_handler(NotFound)
    async def _not_found(request: Request, exc: NotFound) -> JSONResponse:
        return JSONResponse({"errors": str(exc)}, status_code=404)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return JSONResponse({"errors": exc.detail}, status_code=exc.status_code, headers=exc.headers)

    _add_oauth_routes(app, state)
    _add_identity_routes(app, state)
    for spec in state.resources.values():
        add_resource_routes(app, spec, state, engine)

    from .admin import router as admin_router
    from .routes_extra import add_extra_routes

    add_extra_routes(app, state, engine)
    app.include_router(admin_router)
    return app


# helpers -----------------------------------------------------------------------------------------


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


def _int_param(name: str, raw: str) -> int:
    try:
        return int(raw)
    except ValueError:
        raise ApiError(400, f"{name} must be an integer, got {raw!r}") from None


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
        locations = tuple(loc for loc in param.where.get(op, ()) if loc != "item")
        if not locations:
            continue
        found: dict[str, int] = {}
        for location in locations:
            if location == "query" and param.name in request.query_params:
                found[location] = _int_param(param.name, request.query_params[param.name])
            elif location == "body" and isinstance(body, dict) and body.get(param.name) is not None:
                raw = body[param.name]
                if isinstance(raw, bool) or not isinstance(raw, int):
                    raise ApiError(400, f"{param.name} must be an integer")
                found[location] = raw
            elif location == "path" and param.name in request.path_params:
                found[location] = _int_param(param.name, request.path_params[param.name])
        if len(set(found.values())) > 1:
            raise ApiError(
                400,
                f"{param.name} differs between "
                + " and ".join(f"{loc} ({value})" for loc, value in found.items()),
            )
        if not found:
            if op in param.optional:
                continue
            raise ApiError(400, f"param is missing or the value is empty: {param.name}")
        value = next(iter(found.values()))
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


def _check_top_level(
    body: Any, spec: ResourceSpec, op: Op, payload_key: str, *, required: bool = True
) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise ApiError(400, "The request body must be a JSON object")
    allowed = {payload_key, *spec.body_params} | {p.name for p in spec.scope if "body" in p.where.get(op, ())}
    unknown = sorted(set(body) - allowed)
    if unknown:
        raise ApiError(
            400,
            f"unknown parameter(s) at the top level: {', '.join(unknown)}; "
            f"expected {', '.join(sorted(allowed))}",
        )
    if body.get(payload_key) is None:
        if required:
            raise ApiError(400, f"param is missing or the value is empty: {payload_key}")
        body = {**body, payload_key: {}}
    return body


def paginate(
    request: Request, items: list[Any], *, max_per_page: int, default_per_page: int
) -> tuple[list[Any], dict[str, str]]:
    """Slices one page and builds Procore's ``Total``, ``Per-Page`` and ``Link`` headers.

    ``per_page`` above the maximum is clamped (reported in ``Per-Page``) rather than refused: Procore
    documents a ceiling but not an error, and a client must follow ``Link`` anyway. ``Link`` follows
    the api-pagination convention Procore's headers come from: ``first``/``prev`` unless on page 1,
    ``next``/``last`` unless on (or past) the last page.
    """
    params = request.query_params
    page = _int_param("page", params["page"]) if "page" in params else 1
    per_page = _int_param("per_page", params["per_page"]) if "per_page" in params else default_per_page
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


def parse_filters(spec: ResourceSpec, request: Request) -> list[Callable[[StoredRecord], bool]]:
    """Turns ``filters[...]`` query parameters into predicates; unknown filters are a 400."""
    declared = {f.name: f for f in spec.filters}
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


def _record_id(raw: str, spec: ResourceSpec) -> int:
    try:
        return int(raw)
    except ValueError:
        raise ApiError(404, f"{spec.label} {raw!r} not found") from None


# routes ------------------------------------------------------------------------------------------


def _add_oauth_routes(app: FastAPI, state: EmulatorState) -> None:
    config = state.config

    @app.post("/oauth/token", tags=["oauth"])
    async def token(request: Request) -> JSONResponse:
        """Client-credentials grant, as Procore's login host answers it."""
        raw = (await request.body()).decode("utf-8", errors="replace")
        params: dict[str, Any]
        if "json" in request.headers.get("content-type", ""):
            try:
                params = json.loads(raw) if raw.strip() else {}
            except ValueError:
                return JSONResponse(
                    {"error": "invalid_request", "error_description": "Malformed JSON body."}, status_code=400
                )
            if not isinstance(params, dict):
                params = {}
        else:
            params = {k: v[-1] for k, v in parse_qs(raw, keep_blank_values=True).items()}
        grant = params.get("grant_type")
        if not grant:
            return JSONResponse(
                {"error": "invalid_request", "error_description": "Missing required parameter: grant_type."},
                status_code=400,
            )
        if grant != "client_credentials":
            return JSONResponse(
                {
                    "error": "unsupported_grant_type",
                    "error_description": "The authorization grant type is not supported by the "
                    "authorization server.",
                },
                status_code=400,
            )
        client_id, secret = str(params.get("client_id") or ""), str(params.get("client_secret") or "")
        if not (
            hmac.compare_digest(client_id.encode(), config.client_id.encode())
            and hmac.compare_digest(secret.encode(), config.client_secret.encode())
        ):
            return JSONResponse(
                {
                    "error": "invalid_client",
                    "error_description": "Client authentication failed due to unknown client, no "
                    "client authentication included, or unsupported "
                    "authentication method.",
                },
                status_code=401,
            )
        issued = state.issue_token(client_id)
        context(request).client_id = client_id
        return JSONResponse(
            {
                "access_token": issued.value,
                "token_type": "bearer",
                "expires_in": config.token_ttl_seconds,
                "created_at": int(issued.created_at),
            },
            headers={"Cache-Control": "no-store", "Pragma": "no-cache"},
        )


def _add_identity_routes(app: FastAPI, state: EmulatorState) -> None:
    config = state.config

    @app.get("/rest/v1.0/me", tags=["identity"])
    async def me(request: Request) -> JSONResponse:
        """The service account behind the token."""
        context(request).items = 1
        return JSONResponse({"id": config.user_id, "login": config.user_login, "name": config.user_name})

    @app.get("/rest/v1.0/companies", tags=["identity"])
    async def companies(request: Request) -> JSONResponse:
        """Companies the service account's app is installed in."""
        rows = [
            {
                "id": cid,
                "name": name,
                "is_active": True,
                "logo_url": None,
                "pcn_business_experience": False,
                "my_company": cid == config.company_id,
            }
            for cid, name in state.companies.items()
        ]
        page, headers = paginate(
            request, rows, max_per_page=config.max_per_page, default_per_page=config.default_per_page
        )
        context(request).items = len(page)
        return JSONResponse(page, headers=headers)


CONFLICT_MESSAGE = (
    "Conflict: {what} is being updated or deleted by another request; this action does not support "
    "concurrent requests (retry once the other request has finished)"
)


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


def add_resource_routes(
    app: FastAPI, spec: ResourceSpec, state: EmulatorState, engine: ResourceEngine
) -> None:
    """Registers the routes ``spec.operations`` declares. Sync comes first so ``/sync`` is never
    taken for a record id."""
    config = state.config
    tag = spec.name
    ops = spec.operations

    async def list_records(request: Request) -> JSONResponse:
        where = resolve_placement(spec, Op.LIST, request, None, state)
        predicates = parse_filters(spec, request)
        sort = request.query_params.get("sort")
        if sort is not None and sort not in spec.sorts:
            raise ApiError(400, f"sort must be one of {', '.join(spec.sorts)}")
        origins = request.query_params.getlist("filters[origin_id]")
        records = engine.select(
            spec,
            where,
            predicates,
            spec.sorts.get(sort) if sort else None,
            origin_id=origins[0] if len(origins) == 1 else None,
        )
        page, headers = paginate(
            request,
            records,
            max_per_page=spec.max_per_page or config.max_per_page,
            default_per_page=config.default_per_page,
        )
        context(request).items = len(page)
        return JSONResponse([state.render(r) for r in page], headers=headers)

    async def show_record(request: Request, id: str) -> JSONResponse:
        where = resolve_placement(spec, Op.SHOW, request, None, state)
        rec = engine.get(spec, where, _record_id(id, spec))
        context(request).items = 1
        return JSONResponse(state.render(rec))

    async def create_record(request: Request) -> JSONResponse:
        context(request).items = 1
        body = _check_top_level(
            await read_json(request), spec, Op.CREATE, spec.wrapper_key, required=spec.wrapper_required
        )
        where = resolve_placement(spec, Op.CREATE, request, body, state)
        payload = body[spec.wrapper_key]
        rendered, errors = await claimed(
            state, spec, where, None, [payload], lambda: engine.create(spec, where, payload)
        )
        if errors:
            raise ApiError(422, errors)
        return JSONResponse(rendered, status_code=201)

    async def update_record(request: Request, id: str) -> JSONResponse:
        context(request).items = 1
        record_id = _record_id(id, spec)
        body = _check_top_level(
            await read_json(request), spec, Op.UPDATE, spec.wrapper_key, required=spec.wrapper_required
        )
        where = resolve_placement(spec, Op.UPDATE, request, body, state)
        payload = body[spec.wrapper_key]
        rendered, errors = await claimed(
            state, spec, where, record_id, [payload], lambda: engine.update(spec, where, record_id, payload)
        )
        if errors:
            raise ApiError(422, errors)
        return JSONResponse(rendered)

    async def delete_record(request: Request, id: str) -> Response:
        context(request).items = 1
        record_id = _record_id(id, spec)
        where = resolve_placement(spec, Op.DELETE, request, None, state)
        gone, errors = await claimed(
            state, spec, where, record_id, [], lambda: engine.delete(spec, where, record_id)
        )
        if errors:
            raise ApiError(422, errors)
        if spec.delete_body == "id":
            return JSONResponse({"id": record_id}, status_code=spec.delete_status)
        return Response(status_code=spec.delete_status)

    async def sync_records(request: Request) -> JSONResponse:
        body = await read_json(request)
        key = spec.sync_items_key
        if isinstance(body, dict) and isinstance(body.get(key), list):
            context(request).items = len(body[key])
        body = _check_top_level(body, spec, Op.SYNC, key)
        where = resolve_placement(spec, Op.SYNC, request, body, state)
        items = body[key]
        if not isinstance(items, list):
            raise ApiError(400, f"{key} must be an array of {spec.singular} objects")
        limit = config.sync_batch_limit
        if len(items) > limit:
            raise ApiError(
                422,
                {key: [f"has {len(items)} items; a sync request takes at most {limit} (split the batch)"]},
            )
        if spec.sync_response == "array":
            results = await claimed(
                state, spec, where, None, items, lambda: engine.sync_results(spec, where, items)
            )
            return JSONResponse([entity if entity is not None else failure for entity, failure in results])
        entities, failures = await claimed(
            state, spec, where, None, items, lambda: engine.sync(spec, where, items)
        )
        return JSONResponse({"entities": entities, "errors": failures})

    if Op.SYNC in ops:
        app.add_api_route(
            spec.resolved_sync_path,
            sync_records,
            methods=[spec.sync_method],
            tags=[tag],
            summary=f"Sync {spec.name}",
            name=f"{spec.name}_sync",
        )
    if Op.LIST in ops:
        app.add_api_route(
            spec.resolved_list_path,
            list_records,
            methods=["GET"],
            tags=[tag],
            summary=f"List {spec.name}",
            name=f"{spec.name}_list",
        )
    if Op.CREATE in ops:
        app.add_api_route(
            spec.path,
            create_record,
            methods=["POST"],
            tags=[tag],
            summary=f"Create {spec.singular}",
            name=f"{spec.name}_create",
        )
    if Op.SHOW in ops:
        app.add_api_route(
            f"{spec.path}/{{id}}",
            show_record,
            methods=["GET"],
            tags=[tag],
            summary=f"Show {spec.singular}",
            name=f"{spec.name}_show",
        )
    if Op.UPDATE in ops:
        app.add_api_route(
            f"{spec.path}/{{id}}",
            update_record,
            methods=["PATCH"],
            tags=[tag],
            summary=f"Update {spec.singular}",
            name=f"{spec.name}_update",
        )
    if Op.DELETE in ops:
        app.add_api_route(
            f"{spec.path}/{{id}}",
            delete_record,
            methods=["DELETE"],
            tags=[tag],
            summary=f"Delete {spec.singular}",
            name=f"{spec.name}_delete",
        )
