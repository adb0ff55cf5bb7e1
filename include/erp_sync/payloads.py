"""Pydantic models of the Procore payloads the pipeline sends, one per integration point.

They are the last gate before Procore: a row that fails here is rejected with a reason naming the
record and the field, and never sent. Field names are Procore's (see ../shared/procore-spec/).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal

import pycountry
from email_validator import EmailNotValidError, validate_email
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, model_validator

NAME_MAX_LENGTH = 255
# C0 and C1 controls, and the Unicode line and paragraph separators (invisible breaks in a name)
_CONTROL_CHARS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _no_control_characters(value: str) -> str:
    """Refuses control characters (C0, C1, line and paragraph separators); other Unicode is the ERP's
    text as it is (accents, CJK, emoji, combining marks)."""
    if found := _CONTROL_CHARS.search(value):
        raise ValueError(f"contains control character U+{ord(found.group()):04X}")
    return value


def _country_code(value: str) -> str:
    if pycountry.countries.get(alpha_2=value) is None:
        raise ValueError(f"{value!r} is not an ISO-3166 alpha-2 country code")
    return value


ProcoreName = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=NAME_MAX_LENGTH),
    AfterValidator(_no_control_characters),
]
OptionalText = Annotated[str | None, AfterValidator(lambda v: v if v is None else _no_control_characters(v))]
CountryCode = Annotated[
    str, StringConstraints(to_upper=True, pattern=r"^[A-Z]{2}$"), AfterValidator(_country_code)
]


def _email_address(value: str | None) -> str | None:
    """Checked with email-validator (syntax only, no DNS); the ERP's spelling is sent unchanged."""
    if value is not None:
        try:
            validate_email(value, check_deliverability=False)
        except EmailNotValidError as exc:
            raise ValueError(f"{value!r} is not an e-mail address: {exc}") from None
    return value


EmailAddress = Annotated[str | None, AfterValidator(_email_address)]


