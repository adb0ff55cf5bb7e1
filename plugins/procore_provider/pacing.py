"""A Procore request budget shared by every process on the machine through a small locked JSON file.

Procore counts requests per app and company, in an hourly and a 10-second spike window, and reports
``X-Rate-Limit-Limit/Remaining/Reset`` for whichever window is closer to exhaustion. Airflow runs the
pipeline's tasks in parallel processes, so pacing in one process alone would still overrun the spike
window; the budget therefore lives in a file guarded by ``fcntl.flock``.

Windows are tracked by their limit (25 and 3,600 are different windows), so headers that flip between
the hourly and the spike window do not overwrite each other.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import random
import re
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, cast

from procore_provider.errors import RateBudgetExhausted

__all__ = ["DEFAULT_DIR", "RateBudgetExhausted", "SharedRateBudget", "parse_rate_headers"]

DEFAULT_DIR = Path(tempfile.gettempdir()) / "procore_ratelimit"


def parse_rate_headers(headers: Mapping[str, str]) -> tuple[int, int, float] | None:
    """Return (limit, remaining, reset unix time) from Procore's headers, or None if absent/garbled."""
    try:
        limit = int(float(headers["X-Rate-Limit-Limit"]))
        remaining = int(float(headers["X-Rate-Limit-Remaining"]))
        reset = float(headers["X-Rate-Limit-Reset"])
    except (KeyError, TypeError, ValueError):
        return None
    return limit, remaining, reset


class SharedRateBudget:
    """Proactive pacing state for one (API host, company), shared across threads and processes.

    ``acquire()`` before each request (sleeps while a window is at its reserve, takes one slot),
    ``update()`` with each response's headers. While no window is known (first call, or all windows
    have reset), only one request at a time is let through as a probe, so a burst of parallel tasks
    cannot overrun a window nobody has measured yet.
    """

    def __init__(
        self,
        directory: str | os.PathLike[str] | None,
        api_host: str,
        company_id: int,
        *,
        reserve: int = 1,
        probe_timeout: float = 10.0,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.directory = Path(directory) if directory else DEFAULT_DIR
        slug = re.sub(r"[^A-Za-z0-9._-]+", "_", re.sub(r"^https?://", "", api_host)).strip("_")
        self.path = self.directory / f"{slug}__{company_id}.json"
        self._lock_path = self.directory / f"{slug}__{company_id}.lock"
        self.reserve = reserve
        self.probe_timeout = probe_timeout
        self._sleep = sleep
        self._clock = clock
        self._random = random.Random()

    def __repr__(self) -> str:
        return f"SharedRateBudget(path={str(self.path)!r}, reserve={self.reserve})"

    @contextlib.contextmanager
    def _locked_state(self) -> Iterator[dict[str, Any]]:
        """Yield the state dict under an exclusive flock; write it back atomically on exit."""
        self.directory.mkdir(parents=True, exist_ok=True)
        with open(self._lock_path, "a+") as lock_file:
            fcntl.flock(lock_file.fileno(), fcntl.LOCK_EX)
            try:
                try:
                    state = json.loads(self.path.read_text())
                    if not isinstance(state, dict):
                        state = {}
                except (FileNotFoundError, ValueError):
                    state = {}
                before = json.dumps(state, sort_keys=True)
                yield state
                after = json.dumps(state, sort_keys=True)
                if after != before:
                    tmp = self.path.with_suffix(f".{os.getpid()}.tmp")
                    tmp.write_text(after)
                    os.replace(tmp, self.path)
            finally:
                fcntl.flock(lock_file.fileno(), fcntl.LOCK_UN)

    def _jitter(self) -> float:
        return self._random.uniform(0.05, 0.25)

    def acquire(self, max_wait: float | None = None) -> bool:
        """Take one request slot, sleeping while the budget is at its reserve.

        Returns True when this request is the probe of an unknown window (pass it to ``update``/``release``).
        Raises RateBudgetExhausted instead of sleeping longer than ``max_wait`` in total.
        """
        waited = 0.0
        while True:
            with self._locked_state() as state:
                now = self._clock()
                windows = {k: w for k, w in state.get("windows", {}).items() if w.get("reset", 0) > now}
                state["windows"] = windows
                blocked = [w["reset"] for w in windows.values() if w.get("remaining", 0) <= self.reserve]
                if blocked:
                    reset_at = max(blocked)
                    wait = reset_at - now + self._jitter()
                    if max_wait is not None and waited + wait > max_wait:
                        raise RateBudgetExhausted(waited + wait, reset_at)
                elif not windows and state.get("probe_until", 0) > now:
                    wait = 0.02  # someone is measuring the window; their response arrives shortly
                else:
                    for window in windows.values():
                        window["remaining"] = window.get("remaining", 0) - 1
                    probe = not windows
                    if probe:
                        state["probe_until"] = now + self.probe_timeout
                    return probe
            self._sleep(wait)
            waited += wait

    def update(self, headers: Mapping[str, str], probe: bool = False) -> None:
        """Fold a response's rate headers into the shared state (conservatively: min of what we know)."""
        parsed = parse_rate_headers(headers)
        if parsed is None:
            if probe:
                self.release(probe)
            return
        limit, remaining, reset = parsed
        with self._locked_state() as state:
            now = self._clock()
            windows = state.setdefault("windows", {})
            key = str(limit)
            window = windows.get(key)
            fresh = {"limit": limit, "remaining": remaining, "reset": reset}
            if reset <= now:
                pass  # a late answer from a window that has already closed
            elif window is None or window.get("reset", 0) <= now:
                windows[key] = fresh
            elif reset < window.get("reset", 0) - 1.0:
                # A window can only end later, never earlier: what we stored is stale (the server's
                # counters were reset, or its limits changed), so the server's figures win.
                windows[key] = fresh
            else:
                # Same window still running: our local count already includes requests in flight
                # that this response does not reflect, so keep the smaller figure.
                window["remaining"] = min(window.get("remaining", remaining), remaining)
                window["reset"] = max(window.get("reset", reset), reset)
            if probe:
                state["probe_until"] = 0

    def release(self, probe: bool) -> None:
        """End a probe that got no usable response (connection error), letting others probe."""
        if not probe:
            return
        with self._locked_state() as state:
            state["probe_until"] = 0

    def snapshot(self) -> dict[str, Any]:
        """Current state (for tests and diagnostics)."""
        with self._locked_state() as state:
            return cast(dict[str, Any], json.loads(json.dumps(state)))
