"""The routes generated for each declared resource: list, show, create, update, delete and sync."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

from ..core import ResourceEngine
from ..schema import Op, ResourceSpec
from ..state import EmulatorState
from .common import (
    ApiError,
    check_top_level,
    claimed,
    context,
    paginate,
    parse_filters,
    parse_record_id,
    read_json,
    resolve_placement,
)


def add_resource_routes(
    app: FastAPI, spec: ResourceSpec, state: EmulatorState, engine: ResourceEngine
) -> None:
    """Registers the routes ``spec.operations`` declares."""
    ResourceRoutes(spec, state, engine).register(app)


class ResourceRoutes:
    """The endpoints of one resource; each method answers one operation."""

    def __init__(self, spec: ResourceSpec, state: EmulatorState, engine: ResourceEngine) -> None:
        self.spec = spec
        self.state = state
        self.engine = engine

    def register(self, app: FastAPI) -> None:
        """Sync comes first so ``/sync`` is never taken for a record id."""
        spec = self.spec
        item = f"{spec.path}/{{id}}"
        routes = (
            (Op.SYNC, spec.resolved_sync_path, self.sync_records, spec.sync_method, f"Sync {spec.name}"),
            (Op.LIST, spec.resolved_list_path, self.list_records, "GET", f"List {spec.name}"),
            (Op.CREATE, spec.path, self.create_record, "POST", f"Create {spec.singular}"),
            (Op.SHOW, item, self.show_record, "GET", f"Show {spec.singular}"),
            (Op.UPDATE, item, self.update_record, "PATCH", f"Update {spec.singular}"),
            (Op.DELETE, item, self.delete_record, "DELETE", f"Delete {spec.singular}"),
        )
        for op, path, endpoint, method, summary in routes:
            if op in spec.operations:
                app.add_api_route(
                    path,
                    endpoint,
                    methods=[method],
                    tags=[spec.name],
                    summary=summary,
                    name=f"{spec.name}_{op.value}",
                )

    async def list_records(self, request: Request) -> JSONResponse:
        spec, state = self.spec, self.state
        where = resolve_placement(spec, Op.LIST, request, None, state)
        predicates = parse_filters(spec, request)
        sort = request.query_params.get("sort")
        if sort is not None and sort not in spec.sorts:
            raise ApiError(400, f"sort must be one of {', '.join(spec.sorts)}")
        origins = request.query_params.getlist("filters[origin_id]")
        records = self.engine.select(
            spec,
            where,
            predicates,
            spec.sorts.get(sort) if sort else None,
            origin_id=origins[0] if len(origins) == 1 else None,
        )
        page, headers = paginate(
            request,
            records,
            max_per_page=spec.max_per_page or state.config.max_per_page,
            default_per_page=state.config.default_per_page,
        )
        context(request).items = len(page)
        return JSONResponse([state.render(r) for r in page], headers=headers)

    async def show_record(self, request: Request, id: str) -> JSONResponse:
        spec = self.spec
        where = resolve_placement(spec, Op.SHOW, request, None, self.state)
        rec = self.engine.get(spec, where, parse_record_id(id, spec))
        context(request).items = 1
        return JSONResponse(self.state.render(rec))

    async def create_record(self, request: Request) -> JSONResponse:
        spec, engine = self.spec, self.engine
        context(request).items = 1
        body = check_top_level(
            await read_json(request), spec, Op.CREATE, spec.wrapper_key, required=spec.wrapper_required
        )
        where = resolve_placement(spec, Op.CREATE, request, body, self.state)
        payload = body[spec.wrapper_key]
        rendered, errors = await claimed(
            self.state, spec, where, None, [payload], lambda: engine.create(spec, where, payload)
        )
        if errors:
            raise ApiError(422, errors)
        return JSONResponse(rendered, status_code=201)

    async def update_record(self, request: Request, id: str) -> JSONResponse:
        spec, engine = self.spec, self.engine
        context(request).items = 1
        record_id = parse_record_id(id, spec)
        body = check_top_level(
            await read_json(request), spec, Op.UPDATE, spec.wrapper_key, required=spec.wrapper_required
        )
        where = resolve_placement(spec, Op.UPDATE, request, body, self.state)
        payload = body[spec.wrapper_key]
        rendered, errors = await claimed(
            self.state,
            spec,
            where,
            record_id,
            [payload],
            lambda: engine.update(spec, where, record_id, payload),
        )
        if errors:
            raise ApiError(422, errors)
        return JSONResponse(rendered)

    async def delete_record(self, request: Request, id: str) -> Response:
        spec, engine = self.spec, self.engine
        context(request).items = 1
        record_id = parse_record_id(id, spec)
        where = resolve_placement(spec, Op.DELETE, request, None, self.state)
        _, errors = await claimed(
            self.state, spec, where, record_id, [], lambda: engine.delete(spec, where, record_id)
        )
        if errors:
            raise ApiError(422, errors)
        if spec.delete_body == "id":
            return JSONResponse({"id": record_id}, status_code=spec.delete_status)
        return Response(status_code=spec.delete_status)

    async def sync_records(self, request: Request) -> JSONResponse:
        spec, state, engine = self.spec, self.state, self.engine
        body = await read_json(request)
        key = spec.sync_items_key
        if isinstance(body, dict) and isinstance(body.get(key), list):
            context(request).items = len(body[key])
        body = check_top_level(body, spec, Op.SYNC, key)
        where = resolve_placement(spec, Op.SYNC, request, body, state)
        items = body[key]
        if not isinstance(items, list):
            raise ApiError(400, f"{key} must be an array of {spec.singular} objects")
        limit = state.config.sync_batch_limit
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
