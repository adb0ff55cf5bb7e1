"""Declarations of the Procore resources the emulator serves, read from Procore's OpenAPI extracts,
one module per document family; this module only assembles the registries.

Each operation is validated against its own extract's request schema (``operations.py``): a field's
``ops`` names the operations that list it, and any other operation refuses it. Show renders the
declared fields plus ids, timestamps and computed keys. Where the extracts are silent or lossy, the
stricter reading is taken and said so in a comment and in the README. To add a resource, declare a
:class:`ResourceSpec` in its family's module (with a hook for rules a table cannot express) and add it
to that module's tuple below; routes, validation, sync and the admin surface follow from the
declaration.

Record locking (procore-api.md) refuses with a 422 ``{"errors": {field: [message]}}`` on a single call
or a per-item error in a sync response, and every message says "locked": see ``contracts.py``
(approved commitments and prime contracts), ``change_orders.py`` (approved change orders) and
``common.origin_lock`` (ERP-owned direct costs, invoices and payments).
"""

from __future__ import annotations

from collections.abc import Iterable

from ..operations import OperationRules
from ..ops import Op
from ..schema import ResourceSpec
from .billing import BILLING_RESOURCES
from .change_orders import CHANGE_ORDER_RESOURCES
from .commitments import COMMITMENT_RESOURCES, COMMITMENTS_LIST
from .company import COMPANY_RESOURCES, V11_PROJECTS_LIST
from .cost import COST_RESOURCES
from .direct_costs import DIRECT_COST_RESOURCES, V11_DIRECT_COST_OPERATIONS
from .identity import COMPANIES, ME, TOKEN
from .potential_change_orders import POTENTIAL_CHANGE_ORDER_RESOURCES
from .prime_contracts import FIRST_PRIME_CONTRACT, PRIME_CONTRACT_RESOURCES
from .requisition_items import BULK_ITEM_UPDATE
from .wbs import WBS_CODES, WBS_CODES_LIST

RESOURCES: dict[str, ResourceSpec] = {
    spec.name: spec
    for spec in (
        *COMPANY_RESOURCES,
        *COST_RESOURCES,
        WBS_CODES,
        *DIRECT_COST_RESOURCES,
        *COMMITMENT_RESOURCES,
        *CHANGE_ORDER_RESOURCES,
        *POTENTIAL_CHANGE_ORDER_RESOURCES,
        *BILLING_RESOURCES,
        *PRIME_CONTRACT_RESOURCES,
    )
}
"""Every resource the emulator serves, by collection name."""

HAND_WRITTEN_OPERATIONS: tuple[OperationRules, ...] = (
    TOKEN,
    ME,
    COMPANIES,
    V11_PROJECTS_LIST,
    COMMITMENTS_LIST,
    FIRST_PRIME_CONTRACT,
    *V11_DIRECT_COST_OPERATIONS.values(),
    WBS_CODES_LIST,
    BULK_ITEM_UPDATE,
)
"""Operations served by ``routes/auth.py``, ``routes/extra.py`` and ``routes/direct_costs_v11.py``."""


def served_operations(resources: Iterable[ResourceSpec] | None = None) -> dict[str, OperationRules]:
    """Every operation the emulator serves and validates exactly, by Procore's operationId
    (operations without one, such as the emulator's own budget list, are left out)."""
    specs = RESOURCES.values() if resources is None else resources
    out: dict[str, OperationRules] = {}
    for spec in specs:
        for op in Op:
            if op in spec.operations and op in spec.operation_ids:
                out[spec.operation_ids[op]] = spec.rules(op)
    for rules in HAND_WRITTEN_OPERATIONS:
        assert rules.operation_id is not None
        out[rules.operation_id] = rules
    return out


OPERATIONS: dict[str, OperationRules] = served_operations()
"""The per-operation rules of everything served (``tests/emulator/test_spec_conformance.py`` compares
each with its extract)."""

__all__ = ["HAND_WRITTEN_OPERATIONS", "OPERATIONS", "RESOURCES", "served_operations"]
