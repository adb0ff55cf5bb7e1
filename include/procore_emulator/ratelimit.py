"""Procore's two rate-limit windows (hourly and spike), counted per app and company.

Fixed windows that open with the first request and close ``length`` seconds later, so
``X-Rate-Limit-Reset`` is a real instant a client can sleep until. Every request counts, refused
ones included, as Procore's documentation says.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass


@dataclass
class _Window:
    limit: int
    length: float
    start: float = 0.0
    count: int = 0

    def roll(self, now: float) -> None:
        if now >= self.start + self.length:
            self.start = now
            self.count = 0

    @property
    def reset(self) -> float:
        return self.start + self.length

    @property
    def remaining(self) -> int:
        return max(0, self.limit - self.count)


@dataclass(frozen=True)
class RateVerdict:
    """The outcome of counting one request: the headers to send and whether to refuse it."""

    limit: int
    remaining: int
    reset: float
    exceeded: bool
    retry_after: int

    def headers(self) -> dict[str, str]:
        return {
            "X-Rate-Limit-Limit": str(self.limit),
            "X-Rate-Limit-Remaining": str(self.remaining),
            "X-Rate-Limit-Reset": str(math.ceil(self.reset)),
        }


class RateLimiter:
    """Counts requests per key (client id, company id) in an hourly and a spike window."""

    def __init__(
        self,
        hourly_limit: int,
        spike_limit: int,
        spike_window_seconds: float,
        hourly_window_seconds: float = 3600,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._lock = threading.Lock()
        self._clock = clock
        self._windows: dict[Hashable, tuple[_Window, _Window]] = {}
        self.configure(hourly_limit, spike_limit, spike_window_seconds, hourly_window_seconds)

    def configure(
        self,
        hourly_limit: int,
        spike_limit: int,
        spike_window_seconds: float,
        hourly_window_seconds: float = 3600,
    ) -> None:
        """Sets new limits; all windows start afresh so the new numbers apply at once."""
        with self._lock:
            self.hourly_limit = int(hourly_limit)
            self.spike_limit = int(spike_limit)
            self.spike_window_seconds = float(spike_window_seconds)
            self.hourly_window_seconds = float(hourly_window_seconds)
            self._windows.clear()

    def reset(self) -> None:
        with self._lock:
            self._windows.clear()

    def hit(self, key: Hashable) -> RateVerdict:
        """Counts one request and reports the window closer to exhaustion (the spike one on a tie)."""
        now = self._clock()
        with self._lock:
            windows = self._windows.get(key)
            if windows is None:
                windows = (
                    _Window(self.spike_limit, self.spike_window_seconds, start=now),
                    _Window(self.hourly_limit, self.hourly_window_seconds, start=now),
                )
                self._windows[key] = windows
            for window in windows:
                window.roll(now)
                window.count += 1
            over = [w for w in windows if w.count > w.limit]
            if over:
                shown = max(over, key=lambda w: w.reset)
            else:
                shown = min(windows, key=lambda w: w.remaining / w.limit)
            return RateVerdict(
                limit=shown.limit,
                remaining=shown.remaining,
                reset=shown.reset,
                exceeded=bool(over),
                retry_after=max(1, math.ceil(shown.reset - now)),
            )
