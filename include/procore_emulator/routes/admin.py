"""The ``/_emulator/`` surface: look inside the sandbox and turn its knobs over HTTP.

For the demo, humans and out-of-process tests. Open while the emulator binds to loopback (its
default); with an admin token configured (``--admin-token``, as compose does) every call needs
``Authorization: Bearer <token>``. Not logged as API calls, not rate limited.
"""

from __future__ import annotations

import hmac
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import JSONResponse

from ..config import faults_from_json, limits_from_json
from ..state import EmulatorState


def _require_admin_token(request: Request) -> None:
    token = request.app.state.emulator.config.admin_token
    if token is None:
        return
    sent = request.headers.get("Authorization", "")
    if not hmac.compare_digest(sent.encode(), f"Bearer {token}".encode()):
        raise HTTPException(status_code=401, detail="the emulator's admin surface needs its admin token")


router = APIRouter(prefix="/_emulator", tags=["emulator admin"], dependencies=[Depends(_require_admin_token)])


def _state(request: Request) -> EmulatorState:
    state: EmulatorState = request.app.state.emulator
    return state


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


@router.patch("/state/{resource}/{record_id}")
async def patch_record(request: Request, resource: str, record_id: int) -> JSONResponse:
    """Changes a stored record directly, as a Procore user would in the web UI (e.g. approving a
    commitment with ``{"status": "Approved"}``); no validation hook, lock or workflow applies."""
    state = _state(request)
    if resource not in state.resources:
        return JSONResponse({"errors": f"unknown resource {resource!r}"}, status_code=404)
    changes = await _json(request)
    if not isinstance(changes, dict):
        return JSONResponse({"errors": "the body must be a JSON object of attributes"}, status_code=422)
    try:
        return JSONResponse(state.patch(resource, record_id, changes))
    except KeyError as exc:
        return JSONResponse({"errors": str(exc.args[0])}, status_code=404 if "not found" in str(exc) else 422)
    except ValueError as exc:
        return JSONResponse({"errors": str(exc)}, status_code=422)


@router.get("/workflow-controlled")
async def get_workflow_controlled(request: Request) -> dict[str, Any]:
    return {"resources": sorted(_state(request).workflow_controlled)}


@router.post("/workflow-controlled")
async def set_workflow_controlled(request: Request) -> JSONResponse:
    """``{"resources": ["work_order_contracts"]}``: status changes on those resources are refused."""
    state = _state(request)
    data = await _json(request)
    names = data.get("resources") if isinstance(data, dict) else None
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        return JSONResponse({"errors": 'send {"resources": [resource names]}'}, status_code=422)
    try:
        state.set_workflow_controlled(names)
    except ValueError as exc:
        return JSONResponse({"errors": str(exc)}, status_code=422)
    return JSONResponse({"resources": sorted(state.workflow_controlled)})


@router.post("/write-hold")
async def set_write_hold(request: Request) -> JSONResponse:
    """``{"ms": 300}``: writes to a direct cost hold it that long before applying (409 tests)."""
    state = _state(request)
    data = await _json(request)
    value = data.get("ms") if isinstance(data, dict) else None
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        return JSONResponse({"errors": 'send {"ms": a non-negative number}'}, status_code=422)
    state.set_write_hold(value)
    return JSONResponse({"ms": state.write_hold_seconds * 1000})


@router.post("/expire-tokens")
async def expire_tokens(request: Request) -> dict[str, bool]:
    _state(request).expire_tokens()
    return {"ok": True}


@router.post("/reset")
async def reset(request: Request) -> dict[str, bool]:
    _state(request).reset()
    return {"ok": True}
