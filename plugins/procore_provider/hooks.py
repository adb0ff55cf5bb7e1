"""ProcoreHook: the one place that owns Procore auth, session, pacing, retries, pagination and sync calls.

Operators and tasks never import ``requests``; they call ``request``/``get_json``/``paginate``/``sync``.
Retriable vs fatal follows the project style guide: 429 waits until the rate window resets, 502/503/504
and connection errors back off exponentially (honouring ``Retry-After``), other 4xx fail at once with
Procore's message; Airflow task retries are the outer loop only.

The hook composes the provider's modules: ``connection`` (settings), ``auth`` (tokens), ``pacing``
(shared rate budget), ``retry`` (policy), ``responses`` (reading answers) and ``errors``. The names
other code imports from here are re-exported.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, ClassVar, TypeAlias

import requests
import tenacity
from airflow.sdk.bases.hook import BaseHook

from procore_provider.auth import TOKEN_PATH, CachedToken, TokenCache, TokenKey, fetch_token
from procore_provider.connection import (
    DEFAULT_PER_PAGE,
    ConnectionOverrides,
    Settings,
    read_settings,
    resolve_hosts,
)
from procore_provider.errors import (
    ConnectionFailure,
    ProcoreAPIError,
    ProcoreAuthError,
    ProcoreRetryExhausted,
    RateBudgetExhausted,
)
from procore_provider.pacing import SharedRateBudget
from procore_provider.redaction import redact
from procore_provider.responses import SyncOutcome, is_last_page, match_sync_response
from procore_provider.retry import CONNECTION_ERRORS, RETRIABLE_STATUSES, RetryPolicy, raise_if_retriable

GATEWAY_STATUSES = frozenset({502, 503, 504})

__all__ = [
    "DEFAULT_PER_PAGE",
    "MAX_SYNC_CHUNK",
    "RETRIABLE_STATUSES",
    "ProcoreAPIError",
    "ProcoreHook",
    "ProcoreRetryExhausted",
    "SyncOutcome",
    "match_sync_response",
    "resolve_hosts",
]

#: Procore's limit on items per sync-action call.
MAX_SYNC_CHUNK = 1000

Timeout: TypeAlias = float | tuple[float, float]


@dataclass(frozen=True)
class _Call:
    """One API call as ``request`` was asked to make it; every attempt sends it unchanged."""

    method: str
    url: str
    path: str
    params: Mapping[str, Any] | None
    json: Any
    retry_on_connection_error: bool
    timeout: Timeout | None


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
    _token_cache: ClassVar[TokenCache] = TokenCache()

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
        timeout: Timeout = (10.0, 120.0),
        logger_name: str | None = None,
    ) -> None:
        super().__init__(logger_name=logger_name)
        self.procore_conn_id = procore_conn_id
        self._auth_failure: ProcoreAuthError | None = None
        self._token_unavailable = False
        self._overrides: ConnectionOverrides = {
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
    def _settings(self) -> Settings:
        """Read the connection once, validating extras with errors that name the setting."""
        conn = self.get_connection(self.procore_conn_id)
        return read_settings(conn, self.procore_conn_id, self._overrides)

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
    def _token_key(self) -> TokenKey:
        return (self._settings.login_host, self._settings.client_id)

    def _access_token(self, *, stale: str | None = None) -> str:
        """Return a token with more than the renewal margin left; ``stale`` (just refused) never again."""
        return self._token_cache.token(
            self._token_key(),
            self._fetch_token,
            renew_margin_seconds=self.token_renew_margin_seconds,
            stale=stale,
        )

    @classmethod
    def clear_token_cache(cls) -> None:
        """Forget every cached token (tests; credential rotation)."""
        cls._token_cache.clear()

    def _fetch_token(self) -> CachedToken:
        """Fetch a new token for this hook's app (a separate method so tests can count or fake fetches)."""
        settings = self._settings
        token = fetch_token(settings, timeout=self.timeout)
        self.log.info(
            "Fetched a Procore access token for client %s at %s (expires in %.0fs)",
            settings.client_id,
            settings.login_host,
            token.expires_in,
        )
        return token

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
        timeout: Timeout | None = None,
    ) -> requests.Response:
        """Make one API call with auth, company header, shared pacing and bounded retries.

        Raises ProcoreAPIError for non-retriable failures and ProcoreRetryExhausted when 429/5xx/connection
        errors outlast ``max_wait_seconds`` or the attempt cap. Pass ``retry_on_connection_error=False``
        for non-idempotent calls (a POST whose connection dropped, or answered 502/503/504 by a gateway,
        may still have been applied): those are not resent; a 429 still is (Procore refused it unread).
        """
        if self._auth_failure is not None:
            raise self._auth_failure
        method = method.upper()
        call = _Call(
            method=method,
            url=self._url(path),
            path=path,
            params=params,
            json=json,
            retry_on_connection_error=retry_on_connection_error,
            timeout=timeout,
        )
        policy = RetryPolicy(
            max_attempts=self.max_attempts,
            max_wait_seconds=self.max_wait_seconds,
            backoff_base_seconds=self.backoff_base_seconds,
            backoff_max_seconds=self.backoff_max_seconds,
            rng=self._rng,
        )
        started = time.monotonic()

        def attempt() -> requests.Response:
            return self._attempt(call, max(0.0, policy.max_wait_seconds - (time.monotonic() - started)))

        try:
            return policy.call(attempt, method=method, path=path, before_sleep=self._log_retry(method, path))
        except ProcoreRetryExhausted as exc:
            if not self._token_unavailable:
                raise
            raise self._auth_failed(f"the token endpoint stayed unavailable: {exc.last_error}") from None

    def _auth_failed(self, reason: str, status_code: int | None = None) -> ProcoreAuthError:
        """Remembers that this connection cannot authenticate: later calls fail at once."""
        settings = self._settings
        self._auth_failure = ProcoreAuthError(
            f"no access token for client {settings.client_id} from {settings.login_host}: {reason} "
            f"(check the connection {self.procore_conn_id!r}: client id, secret, login host)",
            status_code=status_code,
            method="POST",
            path=TOKEN_PATH,
        )
        self.log.error("%s", self._auth_failure)
        return self._auth_failure

    def _attempt(self, call: _Call, pacing_budget: float) -> requests.Response:
        """One attempt: token, pacing slot, send; a 401 renews the token and resends exactly once."""
        session = self.get_conn()
        refused_token: str | None = None
        while True:
            self._token_unavailable = True
            try:
                token = self._access_token(stale=refused_token)
            except ProcoreAPIError as exc:  # refused credentials: no retry or other record can help
                raise self._auth_failed(exc.message, exc.status_code) from None
            self._token_unavailable = False
            response = self._send(session, call, token, pacing_budget)
            if response.status_code == 401 and refused_token is None:
                self.log.info(
                    "Procore answered 401 on %s %s; renewing the access token once", call.method, call.path
                )
                refused_token = token
                continue
            if not call.retry_on_connection_error and response.status_code in GATEWAY_STATUSES:
                # A gateway error may hide a write Procore applied: a non-idempotent call is never
                # resent blindly; its caller looks the record up before trying again.
                raise ConnectionFailure(
                    RuntimeError(
                        f"HTTP {response.status_code} from a gateway on {call.method} {call.path}: "
                        "the write may have been applied, so it is not resent"
                    ),
                    retriable=False,
                )
            raise_if_retriable(response)
            if response.status_code >= 400:
                raise ProcoreAPIError.from_response(response, call.method, call.path)
            return response

    def _send(
        self, session: requests.Session, call: _Call, token: str, pacing_budget: float
    ) -> requests.Response:
        """Send once inside the shared pacing budget, and fold the answer's rate headers back into it."""
        probe = self._acquire_slot(call, pacing_budget)
        headers = {
            "Authorization": f"Bearer {token}",
            "Procore-Company-Id": str(self.company_id),
        }
        try:
            response = session.request(
                call.method,
                call.url,
                params=call.params,
                json=call.json,
                headers=headers,
                timeout=call.timeout or self.timeout,
            )
        except BaseException as exc:
            self.rate_budget.release(probe)  # else other processes wait out the probe timeout
            if isinstance(exc, CONNECTION_ERRORS):
                raise ConnectionFailure(exc, retriable=call.retry_on_connection_error) from None
            raise
        self.rate_budget.update(response.headers, probe)
        return response

    def _acquire_slot(self, call: _Call, pacing_budget: float) -> bool:
        """Take a pacing slot (True for a probe); a budget empty beyond ``pacing_budget`` fails unsent."""
        try:
            return self.rate_budget.acquire(max_wait=pacing_budget)
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
                method=call.method,
                path=call.path,
            ) from None

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
            if is_last_page(response, len(records), seen, size):
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

        def send(chunk: list[dict[str, Any]]) -> requests.Response:
            body = {**(body_scope or {}), items_key: chunk}
            return self.request(
                method, path, params=query_scope, json=body, retry_on_connection_error=retry_conn
            )

        outcomes: list[SyncOutcome] = []
        chunks = [submitted[i : i + chunk_size] for i in range(0, len(submitted), chunk_size)]
        for number, chunk in enumerate(chunks, start=1):
            offset = (number - 1) * chunk_size
            outcomes.extend(self._sync_chunk(send, path, chunk, offset, (number, len(chunks))))
        return outcomes

    def _sync_chunk(
        self,
        send: Callable[[list[dict[str, Any]]], requests.Response],
        path: str,
        chunk: list[dict[str, Any]],
        offset: int,
        position: tuple[int, int],
    ) -> list[SyncOutcome]:
        """Send one chunk; a failure of the whole request becomes a ``transport_error`` on each item."""
        number, total = position
        try:
            payload = send(chunk).json()
        except ProcoreAuthError:
            raise  # nothing can be sent with this connection: the caller's task ends
        except (ProcoreAPIError, requests.RequestException, ValueError) as exc:
            message = redact(str(exc)) or type(exc).__name__
            self.log.error(
                "Procore sync %s chunk %d/%d (%d items) failed as a whole: %s",
                path,
                number,
                total,
                len(chunk),
                message,
            )
            return [SyncOutcome(offset + i, item, None, None, message) for i, item in enumerate(chunk)]
        outcomes = match_sync_response(chunk, payload, offset=offset)
        failed = sum(1 for o in outcomes if not o.ok)
        self.log.info(
            "Procore sync %s chunk %d/%d: %d items, %d ok, %d with errors",
            path,
            number,
            total,
            len(chunk),
            len(chunk) - failed,
            failed,
        )
        return outcomes

    # ---------------------------------------------------------------- connection test
    def test_connection(self) -> tuple[bool, str]:
        """Fetch a token, call /me and /companies, and check the configured company is visible."""
        try:
            me = self.get_json("/rest/v1.0/me")
            companies = list(self.paginate("/rest/v1.0/companies"))
        except Exception as exc:  # the UI shows the message; it must never propagate
            return False, redact(f"{type(exc).__name__}: {exc}")
        who = me.get("login") or me.get("name") or me.get("id") if isinstance(me, dict) else None
        company = next((c for c in companies if str(c.get("id")) == str(self.company_id)), None)
        if company is None:
            visible = ", ".join(str(c.get("id")) for c in companies[:20]) or "none"
            return False, (
                f"Authenticated as {who}, but company {self.company_id} is not visible to this app "
                f"(visible: {visible}); is the service account installed in that company?"
            )
        return True, f"Connected as {who}; company {self.company_id} ({company.get('name')}) is visible."
