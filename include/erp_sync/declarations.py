"""The integration points, each declared once: the DAG, plan, docs table and reports derive from these.

Adding an integration point means adding a declaration here, its SQL file under ``include/sql/``, a
payload model and a mapping function; nothing else is copied.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

import pandas as pd
from pydantic import BaseModel

from erp_sync import mappings
from erp_sync.payloads import ProjectPayload, VendorPayload

Mapping = Callable[..., pd.DataFrame]


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
    list_path: str
    sync_path: str
    scope_in: Literal["body", "query", "path"] = "body"
    depends_on: tuple[str, ...] = ()
    key_column: str = "erp_key"
    erp_key_label: str = "erp_key"
    locks: str = "nothing"
    procore_web_path: str = ""
    extras: dict[str, str] = field(default_factory=dict)

    @property
    def endpoints(self) -> tuple[str, ...]:
        return (f"PATCH {self.sync_path}", f"GET {self.list_path}")


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
    list_path="/rest/v1.0/vendors",
    sync_path="/rest/v1.0/vendors/sync",
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
    list_path="/rest/v1.0/projects",
    sync_path="/rest/v1.0/projects/sync",
    erp_key_label="job_no",
    procore_web_path="/{procore_id}/project/home",
)

POINTS: dict[str, IntegrationPoint] = {p.name: p for p in (VENDORS, PROJECTS)}


def get_point(name: str) -> IntegrationPoint:
    try:
        return POINTS[name]
    except KeyError:
        raise KeyError(f"unknown integration point {name!r}; declared: {', '.join(POINTS)}") from None


def in_dependency_order() -> list[IntegrationPoint]:
    """Points sorted by tier then name; dependencies always come first."""
    return sorted(POINTS.values(), key=lambda p: (p.tier, p.name))
