"""Tier 2: cost types, a job's cost codes and budget, and its direct costs (AP invoices with lines).

Cost codes and budget lines are the job's setup: everything later on the job is stamped after them.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from typing import Any

from demo_erp.generator.base import JobContext, RunState
from demo_erp.generator.manifest import DANGLING_REFERENCE
from demo_erp.generator.values import Row, money, qty, round_to, times_cents
from demo_erp.reference.costs import CORE_COST_CODES, COST_CODES, COST_TYPES, CostCode
from demo_erp.reference.trades import TRADE_BY_KEY, TRADES, Trade

# ---- cost types, cost codes, budget ---------------------------------------------------------------


def emit_cost_types(g: RunState) -> None:
    for code, description, base_type in COST_TYPES:
        g.emit(
            "cost_type",
            {
                "cost_type_code": code,
                "description": description,
                "base_type": base_type,
                "created_at": datetime(2012, 1, 3, 9, 0, 0),
                "updated_at": g.START,
            },
        )


def cost_codes(ctx: JobContext) -> None:
    rng, g = ctx.rng, ctx.g
    core = [c for c in COST_CODES if c.code in CORE_COST_CODES]
    others = [c for c in COST_CODES if c.code not in CORE_COST_CODES]
    count = min(len(COST_CODES), rng.randint(20, 30))
    ctx.codes = sorted(core + rng.sample(others, count - len(core)), key=lambda c: c.code)
    ctx.code_set = {c.code for c in ctx.codes}
    ctx.taken_codes = set(ctx.code_set)
    created = ctx.row["updated_at"] + timedelta(minutes=rng.randint(5, 240))
    for code in ctx.codes:
        stamp = g.cap(ctx.row["updated_at"], created + timedelta(seconds=rng.randint(0, 600)))
        updated = g.cap(stamp, stamp + g.lag(rng, 6))
        ctx.emit(
            "job_cost_code",
            {
                "job_cost_code_id": g.new_id("job_cost_code"),
                "job_id": ctx.job_id,
                "cost_code": code.code,
                "description": code.description,
                "created_at": stamp,
                "updated_at": updated,
            },
        )
        ctx.setup_done = max(ctx.setup_done, updated)


def budget_lines(ctx: JobContext) -> None:
    rng, g = ctx.rng, ctx.g
    shares: list[tuple[CostCode, float]] = [(c, c.weight * rng.uniform(0.6, 1.4)) for c in ctx.codes]
    total = sum(s for _, s in shares)
    floor = ctx.setup_done
    for code, share in shares:
        types = [code.cost_types[0]] + [t for t in code.cost_types[1:] if rng.random() < 0.6]
        amount = int(ctx.job.size_cents * share / total)
        splits = [0.7] + [0.3 / (len(types) - 1)] * (len(types) - 1) if len(types) > 1 else [1.0]
        for cost_type_code, split in zip(types, splits, strict=True):
            cents = max(100_000, round_to(int(amount * split), 10_000))
            ctx.budget[(code.code, cost_type_code)] = cents
            ctx.budget_taken.add((code.code, cost_type_code))
            created = g.cap(floor, floor + timedelta(minutes=rng.randint(10, 600)))
            updated = g.cap(created, created + g.lag(rng, 12))
            ctx.emit(
                "budget_line",
                {
                    "budget_line_id": g.new_id("budget_line"),
                    "job_id": ctx.job_id,
                    "cost_code": code.code,
                    "cost_type_code": cost_type_code,
                    "original_amount": money(cents),
                    "created_at": created,
                    "updated_at": updated,
                },
            )
            ctx.setup_done = max(ctx.setup_done, updated)


# ---- direct costs ---------------------------------------------------------------------------------


def ap_invoices(ctx: JobContext) -> None:
    rng = ctx.rng
    window_end = min(ctx.end + timedelta(days=30), ctx.g.end_date)
    months = max(1, (window_end - ctx.start).days / 30)
    count = max(4, round(months * rng.uniform(1.8, 3.2)))
    dates = sorted(
        ctx.start + timedelta(days=rng.randint(0, (window_end - ctx.start).days)) for _ in range(count)
    )
    for invoice_date in dates:
        ctx.invoices.append(make_invoice(ctx, invoice_date))


def make_invoice(ctx: JobContext, invoice_date: date, *, dangling: str | None = None) -> dict[str, Any]:
    """Builds (and emits) one direct cost; ``dangling`` names the reference to break, making it dirty."""
    rng, g = ctx.rng, ctx.g
    dc_type = _direct_cost_type(rng)
    if dangling == "vendor_id" and dc_type == "payroll":
        dc_type = "invoice"
    received = min(invoice_date + timedelta(days=rng.randint(0, 12)), g.end_date)
    created = g.cap(ctx.setup_done, g.at(rng, received))
    status = _ap_status(rng, (g.end_date - received).days)
    updated = g.cap(created, created + g.lag(rng, 96 if status != "paid" else 24 * 25))
    seq = g.next_document()
    trade, vendor_index, invoice_no, description = _payee(ctx, dc_type, invoice_date, seq, created)
    vendor_id = g.vendors[vendor_index].row["vendor_id"] if vendor_index is not None else None
    job_id = ctx.job_id
    if dangling == "vendor_id":
        vendor_id = g.dangling_id()
    elif vendor_index is not None:
        g.use_vendor(vendor_index, updated)
    if dangling == "job_id":
        job_id = g.dangling_id()
    invoice_id = g.new_id("ap_invoice")
    header: Row = {
        "ap_invoice_id": invoice_id,
        "job_id": job_id,
        "vendor_id": vendor_id,
        "invoice_no": invoice_no,
        "invoice_date": invoice_date,
        "received_date": received,
        "direct_cost_type": dc_type,
        "status": status,
        "description": description,
        "voided": rng.random() < 0.02,
        "created_at": created,
        "updated_at": updated,
    }
    lines = invoice_lines(ctx, header, dc_type, trade)
    if dc_type == "expense":
        for line in lines:
            line["description"] = description
    key = f"{ctx.job_no if job_id == ctx.job_id else f'#{job_id}'}/{invoice_no}"
    clean = dangling is None
    ctx.emit("ap_invoice", header, clean=clean)
    for line in lines:
        ctx.emit("ap_invoice_line", line, clean=clean)
        if not clean:
            g.mark_blocked(
                "ap_invoice_line", f"{key}#{line['line_no']}", "ap_invoice_id", line["ap_invoice_line_id"]
            )
    if not clean:
        g.mark("ap_invoice", key, DANGLING_REFERENCE, dangling, invoice_id)  # type: ignore[arg-type]
    return {"row": header, "lines": lines, "key": key}


def _direct_cost_type(rng: random.Random) -> str:
    roll = rng.random()
    return (
        "invoice"
        if roll < 0.55
        else "expense"
        if roll < 0.67
        else "payroll"
        if roll < 0.92
        else "subcontractor_invoice"
    )


def _ap_status(rng: random.Random, age: int) -> str:
    """Young invoices are still in the workflow; old ones are mostly paid."""
    if age < 30:
        return rng.choice(("entered", "in_review", "in_review", "rejected", "approved"))
    roll = rng.random()
    return (
        "paid" if roll < 0.82 else "approved" if roll < 0.94 else "rejected" if roll < 0.97 else "in_review"
    )


def _payee(
    ctx: JobContext, dc_type: str, invoice_date: date, seq: int, created: datetime
) -> tuple[Trade | None, int | None, str, str]:
    """Trade, vendor index, invoice number and description; payroll has no vendor."""
    rng, g = ctx.rng, ctx.g
    if dc_type == "payroll":
        week_end = invoice_date + timedelta(days=(4 - invoice_date.weekday()) % 7)
        return None, None, f"PR{week_end:%Y%m%d}-{seq:06d}", f"Payroll week ending {week_end:%m/%d/%Y}"
    if dc_type == "invoice":
        trade = rng.choice([t for t in TRADES if t.role in ("PO", "AP")])
    elif dc_type == "expense":
        trade = TRADE_BY_KEY[rng.choice(("site_services", "building_supply"))]
    else:
        trade = rng.choice([t for t in TRADES if t.role == "SC"])
    vendor_index = g.pick_vendor(rng, trade.key, created)
    style = (vendor_index or 0) % 4
    invoice_no = (f"INV-{seq:07d}", f"A{seq:07d}", f"{invoice_date:%y%m}/{seq:06d}", f"{seq:09d}")[style]
    if dc_type == "expense":
        invoice_no = f"EXP-{seq:07d}"
    description = {
        "invoice": f"{rng.choice(trade.items)} — delivered to site",
        "expense": rng.choice(
            ("Field office supplies", "Fuel", "Per diem", "Small tools", "Safety supplies")
        ),
        "subcontractor_invoice": f"{trade.words[0]} T&M work",
    }[dc_type]
    return trade, vendor_index, invoice_no, description


def invoice_lines(ctx: JobContext, header: Row, dc_type: str, trade: Trade | None) -> list[Row]:
    rng, g = ctx.rng, ctx.g
    credit = dc_type == "invoice" and rng.random() < 0.03
    labor_codes = [c.code for c in ctx.codes if "L" in c.cost_types] or ["01-310"]
    count = {
        "invoice": rng.randint(1, 5),
        "expense": rng.randint(1, 2),
        "payroll": rng.randint(1, 3),
        "subcontractor_invoice": rng.randint(1, 2),
    }[dc_type]
    lines: list[Row] = []
    for line_no in range(1, count + 1):
        if dc_type == "payroll":
            code, cost_type_code = rng.choice(labor_codes), "L"
            quantity = rng.randint(16, 800) * 50
            unit = rng.randint(2800, 6800)
            description = (
                f"Field labor — {rng.choice(('carpenters', 'laborers', 'operators', 'supervision'))}"
            )
        else:
            assert trade is not None
            trade_codes = [c for c in trade.cost_codes if c in ctx.code_set]
            code = rng.choice(trade_codes or [c.code for c in ctx.codes])
            cost_type_code = {"equipment": "E", "professional": "S", "site_services": "O"}.get(
                trade.key, "SUB" if dc_type == "subcontractor_invoice" else "M"
            )
            if dc_type == "expense":
                cost_type_code = rng.choice(("O", "M"))
            if cost_type_code == "M":
                quantity = rng.randint(1, 500) * 100
                unit = rng.randint(500, 250_000)
            else:
                quantity, unit = 100, rng.randint(15_000, 2_500_000)
            description = rng.choice(trade.items)
        if credit:
            quantity, description = -quantity, f"Credit: returned {description.lower()}"
        lines.append(
            {
                "ap_invoice_line_id": g.new_id("ap_invoice_line"),
                "ap_invoice_id": header["ap_invoice_id"],
                "line_no": line_no,
                "cost_code": code,
                "cost_type_code": cost_type_code,
                "description": description,
                "quantity": qty(quantity),
                "unit_cost": money(unit),
                "amount": money(times_cents(quantity, unit)),
                "created_at": header["created_at"],
                "updated_at": header["updated_at"],
            }
        )
    return lines
