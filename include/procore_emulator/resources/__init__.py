"""Declarations of the Procore resources the emulator serves, read from Procore's OpenAPI extracts,
one module per document family; this module only assembles the registry.

Each writable field list is the union of the create, update and sync request schemas of the resource
(the extracts are lossy, so a field present in one of them is taken as known to all); Show renders the
same fields plus ids, timestamps and computed keys. Where the extracts are silent or lossy, the
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

from ..schema import ResourceSpec
from .billing import BILLING_RESOURCES
from .change_orders import CHANGE_ORDER_RESOURCES
from .commitments import COMMITMENT_RESOURCES
from .company import COMPANY_RESOURCES
from .cost import COST_RESOURCES
from .direct_costs import DIRECT_COST_RESOURCES
from .prime_contracts import PRIME_CONTRACT_RESOURCES

RESOURCES: dict[str, ResourceSpec] = {
    spec.name: spec
    for spec in (
        *COMPANY_RESOURCES,
        *COST_RESOURCES,
        *DIRECT_COST_RESOURCES,
        *COMMITMENT_RESOURCES,
        *CHANGE_ORDER_RESOURCES,
        *BILLING_RESOURCES,
        *PRIME_CONTRACT_RESOURCES,
    )
}
"""Every resource the emulator serves, by collection name."""

__all__ = ["RESOURCES"]
