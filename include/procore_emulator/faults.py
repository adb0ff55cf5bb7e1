"""Decides, request by request, which configured fault (if any) strikes.

One seeded random stream per configuration, so a test that sets ``seed`` sees the same sequence of
faults for the same sequence of requests.
"""

from __future__ import annotations

import random
import threading

from .config import FaultConfig


class FaultInjector:
    """Holds the active FaultConfig and the state it needs (random stream, remaining 429 storm)."""

    def __init__(self, config: FaultConfig) -> None:
        self._lock = threading.Lock()
        self.configure(config)

    def configure(self, config: FaultConfig) -> None:
        with self._lock:
            self.config = config
            self._random = random.Random(config.seed)
            self._storm_left = config.storm_429

    @property
    def storm_left(self) -> int:
        return self._storm_left

    def latency_seconds(self) -> float:
        return self.config.latency_ms / 1000.0

    def take_storm(self) -> bool:
        """True (and one fewer left) while a 429 storm is in progress."""
        with self._lock:
            if self._storm_left <= 0:
                return False
            self._storm_left -= 1
            return True

    def roll_error(self) -> bool:
        with self._lock:
            rate = self.config.error_rate
            return rate > 0 and self._random.random() < rate

    def roll_drop(self) -> bool:
        with self._lock:
            rate = self.config.drop_after_write_rate
            return rate > 0 and self._random.random() < rate
