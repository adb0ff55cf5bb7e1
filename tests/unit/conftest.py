"""A recording stand-in for the Procore hook, for load tests that need no emulator."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pytest


@dataclass
class Outcome:
    """One sync item's result, shaped like the hook's ``SyncOutcome``."""

    index: int
    entity: dict[str, Any] | None
    ok: bool = True
    errors: Any = None
    transport_error: str | None = None


@dataclass
class RecordingHook:
    """Accepts every call and records it; sync items get ids from 1000 on."""

    company_id: int = 4321
    calls: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)

    def sync(self, path: str, items: list[dict[str, Any]], **kwargs: Any) -> list[Outcome]:
        self.calls.append(("SYNC", path, {"items": items, **kwargs}))
        return [Outcome(index=i, entity={**item, "id": 1000 + i}) for i, item in enumerate(items)]

    def request(self, method: str, path: str, **kwargs: Any) -> Any:
        self.calls.append((method, path, kwargs))

        class Response:
            content = b""

            @staticmethod
            def json() -> dict[str, Any]:
                return {}

        return Response()

    def paginate(self, path: str, params: Mapping[str, Any] | None = None, **kwargs: Any) -> Iterable[dict]:
        self.calls.append(("GET", path, {"params": params}))
        return []


@pytest.fixture
def hook() -> RecordingHook:
    return RecordingHook()
