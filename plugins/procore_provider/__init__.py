"""Procore provider for procore-erp-sync: the ``procore`` connection type, ProcoreHook and the plugin."""

from __future__ import annotations

from procore_provider.hooks import ProcoreAPIError, ProcoreHook, ProcoreRetryExhausted, SyncOutcome

__all__ = ["ProcoreAPIError", "ProcoreHook", "ProcoreRetryExhausted", "SyncOutcome"]
