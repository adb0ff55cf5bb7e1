"""Run real Airflow components (api-server, scheduler, ...) as subprocesses of a private AIRFLOW_HOME.

For tests and local experiments that need more than ``dag.test()``: a scheduler with the LocalExecutor
on a PostgreSQL metadata database, backfills created with the CLI as users do. Every process runs in its
own session with its output in ``<home>/logs/<name>.log``; :meth:`AirflowRunner.stop` (also on
leaving the ``with`` block) ends every process of those sessions (task processes included), so nothing is left
running even when a test fails.

What Airflow 3 needs for LocalExecutor task runs:

* ``airflow scheduler`` runs the executor; its worker processes run each task through the Task SDK,
  which talks to the **Execution API** (``/execution/`` on ``airflow api-server``), so an api-server
  must be up and ``[core] execution_api_server_url`` must point at it. Scheduler and api-server must
  share ``[api_auth] jwt_secret`` (the scheduler signs the task tokens the api-server checks).
* DAG files are parsed by ``airflow dag-processor``, not by the scheduler. When the DAG files do not
  change while the components run, ``airflow dags reserialize`` (one parse, written to the metadata DB)
  does the same job without a third long-running process; :meth:`AirflowRunner.start_dag_processor`
  exists for callers that need live re-parsing.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import psutil

from devtools.localrun import DAGS_FOLDER

# Environment prefixes a parent process (e.g. the test session's in-process Airflow) may have set and that
# must not leak into the components, which get their configuration only from AirflowRunner.env.
_SCRUBBED_PREFIXES = ("AIRFLOW__", "AIRFLOW_CONN_", "AIRFLOW_VAR_", "PROCORE_SYNC_", "_AIRFLOW")
_SCRUBBED_NAMES = ("AIRFLOW_HOME", "AIRFLOW_CONFIG")


T = TypeVar("T")


class ProgressStalled(AssertionError):
    """Waiting on Airflow work gave up: nothing advanced for the stall period, or the overall bound passed.

    An AssertionError so pytest reports it as a test failure with its message (the diagnostics) intact.
    """


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port that was free a moment ago (the caller binds it soon after)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def tail(path: Path, lines: int = 60) -> str:
    """The last ``lines`` lines of a text file ('' when it does not exist)."""
    try:
        text = path.read_text(errors="replace")
    except FileNotFoundError:
        return ""
    return "\n".join(text.splitlines()[-lines:])


def component_env(
    home: Path,
    metadata_url: str,
    *,
    api_port: int,
    extra: Mapping[str, str] | None = None,
    base: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """The full environment of every component: a clean copy of ``base`` plus a fast local config."""
    env = {
        k: v
        for k, v in (os.environ if base is None else base).items()
        if not k.startswith(_SCRUBBED_PREFIXES) and k not in _SCRUBBED_NAMES
    }
    bin_dir = str(Path(sys.executable).parent)
    env["PATH"] = bin_dir + os.pathsep + env.get("PATH", "")
    env.update(
        {
            "AIRFLOW_HOME": str(home),
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": metadata_url,
            "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
            "AIRFLOW__CORE__DAGS_FOLDER": str(DAGS_FOLDER),
            "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
            "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "True",
            "AIRFLOW__CORE__PARALLELISM": "8",
            "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{api_port}/execution/",
            "AIRFLOW__CORE__FERNET_KEY": "",
            "AIRFLOW__API__HOST": "127.0.0.1",
            "AIRFLOW__API__PORT": str(api_port),
            "AIRFLOW__API__WORKERS": "1",
            "AIRFLOW__API__SECRET_KEY": secrets.token_hex(16),
            "AIRFLOW__API__EXPOSE_CONFIG": "False",
            "AIRFLOW__API_AUTH__JWT_SECRET": secrets.token_hex(32),
            "AIRFLOW__SCHEDULER__SCHEDULER_HEARTBEAT_SEC": "1",
            "AIRFLOW__SCHEDULER__JOB_HEARTBEAT_SEC": "1",
            "AIRFLOW__SCHEDULER__SCHEDULER_IDLE_SLEEP_TIME": "0.2",
            "AIRFLOW__SCHEDULER__ENABLE_HEALTH_CHECK": "False",
            "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "5",
            "AIRFLOW__DAG_PROCESSOR__MIN_FILE_PROCESS_INTERVAL": "5",
            "AIRFLOW__DAG_PROCESSOR__BUNDLE_REFRESH_CHECK_INTERVAL": "1",
            "AIRFLOW__DAG_PROCESSOR__PARSING_PROCESSES": "1",
            "AIRFLOW__LOGGING__LOGGING_LEVEL": "INFO",
            "AIRFLOW__LOGGING__BASE_LOG_FOLDER": str(home / "logs" / "tasks"),
            "AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT": str(free_port()),
        }
    )
    env.update(extra or {})
    return env


@dataclass
class Component:
    name: str
    process: subprocess.Popen[bytes]
    log: Path


@dataclass
class AirflowRunner:
    """Airflow components of one private AIRFLOW_HOME, started and stopped as a unit.

    ``env`` is the complete environment of every component and CLI call (see :func:`component_env`).
    """

    home: Path
    env: dict[str, str]
    components: dict[str, Component] = field(default_factory=dict)

    @classmethod
    def create(
        cls, home: Path, metadata_url: str, *, extra_env: Mapping[str, str] | None = None
    ) -> AirflowRunner:
        home.mkdir(parents=True, exist_ok=True)
        (home / "logs").mkdir(exist_ok=True)
        env = component_env(home, metadata_url, api_port=free_port(), extra=extra_env)
        return cls(home=home, env=env)

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.env['AIRFLOW__API__PORT']}"

    @property
    def logs(self) -> Path:
        return self.home / "logs"

    # --- one-shot CLI -------------------------------------------------------------------------------------

    def cli(self, *args: str, timeout: float = 180, check: bool = True) -> subprocess.CompletedProcess[str]:
        """``airflow <args>`` with this runner's environment; output also appended to ``logs/cli.log``."""
        command = [sys.executable, "-m", "airflow", *args]
        started = time.monotonic()
        result = subprocess.run(
            command, env=self.env, cwd=self.home, capture_output=True, text=True, timeout=timeout, check=False
        )
        with (self.logs / "cli.log").open("a") as log:
            log.write(
                f"$ airflow {shlex.join(args)}  # rc={result.returncode} {time.monotonic() - started:.1f}s\n"
                f"{result.stdout}{result.stderr}\n"
            )
        if check and result.returncode != 0:
            raise RuntimeError(
                f"`airflow {shlex.join(args)}` failed (rc={result.returncode}):\n"
                f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
            )
        return result

    # --- long-running components --------------------------------------------------------------------------

    def start(self, name: str, *args: str) -> Component:
        """Starts ``airflow <args>`` in its own process group, output to ``logs/<name>.log``."""
        if name in self.components and self.components[name].process.poll() is None:
            raise RuntimeError(f"{name} is already running")
        log = self.logs / f"{name}.log"
        with log.open("ab") as out:
            process = subprocess.Popen(
                [sys.executable, "-m", "airflow", *args],
                env=self.env,
                cwd=self.home,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        component = Component(name, process, log)
        self.components[name] = component
        return component

    def start_api_server(self, timeout: float = 180) -> Component:
        """``airflow api-server`` on the runner's port; returns once its health endpoint answers."""
        component = self.start(
            "api-server", "api-server", "--host", "127.0.0.1", "--port", self.env["AIRFLOW__API__PORT"]
        )
        self.wait_until(
            lambda: self._healthy(f"{self.api_url}/api/v2/monitor/health"),
            timeout,
            "the api-server did not become healthy",
            component,
        )
        return component

    def start_scheduler(self) -> Component:
        """``airflow scheduler`` (LocalExecutor) without the task-log server: it would bind the fixed port
        8793 on every interface, and the api-server reads task logs from the local folder anyway."""
        return self.start("scheduler", "scheduler", "--skip-serve-logs")

    def start_dag_processor(self) -> Component:
        return self.start("dag-processor", "dag-processor")

    def wait_until(
        self,
        predicate: Callable[[], T],
        timeout: float,
        message: str,
        watch: Component | None = None,
        every: float = 0.5,
    ) -> T:
        """Polls ``predicate`` until it returns something truthy; fails with log tails on timeout or if a
        watched component exits. For short waits on one thing (a port, a health check); waits on DAG runs
        use :meth:`wait_for_progress`, which tolerates a slow machine."""
        deadline = time.monotonic() + timeout
        while True:
            value = predicate()
            if value:
                return value
            dead = [
                c for c in ([watch] if watch else self.components.values()) if c.process.poll() is not None
            ]
            if dead:
                raise RuntimeError(
                    f"{message}: {dead[0].name} exited (rc={dead[0].process.returncode})\n{self.report()}"
                )
            if time.monotonic() > deadline:
                raise TimeoutError(f"{message} within {timeout:.0f}s\n{self.report()}")
            time.sleep(every)

    def wait_for_progress(
        self,
        poll: Callable[[], tuple[bool, Hashable]],
        what: str,
        *,
        stall_timeout: float = 300,
        overall_timeout: float = 1200,
        every: float = 1.0,
        describe: Callable[[], str] | None = None,
        transient: tuple[type[BaseException], ...] = (),
    ) -> float:
        """Polls ``poll`` until it reports done, as long as the work keeps advancing.

        A fixed deadline fails a healthy run on a loaded machine (every task process is slower, the work is
        the same), so this waits as long as ``poll``'s second value (a snapshot of the work: run states,
        task-instance states and tries) keeps changing, and gives up only when it stayed the same for
        ``stall_timeout`` seconds, when ``overall_timeout`` seconds passed, or at once when a component
        exited. It then raises :class:`ProgressStalled` with ``describe()`` (default: the components'
        log tails). Exceptions of a ``transient`` type raised by ``poll`` (a database hiccup under load)
        count as a poll without progress. Returns the seconds waited.
        """
        started = time.monotonic()
        last_change = started
        last_snapshot: Hashable = object()  # equal to no snapshot: the first poll is progress
        last_error = ""
        while True:
            dead = [c for c in self.components.values() if c.process.poll() is not None]
            if dead:
                names = ", ".join(f"{c.name} (rc={c.process.returncode})" for c in dead)
                raise ProgressStalled(f"{what}: {names} exited\n{self._describe(describe)}")
            now = time.monotonic()
            try:
                done, snapshot = poll()
            except transient as exc:
                last_error = f"last poll failed: {type(exc).__name__}: {exc}"
            else:
                last_error = ""
                if done:
                    return now - started
                if snapshot != last_snapshot:
                    last_snapshot, last_change = snapshot, now
            if now - last_change > stall_timeout or now - started > overall_timeout:
                reason = (
                    f"nothing advanced for {now - last_change:.0f}s"
                    if now - last_change > stall_timeout
                    else f"not done within the overall bound of {overall_timeout:.0f}s"
                )
                raise ProgressStalled(
                    f"{what}: {reason} (waited {now - started:.0f}s; stall limit {stall_timeout:.0f}s)"
                    f"{'; ' + last_error if last_error else ''}\n{self._describe(describe)}"
                )
            time.sleep(every)

    def _describe(self, describe: Callable[[], str] | None) -> str:
        """``describe()``, or the log tails when it is missing or fails itself (never hides the failure)."""
        if describe is None:
            return self.report()
        try:
            return describe()
        except Exception as exc:  # the diagnostics must not replace the real failure
            return f"(diagnostics failed: {type(exc).__name__}: {exc})\n{self.report()}"

    def assert_running(self) -> None:
        dead = [c for c in self.components.values() if c.process.poll() is not None]
        if dead:
            raise RuntimeError(f"{', '.join(c.name for c in dead)} exited unexpectedly\n{self.report()}")

    def report(self, lines: int = 40) -> str:
        """Tails of every component's log (and the CLI log), for assertion messages."""
        parts = []
        for name in [*self.components, "cli"]:
            text = tail(self.logs / f"{name}.log", lines)
            if text:
                parts.append(
                    f"----- {name} log (last {lines} lines, {self.logs / (name + '.log')}) -----\n{text}"
                )
        return "\n".join(parts)

    def stop(self, timeout: float = 10) -> None:
        """Ends every component and everything it started.

        Each component is the leader of its own session (``start_new_session``); Airflow's task processes
        move to process groups of their own but stay in that session, so the session id finds them all.
        SIGTERM to every component's process group and every session member first; whatever is still
        alive after ``timeout`` seconds (or appears meanwhile) gets SIGKILL.
        """
        for component in self.components.values():
            if component.process.poll() is None:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(component.process.pid, signal.SIGTERM)
        for proc in self.leftovers():  # task processes, in process groups of their own
            with contextlib.suppress(psutil.Error):
                proc.terminate()
        deadline = time.monotonic() + timeout
        while self.leftovers() and time.monotonic() < deadline:
            time.sleep(0.2)
        for _ in range(3):
            alive = self.leftovers()
            if not alive:
                break
            for proc in alive:
                with contextlib.suppress(psutil.Error):
                    proc.kill()
            psutil.wait_procs(alive, timeout=5)
        for component in self.components.values():
            with contextlib.suppress(subprocess.TimeoutExpired):
                component.process.wait(timeout=5)

    def leftovers(self) -> list[psutil.Process]:
        """Live (non-zombie) processes of the components' sessions, plus any descendant that left them."""
        sessions = {c.process.pid for c in self.components.values()}
        found: dict[int, psutil.Process] = {}
        for component in self.components.values():
            with contextlib.suppress(psutil.Error):
                root = psutil.Process(component.process.pid)
                for proc in [root, *root.children(recursive=True)]:
                    found[proc.pid] = proc
        for proc in psutil.process_iter():
            with contextlib.suppress(psutil.Error, OSError):
                if os.getsid(proc.pid) in sessions:
                    found[proc.pid] = proc
        alive = []
        for proc in found.values():
            with contextlib.suppress(psutil.Error):
                if proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE:
                    alive.append(proc)
        return alive

    def __enter__(self) -> AirflowRunner:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @staticmethod
    def _healthy(url: str) -> bool:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.status == 200
        except (urllib.error.URLError, OSError, ValueError):
            return False
