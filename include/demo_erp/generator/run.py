"""One generation run: plan the parties, build each job's detail tier by tier, then write the manifest.

Vendors are written last because their ``updated_at`` is pulled back to before their first use, which is
known only once every job has been built.
"""

from __future__ import annotations

import time
from datetime import date

import sqlalchemy as sa

from demo_erp.generator.base import FLUSH_ROWS, JobContext, PlannedJob, RunState
from demo_erp.generator.defects import plant_job_dirt
from demo_erp.generator.manifest import GenerationReport, manifest_order, write_manifest
from demo_erp.generator.tier1 import emit_parties, plan_customers, plan_jobs, plan_vendors
from demo_erp.generator.tier2 import ap_invoices, budget_lines, cost_codes, emit_cost_types
from demo_erp.generator.tier3 import subcontracts
from demo_erp.generator.tier4 import owner_contract
from demo_erp.schema import ERP_TABLES, PRIMARY_KEYS, create_schema, metadata


def _validate(scale: float, dirty_share: float, history_start: date, history_end: date) -> None:
    if not 0 < scale <= 10_000:
        raise ValueError(f"scale must be in (0, 10000], got {scale}")
    if not 0 <= dirty_share <= 0.5:
        raise ValueError(
            f"dirty_share must be in [0, 0.5] so clean rows stay the majority, got {dirty_share}"
        )
    if (history_end - history_start).days < 180:
        raise ValueError("the history range must span at least 180 days")


def generate(
    engine: sa.Engine,
    *,
    scale: float = 1.0,
    dirty_share: float = 0.05,
    seed: int = 42,
    history_start: date = date(2024, 1, 1),
    history_end: date = date(2026, 10, 31),
) -> GenerationReport:
    """Fills an empty demo ERP (creating missing tables) and returns what was written.

    Scale 1 is a mid-size general contractor: ~120 vendors and 12 jobs; detail grows linearly with scale.
    ``dirty_share`` is the share of each table's rows that are dirty, planted as extra rows.
    """
    _validate(scale, dirty_share, history_start, history_end)
    started = time.perf_counter()
    create_schema(engine)
    with engine.begin() as conn:
        occupied = [
            t
            for t in ERP_TABLES
            if conn.execute(sa.select(sa.literal(1)).select_from(metadata.tables[t]).limit(1)).first()
            is not None
        ]
        if occupied:
            raise RuntimeError(f"the demo ERP is not empty ({', '.join(occupied)}); seed with reset=True")
        gen = RunState(
            conn, scale=scale, dirty_share=dirty_share, seed=seed, start=history_start, end=history_end
        )
        _run(gen)
        report = GenerationReport(
            seed=seed,
            scale=scale,
            dirty_share=dirty_share,
            history_start=history_start,
            history_end=history_end,
            row_counts=dict(gen.counts),
            dirty=manifest_order(gen.dirty),
            blocked=manifest_order(gen.blocked),
            unicode_rows=gen.unicode_rows,
        )
        write_manifest(conn, report)
        if conn.dialect.name == "postgresql":
            _advance_sequences(conn)
    report.elapsed_seconds = time.perf_counter() - started
    return report


def _run(g: RunState) -> None:
    plan_customers(g)
    plan_vendors(g)
    plan_jobs(g)
    emit_parties(g, "customer", g.customers, "customer_no")
    emit_cost_types(g)
    g.flush()
    for job_ in g.jobs:
        if not job_.clean:
            g.emit("job", job_.row)
            kind, column = job_.dirty  # type: ignore[misc]
            g.mark("job", job_.row["job_no"], kind, column, job_.row["job_id"])
    for job_ in g.jobs:
        if job_.clean:
            _build_job(g, job_)
            if g.buffered >= FLUSH_ROWS:
                g.flush()
    emit_parties(g, "vendor", g.vendors, "vendor_no")
    g.flush()


def _build_job(g: RunState, job_: PlannedJob) -> None:
    """A job's detail in order: setup rows and prime contract, the job itself, commitments, AP, dirt."""
    ctx = JobContext(g, job_)
    cost_codes(ctx)
    budget_lines(ctx)
    owner_contract(ctx)
    g.emit("job", ctx.row)
    subcontracts(ctx)
    ap_invoices(ctx)
    plant_job_dirt(ctx)


def _advance_sequences(conn: sa.Connection) -> None:
    """Explicit ids do not move PostgreSQL's serial sequences; later plain INSERTs must not collide."""
    for table in ERP_TABLES:
        column = PRIMARY_KEYS[table]
        if isinstance(metadata.tables[table].c[column].type, sa.Integer):
            conn.execute(
                sa.text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), "
                    f"COALESCE((SELECT MAX({column}) FROM {table}), 0) + 1, false)"
                )
            )
