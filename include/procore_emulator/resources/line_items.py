"""What every line item shares (direct cost lines and schedule-of-values lines): fields, filters,
budget-code validation and Show's nested references.
"""

from __future__ import annotations

from typing import Any

from .. import filters
from ..fields import Errors, Field, Kind, add_error
from ..records import StoredRecord
from ..schema import RecordStore, ValidationContext
from .common import HOLDER_TYPES
from .money import dec, line_amount, money
from .refs import company_ref, cost_code_ref, line_item_type_ref, project_ref

UOM_NOTE = "uom: Procore checks it against the company's list of units of measure; not modelled here"


def validate_line_item(ctx: ValidationContext) -> Errors:
    """v1.0 line items name their budget code as cost_code_id + line_item_type_id. Procore also accepts
    a wbs_code_id (and prefers it); the emulator's WBS codes (``wbs.py``) serve the v1.1 and v2.0 lines
    only, so here it is refused with a message (which predates them: "not modelled" on v1.0 lines)."""
    errors: Errors = {}
    if ctx.changes.get("wbs_code_id") is not None:
        add_error(
            errors,
            "wbs_code_id",
            "is not supported by the emulator (WBS codes are not modelled); send cost_code_id and "
            "line_item_type_id instead",
        )
    if ctx.existing is None:
        for name in ("cost_code_id", "line_item_type_id"):
            if ctx.changes.get(name) is None:
                add_error(
                    errors, name, "can't be blank (a line item needs cost_code_id and line_item_type_id)"
                )
    return errors


def line_item_fields(money_kind: Kind) -> tuple[Field, ...]:
    return (
        Field("amount", money_kind),
        Field("cost_code_id", Kind.INTEGER, ref="cost_codes", shown=False),
        Field("description"),
        Field("extended_type", enum=("manual", "calculated")),
        Field("quantity", money_kind),
        Field("line_item_type_id", Kind.INTEGER, ref="line_item_types", shown=False),
        Field("origin_data"),
        Field("origin_id"),
        Field("tax_code_id", Kind.INTEGER),
        Field("unit_cost", money_kind),
        Field("uom"),
        Field("wbs_code_id", Kind.INTEGER, shown=False),
    )


def line_item_filters() -> tuple[Any, ...]:
    return (
        filters.ids("id"),
        filters.time_range("created_at"),
        filters.time_range("updated_at"),
        filters.ids("cost_code_id"),
        filters.ids("line_item_type_id"),
    )


def render_line_item(holder_param: str, holder_resource: str) -> Any:
    def render(rec: StoredRecord, state: RecordStore) -> dict[str, Any]:
        amount = line_amount(rec)
        native = state.spec(rec.resource).field_map["amount"].kind == Kind.NUMBER
        holder_id = rec.scope.get(holder_param)
        siblings = state.children(rec.resource, holder_param, holder_id) if holder_id is not None else []
        position = next((i for i, r in enumerate(siblings, start=1) if r.id == rec.id), None)
        extended = dec(rec.fields.get("quantity")) * dec(rec.fields.get("unit_cost"))
        out: dict[str, Any] = {
            "company": company_ref(state, rec),
            "cost_code": cost_code_ref(state, rec.fields.get("cost_code_id")),
            "line_item_type": line_item_type_ref(state, rec.fields.get("line_item_type_id")),
            "holder": {"id": holder_id, "holder_type": HOLDER_TYPES[holder_resource]},
            "project": project_ref(state, rec.scope.get("project_id")),
            "position": position,
            "total_amount": float(amount) if native else money(amount),
            "extended_amount": float(extended) if native else money(extended),
            "wbs_code": None,
            "change_event_line_item": None,
            "currency_configuration": {"currency_iso_code": "USD"},
        }
        if rec.fields.get("amount") is None:
            out["amount"] = float(amount) if native else money(amount)
        return out

    return render
