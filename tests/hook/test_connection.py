"""How ProcoreHook reads a ``procore`` connection: hosts per environment, overrides, validation.

Connections come from ``AIRFLOW_CONN_*`` JSON env vars, as in production Airflow; no database needed.
"""

from __future__ import annotations

import json

import pytest
from procore_provider import ProcoreHook
from procore_provider.hooks import resolve_hosts

SECRET = "s3cret-value-never-shown"


def _set_conn(
    monkeypatch: pytest.MonkeyPatch, extra: dict, conn_id: str = "procore_default", **fields
) -> None:
    conn = {"conn_type": "procore", "login": "client-abc", "password": SECRET, "extra": extra, **fields}
    monkeypatch.setenv(f"AIRFLOW_CONN_{conn_id.upper()}", json.dumps(conn))


@pytest.mark.parametrize(
    ("environment", "login", "api"),
    [
        ("production", "https://login.procore.com", "https://api.procore.com"),
        ("sandbox", "https://login-sandbox.procore.com", "https://sandbox.procore.com"),
        ("monthly_sandbox", "https://login-sandbox-monthly.procore.com", "https://api-monthly.procore.com"),
        (None, "https://login.procore.com", "https://api.procore.com"),
    ],
)
def test_environment_selects_hosts(monkeypatch, environment, login, api):
    extra = {"company_id": 4321} | ({"environment": environment} if environment else {})
    _set_conn(monkeypatch, extra)
    hook = ProcoreHook()
    assert hook.api_base_url == api
    assert hook.login_base_url == login
    assert hook.company_id == 4321


def test_explicit_hosts_override_environment(monkeypatch):
    _set_conn(
        monkeypatch,
        {
            "company_id": "4321",
            "environment": "sandbox",
            "api_host": "http://127.0.0.1:9/",
            "login_host": "http://127.0.0.1:8",
        },
    )
    hook = ProcoreHook()
    assert hook.api_base_url == "http://127.0.0.1:9"
    assert hook.login_base_url == "http://127.0.0.1:8"
    assert hook.company_id == 4321  # strings from the UI are coerced


def test_one_host_override_keeps_the_other_from_environment():
    assert resolve_hosts("sandbox", api_host="sandbox-proxy.example") == (
        "https://login-sandbox.procore.com",
        "https://sandbox-proxy.example",
    )


def test_defaults_and_extras(monkeypatch, tmp_path):
    _set_conn(
        monkeypatch,
        {"company_id": 1, "per_page": 500, "max_wait_seconds": 42, "rate_limit_dir": str(tmp_path)},
    )
    hook = ProcoreHook()
    assert (hook.per_page, hook.max_wait_seconds) == (500, 42.0)
    assert hook.rate_budget.path.parent == tmp_path
    _set_conn(monkeypatch, {"company_id": 1})
    hook = ProcoreHook()
    assert (hook.per_page, hook.max_wait_seconds) == (1000, 300.0)


def test_legacy_prefixed_extras_are_read(monkeypatch):
    _set_conn(monkeypatch, {"extra__procore__company_id": 77, "extra__procore__environment": "sandbox"})
    hook = ProcoreHook()
    assert hook.company_id == 77
    assert hook.api_base_url == "https://sandbox.procore.com"


def test_hook_kwargs_override_extras(monkeypatch):
    _set_conn(
        monkeypatch, {"company_id": 1, "environment": "production", "per_page": 50}, conn_id="procore_other"
    )
    hook = ProcoreHook("procore_other", company_id=2, environment="sandbox", per_page=10, max_wait_seconds=5)
    assert (hook.company_id, hook.api_base_url, hook.per_page, hook.max_wait_seconds) == (
        2,
        "https://sandbox.procore.com",
        10,
        5.0,
    )


@pytest.mark.parametrize(
    ("extra", "fields", "message"),
    [
        ({}, {}, "'company_id' is required"),
        ({"company_id": "abc"}, {}, "'company_id' must be an integer"),
        ({"company_id": 1, "environment": "staging"}, {}, "'environment' must be one of"),
        ({"company_id": 1, "per_page": 5000}, {}, "'per_page' must be between"),
        ({"company_id": 1, "api_host": "ftp://x"}, {}, "'api_host' is not a valid"),
        ({"company_id": 1}, {"password": None}, "client secret"),
    ],
)
def test_invalid_connections_name_the_setting(monkeypatch, extra, fields, message):
    _set_conn(monkeypatch, extra, **fields)
    with pytest.raises(ValueError, match=message) as excinfo:
        _ = ProcoreHook().company_id
    assert SECRET not in str(excinfo.value)


def test_repr_and_settings_never_show_the_secret(monkeypatch):
    _set_conn(monkeypatch, {"company_id": 4321})
    hook = ProcoreHook()
    assert SECRET not in repr(hook)
    assert hook.company_id == 4321  # loads the connection
    assert "4321" in repr(hook)
    assert SECRET not in repr(hook)
    assert SECRET not in repr(hook._settings)
    assert SECRET not in repr(vars(hook))


def test_class_attributes_for_airflow():
    assert ProcoreHook.conn_name_attr == "procore_conn_id"
    assert ProcoreHook.default_conn_name == "procore_default"
    assert ProcoreHook.conn_type == "procore"
    assert ProcoreHook.hook_name == "Procore"
