"""The checks every Procore API call passes before reaching a resource, as one ASGI layer.

Order per ``/rest/`` request: injected latency → count against the rate limits → injected 429 storm →
real 429 → injected error status → bearer token (401) → ``Procore-Company-Id`` header (400/403) →
the route. Every response gets the rate-limit headers; a successful write may then have its
response swallowed and its connection closed (``drop_after_write_rate``), after the change is stored.
Admin calls under ``/_emulator/`` bypass all of it and are not logged. When a request log file is
configured, API and token requests are also appended to it with their body (``requestlog.py``).
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, parse_qsl

from .ratelimit import RateVerdict
from .requestlog import grouped, parse_body
from .state import EmulatorState, RequestLogEntry, Token

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

TOKEN_PATH = "/oauth/token"
WRITE_METHODS = frozenset({"POST", "PATCH", "PUT", "DELETE"})
MISSING_COMPANY_MESSAGE = "Missing Procore-Company-Id header!"
COMPANY_HEADER_OPTIONAL = frozenset({"/rest/v1.0/me", "/rest/v1.0/companies"})
"""Per Procore's reference these two identify the caller and do not need the company header."""

CONTEXT_KEY = "procore.context"
BODY_KEY = "procore.body"


async def _read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            break
    return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that hands the buffered body over once, then waits on the real one."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


class ConnectionDropped(ConnectionError):
    """Raised instead of closing a socket when the app runs without one (e.g. under TestClient)."""


@dataclass
class RequestContext:
    """What the gateway learned about a request, and what the route reports back for the log."""

    client_id: str | None = None
    company_id: int | None = None
    items: int = 0
    dropped: bool = False


def _route_of(path: str) -> str:
    return re.sub(r"/\d+(?=/|$)", "/{id}", path)


async def send_json(send: Send, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
    payload = json.dumps(body, ensure_ascii=False).encode()
    raw_headers = [
        (b"content-type", b"application/json; charset=utf-8"),
        (b"content-length", str(len(payload)).encode()),
    ]
    raw_headers += [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw_headers})
    await send({"type": "http.response.body", "body": payload, "more_body": False})


def _drop_connection(send: Send) -> None:
    """Closes the client's socket with no response. uvicorn passes its per-request cycle's bound
    ``send``, which carries the transport; without one there is no socket to close, so raise."""
    cycle = getattr(send, "__self__", None)
    transport = getattr(cycle, "transport", None)
    if transport is None:
        raise ConnectionDropped("write applied; connection dropped by fault injection")
    transport.close()
    if hasattr(cycle, "disconnected"):
        setattr(cycle, "disconnected", True)  # noqa: B010 - no 500 from uvicorn for the missing response


