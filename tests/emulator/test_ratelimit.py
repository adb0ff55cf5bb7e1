"""Rate-limit headers, 429s and the windows behind them."""

from __future__ import annotations

import time

import requests
from procore_emulator.ratelimit import RateLimiter

from .conftest import COMPANY_ID, Api


def test_every_api_response_carries_rate_limit_headers(api: Api) -> None:
    responses = [
        api.get("/rest/v1.0/me"),
        api.list("vendors"),
        api.get("/rest/v1.0/vendors/1", params={"company_id": COMPANY_ID}),
    ]
    for response in responses:
        assert all(
            h in response.headers
            for h in ("X-Rate-Limit-Limit", "X-Rate-Limit-Remaining", "X-Rate-Limit-Reset")
        )
        assert int(response.headers["X-Rate-Limit-Reset"]) >= int(time.time())


def test_spike_limit_gives_429_with_retry_after_then_recovers(emu, api: Api) -> None:
    emu.set_limits(spike_limit=5, spike_window_seconds=2)
    remaining = []
    for _ in range(5):
        response = api.get("/rest/v1.0/me")
        assert response.status_code == 200
        assert response.headers["X-Rate-Limit-Limit"] == "5"
        remaining.append(int(response.headers["X-Rate-Limit-Remaining"]))
    assert remaining == [4, 3, 2, 1, 0]

    refused = api.get("/rest/v1.0/me")
    assert refused.status_code == 429
    assert refused.headers["X-Rate-Limit-Remaining"] == "0"
    retry_after = int(refused.headers["Retry-After"])
    assert 1 <= retry_after <= 2
    reset = int(refused.headers["X-Rate-Limit-Reset"])
    assert reset - time.time() <= 3, "reset is the window end rounded up to whole seconds"

    time.sleep(max(0.0, reset - time.time()) + 0.1)
    assert api.get("/rest/v1.0/me").status_code == 200


def test_failed_requests_count_too(emu) -> None:
    emu.set_limits(spike_limit=3, spike_window_seconds=5)
    url = f"{emu.base_url}/rest/v1.0/me"
    statuses = [
        requests.get(url, headers={"Authorization": "Bearer bogus"}, timeout=5).status_code for _ in range(4)
    ]
    assert statuses == [401, 401, 401, 429]


def test_limits_are_per_company_header(emu, api: Api) -> None:
    emu.set_limits(spike_limit=2, spike_window_seconds=5)
    assert [api.list("vendors").status_code for _ in range(3)] == [200, 200, 429]
    api.session.headers["Procore-Company-Id"] = "999"
    assert api.get("/rest/v1.0/vendors", params={"company_id": 999}).status_code == 403


def test_hourly_window_reported_when_closer_to_exhaustion(emu, api: Api) -> None:
    emu.set_limits(hourly_limit=4, spike_limit=100, spike_window_seconds=10)
    first = api.get("/rest/v1.0/me")
    assert first.headers["X-Rate-Limit-Limit"] == "4"
    assert first.headers["X-Rate-Limit-Remaining"] == "3"
    assert int(first.headers["X-Rate-Limit-Reset"]) > time.time() + 3000
    for _ in range(3):
        api.get("/rest/v1.0/me")
    refused = api.get("/rest/v1.0/me")
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 3000


def test_token_endpoint_is_not_rate_limited(emu) -> None:
    emu.set_limits(spike_limit=1, spike_window_seconds=10)
    for _ in range(3):
        assert Api(emu).fetch_token().status_code == 200


class FakeClock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


def test_limiter_windows_with_a_fake_clock() -> None:
    clock = FakeClock()
    limiter = RateLimiter(hourly_limit=100, spike_limit=3, spike_window_seconds=10, clock=clock)
    verdicts = [limiter.hit("k") for _ in range(4)]
    assert [v.remaining for v in verdicts] == [2, 1, 0, 0]
    assert [v.exceeded for v in verdicts] == [False, False, False, True]
    assert verdicts[-1].retry_after == 10 and verdicts[-1].limit == 3
    clock.now += 10
    fresh = limiter.hit("k")
    assert not fresh.exceeded and fresh.remaining == 2
    assert limiter.hit("other").remaining == 2, "keys are counted separately"


def test_limiter_reports_the_window_closer_to_exhaustion() -> None:
    clock = FakeClock()
    limiter = RateLimiter(hourly_limit=6, spike_limit=3, spike_window_seconds=10, clock=clock)
    assert limiter.hit("k").limit == 3  # spike 2/3 left, hourly 5/6 left
    assert limiter.hit("k").limit == 3
    clock.now += 10
    shown = limiter.hit("k")  # spike 2/3 left, hourly 3/6 left
    assert (shown.limit, shown.remaining) == (6, 3)
    assert shown.reset == 1_000.0 + 3600
