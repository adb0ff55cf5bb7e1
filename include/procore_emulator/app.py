"""The emulator as a FastAPI application: the gateway in front, then OAuth, identity, the routes
generated per resource, the hand-written extras and the admin surface (``routes/``)."""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from .config import EmulatorConfig
from .core import NotFound, ResourceEngine
from .gateway import Gateway, Receive, Scope, Send
from .resources import RESOURCES
from .routes.admin import router as admin_router
from .routes.auth import add_auth_routes
from .routes.common import ApiError
from .routes.extra import add_extra_routes
from .routes.resource import add_resource_routes
from .schema import ResourceSpec
from .state import EmulatorState


class EmulatorApp(FastAPI):
    """FastAPI with the :class:`Gateway` in front of Starlette's own middleware, so the gateway
    receives the server's ``send`` unwrapped (needed to drop a connection on purpose)."""

    emulator_state: EmulatorState
    gateway: Gateway

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.gateway(scope, receive, send, super().__call__)


def create_app(config: EmulatorConfig, resources: Mapping[str, ResourceSpec] | None = None) -> EmulatorApp:
    """Builds the emulator for ``config``; ``resources`` defaults to every declared resource."""
    state = EmulatorState(config=config, resources=dict(resources or RESOURCES))
    app = EmulatorApp(
        title="Procore sandbox emulator",
        description="Behaves like Procore's REST API for the endpoints procore-erp-sync uses.",
        version="1",
    )
    app.emulator_state = state
    app.gateway = Gateway(state)
    app.state.emulator = state
    engine = ResourceEngine(state)
    _add_error_handlers(app)
    add_auth_routes(app, state)
    for spec in state.resources.values():
        add_resource_routes(app, spec, state, engine)
    add_extra_routes(app, state, engine)
    app.include_router(admin_router)
    return app


def _add_error_handlers(app: FastAPI) -> None:
    """Every error leaves in Procore's shape, ``{"errors": ...}``, FastAPI's own included."""

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse({"errors": exc.errors}, status_code=exc.status, headers=exc.headers)

    @app.exception_handler(NotFound)
    async def _not_found(request: Request, exc: NotFound) -> JSONResponse:
        return JSONResponse({"errors": str(exc)}, status_code=404)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return JSONResponse({"errors": exc.detail}, status_code=exc.status_code, headers=exc.headers)
