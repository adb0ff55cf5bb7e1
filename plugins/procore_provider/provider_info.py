"""Provider metadata that registers the ``procore`` connection type with Airflow.

Airflow 3.3.2 builds the connection form from ``conn-fields`` / ``ui-field-behaviour`` declared here
(it does not import the hook for that), so every extra the hook reads is declared as a form field.
This module is loaded while Airflow reads its configuration: it must not import Airflow or the hook.
"""

from __future__ import annotations

from typing import Any

#: Environment name → (login host, API host); the hook imports this so the two never disagree.
ENVIRONMENT_HOSTS: dict[str, tuple[str, str]] = {
    "production": ("https://login.procore.com", "https://api.procore.com"),
    "sandbox": ("https://login-sandbox.procore.com", "https://sandbox.procore.com"),
    "monthly_sandbox": ("https://login-sandbox-monthly.procore.com", "https://api-monthly.procore.com"),
}


def get_provider_info() -> dict[str, Any]:
    """Return the provider-info dict read by Airflow's ``ProvidersManager`` (``apache_airflow_provider``)."""
    return {
        # Must equal the distribution name, or provider discovery raises.
        "package-name": "procore-erp-sync",
        "name": "Procore",
        "description": "Procore REST API hook and connection type for the procore-erp-sync pipeline.",
        "hooks": [
            {"integration-name": "Procore", "python-modules": ["procore_provider.hooks"]},
        ],
        "connection-types": [
            {
                "connection-type": "procore",
                "hook-class-name": "procore_provider.hooks.ProcoreHook",
                "hook-name": "Procore",
                "conn-fields": _connection_fields(),
                "ui-field-behaviour": _ui_field_behaviour(),
            }
        ],
    }


def _connection_fields() -> dict[str, Any]:
    """One form field per extra the hook reads (``conn-fields``), with the JSON schema the UI validates."""
    return {
        "company_id": {
            "label": "Company ID",
            "description": "Procore company id (sent as Procore-Company-Id on every call).",
            "schema": {"type": "integer", "minimum": 1},
        },
        "environment": {
            "label": "Environment",
            "description": "Which Procore hosts to use; API host / login host below override it.",
            "schema": {
                "type": ["string", "null"],
                "enum": list(ENVIRONMENT_HOSTS),
                "default": "production",
            },
        },
        "api_host": {
            "label": "API host",
            "description": "Overrides the environment's API host, e.g. http://127.0.0.1:8765 "
            "for the sandbox emulator.",
            "schema": {"type": ["string", "null"]},
        },
        "login_host": {
            "label": "Login host",
            "description": "Overrides the environment's login (OAuth token) host.",
            "schema": {"type": ["string", "null"]},
        },
        "per_page": {
            "label": "Page size",
            "description": "Records per page for list calls (Procore recommends at most 2,000).",
            "schema": {
                "type": ["integer", "null"],
                "minimum": 1,
                "maximum": 2000,
                "default": 1000,
            },
        },
        "max_wait_seconds": {
            "label": "Max retry wait (s)",
            "description": "Total time one request may spend waiting on 429/5xx/connection "
            "errors before it gives up.",
            "schema": {"type": ["number", "null"], "minimum": 0, "default": 300},
        },
        "rate_limit_dir": {
            "label": "Rate-limit state directory",
            "description": "Directory holding the pacing budget shared by all tasks on this "
            "worker (default: procore_ratelimit under the temp dir).",
            "schema": {"type": ["string", "null"]},
        },
    }


def _ui_field_behaviour() -> dict[str, Any]:
    """Standard connection fields: host, port, schema and raw extra hidden; login and password relabelled."""
    return {
        "hidden-fields": ["host", "port", "schema", "extra"],
        "relabeling": {"login": "Client ID", "password": "Client Secret"},
        "placeholders": {
            "login": "OAuth client id of the service account",
            "password": "OAuth client secret",
        },
    }
