"""ProcoreHook: the one place that owns Procore auth, session, pacing, retries, pagination and sync calls.

Operators and tasks never import ``requests``; they call ``request``/``get_json``/``paginate``/``sync``.
Retriable vs fatal follows the project style guide: 429 waits until the rate window resets, 502/503/504
and connection errors back off exponentially (honouring ``Retry-After``), other 4xx fail at once with
Procore's message; Airflow task retries are the outer loop only.
"""

from __future__ import annotations

import contextlib
import email.utils
import json as jsonlib
import logging
import os
import random
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import requests
import tenacity
from airflow.sdk.bases.hook import BaseHook
from oauthlib.oauth2 import BackendApplicationClient, OAuth2Error
from requests_oauthlib import OAuth2Session

from procore_provider.provider_info import ENVIRONMENT_HOSTS
from procore_provider.ratelimit import RateBudgetExhausted, SharedRateBudget

if TYPE_CHECKING:
    from airflow.sdk import Connection

__all__ = ["ProcoreAPIError", "ProcoreHook", "ProcoreRetryExhausted", "SyncOutcome"]

RETRIABLE_STATUSES = frozenset({429, 502, 503, 504})
MAX_SYNC_CHUNK = 1000
#: Large pages spend less of the hourly request budget; Procore recommends at most 2,000.
DEFAULT_PER_PAGE = 1000
_CONNECTION_ERRORS = (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError)


# --------------------------------------------------------------------------------------------------
# Secret hygiene
# --------------------------------------------------------------------------------------------------
_SECRETS: set[str] = set()
_SECRETS_LOCK = threading.Lock()


def _remember_secret(value: str | None) -> None:
    """Register a secret for redaction here and in Airflow's task-log masker."""
    if not value:
        return
    with _SECRETS_LOCK:
        _SECRETS.add(value)
    with contextlib.suppress(Exception):
        from airflow.sdk.log import mask_secret

        mask_secret(value)


# Token values in JSON or dict reprs (requests-oauthlib logs the token response before we know the token).
_TOKEN_VALUE = re.compile(
    r"""(["']?(?:access_token|refresh_token|client_secret)["']?\s*[:=]\s*["']?)[^"'&,}\s]+"""
)


def _redact(text: str) -> str:
    """Replace every known secret, and anything shaped like a token value, in ``text`` with ``***``."""
    with _SECRETS_LOCK:
        secrets = sorted(_SECRETS, key=len, reverse=True)
    for secret in secrets:
        if secret and secret in text:
            text = text.replace(secret, "***")
    return _TOKEN_VALUE.sub(r"\1***", text)


class _RedactingFilter(logging.Filter):
    """requests-oauthlib logs request bodies and tokens at DEBUG; scrub them before any handler sees them."""

    def filter(self, record: logging.LogRecord) -> bool:
        with contextlib.suppress(Exception):
            message = record.getMessage()
            redacted = _redact(message)
            if redacted != message:
                record.msg, record.args = redacted, None
        return True


_oauth_logger = logging.getLogger("requests_oauthlib.oauth2_session")
if not any(isinstance(f, _RedactingFilter) for f in _oauth_logger.filters):
    _oauth_logger.addFilter(_RedactingFilter())

_INSECURE_TRANSPORT_LOCK = threading.Lock()


@contextlib.contextmanager
def _oauth_transport_allowed(url: str) -> Iterator[None]:
    """Let oauthlib talk plain http to an explicitly configured login host (the emulator) only.

    oauthlib refuses non-https token URLs unless OAUTHLIB_INSECURE_TRANSPORT is set; setting it for the
    whole process would also relax other OAuth clients, so it is set just around this one token fetch.
    """
    if url.lower().startswith("https://"):
        yield
        return
    with _INSECURE_TRANSPORT_LOCK:
        previous = os.environ.get("OAUTHLIB_INSECURE_TRANSPORT")
        os.environ["OAUTHLIB_INSECURE_TRANSPORT"] = "1"
        try:
            yield
        finally:
            if previous is None:
                os.environ.pop("OAUTHLIB_INSECURE_TRANSPORT", None)
            else:
                os.environ["OAUTHLIB_INSECURE_TRANSPORT"] = previous


# --------------------------------------------------------------------------------------------------
# Errors and results
# --------------------------------------------------------------------------------------------------
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
        self.message = _redact(message)
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
        errors, message = _error_details(response)
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
        self.last_error = _redact(last_error)
        super().__init__(message, status_code=status_code, method=method, path=path)