class Gateway:
    """Wraps the FastAPI app; see the module docstring for what it enforces."""

    def __init__(self, state: EmulatorState) -> None:
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send, downstream: ASGIApp) -> None:
        if scope["type"] != "http":
            await downstream(scope, receive, send)
            return
        path: str = scope["path"]
        if path != TOKEN_PATH and not path.startswith("/rest/"):
            await downstream(scope, receive, send)
            return
        if self.state.request_log_file is not None:
            body = await _read_body(receive)
            scope[BODY_KEY] = body
            receive = _replay(body, receive)
        if path == TOKEN_PATH:
            await self._token(scope, receive, send, downstream)
        else:
            await self._api(scope, receive, send, downstream)

    def _log(self, scope: Scope, status: int, ctx: RequestContext, *, write: bool) -> None:
        self.state.log(
            RequestLogEntry(
                method=scope["method"],
                path=scope["path"],
                status=status,
                write=write,
                items=ctx.items,
                at=time.time(),
                dropped=ctx.dropped,
                route=_route_of(scope["path"]),
                client_id=ctx.client_id,
            )
        )
        log_file = self.state.request_log_file
        if log_file is not None:
            headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
            query = grouped(
                parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
            )
            body = parse_body(scope.get(BODY_KEY, b""), headers.get("content-type", ""))
            log_file.append(scope["method"], scope["path"], query, body, status)

    async def _token(self, scope: Scope, receive: Receive, send: Send, downstream: ASGIApp) -> None:
        ctx = RequestContext()
        scope[CONTEXT_KEY] = ctx
        status = 500
        faults = self.state.faults
        try:
            if faults.config.include_oauth:
                if faults.config.latency_ms:
                    await asyncio.sleep(faults.latency_seconds())
                if faults.take_storm():
                    status = 429
                    await send_json(
                        send,
                        429,
                        {"error": "rate_limited"},
                        {"Retry-After": str(faults.config.retry_after_seconds or 1)},
                    )
                    return
                if faults.roll_error():
                    status = faults.config.error_status
                    await send_json(send, status, {"error": "injected fault"}, self._retry_after())
                    return

            async def capture(message: Message) -> None:
                nonlocal status
                if message["type"] == "http.response.start":
                    status = message["status"]
                await send(message)

            await downstream(scope, receive, capture)
        finally:
            self._log(scope, status, ctx, write=False)

    def _retry_after(self) -> dict[str, str]:
        seconds = self.state.faults.config.retry_after_seconds
        return {"Retry-After": str(seconds)} if seconds is not None else {}

    async def _api(self, scope: Scope, receive: Receive, send: Send, downstream: ASGIApp) -> None:
        state = self.state
        faults = state.faults
        write = scope["method"] in WRITE_METHODS
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        ctx = RequestContext()
        scope[CONTEXT_KEY] = ctx
        status = 500
        try:
            if faults.config.latency_ms:
                await asyncio.sleep(faults.latency_seconds())

            bearer = _bearer(headers.get("authorization"))
            token = state.lookup_token(bearer) if bearer else None
            ctx.client_id = token.client_id if token else None
            company_header = headers.get("procore-company-id")
            verdict = state.limiter.hit((ctx.client_id, (company_header or "").strip()))
            rate_headers = verdict.headers()

            refusal = self._refusal(scope, ctx, verdict, rate_headers, bearer, token, company_header)
            if refusal is not None:
                status = refusal[0]
                await send_json(send, *refusal)
                return

            extra = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in rate_headers.items()]

            async def forward(message: Message) -> None:
                nonlocal status
                if message["type"] == "http.response.start":
                    status = message["status"]
                    if write and 200 <= status < 300 and faults.roll_drop():
                        ctx.dropped = True
                        return
                    message = {**message, "headers": [*message.get("headers", []), *extra]}
                elif ctx.dropped:
                    return
                await send(message)

            await downstream(scope, receive, forward)
            if ctx.dropped:
                _drop_connection(send)
        finally:
            self._log(scope, status, ctx, write=write)

    def _refusal(
        self,
        scope: Scope,
        ctx: RequestContext,
        verdict: RateVerdict,
        rate_headers: dict[str, str],
        bearer: str | None,
        token: Token | None,
        company_header: str | None,
    ) -> tuple[int, Any, dict[str, str]] | None:
        """The (status, body, headers) that stops an API call before its route, checked in the
        gateway's order; None lets it through."""
        faults = self.state.faults
        if faults.take_storm():
            wait = faults.config.retry_after_seconds or 1
            return (
                429,
                {"errors": "Too Many Requests"},
                {
                    "X-Rate-Limit-Limit": rate_headers["X-Rate-Limit-Limit"],
                    "X-Rate-Limit-Remaining": "0",
                    "X-Rate-Limit-Reset": str(int(time.time()) + wait),
                    "Retry-After": str(wait),
                },
            )
        if verdict.exceeded:
            return (
                429,
                {"errors": "Too Many Requests: rate limit exceeded"},
                {**rate_headers, "Retry-After": str(verdict.retry_after)},
            )
        if faults.roll_error():
            return (
                faults.config.error_status,
                {"errors": "Service Unavailable (injected fault)"},
                {**rate_headers, **self._retry_after()},
            )
        problem = self._auth_problem(bearer, token)
        if problem:
            return (
                401,
                {"errors": problem, "error": "invalid_token"},
                {
                    **rate_headers,
                    "WWW-Authenticate": (
                        f'Bearer realm="Procore", error="invalid_token", error_description="{problem}"'
                    ),
                },
            )
        refusal = self._company_problem(scope, company_header, ctx)
        if refusal:
            return refusal[0], {"errors": refusal[1]}, rate_headers
        return None

    def _auth_problem(self, bearer: str | None, token: Token | None) -> str | None:
        if not bearer:
            return "Missing access token (send Authorization: Bearer <token>)"
        if token is None:
            return "The access token is invalid"
        if token.expires_at <= self.state.now():
            return "The access token expired"
        return None

    def _company_problem(self, scope: Scope, raw: str | None, ctx: RequestContext) -> tuple[int, str] | None:
        if raw is None or not raw.strip():
            query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
            if (
                scope["path"] in COMPANY_HEADER_OPTIONAL
                and "company_id" not in query
                and "project_id" not in query
            ):
                return None
            return 400, MISSING_COMPANY_MESSAGE
        try:
            company_id = int(raw.strip())
        except ValueError:
            return 400, f"Invalid Procore-Company-Id header: {raw!r} is not an integer"
        if company_id not in self.state.companies:
            return 403, f"Forbidden: this app has no access to company {company_id}"
        ctx.company_id = company_id
        return None


def _bearer(value: str | None) -> str | None:
    if not value:
        return None
    scheme, _, token = value.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()
