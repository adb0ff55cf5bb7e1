"""The routes generated for each declared resource: list, show, create, update, delete and sync.

Each route checks the request against the rules of the one operation it serves (query parameters,
top-level body keys, the record's attributes), so a field another operation of the resource would
take is still refused here.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

from ..core import ResourceEngine
from ..schema import Op, ResourceSpec
from ..state import EmulatorState
from .common import (
    ApiError,
    check_query,
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
        endpoints = (
            (Op.SYNC, self.sync_records, f"Sync {spec.name}"),
            (Op.LIST, self.list_records, f"List {spec.name}"),
            (Op.CREATE, self.create_record, f"Create {spec.singular}"),
            (Op.SHOW, self.show_record, f"Show {spec.singular}"),
            (Op.UPDATE, self.update_record, f"Update {spec.singular}"),
            (Op.DELETE, self.delete_record, f"Delete {spec.singular}"),
        )
        for op, endpoint, summary in endpoints:
            if op in spec.operations:
                method, path = spec.route(op)
                app.add_api_route(
                    path,
                    endpoint,
                    methods=[method],
                    tags=[spec.name],
                    summary=summary,
                    name=f"{spec.name}_{op.value}",
                )

    def _answer(self, body: Any, status: int = 200, headers: dict[str, str] | None = None) -> JSONResponse:
        if self.spec.envelope:
            body = {self.spec.envelope: body}
        return JSONResponse(body, status_code=status, headers=headers)

    async def list_records(self, request: Request) -> JSONResponse:
        spec, state = self.spec, self.state
        check_query(request, spec.rules(Op.LIST), spec)
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
            default_per_page=spec.default_per_page or state.config.default_per_page,
        )
        context(request).items = len(page)
        return self._answer([state.render(r) for r in page], headers=headers)

    async def show_record(self, request: Request, id: str) -> JSONResponse:
        spec = self.spec
        check_query(request, spec.rules(Op.SHOW), spec)
        where = resolve_placement(spec, Op.SHOW, request, None, self.state)
        rec = self.engine.get(spec, where, parse_record_id(id, spec))
        context(request).items = 1
        return self._answer(self.state.render(rec))

    async def _body(self, request: Request, op: Op) -> tuple[dict[str, Any], Any]:
        """The checked body and the record payload it carries (the body itself when unwrapped)."""
        rules = self.spec.rules(op)
        check_query(request, rules, self.spec)
        body = check_top_level(await read_json(request), rules)
        if rules.wrapper is None:
            scope = {p.name for p in self.spec.scope if "body" in p.where.get(op, ())}
            return body, {k: v for k, v in body.items() if k not in scope}
        return body, body[rules.wrapper]

    async def create_record(self, request: Request) -> JSONResponse:
        spec, engine = self.spec, self.engine
        context(request).items = 1
        body, payload = await self._body(request, Op.CREATE)
        where = resolve_placement(spec, Op.CREATE, request, body, self.state)
        rendered, errors = await claimed(
            self.state, spec, where, None, [payload], lambda: engine.create(spec, where, payload)
        )
        if errors:
            raise ApiError(422, errors)
        return self._answer(rendered, 201)

    async def update_record(self, request: Request, id: str) -> JSONResponse:
        spec, engine = self.spec, self.engine
        context(request).items = 1
        record_id = parse_record_id(id, spec)
        body, payload = await self._body(request, Op.UPDATE)
        where = resolve_placement(spec, Op.UPDATE, request, body, self.state)
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
        return self._answer(rendered)

    async def delete_record(self, request: Request, id: str) -> Response:
        spec, engine = self.spec, self.engine
        context(request).items = 1
        record_id = parse_record_id(id, spec)
        check_query(request, spec.rules(Op.DELETE), spec)
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
        rules = spec.rules(Op.SYNC)
        check_query(request, rules, spec)
        body = await read_json(request)
        key = spec.sync_items_key
        if isinstance(body, dict) and isinstance(body.get(key), list):
            context(request).items = len(body[key])
        body = check_top_level(body, rules)
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
