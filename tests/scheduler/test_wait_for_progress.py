"""``AirflowRunner.wait_for_progress``: waits as long as work advances, and fails with the real story.

Fast (no Airflow component runs): a scripted ``poll`` stands for the metadata database.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable, Hashable
from pathlib import Path

import pytest
from devtools.airflow_runner import AirflowRunner, Component, ProgressStalled


@pytest.fixture
def runner(tmp_path: Path) -> AirflowRunner:
    (tmp_path / "logs").mkdir()
    return AirflowRunner(home=tmp_path, env={})


def ticking(every: float, done_after: float | None = None) -> Callable[[], tuple[bool, Hashable]]:
    """A poll whose snapshot changes every ``every`` seconds; done after ``done_after`` seconds."""
    started = time.monotonic()

    def poll() -> tuple[bool, Hashable]:
        elapsed = time.monotonic() - started
        return done_after is not None and elapsed >= done_after, int(elapsed / every)

    return poll


def test_keeps_waiting_while_work_advances(runner: AirflowRunner) -> None:
    """Done after 1.2 s although the stall limit is 0.5 s: the snapshot changed every 0.2 s."""
    waited = runner.wait_for_progress(ticking(0.2, done_after=1.2), "runs", stall_timeout=0.5, every=0.05)
    assert 1.2 <= waited < 5


def test_fails_when_nothing_advances(runner: AirflowRunner) -> None:
    with pytest.raises(ProgressStalled, match=r"(?s)runs: nothing advanced for 0s.*RUN STATES") as failure:
        runner.wait_for_progress(
            lambda: (False, "same"), "runs", stall_timeout=0.3, every=0.05, describe=lambda: "RUN STATES"
        )
    assert "stall limit 0s" in str(failure.value)


def test_fails_at_the_overall_bound_even_while_advancing(runner: AirflowRunner) -> None:
    with pytest.raises(ProgressStalled, match="not done within the overall bound of 1s"):
        runner.wait_for_progress(ticking(0.1), "runs", stall_timeout=10, overall_timeout=1, every=0.05)


def test_transient_poll_errors_count_as_no_progress(runner: AirflowRunner) -> None:
    calls = iter([ConnectionError("db restarting")] * 3 + [(True, "x")])

    def poll() -> tuple[bool, Hashable]:
        outcome = next(calls)
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome

    runner.wait_for_progress(poll, "runs", stall_timeout=5, every=0.01, transient=(ConnectionError,))

    def always_failing() -> tuple[bool, Hashable]:
        raise ConnectionError("db gone")

    with pytest.raises(ProgressStalled, match="last poll failed: ConnectionError: db gone"):
        runner.wait_for_progress(
            always_failing, "runs", stall_timeout=0.2, every=0.05, transient=(ConnectionError,)
        )


def test_other_poll_errors_propagate(runner: AirflowRunner) -> None:
    def broken() -> tuple[bool, Hashable]:
        raise KeyError("state")

    with pytest.raises(KeyError):
        runner.wait_for_progress(broken, "runs", stall_timeout=5, transient=(ConnectionError,))


def test_failing_diagnostics_do_not_hide_the_failure(runner: AirflowRunner) -> None:
    def describe() -> str:
        raise RuntimeError("metadata DB unreachable")

    with pytest.raises(ProgressStalled, match=r"(?s)nothing advanced.*diagnostics failed: RuntimeError"):
        runner.wait_for_progress(lambda: (False, 1), "runs", stall_timeout=0.2, every=0.05, describe=describe)


def test_fails_at_once_when_a_component_exits(runner: AirflowRunner) -> None:
    log = runner.logs / "scheduler.log"
    log.write_text("scheduler crashed: boom\n")
    process = subprocess.Popen([sys.executable, "-c", "raise SystemExit(3)"])
    process.wait()
    runner.components["scheduler"] = Component("scheduler", process, log)
    started = time.monotonic()
    expected = r"(?s)runs: scheduler \(rc=3\) exited.*scheduler crashed: boom"
    with pytest.raises(ProgressStalled, match=expected):
        runner.wait_for_progress(lambda: (False, 1), "runs", stall_timeout=60, every=0.05)
    assert time.monotonic() - started < 5
