"""Endpoints that are not one resource's generic list/show/create/update/sync/delete:

- ``GET /rest/v1.0/commitments?project_id=``: work order and purchase order contracts of a project
  together, in the spec's short form;
- ``GET /rest/v1.0/prime_contract?project_id=``: the project's first prime contract;
- ``/rest/v1.1/projects/{project_id}/direct_costs`` (list, create, show, update, delete): the v1.1
  direct cost shape, which nests ``line_items`` (at most 100 per create or update request). A create
  or update is validated whole (header and every line) before anything is stored.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

from .app import (
    ApiError,
    _check_top_level,
    _record_id,
    claimed,
    context,
    paginate,
    parse_filters,
    read_json,
    resolve_placement,
)
from .core import Placement, ResourceEngine
from .financials import COMMITMENTS, commitment_summary
from .schema import Errors, Op, add_error
from .state import EmulatorState, StoredRecord

MAX_DIRECT_COST_LINES = 100
"""Procore: "The number of Line Items that can be sent in a single create request is limited to 100"."""
V11_DIRECT_COSTS = "/rest/v1.1/projects/{project_id}/direct_costs"


def add_extra_routes(app: FastAPI, state: EmulatorState, engine: ResourceEngine) -> None:
    resources = state.resources
    if all(name in resources for name in COMMITMENTS):
        _add_commitments_list(app, state, engine)
    if "prime_contracts" in resources:
        _add_first_prime_contract(app, state, engine)
    if "direct_costs" in resources and "direct_cost_line_items" in resources:
        _add_direct_costs_v11(app, state, engine)


def _add_commitments_list(app: FastAPI, state: EmulatorState, engine: ResourceEngine) -> None:
    woc = state.spec("work_order_contracts")

    @app.get("/rest/v1.0/commitments", tags=["commitments"], summary="List commitments (both kinds)")
    async def list_commitments(request: Request) -> JSONResponse:
        where = resolve_placement(woc, Op.LIST, request, None, state)
        if any(key.startswith("filters") for key in request.query_params):
            raise ApiError(400, "this endpoint documents no filters")
        records: list[StoredRecord] = []
        for name in COMMITMENTS:
            records.extend(engine.select(state.spec(name), where, []))
        records.sort(key=lambda r: r.id)
        page, headers = paginate(
            request,
            records,
            max_per_page=state.config.max_per_page,
            default_per_page=state.config.default_per_page,
        )
        context(request).items = len(page)
        return JSONResponse([commitment_summary(r, state) for r in page], headers=headers)


def _add_first_prime_contract(app: FastAPI, state: EmulatorState, engine: ResourceEngine) -> None:
    spec = state.spec("prime_contracts")

    @app.get("/rest/v1.0/prime_contract", tags=["prime_contracts"], summary="Show the first prime contract")
    async def first_prime_contract(request: Request) -> JSONResponse:
        where = resolve_placement(spec, Op.SHOW, request, None, state)
        records = engine.select(spec, where, [])
        if not records:
            raise ApiError(404, f"no prime contract in project {where.scope['project_id']}")
        context(request).items = 1
        return JSONResponse(state.render(records[0]))


def _add_direct_costs_v11(app: FastAPI, state: EmulatorState, engine: ResourceEngine) -> None:
    spec = state.spec("direct_costs")
    lines_spec = state.spec("direct_cost_line_items")
    config = state.config

    def render(rec: StoredRecord) -> dict[str, Any]:
        out = state.render(rec)
        project_id = rec.scope["project_id"]
        project = state.get("projects", project_id)
        out["project"] = {"id": project_id, "name": project.fields.get("name") if project else None}
        out["company"] = {"id": rec.company_id, "name": state.companies.get(rec.company_id)}
        out["line_items"] = [
            state.render(r) for r in state.children(lines_spec.name, "direct_cost_id", rec.id)
        ]
        return out

    def split(payload: Any) -> tuple[Any, list[Any] | None, Errors]:
        errors: Errors = {}
        if not isinstance(payload, dict):
            return payload, None, errors
        payload = dict(payload)
        lines = payload.pop("line_items", None)
        if lines is None:
            return payload, None, errors
        if not isinstance(lines, list):
            add_error(errors, "line_items", "must be an array of line item objects")
        elif len(lines) > MAX_DIRECT_COST_LINES:
            add_error(
                errors,
                "line_items",
                f"has {len(lines)} items; at most {MAX_DIRECT_COST_LINES} line items can be sent in one "
                "request",
            )
        return payload, lines, errors

    def write(where: Placement, record_id: int | None, payload: Any) -> tuple[dict[str, Any] | None, Errors]:
        header, lines, errors = split(payload)
        if errors:
            return None, errors
        with state.transaction() as changed:
            existing = engine.get(spec, where, record_id) if record_id is not None else None
            _, header_errors = engine._write(
                spec, where, header, existing, via_sync=False, changed=changed, apply=False
            )
            errors.update(header_errors)
            plans: list[tuple[StoredRecord | None, dict[str, Any]]] = []
            seen_origins: set[str] = set()
            for index, line in enumerate(lines or []):
                prefix = f"line_items[{index}]"
                if not isinstance(line, dict):
                    add_error(errors, prefix, "must be a line item object")
                    continue
                line = dict(line)
                line_id = line.pop("id", None)
                stated_parent = line.pop("direct_cost_id", None)
                if stated_parent is not None and stated_parent != record_id:
                    add_error(
                        errors, f"{prefix}.direct_cost_id", "must name this direct cost (or be left out)"
                    )
                target = None
                if line_id is not None:
                    target = state.get(lines_spec.name, line_id) if isinstance(line_id, int) else None
                    if target is None or record_id is None or target.scope.get("direct_cost_id") != record_id:
                        add_error(
                            errors, f"{prefix}.id", f"line item {line_id} is not a line of this direct cost"
                        )
                        continue
                origin = line.get("origin_id")
                if isinstance(origin, str) and origin:
                    if origin in seen_origins:
                        add_error(errors, f"{prefix}.origin_id", "is used by two lines of this request")
                    seen_origins.add(origin)
                line_where = Placement(where.company_id, {**where.scope, "direct_cost_id": record_id or 0})
                _, line_errors = engine._write(
                    lines_spec, line_where, line, target, via_sync=False, changed=changed, apply=False
                )
                for key, messages in line_errors.items():
                    for message in messages:
                        add_error(errors, f"{prefix}.{key}", message)
                plans.append((target, line))
            if errors:
                return None, errors
            rec, header_errors = engine._write(spec, where, header, existing, via_sync=False, changed=changed)
            if rec is None:
                return None, header_errors
            line_where = Placement(where.company_id, {**where.scope, "direct_cost_id": rec.id})
            for target, line in plans:
                _, line_errors = engine._write(
                    lines_spec, line_where, line, target, via_sync=False, changed=changed
                )
                if line_errors:  # pragma: no cover - validated above
                    raise RuntimeError(f"direct cost line failed after validation: {line_errors}")
            return render(rec), {}

    async def list_v11(request: Request) -> JSONResponse:
        where = resolve_placement(spec, Op.LIST, request, None, state)
        origins = request.query_params.getlist("filters[origin_id]")
        records = engine.select(
            spec, where, parse_filters(spec, request), origin_id=origins[0] if len(origins) == 1 else None
        )
        page, headers = paginate(
            request, records, max_per_page=config.max_per_page, default_per_page=config.default_per_page
        )
        context(request).items = len(page)
        return JSONResponse([render(r) for r in page], headers=headers)

    async def show_v11(request: Request, id: str) -> JSONResponse:
        where = resolve_placement(spec, Op.SHOW, request, None, state)
        context(request).items = 1
        return JSONResponse(render(engine.get(spec, where, _record_id(id, spec))))

    async def create_v11(request: Request) -> JSONResponse:
        context(request).items = 1
        body = _check_top_level(await read_json(request), spec, Op.CREATE, "direct_cost")
        where = resolve_placement(spec, Op.CREATE, request, body, state)
        rendered, errors = write(where, None, body["direct_cost"])
        if errors:
            raise ApiError(422, errors)
        return JSONResponse(rendered, status_code=201)

    async def update_v11(request: Request, id: str) -> JSONResponse:
        context(request).items = 1
        record_id = _record_id(id, spec)
        body = _check_top_level(await read_json(request), spec, Op.UPDATE, "direct_cost", required=False)
        where = resolve_placement(spec, Op.UPDATE, request, body, state)
        payload = body["direct_cost"]
        rendered, errors = await claimed(
            state, spec, where, record_id, [payload], lambda: write(where, record_id, payload)
        )
        if errors:
            raise ApiError(422, errors)
        return JSONResponse(rendered)

    async def delete_v11(request: Request, id: str) -> Response:
        context(request).items = 1
        record_id = _record_id(id, spec)
        where = resolve_placement(spec, Op.DELETE, request, None, state)
        _, errors = await claimed(
            state, spec, where, record_id, [], lambda: engine.delete(spec, where, record_id)
        )
        if errors:
            raise ApiError(422, errors)
        return JSONResponse({"id": record_id})

    tags: list[str | Enum] = ["direct_costs (v1.1)"]
    app.add_api_route(V11_DIRECT_COSTS, list_v11, methods=["GET"], tags=tags, name="direct_costs_v11_list")
    app.add_api_route(
        V11_DIRECT_COSTS, create_v11, methods=["POST"], tags=tags, name="direct_costs_v11_create"
    )
    item = f"{V11_DIRECT_COSTS}/{{id}}"
    app.add_api_route(item, show_v11, methods=["GET"], tags=tags, name="direct_costs_v11_show")
    app.add_api_route(item, update_v11, methods=["PATCH"], tags=tags, name="direct_costs_v11_update")
    app.add_api_route(item, delete_v11, methods=["DELETE"], tags=tags, name="direct_costs_v11_delete")
