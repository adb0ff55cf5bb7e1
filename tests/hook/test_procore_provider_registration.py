"""The ``procore`` connection type and the plugin as Airflow 3.3.2 discovers them (entry points).

The connection form calls ``GET /ui/connections/hook_meta`` → ``HookMetaService.hook_meta_data()``,
which reads provider-info ``conn-fields``/``ui-field-behaviour`` through ProvidersManager without
importing hooks; these tests go through that same path.
"""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from procore_provider.provider_info import ENVIRONMENT_HOSTS, get_provider_info

VENV_BIN = Path(sys.executable).parent


def test_provider_info_shape():
    info = get_provider_info()
    assert info["package-name"] == "procore-erp-sync"  # must equal the distribution name
    assert info["name"] and info["description"]
    (conn_type,) = info["connection-types"]
    assert conn_type["connection-type"] == "procore"
    assert conn_type["hook-class-name"] == "procore_provider.hooks.ProcoreHook"
    fields = conn_type["conn-fields"]
    assert set(fields) >= {"company_id", "environment", "api_host", "login_host", "max_wait_seconds"}
    assert fields["environment"]["schema"]["enum"] == ["production", "sandbox", "monthly_sandbox"]
    assert fields["company_id"]["schema"]["type"] == "integer"
    assert all(f.get("label") and f.get("description") for f in fields.values())


def test_provider_info_is_schema_valid():
    import jsonschema

    schema_path = Path(importlib.import_module("airflow").__file__).parent / "provider_info.schema.json"
    jsonschema.validate(get_provider_info(), json.loads(schema_path.read_text()))


