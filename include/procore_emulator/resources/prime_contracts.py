"""Prime contracts (the owner's contract with the general contractor) and their line items.

Procore's ``procore-api.md`` names commitments and change orders as locked once approved; an approved
prime contract's schedule of values is locked the same way (changes go through prime change orders).
"""

from __future__ import annotations

from typing import Any

from .. import filters
from ..fields import NAME_MAX_LENGTH, Field, Kind
from ..operations import RUN_CONFIGURABLE_VALIDATIONS, OperationRules, QueryParam
from ..records import StoredRecord
from ..schema import Op, RecordStore, ResourceSpec, Unique
from .common import LOCKED_CONTRACT_STATUSES, autonumber, locations, project_scope
from .contracts import contract_guard, sov_spec
from .money import contract_money
from .refs import currency, vendor_of

PRIME_CONTRACT_STATUSES = ("Draft", "Out For Bid", "Out For Signature", "Approved", "Complete", "Terminated")


def _render_prime_contract(rec: StoredRecord, state: RecordStore) -> dict[str, Any]:
    figures = contract_money(state, rec, "prime_contract_line_items", "prime_contract_id")
    payments = figures.pop("_payments")
    vendor = vendor_of(state, rec.fields.get("vendor_id"))
    contractor = vendor_of(state, rec.fields.get("contractor_id"))
    architect = rec.fields.get("architect_id")
    user = {"id": state.config.user_id, "login": state.config.user_login, "name": state.config.user_name}
    return {
        "line_items": figures["line_items"],
        "grand_total": figures["grand_total"],
        "line_items_total": figures["grand_total"],
        "line_items_extended_total": figures["grand_total"],
        "approved_change_orders": "0.00",
        "draft_change_orders_amount": "0.00",
        "pending_change_orders_amount": "0.00",
        "revised_contract_amount": figures["grand_total"],
        "pending_revised_contract_amount": figures["grand_total"],
        "total_payments": figures["total_payments"],
        "percentage_paid": figures["percentage_paid"],
        "outstanding_balance": figures["remaining_balance_outstanding"],
        "owner_invoices_amount": "0.00",
        "payments_received": [
            {"id": p.id, "amount": p.fields.get("amount"), "date": p.fields.get("date")} for p in payments
        ],
        "vendor": {"id": vendor.id, "name": vendor.fields.get("name")} if vendor else None,
        "contractor": {"id": contractor.id, "name": contractor.fields.get("name")} if contractor else None,
        "architect": {"id": architect, "login": None, "name": None} if architect is not None else None,
        "created_by": user,
        "attachments": [],
        "change_order_packages": [],
        "change_order_requests": [],
        "potential_change_orders": [],
        "deleted_at": None,
        "type": "PrimeContract",
        "currency_configuration": currency(rec),
    }


PRIME_CONTRACTS = ResourceSpec(
    name="prime_contracts",
    singular="prime_contract",
    path="/rest/v1.0/prime_contract",
    list_path="/rest/v1.0/prime_contracts",
    scope=(
        project_scope(locations(list="query", show="query", create="body", update="body", delete="query")),
    ),
    operations=frozenset({Op.LIST, Op.SHOW, Op.CREATE, Op.UPDATE, Op.DELETE}),
    fields=(
        Field("actual_completion_date", Kind.DATE),
        Field("approval_letter_date", Kind.DATE),
        Field("architect_id", Kind.INTEGER, shown=False),
        Field("contractor_id", Kind.INTEGER, ref="vendors", shown=False),
        Field("contract_date", Kind.DATE),
        Field("contract_estimated_completion_date", Kind.DATE),
        Field("contract_start_date", Kind.DATE),
        Field("description"),
        Field("exclusions"),
        Field("executed", Kind.BOOLEAN, default=False),
        Field("execution_date", Kind.DATE),
        Field("inclusions"),
        Field("issued_on_date", Kind.DATE),
        Field("letter_of_intent_date", Kind.DATE),
        Field("number", max_length=NAME_MAX_LENGTH),
        Field("origin_data"),
        Field("origin_id"),
        Field("retainage_percent", Kind.DECIMAL_STRING, minimum=0, maximum=100),
        Field("returned_date", Kind.DATE),
        Field("signed_contract_received_date", Kind.DATE),
        Field("status", enum=PRIME_CONTRACT_STATUSES, default="Draft"),
        Field("title", max_length=NAME_MAX_LENGTH, forbid_control_chars=True),
        # the owner (client), a company-directory vendor
        Field("vendor_id", Kind.INTEGER, ref="vendors", shown=False),
        Field("accounting_method", enum=("amount", "unit")),
        Field("drawing_revision_ids", Kind.INTEGER_LIST, shown=False),
        Field("file_version_ids", Kind.INTEGER_LIST, shown=False),
        Field("form_ids", Kind.INTEGER_LIST, shown=False),
        Field("image_ids", Kind.INTEGER_LIST, shown=False),
        Field("upload_ids", Kind.STRING_LIST, shown=False),
        Field("currency_exchange_rate", Kind.NUMBER, shown=False),
        Field("currency_iso_code", code="currency", shown=False),
    ),
    body_params=("attachments",),
    unique=(Unique(("number",)),),
    filters=(filters.ids("id"), filters.time_range("updated_at")),
    operation_ids={
        Op.LIST: "RestV10PrimeContractsGet",
        Op.SHOW: "RestV10PrimeContractIdGet",
        Op.CREATE: "RestV10PrimeContractPost",
        Op.UPDATE: "RestV10PrimeContractIdPatch",
        Op.DELETE: "RestV10PrimeContractIdDelete",
    },
    query_params={Op.CREATE: (RUN_CONFIGURABLE_VALIDATIONS,), Op.UPDATE: (RUN_CONFIGURABLE_VALIDATIONS,)},
    prepare=autonumber(),
    # procore-api.md names commitments and change orders; an approved prime contract's schedule of
    # values is locked the same way in Procore (changes go through prime change orders)
    guard=contract_guard(LOCKED_CONTRACT_STATUSES),
    render_extra=_render_prime_contract,
)

PRIME_CONTRACT_LINE_ITEMS = sov_spec(
    PRIME_CONTRACTS,
    "express the change as a prime contract change order",
    prefix="RestV10PrimeContractsPrimeContractIdLineItems",
    views=False,
)

FIRST_PRIME_CONTRACT = OperationRules(
    operation_id="RestV10PrimeContractGet",
    method="GET",
    path="/rest/v1.0/prime_contract",
    op=Op.SHOW,
    query=(QueryParam("project_id", Kind.INTEGER, required=True),),
)
"""Served by ``routes/extra.py``: the project's first prime contract."""

PRIME_CONTRACT_RESOURCES: tuple[ResourceSpec, ...] = (PRIME_CONTRACTS, PRIME_CONTRACT_LINE_ITEMS)
