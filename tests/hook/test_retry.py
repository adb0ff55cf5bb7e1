"""Retry hints the emulator cannot provoke: ``Retry-After`` forms and the 429 resume time."""

from __future__ import annotations

import json
from typing import Any

import pytest
import requests
from procore_provider.retry import resume_at, retry_after_seconds


def _response(status: int, body: Any, headers: dict[str, str] | None = None) -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response._content = json.dumps(body).encode()
    response.headers.update(headers or {})
    return response


def test_retry_after_forms():
    assert retry_after_seconds("3") == 3.0
    assert retry_after_seconds(None) is None
    assert retry_after_seconds("garbage") is None
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # in the past


def test_429_waits_for_the_later_of_reset_and_retry_after():
    import time

    now = time.time()
    early = _response(429, {}, {"X-Rate-Limit-Reset": str(int(now) + 30), "Retry-After": "2"})
    assert resume_at(early) == pytest.approx(int(now) + 30, abs=1)
    late = _response(429, {}, {"X-Rate-Limit-Reset": str(int(now) + 1), "Retry-After": "20"})
    assert resume_at(late) == pytest.approx(now + 20, abs=1)
    assert resume_at(_response(503, {}, {"X-Rate-Limit-Reset": str(int(now) + 30)})) is None
