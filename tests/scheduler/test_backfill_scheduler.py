"""Backfill of history with a real scheduler: ``airflow backfill create`` replays nightly windows.

Unlike the ``dag.test()`` integration tests, this runs Airflow as it is deployed: an api-server (the
Execution API the LocalExecutor's task processes talk to) and a scheduler with the LocalExecutor, on a
throw-away PostgreSQL metadata database, driven only through the ``airflow`` CLI. The DAG is parsed once
with ``airflow dags reserialize`` (the DAG files do not change during the test, so no dag-processor).

Scenario: the demo ERP's history ends in September 2025 and a first full sync has put it into the
Procore emulator. ERP users then change specific vendors and jobs at chosen times in early November,
including on both edges of the nightly windows, before, after and across the backfilled range. The
backfill of three nights (``0 2 * * *`` data intervals) must give one backfill run per window, each
extracting exactly the rows whose ``updated_at`` falls in its window, and leave Procore equal to the ERP
(last change winning) without duplicates, while changes outside the range stay unsent.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import time
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import demo_erp
import pandas as pd
import pytest
import sqlalchemy as sa
from devtools.airflow_runner import AirflowRunner, tail
from devtools.localrun import procore_connection_uri
from erp_sync import ledger
from erp_sync.declarations import in_dependency_order
from erp_sync.staging import Stage
from procore_emulator import EmulatorConfig, RunningEmulator, run_emulator

# Waiting on the runs: as long as runs and task instances keep advancing (a loaded machine makes every task
# process slower, not the work different), up to STALL_TIMEOUT seconds without any change, and at most
# OVERALL_BOUND seconds for the whole test; pytest's own timeout (which would kill the test without the
# diagnostics) sits above that.
STALL_TIMEOUT = 300
OVERALL_BOUND = 20 * 60
pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.timeout(OVERALL_BOUND + 5 * 60)]

DAG_ID = "erp_to_procore"
SOURCE = "bf-erp"
CLIENT_ID, CLIENT_SECRET, COMPANY_ID = "bf-client", "bf-secret-81d0c2", 4321

# The backfilled nights: one run per logical date (= data interval start, 02:00 UTC) in
# [--from-date, --to-date], each covering [logical date, next night). Dates are midnight, so
# `--from-date 2025-11-03 --to-date 2025-11-06` gives the runs of 11-03, 11-04 and 11-05 02:00.
FROM_DATE, TO_DATE = "2025-11-03", "2025-11-06"
W1 = (datetime(2025, 11, 3, 2), datetime(2025, 11, 4, 2))
W2 = (datetime(2025, 11, 4, 2), datetime(2025, 11, 5, 2))
W3 = (datetime(2025, 11, 5, 2), datetime(2025, 11, 6, 2))
WINDOWS = [W1, W2, W3]
# The tier-1 points: every run (initial sync and backfill) selects them with the DAG's `points` param, as
# the README's backfill of a subset does, so the proof does not depend on the state of the other points.
# The 15 others then cost no task process (choose_points and the trigger rules skip them unstarted, which
# the test checks): 12 task processes per run instead of 41 before that, and instead of the 87 of a run of
# every point, which makes the three backfill runs and the first full sync too slow for CI on two cores
# (not done within 20 minutes with the machine loaded).
POINTS = ["vendors", "projects"]


@pytest.fixture
def emulator() -> Iterator[RunningEmulator]:
    with run_emulator(
        EmulatorConfig(client_id=CLIENT_ID, client_secret=CLIENT_SECRET, company_id=COMPANY_ID)
    ) as emu:
        yield emu


@pytest.fixture
def airflow(pg_url: str, tmp_path: Path, emulator: RunningEmulator) -> Iterator[AirflowRunner]:
    """api-server + LocalExecutor scheduler on a fresh PostgreSQL metadata DB; all stopped afterwards."""
    if importlib.util.find_spec("asyncpg") is None:
        pytest.fail(
            "Airflow 3 opens an async engine on its metadata DB: PostgreSQL metadata needs the asyncpg "
            "driver (add asyncpg to requirements.txt)"
        )
    connection = json.loads(
        procore_connection_uri(
            api_host=emulator.base_url,
            client_id=CLIENT_ID,
            client_secret=CLIENT_SECRET,
            company_id=COMPANY_ID,
        )
    )
    connection["extra"]["rate_limit_dir"] = str(tmp_path / "ratelimit")  # not the machine-wide pacing file
    metadata_url = (
        sa.make_url(pg_url).set(drivername="postgresql+psycopg2").render_as_string(hide_password=False)
    )
    runner = AirflowRunner.create(
        tmp_path / "airflow",
        metadata_url,
        extra_env={
            # Only the test's own runs: no nightly run of "now" competing with the backfill.
            "AIRFLOW__SCHEDULER__USE_JOB_SCHEDULE": "False",
            "PROCORE_SYNC_DATA_DIR": str(tmp_path / "sync"),
            "PROCORE_SYNC_SOURCE_NAME": SOURCE,
            "PROCORE_SYNC_TASK_RETRIES": "0",
            "AIRFLOW_CONN_PROCORE_DEFAULT": json.dumps(connection),
        },
    )
    try:
        runner.cli("db", "migrate", timeout=300)
        runner.cli("dags", "reserialize")
        runner.start_api_server()
        runner.start_scheduler()
        yield runner
    finally:
        runner.stop()
    # Outside the finally: when setup or the test failed, this check must not replace that failure.
    leftovers = runner.leftovers()
    assert not leftovers, f"processes left running: {[p.pid for p in leftovers]}"


@dataclass(frozen=True)
class Change:
    """One planted ERP edit: which row, what, and when (naive UTC)."""

    table: str
    key: str
    at: datetime
    changes: dict[str, str] | None = None  # None: demo_erp.touch_vendors (the phone number moves on)


Expected = dict[tuple[datetime, datetime], dict[str, set[str]]]  # window -> point -> ERP keys it extracts


def plant_changes(engine: sa.Engine, vendors: list[str], jobs: list[str]) -> tuple[list[Change], Expected]:
    """Applies the scenario's edits; returns them and, per window, the keys each run must extract."""
    v, j = vendors, jobs
    plan = [
        Change("vendor", v[0], W1[0]),  # exactly at W1's start: in W1 (start inclusive)
        Change("vendor", v[1], datetime(2025, 11, 3, 14, 30), {"name": f"Backfill Renamed {v[1]}"}),
        Change("vendor", v[2], W2[1] - timedelta(seconds=1)),  # last second of W2
        Change(
            "vendor", v[3], datetime(2025, 11, 4, 9), {"city": "Round Rock", "name": f"First Rename {v[3]}"}
        ),
        Change("vendor", v[3], datetime(2025, 11, 5, 11), {"name": f"Final Rename {v[3]}"}),  # W2 then W3
        Change("vendor", v[4], W3[1]),  # exactly at W3's end: after the range, never sent
        Change("vendor", v[5], datetime(2025, 11, 2, 20)),  # before the range (after the full sync)
        Change("vendor", v[6], W3[0]),  # exactly at W2's end = W3's start: in W3 only
        Change("job", j[0], datetime(2025, 11, 3, 8), {"city": "Round Rock"}),
        Change("job", j[1], datetime(2025, 11, 5, 16), {"name": f"Backfill Job {j[1]}"}),
    ]
    for change in plan:
        if change.changes is None:
            assert demo_erp.touch_vendors(engine, [change.key], at=change.at) == 1
        else:
            key_column = "vendor_no" if change.table == "vendor" else "job_no"
            assert (
                demo_erp.touch_rows(
                    engine, change.table, key_column, [change.key], change.changes, at=change.at
                )
                == 1
            )
    expected: Expected = {w: {"vendors": set(), "projects": set()} for w in WINDOWS}
    last = {(c.table, c.key): c.at for c in plan}  # a row's updated_at is its last change
    for (table, key), at in last.items():
        for window in WINDOWS:
            if window[0] <= at < window[1]:
                expected[window]["vendors" if table == "vendor" else "projects"].add(key)
    return plan, expected


