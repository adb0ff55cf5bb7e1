"""The nested objects Show renders for a record's references (``project``, ``vendor``, ``cost_code``,
``line_item_type``, ``company``) instead of the ``*_id`` that was sent.
"""

from __future__ import annotations

from typing import Any

from ..records import StoredRecord
from ..schema import RecordStore


def project_ref(state: RecordStore, project_id: int | None) -> dict[str, Any] | None:
    if project_id is None:
        return None
    rec = state.get("projects", project_id)
    return {"id": project_id, "name": rec.fields.get("name") if rec else None}


def company_ref(state: RecordStore, rec: StoredRecord) -> dict[str, Any]:
    return {"id": rec.company_id, "name": state.companies.get(rec.company_id)}


def vendor_of(state: RecordStore, vendor_id: int | None) -> StoredRecord | None:
    return state.get("vendors", vendor_id) if vendor_id is not None else None


def cost_code_full(state: RecordStore, rec: StoredRecord) -> str:
    parts: list[str] = []
    seen: set[int] = set()
    current: StoredRecord | None = rec
    while current is not None and current.id not in seen and len(parts) < 16:
        seen.add(current.id)
        parts.append(str(current.fields.get("code") or ""))
        parent_id = current.fields.get("parent_id")
        current = state.get("cost_codes", parent_id) if parent_id is not None else None
    return "-".join(reversed(parts))


def cost_code_ref(state: RecordStore, cost_code_id: int | None) -> dict[str, Any] | None:
    rec = state.get("cost_codes", cost_code_id) if cost_code_id is not None else None
    if rec is None:
        return None
    project_id = rec.scope.get("project_id")
    project = state.get("projects", project_id) if project_id is not None else None
    return {
        "id": rec.id,
        "biller": project.fields.get("name") if project else None,
        "biller_id": project_id,
        "biller_type": "Project",
        "budgeted": bool(budget_lines_for(state, rec)),
        "code": rec.fields.get("code"),
        "created_at": state.render(rec)["created_at"],
        "deleted_at": None,
        "full_code": cost_code_full(state, rec),
        "name": rec.fields.get("name"),
        "origin_data": rec.fields.get("origin_data"),
        "origin_id": rec.fields.get("origin_id"),
    }


def line_item_type_ref(state: RecordStore, type_id: int | None) -> dict[str, Any] | None:
    rec = state.get("line_item_types", type_id) if type_id is not None else None
    if rec is None:
        return None
    return {
        "id": rec.id,
        "name": rec.fields.get("name"),
        "code": rec.fields.get("csv_import_code"),
        "base_type": rec.fields.get("base_type"),
        "origin_data": rec.fields.get("origin_data"),
        "origin_id": rec.fields.get("origin_id"),
    }


def currency(rec: StoredRecord) -> dict[str, Any]:
    return {"currency_iso_code": rec.fields.get("currency_iso_code") or "USD"}


def budget_lines_for(state: RecordStore, cost_code: StoredRecord) -> list[StoredRecord]:
    project_id = cost_code.scope.get("project_id")
    if project_id is None:
        return []
    return [
        r
        for r in state.children("budget_line_items", "project_id", project_id)
        if r.fields.get("cost_code_id") == cost_code.id
    ]