def test_provider_info_module_does_not_import_airflow():
    # Airflow imports provider_info while initialising its own configuration.
    code = (
        "import sys, procore_provider.provider_info as p; p.get_provider_info(); "
        "print('airflow' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


@pytest.fixture(scope="module")
def providers_manager():
    from airflow.providers_manager import ProvidersManager

    return ProvidersManager()


def test_providers_manager_discovers_the_provider(providers_manager):
    assert "procore-erp-sync" in providers_manager.providers
    # 3.3.2 points callers at the task-sdk runtime manager, but the attribute still works
    with pytest.warns(Warning, match="ProvidersManager.hooks is deprecated"):
        assert providers_manager.hooks["procore"].hook_class_name == "procore_provider.hooks.ProcoreHook"


def test_task_runtime_resolves_the_hook():
    """Workers look hooks up through ProvidersManagerTaskRuntime (``Connection.get_hook``)."""
    from airflow.sdk.providers_manager_runtime import ProvidersManagerTaskRuntime

    hook_info = ProvidersManagerTaskRuntime().hooks["procore"]
    assert hook_info is not None
    assert hook_info.hook_class_name == "procore_provider.hooks.ProcoreHook"
    assert hook_info.connection_id_attribute_name == "procore_conn_id"
    assert hook_info.hook_name == "Procore"
    assert hook_info.connection_testable  # test_connection() is offered in the UI


def test_connection_form_widgets_are_labelled(providers_manager):
    widgets = {
        k: v for k, v in providers_manager.connection_form_widgets.items() if k.startswith("extra__procore__")
    }
    assert set(widgets) == {
        f"extra__procore__{name}"
        for name in (
            "company_id",
            "environment",
            "api_host",
            "login_host",
            "per_page",
            "max_wait_seconds",
            "rate_limit_dir",
        )
    }
    company = widgets["extra__procore__company_id"].field
    assert company["schema"]["title"] == "Company ID"
    assert company["schema"]["type"] == "integer"
    env = widgets["extra__procore__environment"].field
    assert env["schema"]["enum"] == list(ENVIRONMENT_HOSTS)
    assert env["value"] == "production"


def test_hook_meta_endpoint_payload():
    """What ``GET /ui/connections/hook_meta`` returns for the procore type (the route's whole body)."""
    from airflow.api_fastapi.core_api.services.ui.connections import HookMetaService

    (meta,) = [m for m in HookMetaService.hook_meta_data() if m.connection_type == "procore"]
    payload = meta.model_dump(mode="json")
    assert payload["hook_name"] == "Procore"
    assert payload["hook_class_name"] == "procore_provider.hooks.ProcoreHook"
    standard = payload["standard_fields"]
    assert standard["login"] == {
        "hidden": False,
        "title": "Client ID",
        "placeholder": standard["login"]["placeholder"],
    }
    assert standard["password"]["title"] == "Client Secret"
    assert standard["host"]["hidden"] and standard["port"]["hidden"] and standard["url_schema"]["hidden"]
    extra = payload["extra_fields"]
    assert extra["company_id"]["schema"]["title"] == "Company ID"
    assert extra["environment"]["schema"]["enum"] == ["production", "sandbox", "monthly_sandbox"]
    assert extra["api_host"]["schema"]["title"] == "API host"
    assert extra["login_host"]["description"]
    assert extra["max_wait_seconds"]["value"] == 300


_HOOK_META_ROUTE = """
import json
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from airflow.api_fastapi.app import create_app

app = create_app()
(route,) = [r for r in app.routes if isinstance(r, APIRoute) and r.path == "/ui/connections/hook_meta"]
for dep in route.dependencies:  # only the auth check is bypassed (it needs the metadata DB)
    app.dependency_overrides[dep.dependency] = lambda: None
response = TestClient(app).get("/ui/connections/hook_meta")
print("RESULT" + json.dumps({"status": response.status_code, "body": response.json()}))
"""


def test_hook_meta_http_route(tmp_path):
    """The real ``GET /ui/connections/hook_meta`` route of the 3.3.2 API server returns the procore form."""
    env = {**os.environ, "AIRFLOW_HOME": str(tmp_path)}  # create_app() writes files into AIRFLOW_HOME
    result = subprocess.run(
        [sys.executable, "-c", _HOOK_META_ROUTE], capture_output=True, text=True, timeout=120, env=env
    )
    line = next((ln for ln in result.stdout.splitlines() if ln.startswith("RESULT")), None)
    assert line, result.stderr[-3000:]
    data = json.loads(line[len("RESULT") :])
    assert data["status"] == 200
    (procore,) = [m for m in data["body"] if m["connection_type"] == "procore"]
    assert procore["hook_name"] == "Procore"
    assert procore["standard_fields"]["login"]["title"] == "Client ID"
    assert procore["standard_fields"]["password"]["title"] == "Client Secret"
    assert procore["standard_fields"]["host"]["hidden"] is True
    assert procore["extra_fields"]["company_id"]["schema"]["title"] == "Company ID"
    assert procore["extra_fields"]["environment"]["schema"]["enum"] == [
        "production",
        "sandbox",
        "monthly_sandbox",
    ]


def test_hook_class_resolves_from_registered_name():
    from airflow.sdk.bases.hook import BaseHook
    from procore_provider import ProcoreHook

    assert issubclass(ProcoreHook, BaseHook)


def test_plugin_imports_and_is_listed():
    from airflow.plugins_manager import AirflowPlugin
    from procore_provider.plugin import ProcorePlugin

    assert issubclass(ProcorePlugin, AirflowPlugin)
    assert ProcorePlugin.name == "procore"
    result = subprocess.run(
        [str(VENV_BIN / "airflow"), "plugins", "-o", "json"], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-2000:]
    names = {p["name"]: p for p in json.loads(result.stdout[result.stdout.index("[") :])}
    assert "procore" in names
    assert "procore_provider.plugin:ProcorePlugin" in names["procore"]["source"]


def test_package_exports():
    import procore_provider

    for name in ("ProcoreHook", "ProcoreAPIError", "ProcoreRetryExhausted", "SyncOutcome"):
        assert getattr(procore_provider, name).__name__ == name
    with pytest.raises(AttributeError):
        procore_provider.NoSuchThing  # noqa: B018
