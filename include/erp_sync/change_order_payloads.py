"""Payload models of the change order points, for either of Procore's commitment change order tiers.

1-tier: a commitment change order (v1.0 header, no money), its lines (v2.0, the money) and its status.
2-tier: a change order package (header, no money), one potential change order (PCO) in it, the PCO's
lines (the money), then the PCO's and the package's statuses. In both, the amount travels on the lines
only, once.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

from erp_sync.payloads import (
    CHANGE_ORDER_PACKAGE_STATUSES,
    COMMITMENT_CHANGE_ORDER_STATUSES,
    OptionalText,
    ProcoreName,
    ProcorePayload,
)

# Procore's potential change order statuses (its sync schema's enum).
POTENTIAL_CHANGE_ORDER_STATUSES = (
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

Amount = Annotated[str, StringConstraints(pattern=r"^-?\d+(\.\d+)?$")]


def _id_text(value: Any) -> Any:
    """v2.0 types ids as strings; the ledger keeps them as integers."""
    return str(int(value)) if isinstance(value, int | float) or hasattr(value, "__index__") else value


IdText = Annotated[str, BeforeValidator(_id_text), StringConstraints(pattern=r"^\d+$")]


class CommitmentChangeOrderLinePayload(BaseModel):
    """A line of a commitment change order (v2.0): it adjusts an SOV line or adds one.

    Its budget code (``wbs_code_id``) is picked at load time from the project's WBS codes by the
    line's cost code and cost type; it carries no origin_id (v2.0 lines have none).
    """

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    commitment_line_item_id: IdText | None = None
    amount: Amount
    description: OptionalText = None

    def to_procore(self) -> dict[str, Any]:
        """The v2.0 body (the line itself, ids as strings), without fields the ERP has no value for."""
        return self.model_dump(mode="json", exclude_none=True)


class GatedStatusPayload(BaseModel):
    """A change order's status, sent once every one of its lines is in Procore.

    Procore locks an approved change order's lines, so the status goes last; ``lines`` only carries
    each line's reference (a line not synced blocks the status) and is never sent.
    """

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    status: Literal[COMMITMENT_CHANGE_ORDER_STATUSES]  # type: ignore[valid-type]
    lines: list[dict[str, Any]] = Field(default_factory=list, exclude=True)

    def to_procore(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude_none=True)


class CommitmentChangeOrderHeaderPayload(BaseModel):
    """A commitment change order's header (v1.0 takes no lines and, until its lines are in, no status);
    Procore gives it no origin_id, so the ledger keys it and a lost answer is recovered by its
    (contract, number), which Procore keeps unique."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    contract_id: int
    number: Annotated[str, StringConstraints(min_length=1, max_length=255)]
    title: ProcoreName
    description: OptionalText = None
    due_date: date | None = None

    def to_procore(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude_none=True)


class ChangeOrderPackageHeaderPayload(ProcorePayload):
    """A change order package (2-tier) without its status (that follows the lines) and without money:
    its total is its PCO's, from the PCO's lines. origin_code shows the ERP change order number."""

    origin_code: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    title: ProcoreName
    description: OptionalText = None
    due_date: date | None = None


class PackageStatusPayload(ProcorePayload):
    """A package's status (what the commitment's approved or pending change orders count by), sent
    once every line of its PCO is in Procore; ``lines`` only gates it and is never sent."""

    status: Literal[CHANGE_ORDER_PACKAGE_STATUSES]  # type: ignore[valid-type]
    lines: list[dict[str, Any]] = Field(default_factory=list, exclude=True)


class PotentialChangeOrderPayload(ProcorePayload):
    """The one PCO an ERP change order becomes inside its package (2-tier); its status comes last."""

    number: Annotated[str, StringConstraints(min_length=1, max_length=255)]
    title: ProcoreName
    description: OptionalText = None
    change_order_package_id: int

    def to_procore(self) -> dict[str, Any]:
        """The sync item: the package goes in ``change_order_request.change_order_package_id``."""
        item = self.model_dump(mode="json", exclude_none=True, exclude={"change_order_package_id"})
        item["change_order_request"] = {"change_order_package_id": self.change_order_package_id}
        return item


class PotentialChangeOrderLinePayload(ProcorePayload):
    """A PCO line (v1.0 sync): its budget code as cost code and cost type ids, and the money."""

    cost_code_id: int
    line_item_type_id: int
    amount: Amount
    description: OptionalText = None


class PotentialChangeOrderStatusPayload(ProcorePayload):
    """A PCO's status by sync (matched by origin_id), sent once every one of its lines is in Procore."""

    status: Literal[POTENTIAL_CHANGE_ORDER_STATUSES]  # type: ignore[valid-type]
    lines: list[dict[str, Any]] = Field(default_factory=list, exclude=True)