@dataclass
class SyncOutcome:
    """What happened to one submitted sync item: the stored ``entity``, per-item ``errors`` or a
    ``transport_error`` when the whole chunk's request failed."""

    index: int
    item: dict[str, Any]
    entity: dict[str, Any] | None
    errors: dict[str, list[str]] | None
    transport_error: str | None

    @property
    def ok(self) -> bool:
        """True when Procore stored the item without errors."""
        return self.entity is not None and not self.errors and self.transport_error is None


def _error_details(response: requests.Response) -> tuple[Any, str]:
    """Extract (errors, message) from an error response without assuming its shape."""
    try:
        body = response.json()
    except ValueError:
        text = (response.text or "").strip()
        return None, (text[:500] or response.reason or "no response body")
    errors: Any = None
    message: str | None = None
    if isinstance(body, dict):
        errors = body.get("errors")
        for key in ("message", "error_description", "error"):
            if isinstance(body.get(key), str) and body[key]:
                message = body[key]
                break
        if message is None and isinstance(errors, str):
            message = errors
    if message is None:
        message = jsonlib.dumps(body if errors is None else errors, separators=(",", ":"))[:500]
    return errors, message


# --------------------------------------------------------------------------------------------------
# Retry plumbing (tenacity): attempts raise these, the wait strategy reads their hints
# --------------------------------------------------------------------------------------------------
class _RetriableStatus(Exception):
    """A 429/502/503/504 answer; ``resume_at`` is the server's earliest retry time (unix), if any."""

    def __init__(self, status: int, message: str, resume_at: float | None) -> None:
        super().__init__(f"HTTP {status}: {message}")
        self.status = status
        self.resume_at = resume_at


class _ConnectionFailure(Exception):
    """A connection error or dropped connection; ``retriable`` is False when the caller opted out."""

    def __init__(self, exc: BaseException, retriable: bool) -> None:
        super().__init__(f"{type(exc).__name__}: {_redact(str(exc))[:300]}")
        self.retriable = retriable


def _retry_after_seconds(value: str | None) -> float | None:
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


def _resume_at(response: requests.Response) -> float | None:
    """Later of ``X-Rate-Limit-Reset`` (429 only) and ``Retry-After``, as a unix time."""
    candidates: list[float] = []
    retry_after = _retry_after_seconds(response.headers.get("Retry-After"))
    if retry_after is not None:
        candidates.append(time.time() + retry_after)
    if response.status_code == 429:
        with contextlib.suppress(TypeError, ValueError):
            candidates.append(float(response.headers["X-Rate-Limit-Reset"]))
    return max(candidates) if candidates else None


class _ProcoreWait(tenacity.wait.wait_base):
    """Wait until the server's hint (+ jitter) when it gave one, else capped exponential backoff."""

    def __init__(self, base: float, cap: float, rng: random.Random) -> None:
        self.base = base
        self.cap = cap
        self.rng = rng

    def __call__(self, retry_state: tenacity.RetryCallState) -> float:
        exc = retry_state.outcome.exception() if retry_state.outcome else None
        if isinstance(exc, _RetriableStatus) and exc.resume_at is not None:
            return max(0.0, exc.resume_at - time.time()) + self.rng.uniform(0.05, 0.25)
        backoff = min(self.cap, self.base * 2 ** (retry_state.attempt_number - 1))
        return backoff * self.rng.uniform(0.5, 1.0)


class _StopOnOptOut(tenacity.stop.stop_base):
    """Stop at once on a connection failure the caller did not want retried (e.g. a non-idempotent POST)."""

    def __call__(self, retry_state: tenacity.RetryCallState) -> bool:
        exc = retry_state.outcome.exception() if retry_state.outcome else None
        return isinstance(exc, _ConnectionFailure) and not exc.retriable


# --------------------------------------------------------------------------------------------------
# Token cache
# --------------------------------------------------------------------------------------------------
@dataclass(repr=False)
class _CachedToken:
    access_token: str
    expires_at: float

    def __repr__(self) -> str:
        return f"_CachedToken(expires_at={self.expires_at:.0f})"


