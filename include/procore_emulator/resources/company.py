"""Company-level resources: vendors (the company directory) and projects.

Each writable field list is the union of the create, update and sync request schemas of the resource
(the extracts are lossy, so a field present in one of them is taken as known to all).
"""

from __future__ import annotations

import re
from typing import Any

from .. import filters
from ..fields import Errors, Field, Kind, add_error
from ..records import StoredRecord
from ..schema import ListFilter, RecordStore, ResourceSpec, ValidationContext
from .common import ALL_OPS, company_scope, name_field, origin_fields

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


_BIDDING_FLAGS = (
    "affirmative_action",
    "small_business",
    "african_american_business",
    "hispanic_business",
    "womens_business",
    "historically_underutilized_business",
    "sdvo_business",
    "certified_business_enterprise",
    "asian_american_business",
    "native_american_business",
    "disadvantaged_business",
    "minority_business_enterprise",
    "eight_a_business",
)


def _validate_vendor(ctx: ValidationContext) -> Errors:
    errors: Errors = {}
    email = ctx.changes.get("email_address")
    if email and not _EMAIL.match(email):
        add_error(errors, "email_address", "is invalid")
    parent_id = ctx.changes.get("parent_id")
    if parent_id is not None:
        if ctx.record_id is not None and parent_id == ctx.record_id:
            add_error(errors, "parent_id", "cannot be the vendor itself")
        else:
            parent = ctx.state.get("vendors", parent_id)
            if parent is None or parent.company_id != ctx.company_id:
                add_error(errors, "parent_id", f"vendor {parent_id} not found")
            elif parent.fields.get("parent_id") is not None:
                add_error(errors, "parent_id", "only two levels of vendor hierarchy are supported")
    return errors


VENDORS = ResourceSpec(
    name="vendors",
    singular="vendor",
    path="/rest/v1.0/vendors",
    scope=(company_scope(),),
    operations=ALL_OPS,
    update_required=("name",),
    fields=(
        name_field(),
        Field("abbreviated_name"),
        Field("trade_name"),
        Field("address"),
        Field("city"),
        Field("zip"),
        Field("state_code", code="subdivision"),
        Field("country_code", code="country"),
        Field("business_phone"),
        Field("mobile_phone"),
        Field("fax_number"),
        Field("email_address"),
        Field("website"),
        Field("is_active", Kind.BOOLEAN, default=True),
        Field("authorized_bidder", Kind.BOOLEAN, default=False),
        Field("prequalified", Kind.BOOLEAN, default=False),
        Field("union_member", Kind.BOOLEAN, default=False),
        Field("non_union_prevailing_wage", Kind.BOOLEAN, default=False),
        Field("labor_union"),
        Field("license_number"),
        Field("notes"),
        Field("vendor_group_id", Kind.INTEGER),
        Field("parent_id", Kind.INTEGER),
        Field("primary_contact_id", Kind.INTEGER),
        Field("trade_ids", Kind.INTEGER_LIST, default=[]),
        Field("bidding_distribution_ids", Kind.INTEGER_LIST, default=[]),
        Field("standard_cost_code_ids", Kind.INTEGER_LIST, default=[]),
        Field("bidding", Kind.OBJECT, fields=tuple(Field(n, Kind.BOOLEAN) for n in _BIDDING_FLAGS)),
        Field("business_register_attributes", Kind.FREE_OBJECT),
        Field("origin_custom_fields", Kind.FREE_OBJECT),
        *origin_fields(),
    ),
    filters=(
        filters.equals("origin_id"),
        filters.ids("id"),
        filters.ids("parent_id"),
        filters.contains("search", ("name", "notes", "origin_code")),
        filters.time_range("created_at"),
        filters.time_range("updated_at"),
    ),
    sorts={
        "name": lambda r: (r.fields.get("name") or "").casefold(),
        "main_office_name": lambda r: (r.fields.get("name") or "").casefold(),
        "project_and_bid_counts": lambda r: 0,
    },
    validate=_validate_vendor,
)

WORK_SCOPES = ("new_construction", "renovation_alteration", "maintenance_service", None)

DELIVERY_METHODS = (
    "construction_management_at_risk_cmar",
    "construction_manager_as_agent_owners_rep",
    "design_bid_build_dbb",
    "design_build_db",
    "indefinite_delivery_indefinite_quantity_idiq",
    "integrated_project_delivery",
    "multi_prime",
    "public_private_partnership_p3",
    "other",
    None,
)


