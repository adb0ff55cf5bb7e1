"""The shared pacing budget: windows, reserve, probes and the locked state file (fake clock, no HTTP)."""

from __future__ import annotations

import pytest
from procore_provider.pacing import RateBudgetExhausted, SharedRateBudget


class _FakeClock:
    def __init__(self, now: float = 1_000_000.0) -> None:
        self.now = now
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def _budget(tmp_path, clock: _FakeClock, reserve: int = 1) -> SharedRateBudget:
    return SharedRateBudget(
        tmp_path, "http://127.0.0.1:1", 4321, reserve=reserve, sleep=clock.sleep, clock=clock
    )


def test_budget_paces_to_the_reset(tmp_path):
    clock = _FakeClock()
    budget = _budget(tmp_path, clock)
    assert budget.acquire() is True  # unknown window: this call is the probe
    budget.update(
        {"X-Rate-Limit-Limit": "3", "X-Rate-Limit-Remaining": "2", "X-Rate-Limit-Reset": str(clock.now + 5)},
        True,
    )
    assert budget.acquire() is False  # 2 → 1
    assert clock.slept == []
    budget.acquire()  # at the reserve: sleeps until the reset, then the window is unknown again
    assert 5.0 < sum(clock.slept) < 5.3


def test_budget_keeps_the_smaller_remaining_and_tracks_windows_by_limit(tmp_path):
    clock = _FakeClock()
    budget = _budget(tmp_path, clock)
    reset = str(clock.now + 10)
    budget.update({"X-Rate-Limit-Limit": "25", "X-Rate-Limit-Remaining": "20", "X-Rate-Limit-Reset": reset})
    budget.update({"X-Rate-Limit-Limit": "25", "X-Rate-Limit-Remaining": "22", "X-Rate-Limit-Reset": reset})
    budget.update(
        {
            "X-Rate-Limit-Limit": "3600",
            "X-Rate-Limit-Remaining": "3000",
            "X-Rate-Limit-Reset": str(clock.now + 3000),
        }
    )
    windows = budget.snapshot()["windows"]
    assert windows["25"]["remaining"] == 20  # a late, stale response does not raise the count
    assert windows["3600"]["remaining"] == 3000
    budget.acquire()
    windows = budget.snapshot()["windows"]
    assert (windows["25"]["remaining"], windows["3600"]["remaining"]) == (19, 2999)  # a call counts in both


def test_budget_replaces_a_stale_window_when_the_server_reports_an_earlier_reset(tmp_path):
    clock = _FakeClock()
    budget = _budget(tmp_path, clock)
    budget.update(
        {"X-Rate-Limit-Limit": "25", "X-Rate-Limit-Remaining": "3", "X-Rate-Limit-Reset": str(clock.now + 9)}
    )
    # the server's counters were reset (new emulator on a reused port, or changed limits)
    budget.update(
        {"X-Rate-Limit-Limit": "25", "X-Rate-Limit-Remaining": "24", "X-Rate-Limit-Reset": str(clock.now + 2)}
    )
    assert budget.snapshot()["windows"]["25"] == {"limit": 25, "remaining": 24, "reset": clock.now + 2}
    # a late answer from an already closed window changes nothing
    budget.update(
        {"X-Rate-Limit-Limit": "25", "X-Rate-Limit-Remaining": "0", "X-Rate-Limit-Reset": str(clock.now - 1)}
    )
    assert budget.snapshot()["windows"]["25"]["remaining"] == 24


def test_budget_refuses_to_wait_beyond_the_bound(tmp_path):
    clock = _FakeClock()
    budget = _budget(tmp_path, clock)
    budget.update(
        {
            "X-Rate-Limit-Limit": "3600",
            "X-Rate-Limit-Remaining": "0",
            "X-Rate-Limit-Reset": str(clock.now + 1800),
        }
    )
    with pytest.raises(RateBudgetExhausted) as excinfo:
        budget.acquire(max_wait=300)
    assert excinfo.value.wait_seconds > 1800
    assert clock.slept == []


def test_budget_probe_blocks_others_until_released(tmp_path):
    clock = _FakeClock()
    first, second = _budget(tmp_path, clock), _budget(tmp_path, clock)
    assert first.acquire() is True
    first.release(True)
    assert second.acquire() is True  # released: the next caller may probe at once
    assert clock.slept == []
    second.update({}, True)  # a response without rate headers also ends the probe
    assert first.acquire() is True


def test_budget_state_is_shared_through_the_file(tmp_path):
    clock = _FakeClock()
    _budget(tmp_path, clock).update(
        {"X-Rate-Limit-Limit": "10", "X-Rate-Limit-Remaining": "1", "X-Rate-Limit-Reset": str(clock.now + 2)}
    )
    other = _budget(tmp_path, clock)  # e.g. another task process on the same worker
    other.acquire()
    assert clock.slept and 2.0 < clock.slept[0] < 2.3