@dataclass(frozen=True, repr=False)
class _Settings:
    """Everything the hook reads from its connection, after kwargs overrides (secret kept out of repr)."""

    conn_id: str
    client_id: str
    client_secret: str = ""
    company_id: int = 0
    api_host: str = ""
    login_host: str = ""
    per_page: int = 1000
    max_wait_seconds: float = 300.0
    rate_limit_dir: str | None = None

    def __repr__(self) -> str:
        return (
            f"_Settings(conn_id={self.conn_id!r}, client_id={self.client_id!r}, "
            f"company_id={self.company_id}, api_host={self.api_host!r}, login_host={self.login_host!r})"
        )


def _normalise_host(value: str, setting: str, conn_id: str) -> str:
    value = str(value).strip().rstrip("/")
    if "://" not in value:
        value = f"https://{value}"
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"Connection {conn_id!r}: extra {setting!r} is not a valid http(s) URL: {value!r}")
    return value


def resolve_hosts(
    environment: str | None, api_host: str | None = None, login_host: str | None = None, *, conn_id: str = "?"
) -> tuple[str, str]:
    """Return (login host, API host): explicit hosts win, otherwise the environment's (default production)."""
    env = (environment or "production").strip().lower().replace("-", "_").replace(" ", "_")
    env = {"developer_sandbox": "sandbox", "monthly": "monthly_sandbox"}.get(env, env)
    if env not in ENVIRONMENT_HOSTS:
        raise ValueError(
            f"Connection {conn_id!r}: extra 'environment' must be one of {sorted(ENVIRONMENT_HOSTS)}, "
            f"got {environment!r}"
        )
    default_login, default_api = ENVIRONMENT_HOSTS[env]
    login = _normalise_host(login_host, "login_host", conn_id) if login_host else default_login
    api = _normalise_host(api_host, "api_host", conn_id) if api_host else default_api
    return login, api


