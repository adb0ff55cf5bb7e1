"""The emulator's resource declarations agree with Procore's OpenAPI extracts.

Reads ``../shared/procore-spec/`` beside the repository (or ``$PROCORE_SPEC_DIR``). A clone without it
skips, saying why; CI and developer machines have it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from procore_emulator import RESOURCES, Kind, Op

SPEC_DIR = Path(
    os.environ.get("PROCORE_SPEC_DIR", Path(__file__).resolve().parents[2].parent / "shared" / "procore-spec")
)

OPERATIONS = {
    "vendors": {
        "list": "RestV10VendorsGet",
        "show": "RestV10VendorsIdGet",
        "create": "RestV10VendorsPost",
        "update": "RestV10VendorsIdPatch",
        "sync": "RestV10VendorsSyncPatch",
    },
    "projects": {
        "list": "RestV10ProjectsGet",
        "show": "RestV10ProjectsIdGet",
        "create": "RestV10ProjectsPost",
        "update": "RestV10ProjectsIdPatch",
        "sync": "RestV10ProjectsSyncPatch",
    },
}
NOT_MODELLED = {"custom_field_%{custom_field_definition_id}"}
KIND_OF = {
    Kind.STRING: ("string", None),
    Kind.INTEGER: ("integer", None),
    Kind.NUMBER: ("number", None),
    Kind.BOOLEAN: ("boolean", None),
    Kind.DATE: ("string", "date"),
    Kind.INTEGER_LIST: ("array", None),
    Kind.OBJECT: ("object", None),
    Kind.FREE_OBJECT: ("object", None),
}


def _load(name: str) -> dict[str, Any]:
    if not SPEC_DIR.is_dir():
        pytest.skip(
            f"Procore spec extracts not found at {SPEC_DIR} (set PROCORE_SPEC_DIR to check conformance)"
        )
    return json.loads((SPEC_DIR / "operations" / f"{name}.json").read_text())


def _item_schema(op: dict[str, Any]) -> dict[str, Any]:
    body = op["requestBody"]["schema"]
    for key, prop in body["properties"].items():
        if prop.get("type") == "object" and "properties" in prop:
            return prop
        if prop.get("type") == "array" and key == "updates":
            return prop["items"]
    raise AssertionError(f"no item schema in {op['operationId']}")


@pytest.mark.parametrize("resource", sorted(OPERATIONS))
def test_fields_are_the_union_of_the_request_schemas(resource: str) -> None:
    spec = RESOURCES[resource]
    union: dict[str, dict[str, Any]] = {}
    for op in ("create", "update", "sync"):
        for name, prop in _item_schema(_load(OPERATIONS[resource][op]))["properties"].items():
            union.setdefault(name, prop)
    union.pop("id", None)
    declared = spec.field_map
    assert sorted(set(declared) - set(union)) == [], "declared fields Procore does not know"
    assert sorted(set(union) - set(declared) - NOT_MODELLED) == [], "Procore fields the emulator rejects"
    for name, field in declared.items():
        prop = union[name]
        json_type, fmt = KIND_OF[field.kind]
        assert prop.get("type") == json_type, name
        if fmt:
            assert prop.get("format") == fmt, name
        if "enum" in prop:
            assert field.enum is not None and set(field.enum) - {None} == set(prop["enum"]) - {None}, name


@pytest.mark.parametrize("resource", sorted(OPERATIONS))
def test_required_fields_match(resource: str) -> None:
    spec = RESOURCES[resource]
    create_required = set(_item_schema(_load(OPERATIONS[resource]["create"])).get("required") or [])
    update_required = set(_item_schema(_load(OPERATIONS[resource]["update"])).get("required") or [])
    sync_required = set(_item_schema(_load(OPERATIONS[resource]["sync"])).get("required") or [])
    assert {f.name for f in spec.fields if f.required} == create_required
    assert set(spec.update_required) == update_required
    assert sync_required == set(), "sync items are partial; the emulator requires fields only on create"


@pytest.mark.parametrize("resource", sorted(OPERATIONS))
def test_scope_parameters_travel_where_the_spec_says(resource: str) -> None:
    spec = RESOURCES[resource]
    company = spec.scope_param("company_id")
    assert company is not None
    for op_name, op in (("list", Op.LIST), ("show", Op.SHOW)):
        params = {p["name"]: p for p in _load(OPERATIONS[resource][op_name])["parameters"]}
        assert params["company_id"]["in"] == "query" and params["company_id"]["required"]
        assert company.where[op] == ("query",)
    for op_name, op in (("create", Op.CREATE), ("update", Op.UPDATE), ("sync", Op.SYNC)):
        body = _load(OPERATIONS[resource][op_name])["requestBody"]["schema"]
        assert "company_id" in body["required"]
        assert "body" in company.where[op]


@pytest.mark.parametrize("resource", sorted(OPERATIONS))
def test_filters_and_sorts_are_documented(resource: str) -> None:
    spec = RESOURCES[resource]
    params = {p["name"]: p for p in _load(OPERATIONS[resource]["list"])["parameters"]}
    for flt in spec.filters:
        assert f"filters[{flt.name}]" in params or f"filters[{flt.name}][]" in params, flt.name
    assert set(spec.sorts) <= set(params["sort"]["schema"]["enum"])
