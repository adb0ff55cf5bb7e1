"""Retry policy for one Procore request: what is retriable, how long to wait, when to give up.

As in the project style guide: 429 waits until the rate window resets, 502/503/504 and connection errors
back off exponentially with jitter (honouring ``Retry-After``), everything else fails at once. The
wait and the attempts are bounded; Airflow task retries are the outer loop only.
"""

from __future__ import annotations

import contextlib
import email.utils
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import requests
import tenacity

from procore_provider.errors import ConnectionFailure, ProcoreRetryExhausted, RetriableStatus
from procore_provider.responses import error_details

__all__ = [
    "CONNECTION_ERRORS",
    "RETRIABLE_STATUSES",
    "RetryPolicy",
    "raise_if_retriable",
    "resume_at",
    "retry_after_seconds",
]

RETRIABLE_STATUSES = frozenset({429, 502, 503, 504})
CONNECTION_ERRORS = (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError)

_T = TypeVar("_T")


def retry_after_seconds(value: str | None) -> float | None:
    """Parse ``Retry-After`` (delta seconds or an HTTP date) into seconds from now."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    with contextlib.suppress(TypeError, ValueError):
        return max(0.0, email.utils.parsedate_to_datetime(value).timestamp() - time.time())
    return None


def resume_at(response: requests.Response) -> float | None:
    """Later of ``X-Rate-Limit-Reset`` (429 only) and ``Retry-After``, as a unix time."""
    candidates: list[float] = []
    retry_after = retry_after_seconds(response.headers.get("Retry-After"))
    if retry_after is not None:
        candidates.append(time.time() + retry_after)
    if response.status_code == 429:
        with contextlib.suppress(TypeError, ValueError):
            candidates.append(float(response.headers["X-Rate-Limit-Reset"]))
    return max(candidates) if candidates else None


def raise_if_retriable(response: requests.Response) -> None:
    """Raise the retry marker for a 429/502/503/504 answer, carrying the server's resume hint."""
    if response.status_code in RETRIABLE_STATUSES:
        _, message = error_details(response)
        raise RetriableStatus(response.status_code, message, resume_at(response))


class _ProcoreWait(tenacity.wait.wait_base):
    """Wait until the server's hint (+ jitter) when it gave one, else capped exponential backoff."""

    def __init__(self, base: float, cap: float, rng: random.Random) -> None:
        self.base = base
        self.cap = cap
        self.rng = rng

    def __call__(self, retry_state: tenacity.RetryCallState) -> float:
        exc = retry_state.outcome.exception() if retry_state.outcome else None
        if isinstance(exc, RetriableStatus) and exc.resume_at is not None:
            return max(0.0, exc.resume_at - time.time()) + self.rng.uniform(0.05, 0.25)
        backoff = min(self.cap, self.base * 2 ** (retry_state.attempt_number - 1))
        return float(backoff * self.rng.uniform(0.5, 1.0))


class _StopOnOptOut(tenacity.stop.stop_base):
    """Stop at once on a connection failure the caller did not want retried (e.g. a non-idempotent POST)."""

    def __call__(self, retry_state: tenacity.RetryCallState) -> bool:
        exc = retry_state.outcome.exception() if retry_state.outcome else None
        return isinstance(exc, ConnectionFailure) and not exc.retriable


@dataclass(frozen=True)
class RetryPolicy:
    """Bounds and backoff for one request; ``max_wait_seconds`` caps the time spent waiting in total."""

    max_attempts: int
    max_wait_seconds: float
    backoff_base_seconds: float
    backoff_max_seconds: float
    rng: random.Random

    def call(
        self,
        attempt: Callable[[], _T],
        *,
        method: str,
        path: str,
        before_sleep: Callable[[tenacity.RetryCallState], None],
    ) -> _T:
        """Run ``attempt`` until it returns, fails for good, or the bounds are reached.

        Attempts raise RetriableStatus or ConnectionFailure to be retried; anything else propagates.
        Reaching a bound raises ProcoreRetryExhausted, which says which bound and the last failure.
        """

        def give_up(retry_state: tenacity.RetryCallState) -> _T:
            raise self.exhausted(method, path, retry_state) from None

        retrying = tenacity.Retrying(
            retry=tenacity.retry_if_exception_type((RetriableStatus, ConnectionFailure)),
            wait=_ProcoreWait(self.backoff_base_seconds, self.backoff_max_seconds, self.rng),
            stop=(
                tenacity.stop_after_attempt(self.max_attempts)
                | tenacity.stop_before_delay(self.max_wait_seconds)
                | _StopOnOptOut()
            ),
            before_sleep=before_sleep,
            retry_error_callback=give_up,
        )
        return retrying(attempt)

    def exhausted(
        self, method: str, path: str, retry_state: tenacity.RetryCallState
    ) -> ProcoreRetryExhausted:
        """The error for a request the policy gave up on, naming the bound reached and the last failure."""
        exc = retry_state.outcome.exception() if retry_state.outcome else None
        status = exc.status if isinstance(exc, RetriableStatus) else None
        elapsed = retry_state.seconds_since_start or 0.0
        waited = retry_state.idle_for
        last = str(exc) if exc is not None else "unknown error"
        message = (
            f"gave up after {retry_state.attempt_number} attempt(s) and {waited:.1f}s of waiting "
            f"({elapsed:.1f}s in total): {self._reason(exc, retry_state)}; last status: "
            f"{status if status is not None else 'no HTTP response'} ({last})"
        )
        return ProcoreRetryExhausted(
            message,
            status_code=status,
            attempts=retry_state.attempt_number,
            waited_seconds=waited,
            elapsed_seconds=elapsed,
            last_error=last,
            method=method,
            path=path,
        )

    def _reason(self, exc: BaseException | None, retry_state: tenacity.RetryCallState) -> str:
        if isinstance(exc, ConnectionFailure) and not exc.retriable:
            return "connection failed and retries are disabled for this request (it may have been applied)"
        if retry_state.attempt_number >= self.max_attempts:
            return f"attempt cap of {self.max_attempts} reached"
        return (
            f"the next wait of {retry_state.upcoming_sleep:.1f}s "
            f"would exceed max_wait_seconds={self.max_wait_seconds:g}"
        )
