"""The emulator's resource declarations agree with Procore's OpenAPI extracts.

Reads ``../shared/procore-spec/`` beside the repository (or ``$PROCORE_SPEC_DIR``). A clone without it
skips, saying why; CI and developer machines have it.

Every place where the emulator deliberately differs from an extract is listed in the tables below
with the reason, so a difference that is not listed fails.
"""

from __future__ import annotations

import json
import os
import re
import warnings
from pathlib import Path
from typing import Any

import pytest
from procore_emulator import RESOURCES, Kind, Op, create_app

from .conftest import Api, emulator_config
from .world import build_world, ok

SPEC_DIR = Path(
    os.environ.get("PROCORE_SPEC_DIR", Path(__file__).resolve().parents[2].parent / "shared" / "procore-spec")
)


def _ops(prefix: str, *, sync: str | None = None, delete: bool = False, **extra: str) -> dict[str, str]:
    ops = {
        "list": f"{prefix}Get",
        "show": f"{prefix}IdGet",
        "create": f"{prefix}Post",
        "update": f"{prefix}IdPatch",
    }
    if sync:
        ops["sync"] = sync
    if delete:
        ops["delete"] = f"{prefix}IdDelete"
    ops.update(extra)
    return ops


OPERATIONS: dict[str, dict[str, str]] = {
    "vendors": _ops("RestV10Vendors", sync="RestV10VendorsSyncPatch"),
    "projects": _ops("RestV10Projects", sync="RestV10ProjectsSyncPatch"),
    "cost_codes": _ops("RestV10CostCodes", sync="RestV10CostCodesSyncPatch"),
    "line_item_types": _ops("RestV10LineItemTypes", sync="RestV10LineItemTypesSyncPatch"),
    "budget_line_items": {
        "show": "RestV10BudgetLineItemsIdGet",
        "create": "RestV10BudgetLineItemsPost",
        "update": "RestV10BudgetLineItemsIdPatch",
        "sync": "RestV10BudgetLineItemsSyncPost",
    },
    "direct_costs": _ops(
        "RestV10ProjectsProjectIdDirectCosts",
        sync="RestV10ProjectsProjectIdDirectCostsSyncPatch",
        delete=True,
    ),
    "direct_cost_line_items": _ops(
        "RestV10ProjectsProjectIdDirectCostsDirectCostIdLineItems",
        sync="RestV10ProjectsProjectIdDirectCostsLineItemsSyncPatch",
        delete=True,
    ),
    "work_order_contracts": _ops(
        "RestV10WorkOrderContracts", sync="RestV10WorkOrderContractsSyncPatch", delete=True
    ),
    "purchase_order_contracts": _ops(
        "RestV10PurchaseOrderContracts", sync="RestV10PurchaseOrderContractsSyncPatch", delete=True
    ),
    "work_order_contract_line_items": _ops(
        "RestV10WorkOrderContractsWorkOrderContractIdLineItems",
        sync="RestV10WorkOrderContractsWorkOrderContractIdLineItemsSyncPatch",
        delete=True,
    ),
    "purchase_order_contract_line_items": _ops(
        "RestV10PurchaseOrderContractsPurchaseOrderContractIdLineItems",
        sync="RestV10PurchaseOrderContractsPurchaseOrderContractIdLineItemsSyncPatch",
        delete=True,
    ),
    "change_order_packages": _ops("RestV10ChangeOrderPackages"),
    "commitment_change_orders": _ops("RestV10ProjectsProjectIdCommitmentChangeOrders", delete=True),
    "requisitions": _ops("RestV11Requisitions", delete=True),
    "contract_payments": _ops("RestV10ContractPayments", delete=True),
    "prime_contracts": {
        "list": "RestV10PrimeContractsGet",
        "show": "RestV10PrimeContractIdGet",
        "create": "RestV10PrimeContractPost",
        "update": "RestV10PrimeContractIdPatch",
        "delete": "RestV10PrimeContractIdDelete",
    },
    "prime_contract_line_items": _ops(
        "RestV10PrimeContractsPrimeContractIdLineItems",
        sync="RestV10PrimeContractsPrimeContractIdLineItemsSyncPatch",
        delete=True,
    ),
}
"""Resource → operation → the extract it is served from (the operation ids of ``INDEX.txt``)."""

