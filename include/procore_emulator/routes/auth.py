"""The login host's token endpoint and the identity endpoints (``/me``, ``/companies``).

Client credentials are accepted the ways RFC 6749 section 2.3.1 and Procore's examples send them: in
the body as a form (``application/x-www-form-urlencoded``), multipart form (``curl -F``) or JSON, or
as HTTP Basic (``Authorization: Basic base64(urlencoded id:urlencoded secret)``). Using Basic and a
body secret at once is refused, as the RFC requires; unrecognised parameters are ignored (RFC 6749
section 3.2).
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
from typing import Any
from urllib.parse import parse_qs, unquote_plus

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from ..config import EmulatorConfig
from ..requestlog import parse_multipart
from ..resources.identity import COMPANIES, ME
from ..state import EmulatorState
from .common import check_query, context, paginate


def add_auth_routes(app: FastAPI, state: EmulatorState) -> None:
    _add_oauth_routes(app, state)
    _add_identity_routes(app, state)


class _BadRequest(Exception):
    """A token request the endpoint cannot read (OAuth ``invalid_request``)."""


async def _body_params(request: Request) -> dict[str, Any]:
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("multipart/form-data"):
        fields = parse_multipart(await request.body(), content_type)
        return {k: v[-1] if isinstance(v, list) else v for k, v in fields.items()}
    raw = (await request.body()).decode("utf-8", errors="replace")
    if "json" not in content_type:
        return {k: v[-1] for k, v in parse_qs(raw, keep_blank_values=True).items()}
    try:
        params = json.loads(raw) if raw.strip() else {}
    except ValueError:
        raise _BadRequest("Malformed JSON body.") from None
    return params if isinstance(params, dict) else {}


def basic_credentials(header: str | None) -> tuple[str, str] | None:
    """(client_id, client_secret) from ``Authorization: Basic ...``, None without one."""
    scheme, _, value = (header or "").strip().partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        raise _BadRequest("Malformed HTTP Basic credentials.") from None
    client_id, colon, secret = decoded.partition(":")
    if not colon:
        raise _BadRequest("Malformed HTTP Basic credentials.")
    return unquote_plus(client_id), unquote_plus(secret)


async def _token_params(request: Request) -> dict[str, Any]:
    """The grant's parameters from the body, with HTTP Basic client credentials merged in."""
    params = await _body_params(request)
    basic = basic_credentials(request.headers.get("authorization"))
    if basic is not None:
        if params.get("client_secret") is not None or params.get("client_id") not in (None, basic[0]):
            raise _BadRequest(
                "Client credentials were sent both as HTTP Basic and in the body; use one method."
            )
        params = {**params, "client_id": basic[0], "client_secret": basic[1]}
    return params


def _grant_problem(params: dict[str, Any], config: EmulatorConfig) -> JSONResponse | None:
    """The OAuth error response for a grant that is missing, unsupported or from an unknown client."""
    grant = params.get("grant_type")
    if not grant:
        return JSONResponse(
            {"error": "invalid_request", "error_description": "Missing required parameter: grant_type."},
            status_code=400,
        )
    if grant != "client_credentials":
        return JSONResponse(
            {
                "error": "unsupported_grant_type",
                "error_description": "The authorization grant type is not supported by the "
                "authorization server.",
            },
            status_code=400,
        )
    client_id, secret = str(params.get("client_id") or ""), str(params.get("client_secret") or "")
    if not (
        hmac.compare_digest(client_id.encode(), config.client_id.encode())
        and hmac.compare_digest(secret.encode(), config.client_secret.encode())
    ):
        return JSONResponse(
            {
                "error": "invalid_client",
                "error_description": "Client authentication failed due to unknown client, no "
                "client authentication included, or unsupported "
                "authentication method.",
            },
            status_code=401,
        )
    return None


def _add_oauth_routes(app: FastAPI, state: EmulatorState) -> None:
    config = state.config

    @app.post("/oauth/token", tags=["oauth"])
    async def token(request: Request) -> JSONResponse:
        """Client-credentials grant, as Procore's login host answers it."""
        try:
            params = await _token_params(request)
        except _BadRequest as exc:
            return JSONResponse({"error": "invalid_request", "error_description": str(exc)}, status_code=400)
        problem = _grant_problem(params, config)
        if problem is not None:
            return problem
        client_id = str(params.get("client_id") or "")
        issued = state.issue_token(client_id)
        context(request).client_id = client_id
        return JSONResponse(
            {
                "access_token": issued.value,
                "token_type": "bearer",
                "expires_in": config.token_ttl_seconds,
                "created_at": int(issued.created_at),
            },
            headers={"Cache-Control": "no-store", "Pragma": "no-cache"},
        )


def _add_identity_routes(app: FastAPI, state: EmulatorState) -> None:
    config = state.config

    @app.get("/rest/v1.0/me", tags=["identity"])
    async def me(request: Request) -> JSONResponse:
        """The service account behind the token."""
        check_query(request, ME)
        context(request).items = 1
        return JSONResponse({"id": config.user_id, "login": config.user_login, "name": config.user_name})

    @app.get("/rest/v1.0/companies", tags=["identity"])
    async def companies(request: Request) -> JSONResponse:
        """Companies the service account's app is installed in."""
        check_query(request, COMPANIES)
        rows = [
            {
                "id": cid,
                "name": name,
                "is_active": True,
                "logo_url": None,
                "pcn_business_experience": False,
                "my_company": cid == config.company_id,
            }
            for cid, name in state.companies.items()
        ]
        page, headers = paginate(
            request, rows, max_per_page=config.max_per_page, default_per_page=config.default_per_page
        )
        context(request).items = len(page)
        return JSONResponse(page, headers=headers)
