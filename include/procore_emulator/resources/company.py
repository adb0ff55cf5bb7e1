"""Company-level resources: vendors (the company directory) and projects.

A field's ``ops`` names the operations whose request schema lists it; the others refuse it (Procore
would drop it). Where the vendors sync extract collapses an array's elements or the bidding flags to
``(nested object)``, the emulator reads them as the single create/update types them (stricter where
the extract is silent).
"""

from __future__ import annotations

import re
from typing import Any

from .. import filters
from ..fields import Errors, Field, Kind, add_error, except_, only
from ..operations import PAGINATION, RUN_CONFIGURABLE_VALIDATIONS, OperationRules, QueryParam, view
from ..records import StoredRecord
from ..schema import ListFilter, Op, RecordStore, ResourceSpec, ValidationContext
from .common import ALL_OPS, company_scope, name_field, operation_ids, origin_fields

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


_VENDOR_VIEW = view("compact", "normal", "erp", "extended", "directory", "summary")

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
        Field(
            "business_register_attributes",
            Kind.OBJECT,
            fields=(Field("type"), Field("identifier")),  # values collapsed in the extract: strings
            ops=only(Op.SYNC),
        ),
        Field("origin_custom_fields", Kind.FREE_OBJECT, ops=only(Op.SYNC)),
        *origin_fields(),
    ),
    filters=(
        filters.equals("origin_id"),
        filters.ids("id"),
        filters.ids("parent_id"),
        filters.contains("search", ("name", "notes", "origin_code")),
        filters.time_range("created_at"),
        filters.time_range("updated_at"),
        filters.any_of_list("standard_cost_code_id", "standard_cost_code_ids"),
        filters.any_of_list("trade_id", "trade_ids"),
    ),
    operation_ids=operation_ids("RestV10Vendors", sync="RestV10VendorsSyncPatch"),
    query_params={
        Op.LIST: (_VENDOR_VIEW,),
        # the Show extract documents page and per_page too; accepted, one record is answered
        Op.SHOW: (_VENDOR_VIEW, QueryParam("page", Kind.INTEGER), QueryParam("per_page", Kind.INTEGER)),
        Op.CREATE: (_VENDOR_VIEW, RUN_CONFIGURABLE_VALIDATIONS),
        Op.UPDATE: (_VENDOR_VIEW, RUN_CONFIGURABLE_VALIDATIONS),
        Op.SYNC: (RUN_CONFIGURABLE_VALIDATIONS,),
    },
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


_PROJECT_FILTERS_BASE = (
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
    # the projects a vendor works on: commitments are not consulted, the filter is accepted only
    filters.accepted("vendor_id", "integer"),
    filters.accepted("custom_fields"),  # custom fields are not modelled
)

PROJECT_FILTERS = (*_PROJECT_FILTERS_BASE, filters.ids("from_project_template_id", "project_template_id"))

V11_PROJECT_FILTERS = (
    *_PROJECT_FILTERS_BASE,
    filters.equals("project_number"),
    filters.flag("is_demo"),
    filters.flag("template"),
    filters.ids("by_owner_type", "project_owner_type_id"),
    filters.accepted("by_department", "integer"),  # department_ids are write-only, not kept per project
    filters.ids("by_region", "project_region_id"),
    filters.ids("by_office", "office_id"),
    filters.ids("by_program", "program_id"),
    filters.ids("by_stage", "project_stage_id"),
    filters.ids("by_type", "project_type_id"),
    filters.ids("by_bid_type", "project_bid_type_id"),
)
"""``GET /rest/v1.1/projects``' filters: v1.0's less ``from_project_template_id``, plus more."""

