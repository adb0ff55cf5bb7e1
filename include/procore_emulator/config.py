"""Settings of one emulator instance: the credentials it accepts, the company it serves, its limits, faults.

Plain frozen dataclasses so tests and the CLI can build them with keywords and change them with
``dataclasses.replace``; JSON from the admin surface is checked by :func:`faults_from_json` and
:func:`limits_from_json` with errors that name the offending key.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class FaultConfig:
    """Failures to inject into API calls, all off by default.

    ``error_rate`` is the share of API requests answered with ``error_status`` (and ``Retry-After`` when
    ``retry_after_seconds`` is set); ``storm_429`` refuses the next N API requests with 429;
    ``drop_after_write_rate`` is the share of successful writes whose change is kept but whose
    connection is closed without a response, the case an idempotent client must survive.
    Faults skip ``/oauth/token`` unless ``include_oauth`` is set.
    """

    error_rate: float = 0.0
    error_status: int = 503
    retry_after_seconds: int | None = 1
    latency_ms: int = 0
    storm_429: int = 0
    drop_after_write_rate: float = 0.0
    seed: int | None = None
    include_oauth: bool = False

    def __post_init__(self) -> None:
        for name in ("error_rate", "drop_after_write_rate"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"FaultConfig.{name} must be between 0 and 1, got {value!r}")
        if not 400 <= self.error_status <= 599:
            raise ValueError(
                f"FaultConfig.error_status must be a 4xx or 5xx status, got {self.error_status!r}"
            )
        for name in ("latency_ms", "storm_429"):
            if getattr(self, name) < 0:
                raise ValueError(f"FaultConfig.{name} must not be negative")
        if self.retry_after_seconds is not None and self.retry_after_seconds < 0:
            raise ValueError("FaultConfig.retry_after_seconds must not be negative")


@dataclass(frozen=True)
class EmulatorConfig:
    """Everything that distinguishes one emulated Procore sandbox from another.

    The defaults mirror Procore's documented behaviour (90-minute tokens, 3,600 requests per hour, a
    10-second spike window, 1,000 items per sync call); tests shrink the limits to provoke 429s quickly.
    """

    client_id: str = "demo-client-id"
    client_secret: str = field(default="demo-client-secret", repr=False)
    company_id: int = 4321
    company_name: str = "Demo Builders Inc."
    company_country_code: str = "US"
    token_ttl_seconds: int = 5400
    hourly_limit: int = 3600
    hourly_window_seconds: int = 3600
    spike_limit: int = 25
    spike_window_seconds: float = 10
    faults: FaultConfig = field(default_factory=FaultConfig)
    user_id: int = 7700001
    user_name: str = "ERP Sync Service Account"
    user_login: str = "erp-sync-service-account@example.invalid"
    default_per_page: int = 100
    max_per_page: int = 1000
    sync_batch_limit: int = 1000
    state_file: str | None = None
    workflow_controlled: frozenset[str] = frozenset()
    """Resources whose ``status`` a Procore workflow governs (``EmulatorState.set_workflow_controlled``)."""
    write_hold_ms: int = 0
    """How long a write to a direct cost holds it before applying (to provoke 409 Conflict in tests)."""
    admin_token: str | None = field(default=None, repr=False)
    """When set, the ``/_emulator/`` admin surface requires ``Authorization: Bearer <admin_token>``
    (``--admin-token`` / ``PROCORE_EMULATOR_ADMIN_TOKEN``); unset, it is open (loopback use)."""
    request_log: str | None = None
    """A file to append every API and token request to as JSON lines (``requestlog.py``); None: the
    ``PROCORE_EMULATOR_REQUEST_LOG`` environment variable's, else no file."""

    def __post_init__(self) -> None:
        if not self.client_id or not self.client_secret:
            raise ValueError("EmulatorConfig needs a non-empty client_id and client_secret")
        for name in (
            "token_ttl_seconds",
            "hourly_limit",
            "hourly_window_seconds",
            "spike_limit",
            "spike_window_seconds",
            "default_per_page",
            "max_per_page",
            "sync_batch_limit",
        ):
            if getattr(self, name) <= 0:
                raise ValueError(f"EmulatorConfig.{name} must be positive")
        if self.write_hold_ms < 0:
            raise ValueError("EmulatorConfig.write_hold_ms must not be negative")
        object.__setattr__(self, "workflow_controlled", frozenset(self.workflow_controlled))

    def public_dict(self) -> dict[str, Any]:
        """The settings minus the secret, for the admin surface and logs."""
        data = dataclasses.asdict(self)
        data.pop("client_secret")
        data.pop("admin_token")
        data["workflow_controlled"] = sorted(self.workflow_controlled)
        return data


_FAULT_FIELDS = {f.name: f for f in dataclasses.fields(FaultConfig)}
_LIMIT_FIELDS = ("hourly_limit", "spike_limit", "spike_window_seconds", "hourly_window_seconds")


def _check_number(key: str, value: Any, *, integer: bool, optional: bool = False) -> Any:
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{key} must be a number, got {value!r}")
    if integer and not float(value).is_integer():
        raise ValueError(f"{key} must be an integer, got {value!r}")
    return int(value) if integer else float(value)


def faults_from_json(data: Any, base: FaultConfig | None = None) -> FaultConfig:
    """Builds a FaultConfig from admin JSON; keys left out keep ``base``'s values (or the defaults)."""
    if not isinstance(data, dict):
        raise ValueError("fault settings must be a JSON object")
    unknown = sorted(set(data) - set(_FAULT_FIELDS))
    if unknown:
        raise ValueError(f"unknown fault setting(s): {', '.join(unknown)}")
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key == "include_oauth":
            if not isinstance(value, bool):
                raise ValueError("include_oauth must be true or false")
            values[key] = value
        elif key in ("error_rate", "drop_after_write_rate"):
            values[key] = _check_number(key, value, integer=False)
        else:
            values[key] = _check_number(
                key, value, integer=True, optional=key in ("retry_after_seconds", "seed")
            )
    return dataclasses.replace(base or FaultConfig(), **values)


def limits_from_json(data: Any) -> dict[str, Any]:
    """Validates admin JSON for :meth:`EmulatorState.set_limits`."""
    if not isinstance(data, dict):
        raise ValueError("limit settings must be a JSON object")
    unknown = sorted(set(data) - set(_LIMIT_FIELDS))
    if unknown:
        raise ValueError(f"unknown limit setting(s): {', '.join(unknown)}")
    out: dict[str, Any] = {}
    for key, value in data.items():
        number = _check_number(key, value, integer=key != "spike_window_seconds")
        if number <= 0:
            raise ValueError(f"{key} must be positive")
        out[key] = number
    return out