def dag_runs(meta: sa.Engine) -> pd.DataFrame:
    query = sa.text(
        "SELECT run_id, run_type, state, logical_date, data_interval_start, data_interval_end,"
        " start_date, end_date, backfill_id FROM dag_run WHERE dag_id = :d"
        " ORDER BY logical_date NULLS FIRST, run_id"
    )
    with meta.connect() as conn:
        return pd.DataFrame(conn.execute(query, {"d": DAG_ID}).mappings().all())


def task_states(meta: sa.Engine, run_ids: list[str]) -> pd.DataFrame:
    query = sa.text(
        "SELECT run_id, task_id, map_index, state, try_number FROM task_instance"
        " WHERE dag_id = :d AND run_id IN :r"
    ).bindparams(sa.bindparam("r", expanding=True))
    with meta.connect() as conn:
        return pd.DataFrame(conn.execute(query, {"d": DAG_ID, "r": run_ids}).mappings().all())


def progress(meta: sa.Engine) -> tuple[tuple[Any, ...], ...]:
    """Every run's state and every task instance's state and try: changes whenever any work advances."""
    query = sa.text(
        "SELECT r.run_id, r.state, ti.task_id, ti.map_index, ti.state, ti.try_number"
        " FROM dag_run r LEFT JOIN task_instance ti ON ti.dag_id = r.dag_id AND ti.run_id = r.run_id"
        " WHERE r.dag_id = :d ORDER BY r.run_id, ti.task_id, ti.map_index"
    )
    with meta.connect() as conn:
        return tuple(tuple(row) for row in conn.execute(query, {"d": DAG_ID}))


