"""Hook behaviour the emulator cannot provoke: pagination without a Link header."""

from __future__ import annotations

import json
from typing import Any

import pytest
import requests
from procore_provider import ProcoreHook


def _response(status: int, body: Any, headers: dict[str, str] | None = None) -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response._content = json.dumps(body).encode()
    response.headers.update(headers or {})
    return response


@pytest.mark.parametrize(
    ("pages", "headers", "expected_calls"),
    [
        ([[1, 2], [3, 4], [5]], lambda n: {"Total": "5"}, 3),  # Total, no Link
        ([[1, 2], [3, 4], [5]], lambda n: {}, 3),  # neither: a short page ends it
        ([[1, 2], [3, 4], []], lambda n: {}, 3),  # ... or an empty one
        ([[1, 2], [3]], lambda n: {"Per-Page": "2"}, 2),  # server clamped per_page to 2
    ],
)
def test_paginate_without_link_header(monkeypatch, pages, headers, expected_calls):
    calls: list[dict] = []

    def fake_request(self: ProcoreHook, method: str, path: str, **kwargs: Any) -> requests.Response:
        calls.append(kwargs["params"])
        page = kwargs["params"]["page"]
        return _response(200, [{"id": i} for i in pages[page - 1]], headers(page))

    monkeypatch.setattr(ProcoreHook, "request", fake_request)
    per_page = 5 if pages[1] == [3] else 2
    records = list(ProcoreHook().paginate("/x", {"a": 1}, per_page=per_page))
    assert [r["id"] for r in records] == [i for page in pages for i in page]
    assert len(calls) == expected_calls
    assert calls[0] == {"a": 1, "page": 1, "per_page": per_page}
