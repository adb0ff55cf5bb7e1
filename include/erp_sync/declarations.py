"""The integration points, each declared once: the DAG, plan, docs table and reports derive from these.

Adding an integration point means adding a declaration here, its SQL file under ``include/sql/``, a
payload model and a mapping function; nothing else is copied.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import pandas as pd
from pydantic import BaseModel

from erp_sync import mappings
from erp_sync.payloads import ProjectPayload, VendorPayload

Mapping = Callable[..., pd.DataFrame]


@dataclass(frozen=True)
class Reference:
    """A canonical column holding another point's ERP key, resolved to its Procore id via the ledger.

    A record whose reference is not synced (rejected, failed, blocked or missing) is not sent: it is
    recorded as ``blocked`` naming the missing reference, and goes out on the first run after the
    reference is fixed.
    """

    column: str
    point: str
    field: str
    in_route: bool = False
    optional: bool = False


@dataclass(frozen=True)
class SyncLoad:
    """Load through a Procore sync action (batch create-or-update keyed by origin_id).

    ``path`` may hold route keys (``{project_id}``, ``{contract_path}``, ...); ``body_scope`` and
    ``query_scope`` name the route keys sent in the body or the query string (``company_id`` is always
    available). Calls are split by every route key the path or scope uses. Responses are matched to
    items by origin_id, else id, else (for points without origin_id) in order.
    """

    path: str
    items_key: str = "updates"
    method: str = "PATCH"
    body_scope: tuple[str, ...] = ()
    query_scope: tuple[str, ...] = ()
    delete_path: str | None = None

    kind = "sync"


@dataclass(frozen=True)
class CreateUpdateLoad:
    """Load where Procore has no sync action: POST to create, PATCH ``/{id}`` to update.

    Creates are idempotent through the ledger and, when the ledger is unsure (an earlier create may
    have been applied without an answer), a lookup by ``filters[origin_id]`` on ``list_path`` first.
    """

    create_path: str
    update_path: str
    list_path: str
    wrapper: str
    body_scope: tuple[str, ...] = ()
    query_scope: tuple[str, ...] = ()
    list_scope: tuple[str, ...] = ()
    delete_path: str | None = None

    kind = "create_update"


Load = SyncLoad | CreateUpdateLoad


@dataclass(frozen=True)
class IntegrationPoint:
    """One ERP → Procore integration point (a Singer-style stream declaration)."""

    name: str
    kind: str
    tier: int
    title: str
    scope: Literal["company", "project"]
    sql_file: str
    canonical_columns: tuple[str, ...]
    payload_model: type[BaseModel]
    mapping: Mapping
    load: Load
    procore_endpoints: tuple[str, ...]
    depends_on: tuple[str, ...] = ()
    references: tuple[Reference, ...] = ()
    key_column: str = "erp_key"
    erp_key_label: str = "erp_key"
    scope_column: str | None = None
    has_origin_id: bool = True
    locks: str = "nothing"
    locked_hint: str = ""
    procore_web_path: str = ""

    def __post_init__(self) -> None:
        if self.scope == "project" and not self.scope_column:
            raise ValueError(f"{self.name}: project-scoped points name their scope_column")


VENDORS = IntegrationPoint(
    name="vendors",
    kind="vendor",
    tier=1,
    title="Vendors",
    scope="company",
    sql_file="vendors.sql",
    canonical_columns=(
        "erp_key", "vendor_number", "name", "trade_name", "address", "city", "state_code", "zip",
        "country_code", "business_phone", "email_address", "status", "updated_at",
    ),
    payload_model=VendorPayload,
    mapping=mappings.map_vendors,
    load=SyncLoad(path="/rest/v1.0/vendors/sync", body_scope=("company_id",)),
    procore_endpoints=("PATCH /rest/v1.0/vendors/sync",),
    erp_key_label="vendor_no",
    procore_web_path="/{company_id}/company/vendors/{procore_id}",
)

PROJECTS = IntegrationPoint(
    name="projects",
    kind="project",
    tier=1,
    title="Projects",
    scope="company",
    sql_file="projects.sql",
    canonical_columns=(
        "erp_key", "job_number", "name", "description", "address", "city", "state_code", "zip",
        "country_code", "start_date", "completion_date", "total_value", "status", "updated_at",
    ),
    payload_model=ProjectPayload,
    mapping=mappings.map_projects,
    load=SyncLoad(path="/rest/v1.0/projects/sync", body_scope=("company_id",)),
    procore_endpoints=("PATCH /rest/v1.0/projects/sync",),
    erp_key_label="job_no",
    procore_web_path="/{procore_id}/project/home",
)

POINTS: dict[str, IntegrationPoint] = {p.name: p for p in (VENDORS, PROJECTS)}


def _check_declarations(points: dict[str, IntegrationPoint]) -> None:
    """Every reference and dependency names a declared point of an earlier or equal tier."""
    for point in points.values():
        for name in (*point.depends_on, *(r.point for r in point.references)):
            if name not in points:
                raise ValueError(f"{point.name} depends on undeclared point {name!r}")
            if points[name].tier > point.tier:
                raise ValueError(f"{point.name} (tier {point.tier}) depends on {name} of a later tier")
        for ref in point.references:
            if ref.point not in point.depends_on:
                raise ValueError(f"{point.name}: reference to {ref.point} must also be in depends_on")


_check_declarations(POINTS)


def get_point(name: str) -> IntegrationPoint:
    try:
        return POINTS[name]
    except KeyError:
        raise KeyError(f"unknown integration point {name!r}; declared: {', '.join(POINTS)}") from None


def in_dependency_order() -> list[IntegrationPoint]:
    """Points sorted by tier then name; dependencies always come first."""
    return sorted(POINTS.values(), key=lambda p: (p.tier, p.name))