def diagnostics(runner: AirflowRunner, meta: sa.Engine) -> str:
    """Run and task states, the logs of tasks that did not succeed, and the components' log tails.

    Each part is gathered on its own, so a failing query (the database is what failed, say) still leaves
    the rest, and never replaces the failure being reported.
    """
    parts: list[str] = []
    try:
        runs = dag_runs(meta)
        parts.append(f"dag runs:\n{runs.to_string() if not runs.empty else '(none)'}")
        tis = task_states(meta, list(runs["run_id"])) if not runs.empty else pd.DataFrame()
        if not tis.empty:
            tis["state"] = tis["state"].fillna("none")
            counts = tis.groupby(["run_id", "state"]).size().unstack(fill_value=0)
            parts.append(f"task instances per state:\n{counts.to_string()}")
            bad = tis[~tis["state"].isin(["success", "skipped", "none", "scheduled"])]
            bad = bad.sort_values("state", key=lambda states: states != "failed")  # failed first
            parts.append(
                f"task instances failed or in flight:\n{bad.to_string() if not bad.empty else '(none)'}"
            )
            for row in bad.head(3).itertuples():
                pattern = f"dag_id={DAG_ID}/run_id={row.run_id}/task_id={row.task_id}/**/*.log"
                for log in sorted((runner.logs / "tasks").glob(pattern)):
                    parts.append(f"----- task log {log.relative_to(runner.logs)} -----\n{tail(log, 30)}")
    except Exception as exc:  # reported, never raised: it would hide the real failure
        parts.append(f"(run and task states unavailable: {type(exc).__name__}: {exc})")
    parts.append(runner.report(lines=50))
    return "\n".join(parts)


def wait_for_runs(
    runner: AirflowRunner,
    meta: sa.Engine,
    pick: Callable[[pd.DataFrame], pd.DataFrame],
    expected_count: int,
    what: str,
    deadline: float,
) -> pd.DataFrame:
    """Waits until the ``expected_count`` runs ``pick`` selects are success or failed, as long as any run or
    task instance keeps advancing (see :meth:`AirflowRunner.wait_for_progress`); ``deadline`` is the
    test's overall bound (``time.monotonic()``)."""

    def poll() -> tuple[bool, Hashable]:
        runs = pick(dag_runs(meta))
        finished = len(runs) >= expected_count and bool(runs["state"].isin(["success", "failed"]).all())
        return finished, progress(meta)

    runner.wait_for_progress(
        poll,
        what,
        stall_timeout=STALL_TIMEOUT,
        overall_timeout=max(0.0, deadline - time.monotonic()),
        describe=lambda: diagnostics(runner, meta),
        transient=(sa.exc.OperationalError,),
    )
    return pick(dag_runs(meta))