def _validate_project(ctx: ValidationContext) -> Errors:
    errors: Errors = {}
    for name, bound in (("latitude", 90), ("longitude", 180)):
        value = ctx.changes.get(name)
        if value is not None and not -bound <= float(value) <= bound:
            add_error(errors, name, f"must be between -{bound} and {bound}")
    for start, end in (
        ("start_date", "completion_date"),
        ("warranty_start_date", "warranty_end_date"),
        ("estimated_start_date", "estimated_completion_date"),
    ):
        a, b = ctx.effective(start), ctx.effective(end)
        if a and b and b < a and (start in ctx.changes or end in ctx.changes):
            add_error(errors, end, f"must be on or after {start}")
    return errors


def _render_project(rec: StoredRecord, state: RecordStore) -> dict[str, Any]:
    number, name = rec.fields.get("project_number"), rec.fields.get("name")
    return {
        "display_name": f"{number} - {name}" if number else name,
        "is_demo": False,
        "template": False,
        "is_erp_integrated": bool(rec.fields.get("erp_integrated", False)),
        "company": {"id": rec.company_id, "name": state.companies.get(rec.company_id)},
    }


PROJECTS = ResourceSpec(
    name="projects",
    singular="project",
    path="/rest/v1.0/projects",
    scope=(company_scope(sync_from=("body", "query")),),
    operations=ALL_OPS,
    fields=(
        name_field(),
        Field("project_number"),
        Field("code"),
        Field("active", Kind.BOOLEAN, default=True),
        Field("description"),
        Field("address"),
        Field("city"),
        Field("county"),
        Field("zip"),
        Field("state_code", code="subdivision"),
        Field("country_code", code="country"),
        Field("phone"),
        Field("fax"),
        Field("time_zone"),
        Field("locale"),
        Field("latitude", Kind.NUMBER),
        Field("longitude", Kind.NUMBER),
        Field("start_date", Kind.DATE),
        Field("completion_date", Kind.DATE),
        Field("warranty_start_date", Kind.DATE),
        Field("warranty_end_date", Kind.DATE),
        Field("estimated_start_date", Kind.DATE),
        Field("estimated_completion_date", Kind.DATE),
        Field("total_value", Kind.NUMBER, render_as="string"),
        Field("estimated_value", Kind.NUMBER, render_as="string"),
        Field("estimated_budget", Kind.NUMBER),
        Field("square_feet", Kind.INTEGER),
        Field("flag", enum=("Red", "Yellow", "Green")),
        Field("priority", enum=("low", "medium", "high")),
        Field("work_scope", enum=WORK_SCOPES),
        Field("delivery_method", enum=DELIVERY_METHODS),
        Field("sector"),
        Field("public_notes"),
        Field("store_number"),
        Field("accounting_project_number"),
        Field("designated_market_area"),
        Field("erp_integrated", Kind.BOOLEAN, default=False, shown=False),
        Field("standard_cost_code_list_id", Kind.INTEGER),
        Field("image_id", Kind.INTEGER, shown=False),
        Field("office_id", Kind.INTEGER),
        Field("parent_job_id", Kind.INTEGER),
        Field("program_id", Kind.INTEGER),
        Field("project_stage_id", Kind.INTEGER),
        Field("project_bid_type_id", Kind.INTEGER),
        Field("project_type_id", Kind.INTEGER),
        Field("project_owner_type_id", Kind.INTEGER),
        Field("project_region_id", Kind.INTEGER),
        Field("project_sector_id", Kind.INTEGER),
        Field("project_template_id", Kind.INTEGER, shown=False),
        Field("department_ids", Kind.INTEGER_LIST, shown=False),
        Field("override_start_date", Kind.DATE, shown=False),
        Field("override_start_date_check", Kind.BOOLEAN, shown=False),
        Field("override_end_date", Kind.DATE, shown=False),
        Field("override_end_date_check", Kind.BOOLEAN, shown=False),
        Field("enable_copy_of_standard_cost_codes", Kind.BOOLEAN, shown=False),
        Field(
            "currency_configuration",
            Kind.OBJECT,
            shown=False,
            fields=(
                Field("currency_iso_code", required=True, code="currency"),
                Field("exchange_rate_override", Kind.NUMBER),
            ),
        ),
        *origin_fields(),
    ),
    filters=(
        filters.boolean_status("by_status", "active", default="Active"),
        filters.contains("name", ("name",)),
        filters.equals("origin_id"),
        filters.ids("id"),
        filters.time_range("created_at"),
        filters.time_range("updated_at"),
        ListFilter(
            "synced",
            lambda values: lambda rec: (rec.fields.get("origin_id") is not None) == (values[-1] == "true"),
        ),
    ),
    sorts={
        "name": lambda r: (r.fields.get("name") or "").casefold(),
        "display_name": lambda r: (
            r.fields.get("project_number") or "",
            (r.fields.get("name") or "").casefold(),
        ),
    },
    validate=_validate_project,
    render_extra=_render_project,
)

COMPANY_RESOURCES: tuple[ResourceSpec, ...] = (VENDORS, PROJECTS)
