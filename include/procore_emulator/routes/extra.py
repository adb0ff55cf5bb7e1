"""Endpoints that are not one resource's generic list/show/create/update/sync/delete:

- ``GET /rest/v1.0/commitments?project_id=``: work order and purchase order contracts of a project
  together, in the spec's short form;
- ``GET /rest/v1.0/prime_contract?project_id=``: the project's first prime contract;
- ``GET /rest/v1.1/projects``: the v1.1 list of projects (its own filters, at most 300 per page);
- ``GET /rest/v1.0/projects/{project_id}/work_breakdown_structure/wbs_codes``: derives the project's
  WBS codes, then lists them;
- ``/rest/v1.1/projects/{project_id}/direct_costs`` (``direct_costs_v11.py``) and
  ``PATCH /rest/v1.0/requisitions/{requisition_id}/bulk_item_update`` (``requisition_items.py``).
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from ..core import ResourceEngine
from ..records import StoredRecord
from ..resources.commitments import COMMITMENTS_LIST, commitment_summary
from ..resources.common import COMMITMENTS
from ..resources.company import V11_PROJECT_FILTERS, V11_PROJECTS_LIST, V11_PROJECTS_MAX_PER_PAGE
from ..resources.prime_contracts import FIRST_PRIME_CONTRACT
from ..resources.wbs import WBS_CODES_LIST, derive_wbs_codes
from ..schema import Op
from ..state import EmulatorState
from .common import ApiError, check_query, context, paginate, parse_filters, resolve_placement
from .direct_costs_v11 import DirectCostsV11
from .requisition_items import add_bulk_item_update


def add_extra_routes(app: FastAPI, state: EmulatorState, engine: ResourceEngine) -> None:
    resources = state.resources
    if all(name in resources for name in COMMITMENTS):
        _add_commitments_list(app, state, engine)
    if "prime_contracts" in resources:
        _add_first_prime_contract(app, state, engine)
    if "projects" in resources:
        _add_v11_projects(app, state, engine)
    if {"wbs_codes", "cost_codes", "line_item_types"} <= set(resources):
        _add_wbs_codes(app, state, engine)
    if "direct_costs" in resources and "direct_cost_line_items" in resources:
        DirectCostsV11(state, engine).register(app)
    if "requisition_items" in resources:
        add_bulk_item_update(app, state, engine)


def _add_commitments_list(app: FastAPI, state: EmulatorState, engine: ResourceEngine) -> None:
    woc = state.spec("work_order_contracts")

    @app.get("/rest/v1.0/commitments", tags=["commitments"], summary="List commitments (both kinds)")
    async def list_commitments(request: Request) -> JSONResponse:
        check_query(request, COMMITMENTS_LIST, woc)
        where = resolve_placement(woc, Op.LIST, request, None, state)
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
        check_query(request, FIRST_PRIME_CONTRACT, spec)
        where = resolve_placement(spec, Op.SHOW, request, None, state)
        records = engine.select(spec, where, [])
        if not records:
            raise ApiError(404, f"no prime contract in project {where.scope['project_id']}")
        context(request).items = 1
        return JSONResponse(state.render(records[0]))


def _add_v11_projects(app: FastAPI, state: EmulatorState, engine: ResourceEngine) -> None:
    spec = state.spec("projects")

    @app.get("/rest/v1.1/projects", tags=["projects"], summary="List projects (v1.1)")
    async def list_projects_v11(request: Request) -> JSONResponse:
        check_query(request, V11_PROJECTS_LIST, spec)
        where = resolve_placement(spec, Op.LIST, request, None, state)
        sort = request.query_params.get("sort")
        origins = request.query_params.getlist("filters[origin_id]")
        records = engine.select(
            spec,
            where,
            parse_filters(V11_PROJECT_FILTERS, request),
            spec.sorts.get(sort) if sort else None,
            origin_id=origins[0] if len(origins) == 1 else None,
        )
        page, headers = paginate(
            request,
            records,
            max_per_page=min(V11_PROJECTS_MAX_PER_PAGE, state.config.max_per_page),
            default_per_page=state.config.default_per_page,
        )
        context(request).items = len(page)
        return JSONResponse([state.render(r) for r in page], headers=headers)


def _add_wbs_codes(app: FastAPI, state: EmulatorState, engine: ResourceEngine) -> None:
    spec = state.spec("wbs_codes")

    @app.get(WBS_CODES_LIST.path, tags=["wbs_codes"], summary="List project WBS codes (budget codes)")
    async def list_wbs_codes(request: Request) -> JSONResponse:
        check_query(request, WBS_CODES_LIST, spec)
        where = resolve_placement(spec, Op.LIST, request, None, state)
        with state.transaction() as changed:
            for rec in derive_wbs_codes(state, where.company_id, where.scope["project_id"]):
                state.put(rec)
                changed.append(rec)
        params = request.query_params
        statuses = params.getlist("filters[status][]") + params.getlist("filters[status]")
        records = engine.select(spec, where, parse_filters(spec, request))
        shown = [state.render(r) for r in records if not statuses or "active" in statuses]
        needle = (params.get("query") or "").casefold()
        if needle:
            shown = [
                r
                for r in shown
                if needle in f"{r['flat_code']} {r['flat_name']} {r['description']}".casefold()
            ]
        page, headers = paginate(
            request,
            shown,
            max_per_page=state.config.max_per_page,
            default_per_page=state.config.default_per_page,
        )
        context(request).items = len(page)
        return JSONResponse(page, headers=headers)
