"""Running the emulator: in a background thread for tests and benchmarks, or in the foreground (CLI).

One server answers for both Procore hosts (login and API), so a client configured with explicit
hosts points both at ``base_url``.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import uvicorn

from .app import EmulatorApp, create_app
from .config import EmulatorConfig, FaultConfig
from .schema import ResourceSpec
from .state import EmulatorState


class RunningEmulator:
    """Handle on a started emulator: its address, its state and the knobs tests turn."""

    def __init__(self, app: EmulatorApp, base_url: str) -> None:
        self.app = app
        self.base_url = base_url

    @property
    def state(self) -> EmulatorState:
        return self.app.emulator_state

    @property
    def config(self) -> EmulatorConfig:
        return self.state.config

    def write_calls(self, since: int = 0) -> int:
        """Logged API writes (POST/PATCH/PUT/DELETE under /rest/) from log index ``since`` on."""
        return self.state.write_calls(since)

    def log_index(self) -> int:
        """The current end of the request log, to pass as ``since`` later."""
        return len(self.state.request_log)

    def set_faults(self, faults: FaultConfig) -> None:
        self.state.set_faults(faults)

    def set_limits(
        self,
        hourly_limit: int | None = None,
        spike_limit: int | None = None,
        spike_window_seconds: float | None = None,
        hourly_window_seconds: float | None = None,
    ) -> None:
        self.state.set_limits(hourly_limit, spike_limit, spike_window_seconds, hourly_window_seconds)

    def expire_tokens(self) -> None:
        self.state.expire_tokens()

    def set_workflow_controlled(self, resources: Iterable[str]) -> None:
        """Status changes on these resources (e.g. ``{"work_order_contracts"}``) are refused as
        workflow-controlled; an empty set turns it off."""
        self.state.set_workflow_controlled(resources)

    def set_write_hold_ms(self, milliseconds: float) -> None:
        """Writes to a direct cost hold it this long before applying, so two can overlap (409)."""
        self.state.set_write_hold(milliseconds)

    def patch(self, resource: str, record_id: int, changes: Mapping[str, Any]) -> dict[str, Any]:
        """Shorthand for ``state.patch``: change a stored record as a Procore user would."""
        return self.state.patch(resource, record_id, changes)

    def reset(self) -> None:
        self.state.reset()


def _bind(host: str, port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def uvicorn_config(app: EmulatorApp, **kwargs: Any) -> uvicorn.Config:
    """uvicorn settings shared by the thread and the CLI (the dropped-connection fault relies on
    uvicorn's per-request ``send``; it is tested with both the h11 and httptools protocols)."""
    return uvicorn.Config(app, lifespan="off", timeout_graceful_shutdown=2, **kwargs)


@contextmanager
def run_emulator(
    config: EmulatorConfig | None = None,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    resources: Mapping[str, ResourceSpec] | None = None,
    http: str = "auto",
    startup_timeout: float = 10.0,
) -> Iterator[RunningEmulator]:
    """Serves a fresh emulator on ``host`` (a free port unless ``port`` is given) until the block exits.

    ``resources`` replaces the declared resource set (to try a new declaration); ``http`` picks
    uvicorn's protocol implementation (``auto``, ``h11``, ``httptools``).
    """
    app = create_app(config or EmulatorConfig(), resources)
    sock = _bind(host, port)
    bound_port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn_config(app, log_level="warning", access_log=False, http=http))
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="procore-emulator", daemon=True
    )
    thread.start()
    deadline = time.monotonic() + startup_timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            sock.close()
            raise RuntimeError("the Procore emulator did not start")
        time.sleep(0.01)
    shown_host = f"[{host}]" if ":" in host else host
    try:
        yield RunningEmulator(app, f"http://{shown_host}:{bound_port}")
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