EXTRA_ROUTES = (
    "RestV10CommitmentsGet",
    "RestV10PrimeContractGet",
    "RestV11ProjectsProjectIdDirectCostsGet",
    "RestV11ProjectsProjectIdDirectCostsPost",
    "RestV11ProjectsProjectIdDirectCostsIdGet",
    "RestV11ProjectsProjectIdDirectCostsIdPatch",
    "RestV11ProjectsProjectIdDirectCostsIdDelete",
)
"""Operations served by the hand-written routes of ``routes/extra.py`` and ``routes/direct_costs_v11.py``."""

EMULATOR_ADDITIONS = {
    ("budget_line_items", "list"): "the v1.0 extracts document no budget list; served for tests"
}
NOT_MODELLED = {"custom_field_%{custom_field_definition_id}"}
EXTRA_FIELDS = {
    ("commitment_change_orders", "line_items"): "the v1.0 extract collapses the change order; lines are read "
    "as commitment_line_item_id + amount (Procore v2.0's names)",
}
STRICTER_REQUIRED = {
    "line_item_types": {"name", "csv_import_code"},
    "contract_payments": {"amount"},
}
"""Attributes the emulator requires on create where the extract requires none."""
ENUM_DEVIATIONS = {
    ("line_item_types", "base_type"): "create/update also list 'labor'; sync and procore-api.md do not",
    ("direct_costs", "direct_cost_type"): "the v1.0 description says subcontractor_invoice is also allowed",
    (
        "commitment_change_orders",
        "status",
    ): "free string in the request; values from the list's filters[status]",
}
PSEUDO_ENUMS = {"Any value present in the Company list of Units of Measure"}
KIND_OF = {
    Kind.STRING: ("string",),
    Kind.INTEGER: ("integer",),
    Kind.NUMBER: ("number",),
    Kind.BOOLEAN: ("boolean",),
    Kind.DATE: ("string",),
    Kind.INTEGER_LIST: ("array",),
    Kind.OBJECT: ("object",),
    Kind.FREE_OBJECT: ("object",),
    Kind.DECIMAL_STRING: ("string",),
    Kind.STRING_LIST: ("array",),
    Kind.OBJECT_LIST: ("array",),
}
SHOW_KEY_EXTRAS: dict[str, set[str] | None] = {
    "commitment_change_orders": None,  # the extracts' response schemas are empty: nothing to compare
    "vendors": None,
    # projects predate this check: writable attributes the extract's Show schema happens to omit
    "projects": {"estimated_budget", "fax", "office_id", "priority", "program_id", "project_type_id"},
}
"""Keys Show renders beyond the extract's response schema (None: the schema is unknown)."""


def _load(name: str) -> dict[str, Any]:
    if not SPEC_DIR.is_dir():
        pytest.skip(
            f"Procore spec extracts not found at {SPEC_DIR} (set PROCORE_SPEC_DIR to check conformance)"
        )
    return json.loads((SPEC_DIR / "operations" / f"{name}.json").read_text())


def _item_schema(resource: str, op: dict[str, Any]) -> dict[str, Any] | None:
    body = op["requestBody"]["schema"]
    spec = RESOURCES[resource]
    for key, prop in body["properties"].items():
        if key == spec.wrapper_key and prop.get("type") == "object":
            return prop
        if key == spec.sync_items_key and prop.get("type") == "array":
            return prop["items"] if prop["items"].get("properties") else None
    raise AssertionError(f"no item schema in {op['operationId']}")


def _norm(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "{}", path)


def _served(resource: str, op: str) -> tuple[str, str]:
    spec = RESOURCES[resource]
    return {
        "list": ("GET", spec.resolved_list_path),
        "show": ("GET", f"{spec.path}/{{id}}"),
        "create": ("POST", spec.path),
        "update": ("PATCH", f"{spec.path}/{{id}}"),
        "delete": ("DELETE", f"{spec.path}/{{id}}"),
        "sync": (spec.sync_method, spec.resolved_sync_path),
    }[op]


def test_every_resource_is_checked() -> None:
    assert set(OPERATIONS) == set(RESOURCES)


@pytest.mark.parametrize("resource", sorted(OPERATIONS))
def test_operations_are_served_where_the_spec_says(resource: str) -> None:
    spec = RESOURCES[resource]
    declared = {op.value for op in spec.operations} - {op for (r, op) in EMULATOR_ADDITIONS if r == resource}
    assert declared == set(OPERATIONS[resource]), "served operations differ from the documented ones"
    for op_name, operation_id in OPERATIONS[resource].items():
        op = _load(operation_id)
        method, path = _served(resource, op_name)
        assert (op["method"], _norm(op["path"])) == (method, _norm(path)), op_name


