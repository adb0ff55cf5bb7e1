"""Procore provider for procore-erp-sync: the ``procore`` connection type, ProcoreHook and the plugin.

Exports are resolved lazily: Airflow imports ``procore_provider.provider_info`` while it is still
reading its own configuration, so importing this package must not import Airflow (via the hook). The
exception types and SyncOutcome come from light modules, so catching them never imports Airflow either.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from procore_provider.errors import ProcoreAPIError, ProcoreRetryExhausted
    from procore_provider.hooks import ProcoreHook
    from procore_provider.responses import SyncOutcome

__all__ = ["ProcoreAPIError", "ProcoreHook", "ProcoreRetryExhausted", "SyncOutcome"]


def __getattr__(name: str) -> Any:
    if name == "ProcoreHook":
        from procore_provider import hooks

        return hooks.ProcoreHook
    if name in ("ProcoreAPIError", "ProcoreRetryExhausted"):
        from procore_provider import errors

        return getattr(errors, name)
    if name == "SyncOutcome":
        from procore_provider import responses

        return responses.SyncOutcome
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
