"""Work breakdown structure (WBS) codes: the budget codes Procore's v2.0 line items name.

Procore builds a WBS code from company-level segments; the emulator models the budget-code case
only: one code per (project cost code, company cost type) pair, with the flat code
``{cost code full code}.{cost type code}``. Codes are derived when a project's list is read (that is
how a client learns their ids) and keep their ids afterwards. Creating codes from segments
(``POST .../wbs_codes``) is not served.
"""

from __future__ import annotations

from typing import Any

from .. import filters
from ..fields import Field, Kind
from ..operations import PAGINATION, OperationRules, QueryParam
from ..ops import Op
from ..records import StoredRecord
from ..schema import RecordStore, ResourceSpec
from .common import locations, project_scope
from .refs import cost_code_full

WBS_PATH = "/rest/v1.0/projects/{project_id}/work_breakdown_structure/wbs_codes"

WBS_CODES_LIST = OperationRules(
    operation_id="RestV10ProjectsProjectIdWorkBreakdownStructureWbsCodesGet",
    method="GET",
    path=WBS_PATH,
    op=Op.LIST,
    query=(
        QueryParam("can_select_divisions", Kind.BOOLEAN),
        QueryParam("required_segments[]"),
        QueryParam("filters[status][]", enum=("active", "inactive")),
        QueryParam("filters[updated_at]"),
        QueryParam("scope", enum=("budget_code", "production_quantity_code")),
        QueryParam("query"),
        QueryParam("group_type", enum=("contract",)),
        QueryParam("group_id", Kind.INTEGER),
        QueryParam("hide_not_in_group", Kind.BOOLEAN),
        *PAGINATION,
    ),
)
"""Served by ``routes/extra.py``: ``query`` searches flat code and description, ``filters[status][]``
and ``filters[updated_at]`` apply; segments, scopes and contract groups are accepted only."""


def _render_wbs(rec: StoredRecord, state: RecordStore) -> dict[str, Any]:
    code = state.get("cost_codes", rec.fields["cost_code_id"])
    kind = state.get("line_item_types", rec.fields["line_item_type_id"])
    code_text = cost_code_full(state, code) if code else ""
    kind_code = kind.fields.get("csv_import_code") if kind else ""
    code_name = code.fields.get("name") if code else None
    kind_name = kind.fields.get("name") if kind else None
    return {
        "flat_code": f"{code_text}.{kind_code}",
        "flat_name": f"{code_name}.{kind_name}",
        "description": code_name,
        "status": "active",
        "segment_items": [
            {"id": rec.fields["cost_code_id"], "code": code_text, "name": code_name},
            {"id": rec.fields["line_item_type_id"], "code": kind_code, "name": kind_name},
        ],
        "wbs_pattern_id": None,
    }


WBS_CODES = ResourceSpec(
    name="wbs_codes",
    singular="wbs_code",
    path=WBS_PATH,
    scope=(project_scope(locations(list="path")),),
    operations=frozenset(),  # the list is hand-written (it derives the codes first)
    fields=(
        Field("cost_code_id", Kind.INTEGER, shown=False),
        Field("line_item_type_id", Kind.INTEGER, shown=False),
    ),
    filters=(
        filters.time_range("updated_at"),
        filters.accepted("status", choices=("active", "inactive")),  # applied by the route
    ),
    origin_tracked=False,
    status_field=None,
    render_extra=_render_wbs,
)


def derive_wbs_codes(state: RecordStore, company_id: int, project_id: int) -> list[StoredRecord]:
    """New WBS code records for the project's (cost code, cost type) pairs that have none yet."""
    held = {
        (r.fields["cost_code_id"], r.fields["line_item_type_id"])
        for r in state.children("wbs_codes", "project_id", project_id)
    }
    kinds = state.stored("line_item_types", company_id)
    now = state.now()
    made = []
    for code in state.children("cost_codes", "project_id", project_id):
        for kind in kinds:
            if (code.id, kind.id) in held:
                continue
            made.append(
                StoredRecord(
                    resource="wbs_codes",
                    id=state.allocate_id(),
                    company_id=company_id,
                    scope={"project_id": project_id},
                    fields={"cost_code_id": code.id, "line_item_type_id": kind.id},
                    created_at=now,
                    updated_at=now,
                )
            )
    return made


def wbs_budget_code(state: RecordStore, wbs_code_id: int | None) -> tuple[int, int] | None:
    """The (cost_code_id, line_item_type_id) a WBS code stands for."""
    rec = state.get("wbs_codes", wbs_code_id) if wbs_code_id is not None else None
    return (rec.fields["cost_code_id"], rec.fields["line_item_type_id"]) if rec else None


def wbs_ref(state: RecordStore, wbs_code_id: int | None) -> dict[str, Any] | None:
    """``wbs_code: {id, flat_code, description}`` as v2.0 line items render it (ids as strings)."""
    rec = state.get("wbs_codes", wbs_code_id) if wbs_code_id is not None else None
    if rec is None:
        return None
    shown = _render_wbs(rec, state)
    return {"id": str(rec.id), "flat_code": shown["flat_code"], "description": shown["description"]}
