"""Tier 1: the company directory and its projects, which everything else references."""

from __future__ import annotations

from erp_sync import mappings
from erp_sync.declarations.model import FieldsPatch, IntegrationPoint, Reference, SyncLoad
from erp_sync.payloads import ProjectPayload, VendorPayload

VENDORS = IntegrationPoint(
    name="vendors",
    kind="vendor",
    tier=1,
    title="Vendors",
    scope="company",
    canonical_columns=(
        "erp_key",
        "vendor_number",
        "name",
        "trade_name",
        "address",
        "city",
        "state_code",
        "zip",
        "country_code",
        "business_phone",
        "email_address",
        "status",
        "updated_at",
    ),
    payload_model=VendorPayload,
    mapping=mappings.map_vendors,
    load=SyncLoad(path="/rest/v1.0/vendors/sync", body_scope=("company_id",)),
    erp_key_label="vendor_no",
)

# Owners (clients) of prime contracts: directory companies like vendors, under an origin_id kind of
# their own (<source>:customer:<no>), so a customer never takes or overwrites a vendor's record.
CUSTOMERS = IntegrationPoint(
    name="customers",
    kind="customer",
    tier=1,
    title="Customers (owners)",
    scope="company",
    canonical_columns=(
        "erp_key",
        "customer_number",
        "name",
        "address",
        "city",
        "state_code",
        "zip",
        "country_code",
        "business_phone",
        "email_address",
        "status",
        "updated_at",
    ),
    payload_model=VendorPayload,
    mapping=mappings.map_customers,
    load=SyncLoad(path="/rest/v1.0/vendors/sync", body_scope=("company_id",)),
    erp_key_label="customer_no",
)

PROJECTS = IntegrationPoint(
    name="projects",
    kind="project",
    tier=1,
    title="Projects",
    scope="company",
    canonical_columns=(
        "erp_key",
        "job_number",
        "name",
        "description",
        "address",
        "city",
        "state_code",
        "zip",
        "country_code",
        "start_date",
        "completion_date",
        "total_value",
        "status",
        "updated_at",
    ),
    payload_model=ProjectPayload,
    mapping=mappings.map_projects,
    # The sync items have no origin_code (the single update has): it follows by PATCH where it differs.
    load=SyncLoad(
        path="/rest/v1.0/projects/sync",
        body_scope=("company_id",),
        then_patch=FieldsPatch(
            path="/rest/v1.0/projects/{id}",
            wrapper="project",
            fields=("origin_code",),
            body_scope=("company_id",),
        ),
    ),
    erp_key_label="job_no",
)

# Every project-scoped point addresses its calls to the project of its ERP job.
PROJECT_REF = Reference(key="{job_number}", point="projects", field="project_id", in_route=True)

POINTS = (VENDORS, CUSTOMERS, PROJECTS)
