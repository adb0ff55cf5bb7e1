"""Procore provider for procore-erp-sync: the ``procore`` connection type, ProcoreHook and the plugin.

Exports are resolved lazily: Airflow imports ``procore_provider.provider_info`` while it is still
reading its own configuration, so importing this package must not import Airflow (via the hook).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from procore_provider.hooks import ProcoreAPIError, ProcoreHook, ProcoreRetryExhausted, SyncOutcome

__all__ = ["ProcoreAPIError", "ProcoreHook", "ProcoreRetryExhausted", "SyncOutcome"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from procore_provider import hooks

        return getattr(hooks, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