# --------------------------------------------------------------------------------------------------
# The hook
# --------------------------------------------------------------------------------------------------
class ProcoreHook(BaseHook):
    """Talks to one Procore company through a ``procore`` Airflow connection.

    Connection: login = OAuth client id, password = client secret; extras ``company_id`` (required),
    ``environment`` (production | sandbox | monthly_sandbox) or explicit ``api_host``/``login_host``,
    optional ``per_page``, ``max_wait_seconds``, ``rate_limit_dir``. Keyword arguments override the
    extras (never the secret, which only ever comes from the connection).
    """

    conn_name_attr = "procore_conn_id"
    default_conn_name = "procore_default"
    conn_type = "procore"
    hook_name = "Procore"

    #: Tokens per (login host, client id), shared by every hook in this process.
    _token_cache: dict[tuple[str, str], _CachedToken] = {}
    _token_locks: dict[tuple[str, str], threading.Lock] = {}
    _token_registry_lock = threading.Lock()

    def __init__(
        self,
        procore_conn_id: str = default_conn_name,
        *,
        company_id: int | None = None,
        environment: str | None = None,
        api_host: str | None = None,
        login_host: str | None = None,
        per_page: int | None = None,
        max_wait_seconds: float | None = None,
        rate_limit_dir: str | os.PathLike[str] | None = None,
        max_attempts: int = 12,
        backoff_base_seconds: float = 1.0,
        backoff_max_seconds: float = 60.0,
        token_renew_margin_seconds: float = 60.0,
        rate_limit_reserve: int = 1,
        timeout: float | tuple[float, float] = (10.0, 120.0),
        logger_name: str | None = None,
    ) -> None:
        super().__init__(logger_name=logger_name)
        self.procore_conn_id = procore_conn_id
        self._overrides: dict[str, Any] = {
            "company_id": company_id,
            "environment": environment,
            "api_host": api_host,
            "login_host": login_host,
            "per_page": per_page,
            "max_wait_seconds": max_wait_seconds,
            "rate_limit_dir": os.fspath(rate_limit_dir) if rate_limit_dir is not None else None,
        }
        self.max_attempts = max(1, int(max_attempts))
        self.backoff_base_seconds = backoff_base_seconds
        self.backoff_max_seconds = backoff_max_seconds
        self.token_renew_margin_seconds = token_renew_margin_seconds
        self.rate_limit_reserve = rate_limit_reserve
        self.timeout = timeout
        self._rng = random.Random()
        self._session: requests.Session | None = None

    def __repr__(self) -> str:
        settings = self.__dict__.get("_settings")
        if settings is None:
            return f"ProcoreHook(procore_conn_id={self.procore_conn_id!r})"
        return (
            f"ProcoreHook(procore_conn_id={self.procore_conn_id!r}, api={settings.api_host!r}, "
            f"company_id={settings.company_id})"
        )

    # ---------------------------------------------------------------- configuration
    @cached_property
    def _settings(self) -> _Settings:
        """Read the connection once, validating extras with errors that name the setting."""
        conn = self.get_connection(self.procore_conn_id)
        return self._settings_from_connection(conn)

    def _settings_from_connection(self, conn: Connection) -> _Settings:
        cid = self.procore_conn_id
        extras = dict(conn.extra_dejson or {})

        def extra(name: str) -> Any:
            if self._overrides.get(name) is not None:
                return self._overrides[name]
            for key in (name, f"extra__procore__{name}"):
                if extras.get(key) not in (None, ""):
                    return extras[key]
            return None

        if not conn.login or not conn.password:
            raise ValueError(
                f"Connection {cid!r}: login (client id) and password (client secret) are required"
            )
        _remember_secret(conn.password)

        raw_company = extra("company_id")
        if raw_company is None:
            raise ValueError(f"Connection {cid!r}: extra 'company_id' is required (Procore company id)")
        try:
            company_id = int(raw_company)
        except (TypeError, ValueError):
            raise ValueError(
                f"Connection {cid!r}: extra 'company_id' must be an integer, got {raw_company!r}"
            ) from None

        login, api = resolve_hosts(extra("environment"), extra("api_host"), extra("login_host"), conn_id=cid)

        def number(name: str, default: float, kind: type) -> Any:
            value = extra(name)
            if value is None:
                return kind(default)
            try:
                return kind(value)
            except (TypeError, ValueError):
                raise ValueError(
                    f"Connection {cid!r}: extra {name!r} must be a number, got {value!r}"
                ) from None

        per_page = number("per_page", DEFAULT_PER_PAGE, int)
        if not 1 <= per_page <= 2000:
            raise ValueError(
                f"Connection {cid!r}: extra 'per_page' must be between 1 and 2000, got {per_page}"
            )
        rate_dir = extra("rate_limit_dir")
        return _Settings(
            conn_id=cid,
            client_id=str(conn.login),
            client_secret=str(conn.password),
            company_id=company_id,
            api_host=api,
            login_host=login,
            per_page=per_page,
            max_wait_seconds=max(0.0, number("max_wait_seconds", 300.0, float)),
            rate_limit_dir=str(rate_dir) if rate_dir else None,
        )

    @property
    def company_id(self) -> int:
        """The Procore company every call is made for (``Procore-Company-Id``)."""
        return self._settings.company_id

    @property
    def api_base_url(self) -> str:
        """Scheme and host of the REST API, without trailing slash."""
        return self._settings.api_host

    @property
    def login_base_url(self) -> str:
        """Scheme and host of the OAuth token endpoint."""
        return self._settings.login_host

    @property
    def per_page(self) -> int:
        """Default page size for ``paginate``."""
        return self._settings.per_page

    @property
    def max_wait_seconds(self) -> float:
        """Upper bound on the time one request spends waiting on retries and pacing."""
        return self._settings.max_wait_seconds

    @cached_property
    def rate_budget(self) -> SharedRateBudget:
        """The pacing budget shared with every other process calling this company on this host."""
        return SharedRateBudget(
            self._settings.rate_limit_dir,
            self._settings.api_host,
            self._settings.company_id,
            reserve=self.rate_limit_reserve,
        )

    def get_conn(self) -> requests.Session:
        """Return this hook's HTTP session (one per hook instance, reused for connection pooling)."""
        if self._session is None:
            session = requests.Session()
            session.headers.update({"Accept": "application/json", "User-Agent": "procore-erp-sync"})
            self._session = session
        return self._session

    def close(self) -> None:
        """Close the HTTP session."""
        if self._session is not None:
            self._session.close()
            self._session = None

    def __enter__(self) -> ProcoreHook:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---------------------------------------------------------------- token
    def _token_key(self) -> tuple[str, str]:
        return (self._settings.login_host, self._settings.client_id)

    def _token_lock(self) -> threading.Lock:
        with self._token_registry_lock:
            return self._token_locks.setdefault(self._token_key(), threading.Lock())

    def _access_token(self, *, stale: str | None = None) -> str:
        """Return a cached token with more than the renewal margin left, fetching a new one otherwise.

        ``stale`` is a token Procore just refused (401): it is never returned again, but if another hook
        already replaced it, that replacement is used instead of fetching yet another.
        """
        key = self._token_key()
        with self._token_lock():
            cached = self._token_cache.get(key)
            if cached is not None and cached.access_token != stale:
                if cached.expires_at - time.time() > self.token_renew_margin_seconds:
                    return cached.access_token
            fresh = self._fetch_token()
            self._token_cache[key] = fresh
            return fresh.access_token

    @classmethod
    def clear_token_cache(cls) -> None:
        """Forget every cached token (tests; credential rotation)."""
        with cls._token_registry_lock:
            cls._token_cache.clear()

    def _fetch_token(self) -> _CachedToken:
        """Client-credentials grant through requests-oauthlib; retriable failures raise the retry markers."""
        settings = self._settings
        token_url = f"{settings.login_host}/oauth/token"
        oauth = OAuth2Session(client=BackendApplicationClient(client_id=settings.client_id))
        oauth.register_compliance_hook("access_token_response", self._check_token_response)
        started = time.time()
        try:
            with _oauth_transport_allowed(token_url):
                token = oauth.fetch_token(
                    token_url,
                    client_id=settings.client_id,
                    client_secret=settings.client_secret,
                    include_client_id=True,
                    timeout=self.timeout,
                )
        except _CONNECTION_ERRORS as exc:
            raise _ConnectionFailure(exc, retriable=True) from None  # token requests are idempotent
        except OAuth2Error as exc:
            raise ProcoreAPIError(
                f"token request refused: {exc.error}: {exc.description or ''}".strip(),
                status_code=exc.status_code,
                method="POST",
                path="/oauth/token",
            ) from None
        finally:
            oauth.close()
        access_token = str(token["access_token"])
        _remember_secret(access_token)
        expires_in = float(token.get("expires_in") or 5400)
        self.log.info(
            "Fetched a Procore access token for client %s at %s (expires in %.0fs)",
            settings.client_id,
            settings.login_host,
            expires_in,
        )
        return _CachedToken(access_token=access_token, expires_at=started + expires_in)

    @staticmethod
    def _check_token_response(response: requests.Response) -> requests.Response:
        """Turn 429/5xx from the token endpoint into retry markers before oauthlib parses the body."""
        if response.status_code in RETRIABLE_STATUSES:
            _, message = _error_details(response)
            raise _RetriableStatus(response.status_code, message, _resume_at(response))
        if response.status_code >= 400:
            errors, message = _error_details(response)
            try:
                body = response.json()
            except ValueError:
                body = None
            if not (isinstance(body, dict) and "error" in body):
                raise ProcoreAPIError(
                    f"token request refused: {message}",
                    status_code=response.status_code,
                    errors=errors,
                    method="POST",
                    path="/oauth/token",
                )
        return response  # OAuth-shaped errors are parsed (and raised) by oauthlib

    # ---------------------------------------------------------------- requests
    def _url(self, path: str) -> str:
        if path.startswith(("http://", "https://")):
            return path
        return f"{self._settings.api_host}/{path.lstrip('/')}"

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        retry_on_connection_error: bool = True,
        timeout: float | tuple[float, float] | None = None,
    ) -> requests.Response:
        """Make one API call with auth, company header, shared pacing and bounded retries.

        Raises ProcoreAPIError for non-retriable failures and ProcoreRetryExhausted when 429/5xx/connection
        errors outlast ``max_wait_seconds`` or the attempt cap. Pass ``retry_on_connection_error=False``
        for non-idempotent calls (a POST whose connection dropped may still have been applied).
        """
        method = method.upper()
        url = self._url(path)
        max_wait = self.max_wait_seconds
        started = time.monotonic()

        def attempt() -> requests.Response:
            remaining = max(0.0, max_wait - (time.monotonic() - started))
            return self._attempt(
                method, url, path, params, json, retry_on_connection_error, timeout, remaining
            )

        def give_up(retry_state: tenacity.RetryCallState) -> requests.Response:
            raise self._exhausted(method, path, retry_state, max_wait) from None

        retrying = tenacity.Retrying(
            retry=tenacity.retry_if_exception_type((_RetriableStatus, _ConnectionFailure)),
            wait=_ProcoreWait(self.backoff_base_seconds, self.backoff_max_seconds, self._rng),
            stop=(
                tenacity.stop_after_attempt(self.max_attempts)
                | tenacity.stop_before_delay(max_wait)
                | _StopOnOptOut()
            ),
            before_sleep=self._log_retry(method, path),
            retry_error_callback=give_up,
        )
        return retrying(attempt)

    def _attempt(
        self,
        method: str,
        url: str,
        path: str,
        params: Mapping[str, Any] | None,
        json: Any,
        retry_on_connection_error: bool,
        timeout: float | tuple[float, float] | None,
        pacing_budget: float,
    ) -> requests.Response:
        """One attempt: token, pacing slot, send; a 401 renews the token and resends exactly once."""
        session = self.get_conn()
        refused_token: str | None = None
        while True:
            token = self._access_token(stale=refused_token)
            try:
                probe = self.rate_budget.acquire(max_wait=pacing_budget)
            except RateBudgetExhausted as exc:
                raise ProcoreRetryExhausted(
                    f"gave up before sending: the shared Procore rate-limit budget for company "
                    f"{self.company_id} is used up for {exc.wait_seconds:.1f}s more, beyond "
                    f"max_wait_seconds={self.max_wait_seconds:g}; last status: none (request not sent)",
                    status_code=None,
                    attempts=0,
                    waited_seconds=0.0,
                    elapsed_seconds=0.0,
                    last_error=str(exc),
                    method=method,
                    path=path,
                ) from None
            headers = {
                "Authorization": f"Bearer {token}",
                "Procore-Company-Id": str(self.company_id),
            }
            try:
                response = session.request(
                    method, url, params=params, json=json, headers=headers, timeout=timeout or self.timeout
                )
            except BaseException as exc:
                self.rate_budget.release(probe)  # else other processes wait out the probe timeout
                if isinstance(exc, _CONNECTION_ERRORS):
                    raise _ConnectionFailure(exc, retriable=retry_on_connection_error) from None
                raise
            self.rate_budget.update(response.headers, probe)

            status = response.status_code
            if status == 401 and refused_token is None:
                self.log.info("Procore answered 401 on %s %s; renewing the access token once", method, path)
                refused_token = token
                continue
            if status in RETRIABLE_STATUSES:
                _, message = _error_details(response)
                raise _RetriableStatus(status, message, _resume_at(response))
            if status >= 400:
                raise ProcoreAPIError.from_response(response, method, path)
            return response

    def _log_retry(self, method: str, path: str) -> Callable[[tenacity.RetryCallState], None]:
        def before_sleep(retry_state: tenacity.RetryCallState) -> None:
            exc = retry_state.outcome.exception() if retry_state.outcome else None
            self.log.warning(
                "Procore %s %s failed (%s); retrying in %.1fs (attempt %d of at most %d)",
                method,
                path,
                exc,
                retry_state.upcoming_sleep,
                retry_state.attempt_number + 1,
                self.max_attempts,
            )

        return before_sleep

    def _exhausted(
        self, method: str, path: str, retry_state: tenacity.RetryCallState, max_wait: float
    ) -> ProcoreRetryExhausted:
        exc = retry_state.outcome.exception() if retry_state.outcome else None
        status = exc.status if isinstance(exc, _RetriableStatus) else None
        elapsed = retry_state.seconds_since_start or 0.0
        waited = retry_state.idle_for
        last = str(exc) if exc is not None else "unknown error"
        if isinstance(exc, _ConnectionFailure) and not exc.retriable:
            reason = "connection failed and retries are disabled for this request (it may have been applied)"
        elif retry_state.attempt_number >= self.max_attempts:
            reason = f"attempt cap of {self.max_attempts} reached"
        else:
            reason = (
                f"the next wait of {retry_state.upcoming_sleep:.1f}s "
                f"would exceed max_wait_seconds={max_wait:g}"
            )
        message = (
            f"gave up after {retry_state.attempt_number} attempt(s) and {waited:.1f}s of waiting "
            f"({elapsed:.1f}s in total): {reason}; last status: "
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

    def get_json(self, path: str, params: Mapping[str, Any] | None = None) -> Any:
        """GET ``path`` and return its decoded JSON body."""
        return self.request("GET", path, params=params).json()

    def paginate(
        self, path: str, params: Mapping[str, Any] | None = None, *, per_page: int | None = None
    ) -> Iterator[dict[str, Any]]:
        """Yield every record of a list endpoint, page by page (``page``/``per_page``).

        Stops when the ``Link`` header has no ``rel="next"``; without a Link header, when ``Total`` is
        reached or a page comes back short.
        """
        size = int(per_page or self.per_page)
        base = dict(params or {})
        page = int(base.pop("page", 1))
        base.pop("per_page", None)
        seen = 0
        while True:
            response = self.request("GET", path, params={**base, "page": page, "per_page": size})
            records = response.json()
            if not isinstance(records, list):
                raise ProcoreAPIError(
                    f"expected a JSON array from a list endpoint, got {type(records).__name__}",
                    status_code=response.status_code,
                    method="GET",
                    path=path,
                )
            yield from records
            seen += len(records)
            if not records:
                return
            if "link" in response.headers:
                if "next" not in response.links:
                    return
            else:
                total = response.headers.get("Total", "")
                served = response.headers.get("Per-Page", "")  # the server may clamp per_page
                if total.isdigit():
                    if seen >= int(total):
                        return
                elif len(records) < (int(served) if served.isdigit() else size):
                    return
            page += 1

    # ---------------------------------------------------------------- sync actions
    def sync(
        self,
        path: str,
        items: Sequence[Mapping[str, Any]] | Iterable[Mapping[str, Any]],
        *,
        body_scope: Mapping[str, Any] | None = None,
        query_scope: Mapping[str, Any] | None = None,
        items_key: str = "updates",
        chunk_size: int = MAX_SYNC_CHUNK,
        method: str = "PATCH",
        retry_on_connection_error: bool | None = None,
    ) -> list[SyncOutcome]:
        """Submit items to a sync endpoint in chunks of ≤1,000 and account for every item.

        Returns one SyncOutcome per item, in submission order. A chunk whose request fails as a whole
        (4xx, retries exhausted, dropped connection) gives each of its items a ``transport_error``; the
        other chunks still run. Connection errors are retried unless ``method`` is POST (override with
        ``retry_on_connection_error``).
        """
        if not 1 <= chunk_size <= MAX_SYNC_CHUNK:
            raise ValueError(f"chunk_size must be between 1 and {MAX_SYNC_CHUNK}, got {chunk_size}")
        submitted = [dict(item) for item in items]
        retry_conn = (
            method.upper() != "POST" if retry_on_connection_error is None else retry_on_connection_error
        )
        outcomes: list[SyncOutcome] = []
        chunks = [submitted[i : i + chunk_size] for i in range(0, len(submitted), chunk_size)]
        for number, chunk in enumerate(chunks, start=1):
            offset = (number - 1) * chunk_size
            body = {**(body_scope or {}), items_key: chunk}
            try:
                response = self.request(
                    method,
                    path,
                    params=query_scope,
                    json=body,
                    retry_on_connection_error=retry_conn,
                )
                payload = response.json()
            except (ProcoreAPIError, requests.RequestException, ValueError) as exc:
                message = _redact(str(exc)) or type(exc).__name__
                self.log.error(
                    "Procore sync %s chunk %d/%d (%d items) failed as a whole: %s",
                    path,
                    number,
                    len(chunks),
                    len(chunk),
                    message,
                )
                outcomes.extend(
                    SyncOutcome(offset + i, item, None, None, message) for i, item in enumerate(chunk)
                )
                continue
            chunk_outcomes = match_sync_response(chunk, payload, offset=offset)
            failed = sum(1 for o in chunk_outcomes if not o.ok)
            self.log.info(
                "Procore sync %s chunk %d/%d: %d items, %d ok, %d with errors",
                path,
                number,
                len(chunks),
                len(chunk),
                len(chunk) - failed,
                failed,
            )
            outcomes.extend(chunk_outcomes)
        return outcomes

    # ---------------------------------------------------------------- connection test
    def test_connection(self) -> tuple[bool, str]:
        """Fetch a token, call /me and /companies, and check the configured company is visible."""
        try:
            me = self.get_json("/rest/v1.0/me")
            companies = list(self.paginate("/rest/v1.0/companies"))
        except Exception as exc:  # the UI shows the message; it must never propagate
            return False, _redact(f"{type(exc).__name__}: {exc}")
        who = me.get("login") or me.get("name") or me.get("id") if isinstance(me, dict) else None
        company = next((c for c in companies if str(c.get("id")) == str(self.company_id)), None)
        if company is None:
            visible = ", ".join(str(c.get("id")) for c in companies[:20]) or "none"
            return False, (
                f"Authenticated as {who}, but company {self.company_id} is not visible to this app "
                f"(visible: {visible}); is the service account installed in that company?"
            )
        return True, f"Connected as {who}; company {self.company_id} ({company.get('name')}) is visible."


# --------------------------------------------------------------------------------------------------
# Matching a sync response back to the submitted items
# --------------------------------------------------------------------------------------------------
def _key(record: Mapping[str, Any], field: str) -> str | None:
    value = record.get(field)
    return None if value is None or value == "" else str(value)


def _normalise_errors(errors: Any) -> dict[str, list[str]]:
    if isinstance(errors, dict):
        return {str(k): [str(m) for m in (v if isinstance(v, list) else [v])] for k, v in errors.items()}
    if isinstance(errors, list):
        return {"base": [str(m) for m in errors]}
    return {"base": [str(errors)]}


def _same_item(error_entry: Mapping[str, Any], item: Mapping[str, Any]) -> bool:
    return {k: v for k, v in error_entry.items() if k != "errors"} == dict(item)


def match_sync_response(
    items: Sequence[dict[str, Any]], payload: Any, *, offset: int = 0
) -> list[SyncOutcome]:
    """Pair each submitted item with its entity or error entry from a sync response.

    Items are matched by ``origin_id``, else by ``id``; several items with one key take matches in
    order (an error entry equal to the item first). Keyless items take the remaining unmatched error
    entries equal to them, then unmatched entities without origin_id, in order. Unmatched items get
    ``{"base": ["missing from Procore's sync response"]}``.
    """
    entities: list[Any] = []
    errors: list[Any] = []
    if isinstance(payload, list):  # budget line items' sync returns a plain array of entities
        entities = payload
    elif isinstance(payload, dict):
        entities = list(payload.get("entities") or [])
        errors = list(payload.get("errors") or [])

    # (key field, key value) -> positions in `entities` / `errors`, in response order
    by_key: dict[tuple[str, str], dict[str, list[int]]] = {}
    for kind, records in (("entity", entities), ("error", errors)):
        for position, record in enumerate(records):
            if not isinstance(record, dict):
                continue
            for key_field in ("origin_id", "id"):
                value = _key(record, key_field)
                if value is not None:
                    slot = by_key.setdefault((key_field, value), {"entity": [], "error": []})
                    slot[kind].append(position)

    used: dict[str, set[int]] = {"entity": set(), "error": set()}

    def is_error_of(item: Mapping[str, Any]) -> Callable[[int], bool]:
        return lambda p: isinstance(errors[p], dict) and _same_item(errors[p], item)

    def claim(kind: str, candidates: Iterable[int], accept: Callable[[int], bool]) -> int | None:
        for position in candidates:
            if position not in used[kind] and accept(position):
                used[kind].add(position)
                return position
        return None

    def outcome(i: int, *, entity: int | None = None, error: int | None = None) -> SyncOutcome:
        if error is not None:
            return SyncOutcome(
                offset + i, items[i], None, _normalise_errors(errors[error].get("errors")), None
            )
        return SyncOutcome(offset + i, items[i], entities[entity] if entity is not None else None, None, None)

    results: list[SyncOutcome | None] = [None] * len(items)
    keyless: list[int] = []
    for i, item in enumerate(items):
        key_field = "origin_id" if _key(item, "origin_id") is not None else "id"
        value = _key(item, key_field)
        if value is None:
            keyless.append(i)
            continue
        slot = by_key.get((key_field, value), {"entity": [], "error": []})
        own_error = claim("error", slot["error"], is_error_of(item))
        if own_error is not None:
            results[i] = outcome(i, error=own_error)
        elif (entity := claim("entity", slot["entity"], lambda p: True)) is not None:
            results[i] = outcome(i, entity=entity)
        elif (other_error := claim("error", slot["error"], lambda p: True)) is not None:
            results[i] = outcome(i, error=other_error)

    for i in keyless:
        own_error = claim("error", range(len(errors)), is_error_of(items[i]))
        if own_error is not None:
            results[i] = outcome(i, error=own_error)
            continue
        entity = claim(
            "entity",
            range(len(entities)),
            lambda p: isinstance(entities[p], dict) and _key(entities[p], "origin_id") is None,
        )
        if entity is not None:
            results[i] = outcome(i, entity=entity)

    return [
        found
        if found is not None
        else SyncOutcome(offset + i, items[i], None, {"base": ["missing from Procore's sync response"]}, None)
        for i, found in enumerate(results)
    ]
