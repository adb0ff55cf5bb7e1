"""The login host's token endpoint and the identity endpoints (``/me``, ``/companies``)."""

from __future__ import annotations

import hmac
import json
from typing import Any
from urllib.parse import parse_qs

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from ..config import EmulatorConfig
from ..state import EmulatorState
from .common import context, paginate


def add_auth_routes(app: FastAPI, state: EmulatorState) -> None:
    _add_oauth_routes(app, state)
    _add_identity_routes(app, state)


def _token_params(raw: str, content_type: str) -> dict[str, Any] | None:
    """The grant's parameters, form encoded or JSON; None for malformed JSON."""
    if "json" not in content_type:
        return {k: v[-1] for k, v in parse_qs(raw, keep_blank_values=True).items()}
    try:
        params = json.loads(raw) if raw.strip() else {}
    except ValueError:
        return None
    return params if isinstance(params, dict) else {}


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
        raw = (await request.body()).decode("utf-8", errors="replace")
        params = _token_params(raw, request.headers.get("content-type", ""))
        if params is None:
            return JSONResponse(
                {"error": "invalid_request", "error_description": "Malformed JSON body."}, status_code=400
            )
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
        context(request).items = 1
        return JSONResponse({"id": config.user_id, "login": config.user_login, "name": config.user_name})

    @app.get("/rest/v1.0/companies", tags=["identity"])
    async def companies(request: Request) -> JSONResponse:
        """Companies the service account's app is installed in."""
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