class ProcorePayload(BaseModel):
    """Common origin fields; every payload carries the namespaced origin_id of its ERP record."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    origin_id: Annotated[str, StringConstraints(min_length=1, max_length=255)]

    def to_procore(self) -> dict[str, Any]:
        """The JSON body of one item, leaving out fields the ERP has no value for."""
        return self.model_dump(mode="json", exclude_none=True)


class AddressMixin(BaseModel):
    """Address fields with ISO-3166 country and subdivision checks, as Procore requires."""

    address: OptionalText = None
    city: OptionalText = None
    zip: OptionalText = None
    country_code: CountryCode | None = None
    state_code: Annotated[str, StringConstraints(to_upper=True)] | None = None

    @model_validator(mode="after")
    def _state_code_belongs_to_country(self) -> AddressMixin:
        if self.state_code is None:
            return self
        if self.country_code is None:
            raise ValueError("state_code given without country_code")
        subdivision = pycountry.subdivisions.get(code=f"{self.country_code}-{self.state_code}")  # type: ignore[no-untyped-call]
        if subdivision is None:
            raise ValueError(
                f"state_code: {self.state_code!r} is not an ISO-3166-2 subdivision of {self.country_code}"
            )
        return self


class VendorPayload(ProcorePayload, AddressMixin):
    """A company vendor (Directory); origin_code shows the ERP vendor number."""

    origin_code: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    name: ProcoreName
    trade_name: OptionalText = None
    business_phone: OptionalText = None
    email_address: EmailAddress = None
    is_active: bool = True


class ProjectPayload(ProcorePayload, AddressMixin):
    """A company project; project_number and origin_code both carry the ERP job number."""

    origin_code: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    project_number: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    name: ProcoreName
    description: OptionalText = None
    start_date: date | None = None
    completion_date: date | None = None
    total_value: float | None = Field(None, ge=0)
    active: bool = True

    @model_validator(mode="after")
    def _completion_after_start(self) -> ProjectPayload:
        if self.start_date and self.completion_date and self.completion_date < self.start_date:
            raise ValueError("completion_date: before start_date")
        return self


Money = Annotated[float, Field(allow_inf_nan=False)]


def _non_negative_decimal(value: str) -> str:
    if not re.fullmatch(r"\d+(\.\d+)?", value):
        raise ValueError(f"must be a non-negative decimal amount, got {value!r}")
    return value


AmountText = Annotated[str, AfterValidator(_non_negative_decimal)]
LINE_ITEM_BASE_TYPES = (
    "equipment",
    "materials",
    "commitment",
    "owner_cost",
    "professional_services",
    "other",
)
DIRECT_COST_TYPES = ("invoice", "expense", "payroll")
DIRECT_COST_STATUSES = ("draft", "pending", "revise_and_resubmit", "approved")
WORK_ORDER_STATUSES = (
    "Draft",
    "Out For Bid",
    "Out For Signature",
    "Approved",
    "Complete",
    "Terminated",
    "Void",
)
PURCHASE_ORDER_STATUSES = (
    "Draft",
    "Processing",
    "Submitted",
    "Partially Received",
    "Received",
    "Approved",
    "Closed",
)


class LineItemTypePayload(ProcorePayload):
    """A company line item type (the ERP's cost type); csv_import_code carries the ERP code."""

    name: ProcoreName
    csv_import_code: Annotated[str, StringConstraints(min_length=1, max_length=50)]
    base_type: Literal[LINE_ITEM_BASE_TYPES]  # type: ignore[valid-type]


class CostCodePayload(ProcorePayload):
    """A project cost code."""

    code: Annotated[
        str, StringConstraints(min_length=1, max_length=50), AfterValidator(_no_control_characters)
    ]
    name: ProcoreName


class BudgetLineItemPayload(BaseModel):
    """A budget line item; Procore gives it no origin_id, so the ledger keys it by job/cost code/type."""

    model_config = ConfigDict(extra="forbid")

    cost_code_id: int
    line_item_type_id: int
    original_budget_amount: Money = Field(ge=0)

    def to_procore(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude_none=True)


class DirectCostPayload(ProcorePayload):
    """A direct cost (AP invoice, expense or payroll) of a project."""

    invoice_number: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    direct_cost_type: Literal[DIRECT_COST_TYPES]  # type: ignore[valid-type]
    status: Literal[DIRECT_COST_STATUSES]  # type: ignore[valid-type]
    direct_cost_date: date
    received_date: date | None = None
    description: OptionalText = None
    vendor_id: int | None = None

    @model_validator(mode="after")
    def _vendor_required(self) -> DirectCostPayload:
        if self.vendor_id is None:
            raise ValueError(
                "vendor_id: Procore requires a vendor on every direct cost (map payroll to your payroll "
                "provider's vendor number in direct_costs.sql)"
            )
        return self


class LinePayload(ProcorePayload):
    """Common fields of a cost line (direct cost line, SOV line)."""

    cost_code_id: int
    line_item_type_id: int
    description: OptionalText = None
    amount: Money


class DirectCostLinePayload(LinePayload):
    direct_cost_id: int
    quantity: float | None = None
    unit_cost: float | None = None


class CommitmentPayload(ProcorePayload):
    """A work order or purchase order contract; origin_code and number carry the ERP contract number."""

    origin_code: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    number: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    title: ProcoreName
    description: OptionalText = None
    vendor_id: int
    executed: bool = False
    execution_date: date | None = None
    retainage_percent: Annotated[str, StringConstraints(pattern=r"^\d{1,3}(\.\d+)?$")] | None = None


CONTRACT_STATUSES = tuple(dict.fromkeys(WORK_ORDER_STATUSES + PURCHASE_ORDER_STATUSES))


class ContractStatusPayload(ProcorePayload):
    """Only the status of a commitment or prime contract, set after its schedule of values is in.

    Procore locks the schedule of values of an Approved contract, so a new contract is created
    without a status (Draft), gets its lines, and only then takes the ERP's status; ``lines`` only
    carries each SOV line's reference (a line not synced blocks the status) and is never sent.
    """

    status: Literal[CONTRACT_STATUSES]  # type: ignore[valid-type]
    lines: list[dict[str, Any]] = Field(default_factory=list, exclude=True)


class CommitmentLinePayload(LinePayload):
    """A schedule of values line of a commitment (amount as a decimal string, as Procore takes it)."""

    amount: AmountText  # type: ignore[assignment]
    quantity: Annotated[str, StringConstraints(pattern=r"^-?\d+(\.\d+)?$")] | None = None
    unit_cost: Annotated[str, StringConstraints(pattern=r"^-?\d+(\.\d+)?$")] | None = None


PRIME_CONTRACT_STATUSES = ("Draft", "Out For Bid", "Out For Signature", "Approved", "Complete", "Terminated")
CHANGE_ORDER_PACKAGE_STATUSES = (
    "draft",
    "not_pricing",
    "pricing",
    "pending",
    "revised",
    "proceeding",
    "not_proceeding",
    "no_charge",
    "approved",
    "rejected",
    "void",
)
REQUISITION_STATUSES = (
    "draft",
    "under_review",
    "revise_and_resubmit",
    "approved",
    "approved_as_noted",
    "pending_owner_approval",
)
PAYMENT_METHODS = ("check", "credit_card", "electronic")
DecimalText = Annotated[str, StringConstraints(pattern=r"^-?\d+(\.\d+)?$")]


class PrimeContractPayload(ProcorePayload):
    """The owner contract of a project (its status is set by the prime_contract_statuses point)."""

    number: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    title: ProcoreName
    vendor_id: int | None = None  # the owner (client), an ERP customer in the company directory
    executed: bool = False
    execution_date: date | None = None
    retainage_percent: Annotated[str, StringConstraints(pattern=r"^\d{1,3}(\.\d+)?$")] | None = None


class PrimeContractLinePayload(ProcorePayload):
    """A schedule of values line of a prime contract."""

    cost_code_id: int
    line_item_type_id: int
    description: OptionalText = None
    amount: AmountText


class RequisitionPayload(ProcorePayload):
    """A subcontractor invoice (requisition) for one billing period of a commitment.

    Created without a status (Procore's draft): its money goes into its items first
    (:class:`RequisitionItemPayload`), and only then does it take the ERP's status
    (:class:`RequisitionStatusPayload`), since Procore locks an approved invoice's items.
    """

    invoice_number: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    requisition_start: date
    requisition_end: date
    billing_date: date | None = None
    # The money travels on the invoice's lines (subcontractor_invoice_lines); the pay app's totals are
    # checked here but not sent (Procore computes them from the items), so a negative total is caught.
    amount_this_period: Money = Field(ge=0, exclude=True)
    retainage_this_period: Money = Field(0, ge=0, exclude=True)

    @model_validator(mode="after")
    def _period_in_order(self) -> RequisitionPayload:
        if self.requisition_end < self.requisition_start:
            raise ValueError("requisition_end: before requisition_start")
        return self


class RequisitionStatusPayload(ProcorePayload):
    """Only the status of a subcontractor invoice, sent once every one of its lines is in Procore.

    Procore locks an approved invoice's items, so the status goes last; ``lines`` only carries each
    line's reference (a line not synced blocks the status) and is never sent.
    """

    status: Literal[REQUISITION_STATUSES]  # type: ignore[valid-type]
    lines: list[dict[str, Any]] = Field(default_factory=list, exclude=True)


class RequisitionItemPayload(BaseModel):
    """One invoice line's money for its requisition item (``bulk_item_update``; decimal strings).

    Requisition items have no origin_id: the ledger keys the line by invoice and SOV line, and the
    item's id is found on the requisition at load time.
    """

    model_config = ConfigDict(extra="forbid")

    work_completed_this_period: AmountText
    materials_presently_stored: AmountText
    work_completed_retainage_retained_this_period: AmountText

    def to_procore(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude_none=True)


class ContractPaymentPayload(ProcorePayload):
    """A payment issued on a commitment or received on a prime contract."""

    date: date
    amount: AmountText
    check_number: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    payment_method: Literal[PAYMENT_METHODS] | None = None  # type: ignore[valid-type]
    requisition_id: int | None = None


COMMITMENT_CHANGE_ORDER_STATUSES = (
    "draft",
    "pricing",
    "not_pricing",
    "pending",
    "revised",
    "proceeding",
    "not_proceeding",
    "pending_billable",
    "no_charge",
    "approved",
    "rejected",
    "void",
)
