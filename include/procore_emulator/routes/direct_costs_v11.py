"""``/rest/v1.1/projects/{project_id}/direct_costs`` (list, create, show, update, delete): the v1.1
direct cost shape, which nests ``line_items`` (at most 100 per create or update request).

A create or update is validated whole (header and every line) before anything is stored, so a bad
line leaves the direct cost as it was. The v1.1 line names its budget code by ``wbs_code_id`` and
its amount as ``manual_amount`` (the v1.0 line's ``cost_code_id``/``line_item_type_id``/``amount`` are
refused here); each is stored as a v1.0 line, so both versions read the same records.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

from ..core import ResourceEngine
from ..fields import Errors, Field, Kind, add_error
from ..records import Placement, StoredRecord
from ..resources.direct_costs import (
    MAX_V11_LINES,
    V11_DIRECT_COST_OPERATIONS,
    V11_DIRECT_COSTS_PATH,
    V11_LINE_FIELDS,
)
from ..resources.wbs import wbs_budget_code
from ..schema import Op
from ..state import EmulatorState
from ..validation import resolve_reference
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

MAX_DIRECT_COST_LINES = MAX_V11_LINES
V11_DIRECT_COSTS = V11_DIRECT_COSTS_PATH
RULES = V11_DIRECT_COST_OPERATIONS
_V11_LINE = Field("line_item", Kind.OBJECT, fields=V11_LINE_FIELDS)

LinePlan = tuple[StoredRecord | None, dict[str, Any]]
"""A validated line: the stored line it updates (None to create) and its attributes."""


class DirectCostsV11:
    """The v1.1 endpoints over the ``direct_costs`` and ``direct_cost_line_items`` declarations."""

    def __init__(self, state: EmulatorState, engine: ResourceEngine) -> None:
        self.state = state
        self.engine = engine
        self.spec = state.spec("direct_costs")
        self.lines_spec = state.spec("direct_cost_line_items")

    def register(self, app: FastAPI) -> None:
        tags: list[str | Enum] = ["direct_costs (v1.1)"]
        item = f"{V11_DIRECT_COSTS}/{{id}}"
        for path, endpoint, method, name in (
            (V11_DIRECT_COSTS, self.list_v11, "GET", "list"),
            (V11_DIRECT_COSTS, self.create_v11, "POST", "create"),
            (item, self.show_v11, "GET", "show"),
            (item, self.update_v11, "PATCH", "update"),
            (item, self.delete_v11, "DELETE", "delete"),
        ):
            app.add_api_route(path, endpoint, methods=[method], tags=tags, name=f"direct_costs_v11_{name}")

    def render(self, rec: StoredRecord) -> dict[str, Any]:
        state = self.state
        out = state.render(rec)
        project_id = rec.scope["project_id"]
        project = state.get("projects", project_id)
        out["project"] = {"id": project_id, "name": project.fields.get("name") if project else None}
        out["company"] = {"id": rec.company_id, "name": state.companies.get(rec.company_id)}
        out["line_items"] = [
            state.render(r) for r in state.children(self.lines_spec.name, "direct_cost_id", rec.id)
        ]
        return out

    @staticmethod
    def _split(payload: Any) -> tuple[Any, list[Any] | None, Errors]:
        """Separates the nested ``line_items`` from the header, checking their shape and number."""
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

    def write(
        self, where: Placement, record_id: int | None, payload: Any
    ) -> tuple[dict[str, Any] | None, Errors]:
        """Creates (``record_id`` None) or updates a direct cost and its nested lines, all or nothing."""
        spec, engine = self.spec, self.engine
        rules = RULES[Op.CREATE if record_id is None else Op.UPDATE]
        header, lines, errors = self._split(payload)
        if errors:
            return None, errors
        with self.state.transaction() as changed:
            existing = engine.get(spec, where, record_id) if record_id is not None else None
            _, header_errors = engine.write(
                spec, where, header, existing, via_sync=False, changed=changed, apply=False, rules=rules
            )
            errors.update(header_errors)
            plans = self._check_lines(where, record_id, lines or [], errors, changed)
            if errors:
                return None, errors
            rec, header_errors = engine.write(
                spec, where, header, existing, via_sync=False, changed=changed, rules=rules
            )
            if rec is None:
                return None, header_errors
            line_where = Placement(where.company_id, {**where.scope, "direct_cost_id": rec.id})
            for target, line in plans:
                _, line_errors = engine.write(
                    self.lines_spec, line_where, line, target, via_sync=False, changed=changed
                )
                if line_errors:  # pragma: no cover - validated above
                    raise RuntimeError(f"direct cost line failed after validation: {line_errors}")
            return self.render(rec), {}

    def _check_lines(
        self,
        where: Placement,
        record_id: int | None,
        lines: list[Any],
        errors: Errors,
        changed: list[StoredRecord],
    ) -> list[LinePlan]:
        """Validates each nested line without storing it; problems go to ``errors`` under
        ``line_items[i]``."""
        plans: list[LinePlan] = []
        seen_origins: set[str] = set()
        op = Op.CREATE if record_id is None else Op.UPDATE
        for index, sent in enumerate(lines):
            prefix = f"line_items[{index}]"
            before = len(errors)
            checked = _V11_LINE.check(sent, prefix, errors, op)
            if len(errors) > before or checked is None:
                continue
            line = self._as_v10_line(where, checked, prefix, errors)
            if line is None:
                continue
            line_id = line.pop("id", None)
            stated_parent = line.pop("direct_cost_id", None)
            if stated_parent is not None and stated_parent != record_id:
                add_error(errors, f"{prefix}.direct_cost_id", "must name this direct cost (or be left out)")
            target = None
            if line_id is not None:
                target = self._own_line(line_id, record_id)
                if target is None:
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
            _, line_errors = self.engine.write(
                self.lines_spec, line_where, line, target, via_sync=False, changed=changed, apply=False
            )
            for key, messages in line_errors.items():
                for message in messages:
                    add_error(errors, f"{prefix}.{key}", message)
            plans.append((target, line))
        return plans

    def _as_v10_line(
        self, where: Placement, line: dict[str, Any], prefix: str, errors: Errors
    ) -> dict[str, Any] | None:
        """The v1.1 line in the v1.0 names it is stored under (``wbs_code_id`` becomes the cost code
        and cost type it stands for, ``manual_amount`` the amount); ``ref`` is dropped."""
        out = {k: v for k, v in line.items() if k not in ("manual_amount", "wbs_code_id", "ref")}
        if "manual_amount" in line:
            out["amount"] = line["manual_amount"]
        wbs_id = line.get("wbs_code_id")
        if wbs_id is None and line.get("id") is None:
            add_error(errors, f"{prefix}.wbs_code_id", "can't be blank (a new line needs its budget code)")
            return None
        if wbs_id is not None:
            rec = resolve_reference(self.state, ("wbs_codes",), wbs_id, where.company_id, where.scope)
            pair = wbs_budget_code(self.state, rec.id) if rec is not None else None
            if pair is None:
                add_error(errors, f"{prefix}.wbs_code_id", f"wbs code {wbs_id} not found in project")
                return None
            out["cost_code_id"], out["line_item_type_id"] = pair
        return out  # amounts stay decimal strings: the v1.0 line's number attributes take them

    def _own_line(self, line_id: Any, record_id: int | None) -> StoredRecord | None:
        """The stored line ``line_id`` if it is a line of direct cost ``record_id``."""
        target = self.state.get(self.lines_spec.name, line_id) if isinstance(line_id, int) else None
        if target is None or record_id is None or target.scope.get("direct_cost_id") != record_id:
            return None
        return target

    async def list_v11(self, request: Request) -> JSONResponse:
        spec, config = self.spec, self.state.config
        check_query(request, RULES[Op.LIST], spec)
        where = resolve_placement(spec, Op.LIST, request, None, self.state)
        origins = request.query_params.getlist("filters[origin_id]")
        records = self.engine.select(
            spec, where, parse_filters(spec, request), origin_id=origins[0] if len(origins) == 1 else None
        )
        page, headers = paginate(
            request, records, max_per_page=config.max_per_page, default_per_page=config.default_per_page
        )
        context(request).items = len(page)
        return JSONResponse([self.render(r) for r in page], headers=headers)

    async def show_v11(self, request: Request, id: str) -> JSONResponse:
        spec = self.spec
        check_query(request, RULES[Op.SHOW], spec)
        where = resolve_placement(spec, Op.SHOW, request, None, self.state)
        context(request).items = 1
        return JSONResponse(self.render(self.engine.get(spec, where, parse_record_id(id, spec))))

    async def create_v11(self, request: Request) -> JSONResponse:
        spec = self.spec
        context(request).items = 1
        check_query(request, RULES[Op.CREATE], spec)
        body = check_top_level(await read_json(request), RULES[Op.CREATE])
        where = resolve_placement(spec, Op.CREATE, request, body, self.state)
        rendered, errors = self.write(where, None, body["direct_cost"])
        if errors:
            raise ApiError(422, errors)
        return JSONResponse(rendered, status_code=201)

    async def update_v11(self, request: Request, id: str) -> JSONResponse:
        spec = self.spec
        context(request).items = 1
        record_id = parse_record_id(id, spec)
        check_query(request, RULES[Op.UPDATE], spec)
        body = check_top_level(await read_json(request), RULES[Op.UPDATE])
        where = resolve_placement(spec, Op.UPDATE, request, body, self.state)
        payload = body["direct_cost"]
        rendered, errors = await claimed(
            self.state, spec, where, record_id, [payload], lambda: self.write(where, record_id, payload)
        )
        if errors:
            raise ApiError(422, errors)
        return JSONResponse(rendered)

    async def delete_v11(self, request: Request, id: str) -> Response:
        spec, engine = self.spec, self.engine
        context(request).items = 1
        record_id = parse_record_id(id, spec)
        check_query(request, RULES[Op.DELETE], spec)
        where = resolve_placement(spec, Op.DELETE, request, None, self.state)
        _, errors = await claimed(
            self.state, spec, where, record_id, [], lambda: engine.delete(spec, where, record_id)
        )
        if errors:
            raise ApiError(422, errors)
        return JSONResponse({"id": record_id})
