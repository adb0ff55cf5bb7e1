"""Reading a ``procore`` Airflow connection into validated settings.

Extras are validated on load with errors that name the setting (and never show the secret); hook keyword
arguments override extras, never the secret, which only ever comes from the connection.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypedDict, TypeVar
from urllib.parse import urlsplit

from procore_provider.provider_info import ENVIRONMENT_HOSTS
from procore_provider.redaction import remember_secret

if TYPE_CHECKING:
    from airflow.sdk import Connection

__all__ = [
    "DEFAULT_MAX_WAIT_SECONDS",
    "DEFAULT_PER_PAGE",
    "ConnectionOverrides",
    "Settings",
    "read_settings",
    "resolve_hosts",
]

#: Large pages spend less of the hourly request budget; Procore recommends at most 2,000.
DEFAULT_PER_PAGE = 1000
DEFAULT_MAX_WAIT_SECONDS = 300.0
_ENVIRONMENT_ALIASES = {"developer_sandbox": "sandbox", "monthly": "monthly_sandbox"}

_N = TypeVar("_N", int, float)


class ConnectionOverrides(TypedDict):
    """Hook keyword arguments that win over the connection's extras when not None."""

    company_id: int | None
    environment: str | None
    api_host: str | None
    login_host: str | None
    per_page: int | None
    max_wait_seconds: float | None
    rate_limit_dir: str | None


@dataclass(frozen=True, repr=False)
class Settings:
    """Everything the hook reads from its connection, after overrides (secret kept out of repr)."""

    conn_id: str
    client_id: str
    client_secret: str = ""
    company_id: int = 0
    api_host: str = ""
    login_host: str = ""
    per_page: int = DEFAULT_PER_PAGE
    max_wait_seconds: float = DEFAULT_MAX_WAIT_SECONDS
    rate_limit_dir: str | None = None

    def __repr__(self) -> str:
        return (
            f"Settings(conn_id={self.conn_id!r}, client_id={self.client_id!r}, "
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
    env = _ENVIRONMENT_ALIASES.get(env, env)
    if env not in ENVIRONMENT_HOSTS:
        raise ValueError(
            f"Connection {conn_id!r}: extra 'environment' must be one of {sorted(ENVIRONMENT_HOSTS)}, "
            f"got {environment!r}"
        )
    default_login, default_api = ENVIRONMENT_HOSTS[env]
    login = _normalise_host(login_host, "login_host", conn_id) if login_host else default_login
    api = _normalise_host(api_host, "api_host", conn_id) if api_host else default_api
    return login, api


def read_settings(conn: Connection, conn_id: str, overrides: ConnectionOverrides) -> Settings:
    """Validate ``conn`` (with ``overrides``) into Settings; errors name the setting, never the secret."""
    if not conn.login or not conn.password:
        raise ValueError(
            f"Connection {conn_id!r}: login (client id) and password (client secret) are required"
        )
    remember_secret(conn.password)
    extras = _Extras(conn_id, dict(conn.extra_dejson or {}), overrides)
    company_id = extras.company_id()
    login, api = resolve_hosts(
        extras.get("environment"), extras.get("api_host"), extras.get("login_host"), conn_id=conn_id
    )
    per_page = extras.per_page()
    rate_dir = extras.get("rate_limit_dir")
    return Settings(
        conn_id=conn_id,
        client_id=str(conn.login),
        client_secret=str(conn.password),
        company_id=company_id,
        api_host=api,
        login_host=login,
        per_page=per_page,
        max_wait_seconds=max(0.0, extras.number("max_wait_seconds", DEFAULT_MAX_WAIT_SECONDS, float)),
        rate_limit_dir=str(rate_dir) if rate_dir else None,
    )


class _Extras:
    """A connection's extras as the hook reads them: override first, then ``name``, then the legacy
    ``extra__procore__name`` that older connection forms saved."""

    def __init__(self, conn_id: str, extras: Mapping[str, Any], overrides: ConnectionOverrides) -> None:
        self.conn_id = conn_id
        self.extras = extras
        self.overrides = overrides

    def get(self, name: str) -> Any:
        override = self.overrides.get(name)
        if override is not None:
            return override
        for key in (name, f"extra__procore__{name}"):
            if self.extras.get(key) not in (None, ""):
                return self.extras[key]
        return None

    def number(self, name: str, default: _N, kind: Callable[[Any], _N]) -> _N:
        value = self.get(name)
        if value is None:
            return kind(default)
        try:
            return kind(value)
        except (TypeError, ValueError):
            raise ValueError(
                f"Connection {self.conn_id!r}: extra {name!r} must be a number, got {value!r}"
            ) from None

    def company_id(self) -> int:
        raw = self.get("company_id")
        if raw is None:
            raise ValueError(
                f"Connection {self.conn_id!r}: extra 'company_id' is required (Procore company id)"
            )
        try:
            return int(raw)
        except (TypeError, ValueError):
            raise ValueError(
                f"Connection {self.conn_id!r}: extra 'company_id' must be an integer, got {raw!r}"
            ) from None

    def per_page(self) -> int:
        per_page = self.number("per_page", DEFAULT_PER_PAGE, int)
        if not 1 <= per_page <= 2000:
            raise ValueError(
                f"Connection {self.conn_id!r}: extra 'per_page' must be between 1 and 2000, got {per_page}"
            )
        return per_page
