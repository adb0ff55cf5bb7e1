"""Exceptions of the Procore provider.

Light on purpose, like Airflow providers' exception modules: callers catch these without importing
Airflow, requests or tenacity. Messages are redacted, so an exception never carries a secret or token.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from procore_provider.redaction import redact
from procore_provider.responses import error_details

if TYPE_CHECKING:
    import requests

__all__ = ["ProcoreAPIError", "ProcoreAuthError", "ProcoreRetryExhausted", "RateBudgetExhausted"]


class ProcoreAPIError(Exception):
    """A Procore call failed and retrying will not help (4xx other than 429, or a refused token).

    ``status_code`` is the HTTP status (None for transport failures), ``errors`` Procore's parsed
    ``errors`` value if it sent one, ``message`` its human-readable explanation.
    """

    def __init__(
        self,
        message: str,
        *,
        status_code: int | None = None,
        errors: Any = None,
        method: str | None = None,
        path: str | None = None,
    ) -> None:
        self.message = redact(message)
        self.status_code = status_code
        self.errors = errors
        self.method = method
        self.path = path
        where = f"{method} {path}: " if method and path else ""
        status = f"HTTP {status_code}: " if status_code is not None else ""
        super().__init__(f"{where}{status}{self.message}")

    @classmethod
    def from_response(cls, response: requests.Response, method: str, path: str) -> ProcoreAPIError:
        """Build the error from Procore's JSON (``errors``/``message``/``error_description``) or text."""
        errors, message = error_details(response)
        return cls(message, status_code=response.status_code, errors=errors, method=method, path=path)


class ProcoreRetryExhausted(ProcoreAPIError):
    """Retriable failures (429, 502/503/504, connection errors) outlasted the bounded wait or attempts."""

    def __init__(
        self,
        message: str,
        *,
        status_code: int | None,
        attempts: int,
        waited_seconds: float,
        elapsed_seconds: float,
        last_error: str,
        method: str | None = None,
        path: str | None = None,
    ) -> None:
        self.attempts = attempts
        self.waited_seconds = waited_seconds
        self.elapsed_seconds = elapsed_seconds
        self.last_error = redact(last_error)
        super().__init__(message, status_code=status_code, method=method, path=path)


class ProcoreAuthError(ProcoreAPIError):
    """No access token could be obtained (refused credentials, or a token endpoint that stayed down).

    Nothing can be sent with this connection, so it ends the task instead of failing record by record;
    the hook raises it again at once for every later call instead of asking the token endpoint again.
    """


class RateBudgetExhausted(Exception):
    """The shared pacing budget is empty until a reset further away than the caller may wait."""

    def __init__(self, wait_seconds: float, reset_at: float) -> None:
        super().__init__(
            f"rate-limit budget exhausted for {wait_seconds:.1f}s (until reset at {reset_at:.0f})"
        )
        self.wait_seconds = wait_seconds
        self.reset_at = reset_at


class RetriableStatus(Exception):
    """A 429/502/503/504 answer; ``resume_at`` is the server's earliest retry time (unix), if any.

    Raised by one attempt for the retry loop, which turns it into ProcoreRetryExhausted when it gives up.
    """

    def __init__(self, status: int, message: str, resume_at: float | None) -> None:
        super().__init__(f"HTTP {status}: {message}")
        self.status = status
        self.resume_at = resume_at


class ConnectionFailure(Exception):
    """A connection error or dropped connection; ``retriable`` is False when the caller opted out.

    Raised by one attempt for the retry loop, which turns it into ProcoreRetryExhausted when it gives up.
    """

    def __init__(self, exc: BaseException, retriable: bool) -> None:
        super().__init__(f"{type(exc).__name__}: {redact(str(exc))[:300]}")
        self.retriable = retriable
