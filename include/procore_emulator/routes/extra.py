"""Endpoints that are not one resource's generic list/show/create/update/sync/delete:

- ``GET /rest/v1.0/commitments?project_id=``: work order and purchase order contracts of a project
  together, in the spec's short form;
- ``GET /rest/v1.0/prime_contract?project_id=``: the project's first prime contract;
- ``/rest/v1.1/projects/{project_id}/direct_costs``: the v1.1 direct cost shape (``direct_costs_v11.py``).
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from ..core import ResourceEngine
from ..records import StoredRecord
from ..resources.commitments import commitment_summary
from ..resources.common import COMMITMENTS
from ..schema import Op
from ..state import EmulatorState
from .common import ApiError, context, paginate, resolve_placement
from .direct_costs_v11 import DirectCostsV11


def add_extra_routes(app: FastAPI, state: EmulatorState, engine: ResourceEngine) -> None:
    resources = state.resources
    if all(name in resources for name in COMMITMENTS):
        _add_commitments_list(app, state, engine)
    if "prime_contracts" in resources:
        _add_first_prime_contract(app, state, engine)
    if "direct_costs" in resources and "direct_cost_line_items" in resources:
        DirectCostsV11(state, engine).register(app)


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