def failures(ledger_engine: sa.Engine, point: str) -> list[str]:
    """The first few reasons the ledger gives for the point's failed records (for assertion messages)."""
    frame = ledger.read_point(ledger_engine, point)
    if frame.empty:
        return []
    return [str(e) for e in frame.loc[frame["status"] == "failed", "last_error"].head(3)]


def erp_view(engine: sa.Engine, table: str, key: str, columns: str) -> pd.DataFrame:
    with engine.connect() as conn:
        frame = pd.read_sql(sa.text(f"SELECT {key}, {columns} FROM {table}"), conn)
    return frame.set_index(key)


def vendor_view(engine: sa.Engine) -> pd.DataFrame:
    return erp_view(engine, "vendor", "vendor_no", "name, city, phone")


def clean(value: object) -> str | None:
    return (
        None
        if value is None or (isinstance(value, float) and pd.isna(value))
        else (str(value).strip() or None)
    )


@contextlib.contextmanager
def disposing(engine: sa.Engine) -> Iterator[sa.Engine]:
    """``engine``, disposed of on leaving the block."""
    try:
        yield engine
    finally:
        engine.dispose()


def test_backfill_replays_windows_with_a_real_scheduler(
    airflow: AirflowRunner, emulator: RunningEmulator, pg_url: str, tmp_path: Path
) -> None:
    started = time.monotonic()
    deadline = started + OVERALL_BOUND
    runner = airflow
    # Each resource is released by the stack only once it exists, whatever fails first.
    with contextlib.ExitStack() as cleanup:
        meta = cleanup.enter_context(disposing(sa.create_engine(pg_url, pool_pre_ping=True)))
        erp_url = f"sqlite:///{tmp_path / 'sync' / 'demo_erp.sqlite'}"
        (tmp_path / "sync").mkdir(exist_ok=True)
        report = demo_erp.seed(
            erp_url,
            scale=1,
            dirty_share=0.05,
            seed=11,
            history_start=date(2025, 1, 1),
            history_end=date(2025, 9, 30),
        )
        erp = cleanup.enter_context(disposing(sa.create_engine(erp_url)))
        staging = (tmp_path / "sync" / "staging").as_uri()
        # 1. The first sync: a manual full run, through the same scheduler.
        runner.cli("dags", "unpause", DAG_ID)  # prints the *previous* is_paused (True)
        with meta.connect() as conn:
            paused = conn.execute(
                sa.text("SELECT is_paused FROM dag WHERE dag_id = :d"), {"d": DAG_ID}
            ).scalar()
        assert paused is False, "backfill runs only start on an unpaused DAG"
        runner.cli(
            "dags",
            "trigger",
            DAG_ID,
            "--run-id",
            "initial_full_sync",
            "--conf",
            json.dumps({"mode": "full", "points": POINTS}),
        )
        initial = wait_for_runs(
            runner,
            meta,
            lambda r: r[r["run_id"] == "initial_full_sync"],
            1,
            "initial full sync",
            deadline,
        )
        assert initial["state"].tolist() == ["success"], diagnostics(runner, meta)
        initial_done = time.monotonic()

        bad_vendors, bad_jobs = report.dirty_keys("vendor"), report.dirty_keys("job")
        before = vendor_view(erp)
        clean_vendors = sorted(k for k in before.index if k not in bad_vendors)
        with erp.connect() as conn:
            all_jobs = sorted(conn.execute(sa.text("SELECT job_no FROM job")).scalars())
        clean_jobs = [k for k in all_jobs if k not in bad_jobs]
        ledger_engine = cleanup.enter_context(
            disposing(ledger.connect(f"sqlite:///{tmp_path / 'sync' / 'ledger.sqlite'}"))
        )
        procore_vendors = {v["origin_id"]: v for v in emulator.state.records("vendors")}
        assert set(procore_vendors) == {f"{SOURCE}:vendor:{k}" for k in clean_vendors}, (
            f"the full sync sent every clean vendor; failures: {failures(ledger_engine, 'vendors')}"
        )
        procore_projects = {p["origin_id"] for p in emulator.state.records("projects")}
        assert procore_projects == {f"{SOURCE}:project:{k}" for k in clean_jobs}, (
            f"the full sync sent every clean job; failures: {failures(ledger_engine, 'projects')}"
        )
        assert len(clean_jobs) >= 2 and len(clean_vendors) >= 7

        # 2. ERP users change records on chosen nights; then history is backfilled, as users do it.
        plan, expected = plant_changes(erp, clean_vendors[:7], clean_jobs[:2])
        mark = len(emulator.state.request_log)
        created = runner.cli(
            "backfill",
            "create",
            "--dag-id",
            DAG_ID,
            "--from-date",
            FROM_DATE,
            "--to-date",
            TO_DATE,
            "--dag-run-conf",
            json.dumps({"points": POINTS}),
        )
        assert created.returncode == 0
        queued = dag_runs(meta)
        queued = queued[queued["run_type"] == "backfill"]
        assert len(queued) == len(WINDOWS), f"backfill create made {len(queued)} runs\n{created.stdout}"
        runs = wait_for_runs(
            runner,
            meta,
            lambda r: r[r["run_type"] == "backfill"],
            len(WINDOWS),
            "backfill runs",
            deadline,
        )
        backfill_done = time.monotonic()
        context = diagnostics(runner, meta)

        # One run per window, all succeeded, in the windows the timetable gives.
        runs = runs.sort_values("data_interval_start").reset_index(drop=True)
        assert runs["state"].tolist() == ["success"] * len(WINDOWS), context
        windows = [
            (
                s.tz_convert("UTC").tz_localize(None).to_pydatetime(),
                e.tz_convert("UTC").tz_localize(None).to_pydatetime(),
            )
            for s, e in zip(
                pd.to_datetime(runs["data_interval_start"], utc=True),
                pd.to_datetime(runs["data_interval_end"], utc=True),
                strict=True,
            )
        ]
        assert windows == WINDOWS, context
        assert runs["backfill_id"].nunique() == 1 and runs["backfill_id"].notna().all()

        # The points left out of every run never started a task process (try_number 0: never scheduled).
        tis = task_states(meta, ["initial_full_sync", *runs["run_id"]])
        selected = tis["task_id"].str.split(".").str[0].isin(POINTS)
        unselected = tis[~selected & ~tis["task_id"].isin(["choose_points", "summarize"])]
        left_out = len(in_dependency_order()) - len(POINTS)
        assert len(unselected) == left_out * 5 * (1 + len(WINDOWS)), context
        assert unselected["state"].eq("skipped").all() and unselected["try_number"].eq(0).all(), context
        started_tasks = int((tis["try_number"] > 0).sum())
        assert started_tasks == (2 + 5 * len(POINTS)) * (1 + len(WINDOWS)), context
        all_runs = dag_runs(meta)
        assert sorted(all_runs["run_type"]) == ["backfill"] * len(WINDOWS) + ["manual"], "no other runs"

        # Each run recorded its own data interval as its extract window and extracted exactly the rows
        # changed in it (checked by key from the staged extract, and by count in the ledger's sync_run).
        with ledger_engine.connect() as conn:
            recorded = pd.DataFrame(conn.execute(sa.select(ledger.run_table)).mappings().all())
        by_run = {row.run_id: window for row, window in zip(runs.itertuples(), windows, strict=True)}
        for run_id, window in by_run.items():
            assert set(recorded.loc[recorded["run_id"] == run_id, "point"]) == set(POINTS), recorded
            for point in POINTS:
                row = recorded[(recorded["run_id"] == run_id) & (recorded["point"] == point)]
                assert len(row) == 1, f"{run_id} {point}: no sync_run row\n{recorded}"
                row = row.iloc[0]
                assert row["mode"] == "incremental"
                assert (row["window_start"].to_pydatetime(), row["window_end"].to_pydatetime()) == window
                keys = set(Stage(staging, DAG_ID, run_id, point).read_frame("extracted")["erp_key"])
                assert keys == expected[window][point], f"{run_id} {point}: extracted {sorted(keys)}"
                n = len(expected[window][point])
                assert (row["extracted"], row["updated"], row["created"]) == (n, n, 0), row
                others = [
                    c for c in ("unchanged", "rejected", "blocked", "failed", "locked", "deleted") if c in row
                ]
                assert all(row[c] in (0, None) for c in others), row
                # The ledger names the run that last synced each record: exactly this window's changes.
                point_ledger = ledger.read_point(ledger_engine, point)
                assert set(point_ledger.index[point_ledger["run_id"] == run_id]) == expected[window][point]
        assert recorded.loc[recorded["run_id"] == "initial_full_sync", "mode"].eq("full").all()

        # Procore received exactly those records: one sync call per point and run that had changes.
        writes = sorted((e.path, e.items) for e in emulator.state.request_log[mark:] if e.write)
        expected_writes = sorted(
            (f"/rest/v1.0/{point}/sync", len(keys))
            for per_point in expected.values()
            for point, keys in per_point.items()
            if keys
        )
        assert writes == expected_writes
        assert all(e.status == 200 for e in emulator.state.request_log[mark:] if e.write)

        # The emulator matches the ERP, last change winning, no duplicates; changes outside the range
        # (before its first night or at the end of its last) were not sent.
        after = vendor_view(erp)
        records = emulator.state.records("vendors")
        assert len(records) == len({r["origin_id"] for r in records}) == len(clean_vendors), "no duplicates"
        procore_vendors = {r["origin_id"]: r for r in records}
        unsent = {
            c.key for c in plan if c.table == "vendor" and not any(w[0] <= c.at < w[1] for w in WINDOWS)
        }
        assert unsent == {clean_vendors[4], clean_vendors[5]}
        for key in clean_vendors:
            vendor = procore_vendors[f"{SOURCE}:vendor:{key}"]
            source = before if key in unsent else after
            got = (vendor["name"], vendor.get("city") or None, vendor.get("business_phone") or None)
            want = tuple(clean(source.loc[key, c]) for c in ("name", "city", "phone"))
            assert got == want, (
                f"vendor {key}: Procore {got}, ERP {'before' if key in unsent else 'now'} {want}"
            )
        for key in unsent:
            assert (
                clean(after.loc[key, "phone"]) != procore_vendors[f"{SOURCE}:vendor:{key}"]["business_phone"]
            )
        final_name = procore_vendors[f"{SOURCE}:vendor:{clean_vendors[3]}"]
        assert (final_name["name"], final_name["city"]) == (f"Final Rename {clean_vendors[3]}", "Round Rock")
        w3_run = next(r for r, w in by_run.items() if w == W3)
        assert json.loads(final_name["origin_data"])["run"] == w3_run, "the W3 run delivered the last change"

        project_records = emulator.state.records("projects")
        projects = {p["origin_id"]: p for p in project_records}
        assert len(project_records) == len(projects) == len(clean_jobs), "no duplicates"
        jobs = erp_view(erp, "job", "job_no", "name, city")
        for key in clean_jobs:
            project = projects[f"{SOURCE}:project:{key}"]
            got = (project["name"], project.get("city") or None)
            assert got == (clean(jobs.loc[key, "name"]), clean(jobs.loc[key, "city"])), key
        assert projects[f"{SOURCE}:project:{clean_jobs[0]}"]["city"] == "Round Rock"
        assert projects[f"{SOURCE}:project:{clean_jobs[1]}"]["name"] == f"Backfill Job {clean_jobs[1]}"

        print(
            f"\nscheduler backfill test: setup+initial sync {initial_done - started:.0f}s, "
            f"backfill {backfill_done - initial_done:.0f}s, "
            f"{started_tasks} task processes in {1 + len(WINDOWS)} runs"
        )