def test_hand_written_routes_exist() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        app = create_app(emulator_config())
    routes = {(m, _norm(r.path)) for r in app.routes for m in getattr(r, "methods", ())}
    for operation_id in EXTRA_ROUTES:
        op = _load(operation_id)
        assert (op["method"], _norm(op["path"])) in routes, operation_id


@pytest.mark.parametrize("resource", sorted(OPERATIONS))
def test_fields_are_the_union_of_the_request_schemas(resource: str) -> None:
    spec = RESOURCES[resource]
    union: dict[str, dict[str, Any]] = {}
    enums: dict[str, list[set[Any]]] = {}
    for op_name in ("create", "update", "sync"):
        if op_name not in OPERATIONS[resource]:
            continue
        schema = _item_schema(resource, _load(OPERATIONS[resource][op_name]))
        for name, prop in (schema or {}).get("properties", {}).items():
            union.setdefault(name, prop)
            if "enum" in prop and not set(prop["enum"]) <= PSEUDO_ENUMS:
                enums.setdefault(name, []).append(set(prop["enum"]) - {None})
    union.pop("id", None)
    item_scope = {p.name for p in spec.scope if any("item" in w for w in p.where.values())}
    declared = set(spec.field_map) | item_scope
    extras = {name for (r, name) in EXTRA_FIELDS if r == resource}
    assert sorted(declared - set(union) - extras) == [], "declared fields Procore does not know"
    assert sorted(set(union) - declared - NOT_MODELLED) == [], "Procore fields the emulator rejects"
    for name, field in spec.field_map.items():
        if name in extras:
            continue
        prop = union[name]
        assert prop.get("type") in KIND_OF[field.kind], name
        if prop.get("format") == "date":
            assert field.kind == Kind.DATE, name
        documented = set.union(*enums[name]) if name in enums else None
        deviation = (resource, name) in ENUM_DEVIATIONS
        if field.enum is None:
            assert documented is None, f"{name}: Procore documents an enum"
        elif not deviation:
            assert documented is not None and set(field.enum) - {None} == documented, name
    for (r, name), _reason in ENUM_DEVIATIONS.items():
        if r == resource:
            assert spec.field_map[name].enum is not None


def test_documented_enum_deviations() -> None:
    types = set(RESOURCES["line_item_types"].field_map["base_type"].enum)
    per_op = [
        set(
            _item_schema("line_item_types", _load(OPERATIONS["line_item_types"][o]))["properties"][
                "base_type"
            ]["enum"]
        )
        for o in ("create", "update", "sync")
    ]
    assert types == set.intersection(*per_op)
    kinds = set(RESOURCES["direct_costs"].field_map["direct_cost_type"].enum)
    create = _item_schema("direct_costs", _load(OPERATIONS["direct_costs"]["create"]))
    assert kinds == set(create["properties"]["direct_cost_type"]["enum"]) | {"subcontractor_invoice"}
    assert "subcontractor_invoice" in _load(OPERATIONS["direct_costs"]["create"])["description"]
    statuses = set(RESOURCES["commitment_change_orders"].field_map["status"].enum)
    params = {p["name"]: p for p in _load(OPERATIONS["commitment_change_orders"]["list"])["parameters"]}
    assert statuses == set(params["filters[status]"]["schema"]["enum"])


@pytest.mark.parametrize("resource", sorted(OPERATIONS))
def test_required_fields_match(resource: str) -> None:
    spec = RESOURCES[resource]
    ops = OPERATIONS[resource]
    create = _load(ops["create"])
    create_required = set(_item_schema(resource, create).get("required") or [])
    assert {f.name for f in spec.fields if f.required} == create_required | STRICTER_REQUIRED.get(
        resource, set()
    )
    update_schema = _item_schema(resource, _load(ops["update"]))
    assert set(spec.update_required) == set(update_schema.get("required") or [])
    if "sync" in ops:
        sync_schema = _item_schema(resource, _load(ops["sync"])) or {}
        assert set(sync_schema.get("required") or []) == set(), "sync items are partial"
    wrapper_required = spec.wrapper_key in (create["requestBody"]["schema"].get("required") or [])
    assert spec.wrapper_required == wrapper_required


