"""The ``/_emulator/`` surface: look inside the sandbox and turn its knobs over HTTP.

For the demo, humans and out-of-process tests. No authentication (the emulator binds to loopback
by default), not logged as API calls, not rate limited.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from .config import faults_from_json, limits_from_json
from .state import EmulatorState

router = APIRouter(prefix="/_emulator", tags=["emulator admin"])


def _state(request: Request) -> EmulatorState:
    return request.app.state.emulator


async def _json(request: Request) -> Any:
    raw = await request.body()
    if not raw.strip():
        return {}
    try:
        return await request.json()
    except ValueError:
        return None


def _faults_dict(state: EmulatorState) -> dict[str, Any]:
    from dataclasses import asdict

    return {**asdict(state.faults.config), "storm_429_left": state.faults.storm_left}


@router.get("/config")
async def config(request: Request) -> dict[str, Any]:
    """The running configuration, without the client secret."""
    state = _state(request)
    return {**state.config.public_dict(), "resources": sorted(state.resources)}


@router.get("/state/{resource}")
async def records(request: Request, resource: str) -> JSONResponse:
    """Every stored record of a resource, as Show renders it."""
    state = _state(request)
    if resource not in state.resources:
        return JSONResponse(
            {"errors": f"unknown resource {resource!r}", "resources": sorted(state.resources)},
            status_code=404,
        )
    return JSONResponse(state.records(resource))


@router.get("/requests")
async def requests_log(request: Request, since: int = 0) -> dict[str, Any]:
    """The request log from index ``since``; ``next`` is the index to poll from next time."""
    state = _state(request)
    entries = state.log_entries(since)
    return {"since": since, "next": since + len(entries), "entries": entries}


@router.get("/stats")
async def stats(request: Request) -> dict[str, Any]:
    return _state(request).stats()


@router.get("/faults")
async def get_faults(request: Request) -> dict[str, Any]:
    return _faults_dict(_state(request))


@router.post("/faults")
async def set_faults(request: Request) -> JSONResponse:
    """Replaces the fault settings (keys left out take their defaults: off)."""
    state = _state(request)
    try:
        state.set_faults(faults_from_json(await _json(request)))
    except ValueError as exc:
        return JSONResponse({"errors": str(exc)}, status_code=422)
    return JSONResponse(_faults_dict(state))


@router.post("/limits")
async def set_limits(request: Request) -> JSONResponse:
    """Changes rate limits (any of hourly_limit, spike_limit, spike_window_seconds)."""
    state = _state(request)
    try:
        state.set_limits(**limits_from_json(await _json(request)))
    except ValueError as exc:
        return JSONResponse({"errors": str(exc)}, status_code=422)
    return JSONResponse(vars(state.limits))


@router.post("/expire-tokens")
async def expire_tokens(request: Request) -> dict[str, bool]:
    _state(request).expire_tokens()
    return {"ok": True}


@router.post("/reset")
async def reset(request: Request) -> dict[str, bool]:
    _state(request).reset()
    return {"ok": True}
