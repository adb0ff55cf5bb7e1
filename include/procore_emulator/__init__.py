"""Procore sandbox emulator: a stateful stand-in for Procore's REST API.

Serves OAuth client credentials, the company header, rate limits, pagination and filters, and the
resources procore-erp-sync writes (declared in ``resources/``), with Procore's validation and sync
semantics and injectable faults. Used by the demo, the test suite, the benchmarks and compose.
"""

from __future__ import annotations

from .app import create_app
from .config import EmulatorConfig, FaultConfig
from .fields import Field, Kind
from .records import StoredRecord
from .resources import RESOURCES
from .schema import Op, ResourceSpec, ScopeParam
from .server import RunningEmulator, run_emulator
from .state import EmulatorState, RequestLogEntry

__all__ = [
    "RESOURCES",
    "EmulatorConfig",
    "EmulatorState",
    "FaultConfig",
    "Field",
    "Kind",
    "Op",
    "RequestLogEntry",
    "ResourceSpec",
    "RunningEmulator",
    "ScopeParam",
    "StoredRecord",
    "create_app",
    "run_emulator",
]