@pytest.mark.parametrize("resource", sorted(OPERATIONS))
def test_scope_parameters_travel_where_the_spec_says(resource: str) -> None:
    spec = RESOURCES[resource]
    for op_name, operation_id in OPERATIONS[resource].items():
        op = _load(operation_id)
        params = {p["name"]: p for p in op.get("parameters", [])}
        body = (op.get("requestBody") or {}).get("schema") or {}
        body_props, body_required = body.get("properties", {}), set(body.get("required") or [])
        for param in spec.scope:
            where = tuple(w for w in param.where.get(Op(op_name), ()) if w != "item")
            documented = set()
            required = False
            if param.name in params:
                documented.add(params[param.name]["in"])
                required |= bool(params[param.name].get("required"))
            if param.name in body_props:
                documented.add("body")
                required |= param.name in body_required
            if param.name == "company_id" and not documented:
                assert not where, f"{op_name}: company_id is not a parameter here (the header applies)"
                continue
            assert set(where) == documented, f"{op_name}: {param.name} travels in {documented}"
            assert (Op(op_name) in param.optional) == (not required and bool(documented)), (
                f"{op_name}: {param.name} required={required}"
            )


@pytest.mark.parametrize("resource", sorted(OPERATIONS))
def test_filters_and_sorts_are_documented(resource: str) -> None:
    spec = RESOURCES[resource]
    if "list" not in OPERATIONS[resource]:
        return
    params = {p["name"]: p for p in _load(OPERATIONS[resource]["list"])["parameters"]}
    for flt in spec.filters:
        assert f"filters[{flt.name}]" in params or f"filters[{flt.name}][]" in params, flt.name
    if spec.sorts:
        assert set(spec.sorts) <= set(params["sort"]["schema"]["enum"])


def _response_keys(operation_id: str) -> set[str] | None:
    op = _load(operation_id)
    for status in ("200", "201"):
        schema = (op["responses"].get(status) or {}).get("schema") or {}
        if schema.get("type") == "array":
            schema = schema.get("items") or {}
        if schema.get("properties"):
            return set(schema["properties"])
    return None


def test_show_renders_only_documented_keys(api: Api, emu) -> None:
    """Builds one record of every resource and compares Show's keys with the extract's response."""
    world = build_world(api)
    wo = world.commitment()
    po = world.commitment(kind="purchase_order_contracts")
    world.sov("work_order_contracts", wo["id"], world.line(origin_id="s:1", amount="10"))
    world.sov("purchase_order_contracts", po["id"], world.line(origin_id="s:2", amount="10"))
    world.approve("work_order_contracts", wo["id"])
    dc = world.direct_cost()
    ok(
        api.post(
            f"/rest/v1.0/projects/{world.pid}/direct_costs/{dc['id']}/line_items", {"line_item": world.line()}
        ),
        201,
    )
    pid = world.pid
    ok(api.post("/rest/v1.0/budget_line_items", {"project_id": pid, "budget_line_item": world.line()}), 201)
    ok(
        api.post(
            "/rest/v1.0/change_order_packages",
            {"project_id": pid, "contract_id": wo["id"], "change_order": {}},
        ),
        201,
    )
    ok(
        api.post(
            f"/rest/v1.0/projects/{pid}/commitment_change_orders", {"change_order": {"contract_id": wo["id"]}}
        ),
        201,
    )
    ok(api.post("/rest/v1.1/requisitions", {"project_id": pid, "commitment_id": wo["id"]}), 201)
    ok(
        api.post(
            "/rest/v1.0/contract_payments",
            {"project_id": pid, "contract_id": wo["id"], "contract_payment": {"amount": "1"}},
        ),
        201,
    )
    pc = ok(api.post("/rest/v1.0/prime_contract", {"project_id": pid, "prime_contract": {}}), 201)
    ok(
        api.post(
            f"/rest/v1.0/prime_contracts/{pc['id']}/line_items?project_id={pid}",
            {"project_id": pid, "line_item": world.line()},
        ),
        201,
    )

    undocumented = {}
    for resource, ops in sorted(OPERATIONS.items()):
        (record, *_) = emu.state.records(resource)
        if SHOW_KEY_EXTRAS.get(resource, set()) is None:
            continue
        documented = _response_keys(ops["show"]) or _response_keys(ops["create"])
        assert documented is not None, resource
        extra = set(record) - documented - SHOW_KEY_EXTRAS.get(resource, set())
        if extra:
            undocumented[resource] = sorted(extra)
    assert undocumented == {}, "keys Show renders that Procore's Show does not"
