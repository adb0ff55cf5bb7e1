"""What a stored record is and where a request operates: plain data every other module shares.

Kept free of imports from the package so that state, persistence, the declarations and the engine can
all depend on it without depending on one another.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass
class StoredRecord:
    """One record as stored: its placement (company, scope such as project_id) and attributes."""

    resource: str
    id: int
    company_id: int
    scope: dict[str, int]
    fields: dict[str, Any]
    created_at: float
    updated_at: float
    deleted_at: float | None = None


@dataclass(frozen=True)
class Placement:
    """Where a request operates: its company and any further scope (e.g. ``{"project_id": 1}``)."""

    company_id: int
    scope: Mapping[str, int]
