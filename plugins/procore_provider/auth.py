"""OAuth client-credentials tokens for Procore, and the process-wide cache that shares them.

Tokens are fetched through requests-oauthlib, whose DEBUG logging of request bodies and token responses
is scrubbed by a redacting filter installed when this module is imported.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TypeAlias

import requests
from oauthlib.oauth2 import BackendApplicationClient, OAuth2Error
from requests_oauthlib import OAuth2Session

from procore_provider.connection import Settings
from procore_provider.errors import ConnectionFailure, ProcoreAPIError
from procore_provider.redaction import RedactingFilter, remember_secret
from procore_provider.responses import error_details
from procore_provider.retry import CONNECTION_ERRORS, raise_if_retriable

__all__ = ["CachedToken", "TokenCache", "TokenKey", "check_token_response", "fetch_token"]

#: Procore's documented lifetime, used when a token response leaves out ``expires_in``.
_DEFAULT_EXPIRES_IN = 5400
TOKEN_PATH = "/oauth/token"

_oauth_logger = logging.getLogger("requests_oauthlib.oauth2_session")
if not any(isinstance(f, RedactingFilter) for f in _oauth_logger.filters):
    _oauth_logger.addFilter(RedactingFilter())

#: (login host, client id): one token serves every hook of that app in the process.
TokenKey: TypeAlias = tuple[str, str]


@dataclass(repr=False)
class CachedToken:
    """An access token, its lifetime and when it expires (unix time); the token is kept out of repr."""

    access_token: str
    expires_at: float
    expires_in: float

    def __repr__(self) -> str:
        return f"CachedToken(expires_at={self.expires_at:.0f})"


class TokenCache:
    """Access tokens per (login host, client id), shared by threads; one fetch at a time per key."""

    def __init__(self) -> None:
        self._tokens: dict[TokenKey, CachedToken] = {}
        self._locks: dict[TokenKey, threading.Lock] = {}
        self._registry_lock = threading.Lock()

    def __getitem__(self, key: TokenKey) -> CachedToken:
        return self._tokens[key]

    def token(
        self,
        key: TokenKey,
        fetch: Callable[[], CachedToken],
        *,
        renew_margin_seconds: float,
        stale: str | None = None,
    ) -> str:
        """Return a cached token with more than the renewal margin left, fetching a new one otherwise.

        ``stale`` is a token Procore just refused (401): it is never returned again, but if another hook
        already replaced it, that replacement is used instead of fetching yet another.
        """
        with self._lock(key):
            cached = self._tokens.get(key)
            if cached is not None and cached.access_token != stale:
                if cached.expires_at - time.time() > renew_margin_seconds:
                    return cached.access_token
            fresh = fetch()
            self._tokens[key] = fresh
            return fresh.access_token

    def clear(self) -> None:
        """Forget every cached token."""
        with self._registry_lock:
            self._tokens.clear()

    def _lock(self, key: TokenKey) -> threading.Lock:
        with self._registry_lock:
            return self._locks.setdefault(key, threading.Lock())


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


def fetch_token(settings: Settings, *, timeout: float | tuple[float, float]) -> CachedToken:
    """Client-credentials grant through requests-oauthlib; retriable failures raise the retry markers."""
    token_url = f"{settings.login_host}{TOKEN_PATH}"
    oauth = OAuth2Session(client=BackendApplicationClient(client_id=settings.client_id))
    oauth.register_compliance_hook("access_token_response", check_token_response)
    started = time.time()
    try:
        with _oauth_transport_allowed(token_url):
            token = oauth.fetch_token(
                token_url,
                client_id=settings.client_id,
                client_secret=settings.client_secret,
                include_client_id=True,
                timeout=timeout,
            )
    except CONNECTION_ERRORS as exc:
        raise ConnectionFailure(exc, retriable=True) from None  # token requests are idempotent
    except OAuth2Error as exc:
        raise ProcoreAPIError(
            f"token request refused: {exc.error}: {exc.description or ''}".strip(),
            status_code=exc.status_code,
            method="POST",
            path=TOKEN_PATH,
        ) from None
    finally:
        oauth.close()
    access_token = str(token["access_token"])
    remember_secret(access_token)
    expires_in = float(token.get("expires_in") or _DEFAULT_EXPIRES_IN)
    return CachedToken(access_token=access_token, expires_at=started + expires_in, expires_in=expires_in)


def check_token_response(response: requests.Response) -> requests.Response:
    """Turn 429/5xx from the token endpoint into retry markers before oauthlib parses the body."""
    raise_if_retriable(response)
    if response.status_code >= 400:
        errors, message = error_details(response)
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
                path=TOKEN_PATH,
            )
    return response  # OAuth-shaped errors are parsed (and raised) by oauthlib