PROJECTS = ResourceSpec(
    name="projects",
    singular="project",
    path="/rest/v1.0/projects",
    scope=(company_scope(sync_from=("body", "query")),),
    operations=ALL_OPS,
    fields=(
        name_field(),
        Field("project_number"),
        Field("code", ops=only(Op.CREATE)),
        Field("active", Kind.BOOLEAN, default=True),
        Field("description"),
        Field("address"),
        Field("city"),
        Field("county", ops=only(Op.UPDATE)),
        Field("zip"),
        Field("state_code", code="subdivision"),
        Field("country_code", code="country"),
        Field("phone"),
        Field("fax", ops=only(Op.UPDATE)),
        Field("time_zone"),
        Field("locale", ops=except_(Op.SYNC)),
        Field("latitude", Kind.NUMBER, ops=only(Op.CREATE)),
        Field("longitude", Kind.NUMBER, ops=only(Op.CREATE)),
        Field("start_date", Kind.DATE),
        Field("completion_date", Kind.DATE),
        Field("warranty_start_date", Kind.DATE),
        Field("warranty_end_date", Kind.DATE),
        Field("estimated_start_date", Kind.DATE),
        Field("estimated_completion_date", Kind.DATE),
        Field("total_value", Kind.NUMBER, render_as="string"),
        Field("estimated_value", Kind.NUMBER, render_as="string"),
        Field("estimated_budget", Kind.NUMBER, ops=except_(Op.UPDATE)),
        Field("square_feet", Kind.INTEGER),
        Field("flag", enum=("Red", "Yellow", "Green")),
        Field("priority", enum=("low", "medium", "high"), ops=except_(Op.UPDATE)),
        Field("work_scope", enum=WORK_SCOPES),
        Field("delivery_method", enum=DELIVERY_METHODS),
        Field("sector"),
        Field("public_notes"),
        Field("store_number"),
        Field("accounting_project_number"),
        Field("designated_market_area"),
        Field("erp_integrated", Kind.BOOLEAN, default=False, shown=False, ops=except_(Op.SYNC)),
        Field("standard_cost_code_list_id", Kind.INTEGER, ops=only(Op.UPDATE)),
        Field("image_id", Kind.INTEGER, shown=False),
        Field("office_id", Kind.INTEGER),
        Field("parent_job_id", Kind.INTEGER, ops=except_(Op.SYNC)),
        Field("program_id", Kind.INTEGER),
        Field("project_stage_id", Kind.INTEGER),
        Field("project_bid_type_id", Kind.INTEGER),
        Field("project_type_id", Kind.INTEGER),
        Field("project_owner_type_id", Kind.INTEGER),
        Field("project_region_id", Kind.INTEGER),
        Field("project_sector_id", Kind.INTEGER),
        Field("project_template_id", Kind.INTEGER, shown=False),
        Field("department_ids", Kind.INTEGER_LIST, shown=False),
        Field("override_start_date", Kind.DATE, shown=False, ops=only(Op.CREATE)),
        Field("override_start_date_check", Kind.BOOLEAN, shown=False, ops=only(Op.CREATE)),
        Field("override_end_date", Kind.DATE, shown=False, ops=only(Op.CREATE)),
        Field("override_end_date_check", Kind.BOOLEAN, shown=False, ops=only(Op.CREATE)),
        Field("enable_copy_of_standard_cost_codes", Kind.BOOLEAN, shown=False, ops=except_(Op.UPDATE)),
        Field(
            "currency_configuration",
            Kind.OBJECT,
            shown=False,
            ops=only(Op.CREATE),
            fields=(
                Field("currency_iso_code", required=True, code="currency"),
                Field("exchange_rate_override", Kind.NUMBER),
            ),
        ),
        Field("origin_id"),
        Field("origin_data"),
        Field("origin_code", ops=except_(Op.SYNC)),
    ),
    filters=PROJECT_FILTERS,
    operation_ids=operation_ids("RestV10Projects", sync="RestV10ProjectsSyncPatch"),
    query_params={
        Op.LIST: (QueryParam("serializer_view", enum=("compact",)),),
        Op.SHOW: (view("minimal"),),
        Op.CREATE: (RUN_CONFIGURABLE_VALIDATIONS,),
        Op.UPDATE: (RUN_CONFIGURABLE_VALIDATIONS,),
        Op.SYNC: (RUN_CONFIGURABLE_VALIDATIONS,),
    },
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

V11_PROJECTS_MAX_PER_PAGE = 300
"""v1.1 projects: "The default pagination is 100 projects per page. The max page size is 300"."""

V11_PROJECTS_LIST = OperationRules(
    operation_id="RestV11ProjectsGet",
    method="GET",
    path="/rest/v1.1/projects",
    op=Op.LIST,
    query=(
        QueryParam("company_id", Kind.INTEGER, required=True),
        *PAGINATION,
        *(QueryParam(f"filters[{f.name}]") for f in V11_PROJECT_FILTERS),
        view("ids", "compact", "normal", "extended"),
        QueryParam("sort", enum=("name", "display_name")),
    ),
)
"""Served by ``routes/extra.py`` over the projects declaration (active projects unless
``filters[by_status]`` says otherwise; ``view`` is accepted, the normal view is answered)."""

COMPANY_RESOURCES: tuple[ResourceSpec, ...] = (VENDORS, PROJECTS)
