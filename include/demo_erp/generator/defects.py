"""Planting of dirty rows in a job's detail (tiers 2–4): one extra row per defect, in ``DIRTY_PLAN`` turn.

Dirt is planted as *extra* rows so the clean history stays whole and the manifest names exactly the rows
a correct pipeline must reject; nothing clean ever references a dirty row.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from demo_erp.generator.base import JobContext
from demo_erp.generator.manifest import (
    CONTROL_CHARS,
    DANGLING_REFERENCE,
    DIRTY_PLAN,
    DUPLICATE_KEY,
    MISSING_NAME,
    NEGATIVE_AMOUNT,
    OVERLONG_NAME,
)
from demo_erp.generator.party_defects import overlong, with_control
from demo_erp.generator.pay_app_lines import block_lines, plant_pay_app_line
from demo_erp.generator.tier2 import make_invoice
from demo_erp.generator.tier3 import make_change_order, make_subcontract, plan_subcontract
from demo_erp.generator.tier4 import issue_payment, make_pay_app, owner_contract
from demo_erp.generator.values import DANGLING_COST_TYPES, money, month_end, round_to
from demo_erp.reference.costs import COST_CODES, COST_TYPES
from demo_erp.reference.trades import TRADES


def plant_job_dirt(ctx: JobContext) -> None:
    """Plants this job's share of each detail table's dirt; a job with nothing to hang it on passes."""
    g = ctx.g
    for table in DIRTY_PLAN:
        if table in ("customer", "vendor", "job"):
            continue
        wanted = g.dirty_quota(table, ctx.clean_counts[table])
        planted = 0
        for _ in range(wanted):
            kind, column = g.next_kind(table)
            if _PLANTERS[table](ctx, kind, column):
                planted += 1
            else:
                g.turn[table] -= 1
                break
        g.spend_quota(table, planted)


def _unused_code(ctx: JobContext) -> str:
    """A plausible cost code this job does not carry: the classic 'coded to the wrong job' error."""
    spare = [c.code for c in COST_CODES if c.code not in ctx.taken_codes]
    code = ctx.rng.choice(spare) if spare else f"99-{ctx.rng.randint(100, 999)}"
    ctx.taken_codes.add(code)
    return code


def _later(ctx: JobContext, floor: datetime) -> tuple[datetime, datetime]:
    created = ctx.g.uniform_time(ctx.rng, floor, ctx.g.END)
    return created, ctx.g.cap(created, created + ctx.g.lag(ctx.rng, 48))


def _live_subs(ctx: JobContext) -> list[dict[str, Any]]:
    return [s for s in ctx.subs if s["row"]["executed_date"] and not s["row"]["voided"]]


def _plant_cost_code(ctx: JobContext, kind: str, column: str) -> bool:
    rng, g = ctx.rng, ctx.g
    code = _unused_code(ctx)
    description = COST_CODES[rng.randrange(len(COST_CODES))].description
    job_id, key = ctx.job_id, f"{ctx.job_no}/{code}"
    if kind == MISSING_NAME:
        description = rng.choice((None, "", "  "))
    elif kind == OVERLONG_NAME:
        description = overlong(rng, description)
    elif kind == CONTROL_CHARS:
        description = with_control(rng, description)
    elif kind == DANGLING_REFERENCE:
        job_id = g.dangling_id()
        key = f"#{job_id}/{code}"
    copies = 2 if kind == DUPLICATE_KEY else 1
    for copy in range(copies):
        created, updated = _later(ctx, ctx.row["updated_at"])
        row_id = g.new_id("job_cost_code")
        text = description if copy == 0 else f"{description} (dup)"
        ctx.emit(
            "job_cost_code",
            {
                "job_cost_code_id": row_id,
                "job_id": job_id,
                "cost_code": code,
                "description": text,
                "created_at": created,
                "updated_at": updated,
            },
            clean=False,
        )
        g.mark("job_cost_code", key, kind, column, row_id)
    return True


def _plant_budget_line(ctx: JobContext, kind: str, column: str) -> bool:
    rng, g = ctx.rng, ctx.g
    cents = round_to(rng.randint(500_000, 20_000_000), 10_000)
    copies = 2 if kind == DUPLICATE_KEY else 1
    if kind == DANGLING_REFERENCE and column == "cost_code":
        code, cost_type_code = _unused_code(ctx), rng.choice([c for c, _, _ in COST_TYPES])
    else:
        types = DANGLING_COST_TYPES if kind == DANGLING_REFERENCE else [c for c, _, _ in COST_TYPES]
        free = [(c.code, t) for c in ctx.codes for t in types if (c.code, t) not in ctx.budget_taken]
        if not free:
            return False
        code, cost_type_code = rng.choice(free)
    if kind == NEGATIVE_AMOUNT:
        cents = -cents
    ctx.budget_taken.add((code, cost_type_code))
    for _ in range(copies):
        created, updated = _later(ctx, ctx.setup_done)
        row_id = g.new_id("budget_line")
        ctx.emit(
            "budget_line",
            {
                "budget_line_id": row_id,
                "job_id": ctx.job_id,
                "cost_code": code,
                "cost_type_code": cost_type_code,
                "original_amount": money(cents),
                "created_at": created,
                "updated_at": updated,
            },
            clean=False,
        )
        g.mark("budget_line", f"{ctx.job_no}/{code}/{cost_type_code}", kind, column, row_id)
    return True


def _plant_ap_invoice(ctx: JobContext, kind: str, column: str) -> bool:
    window_end = min(ctx.end + timedelta(days=30), ctx.g.end_date)
    invoice_date = ctx.start + timedelta(days=ctx.rng.randint(0, max(0, (window_end - ctx.start).days)))
    make_invoice(ctx, invoice_date, dangling=column)
    return True


def _plant_ap_invoice_line(ctx: JobContext, kind: str, column: str) -> bool:
    rng, g = ctx.rng, ctx.g
    candidates = [i for i in ctx.invoices if not i["row"]["voided"]]
    if not candidates:
        return False
    invoice = rng.choice(candidates)
    header = invoice["row"]
    base = invoice["lines"][0]
    line = dict(base, ap_invoice_line_id=g.new_id("ap_invoice_line"), line_no=len(invoice["lines"]) + 1)
    if column == "cost_code":
        line["cost_code"] = _unused_code(ctx)
    else:
        line["cost_type_code"] = rng.choice(DANGLING_COST_TYPES)
    line["created_at"], line["updated_at"] = header["created_at"], header["updated_at"]
    invoice["lines"].append(line)
    ctx.emit("ap_invoice_line", line, clean=False)
    g.mark("ap_invoice_line", f"{invoice['key']}#{line['line_no']}", kind, column, line["ap_invoice_line_id"])
    return True


def _plant_subcontract(ctx: JobContext, kind: str, column: str) -> bool:
    trade = ctx.rng.choice([t for t in TRADES if t.role == "SC"])
    plan = plan_subcontract(ctx, trade)
    plan["executed"] = min(plan["executed"], ctx.g.end_date - timedelta(days=10))
    make_subcontract(ctx, plan, dangling=column)
    return True


def _plant_subcontract_item(ctx: JobContext, kind: str, column: str) -> bool:
    rng, g = ctx.rng, ctx.g
    live_subs = _live_subs(ctx)
    if not live_subs:
        return False
    sub = rng.choice(live_subs)
    base = sub["items"][0]
    item = dict(base, subcontract_item_id=g.new_id("subcontract_item"), item_no=len(sub["items"]) + 1)
    if kind == NEGATIVE_AMOUNT:
        item["amount"] = -abs(base["amount"])
        item["quantity"] = -base["quantity"] if base["quantity"] is not None else None
        item["description"] = f"{base['description']} — adjustment"
    else:
        item["cost_code"] = _unused_code(ctx)
    item["created_at"], item["updated_at"] = _later(ctx, sub["row"]["updated_at"])
    sub["items"].append(item)
    ctx.emit("subcontract_item", item, clean=False)
    key = f"{sub['row']['contract_no']}#{item['item_no']}"
    g.mark("subcontract_item", key, kind, column, item["subcontract_item_id"])
    return True


def _plant_change_order(ctx: JobContext, kind: str, column: str) -> bool:
    rng, g = ctx.rng, ctx.g
    live_subs = _live_subs(ctx)
    if not live_subs:
        return False
    sub = rng.choice(live_subs)
    co_date = sub["row"]["updated_at"].date() + timedelta(days=rng.randint(1, 60))
    make_change_order(ctx, sub, 900 + rng.randint(1, 99), min(co_date, g.end_date), dangling=True)
    return True


def _plant_change_order_item(ctx: JobContext, kind: str, column: str) -> bool:
    rng, g = ctx.rng, ctx.g
    candidates = [(s, co) for s in _live_subs(ctx) for co in s["cos"]]
    if not candidates:
        return False
    sub, co = rng.choice(candidates)
    base = co["lines"][0]
    line = dict(base, change_order_item_id=g.new_id("change_order_item"), line_no=len(co["lines"]) + 1)
    line["item_no"] = max(i["item_no"] for i in sub["items"]) + rng.randint(50, 90)
    line["description"] = f"{co['row']['title']} — added line"
    co["lines"].append(line)
    ctx.emit("change_order_item", line, clean=False)
    g.mark("change_order_item", f"{co['key']}#{line['line_no']}", kind, column, line["change_order_item_id"])
    return True


def _plant_owner_contract(ctx: JobContext, kind: str, column: str) -> bool:
    owner_contract(ctx, dangling_customer=True)
    return True


def _plant_owner_contract_item(ctx: JobContext, kind: str, column: str) -> bool:
    g = ctx.g
    if ctx.owner is None:
        return False
    header, items = ctx.owner["row"], ctx.owner["items"]
    base = items[0]
    item = dict(base, owner_contract_item_id=g.new_id("owner_contract_item"), item_no=len(items) + 1)
    if kind == NEGATIVE_AMOUNT:
        item["amount"] = -abs(base["amount"])
        item["description"] = "Allowance reconciliation"
    else:
        item["cost_code"] = _unused_code(ctx)
        item["description"] = "Owner allowance"
    item["created_at"], item["updated_at"] = _later(ctx, header["updated_at"])
    items.append(item)
    ctx.emit("owner_contract_item", item, clean=False)
    key = f"{header['contract_no']}#{item['item_no']}"
    g.mark("owner_contract_item", key, kind, column, item["owner_contract_item_id"])
    return True


def _plant_pay_app(ctx: JobContext, kind: str, column: str) -> bool:
    """A negative next pay app on a billed subcontract, or a first one for a subcontract that is not."""
    rng, g = ctx.rng, ctx.g
    billed = [s for s in _live_subs(ctx) if s["apps"]]
    if not billed:
        return False
    sub = rng.choice(billed)
    last = sub["apps"][-1]["row"]
    period_start = last["period_end"] + timedelta(days=1)
    period_end = month_end(period_start)
    billing = min(period_end + timedelta(days=rng.randint(0, 6)), g.end_date)
    cents = round_to(rng.randint(100_000, 5_000_000), 100)
    if kind == NEGATIVE_AMOUNT:
        app_no = last["app_no"] + 1
        retained = -(cents * sub["retainage"] // 100)
        app = make_pay_app(
            ctx, sub, app_no, period_start, period_end, billing, -cents, retained, "under_review", clean=False
        )
        key = f"{sub['row']['contract_no']}/PA{app_no}"
        sub["apps"].append(app)
    else:
        dangling_id = g.dangling_id()
        retained = cents * sub["retainage"] // 100
        app = make_pay_app(
            ctx,
            sub,
            1,
            period_start,
            period_end,
            billing,
            cents,
            retained,
            "under_review",
            subcontract_id=dangling_id,
            clean=False,
        )
        key = f"#{dangling_id}/PA1"
    g.mark("pay_app", key, kind, column, app["row"]["pay_app_id"])
    block_lines(ctx, key, app)
    return True


def _plant_payment(ctx: JobContext, kind: str, column: str) -> bool:
    rng, g = ctx.rng, ctx.g
    billed = [s for s in _live_subs(ctx) if s["apps"]]
    if not billed:
        return False
    sub = rng.choice(billed)
    floor = sub["apps"][-1]["row"]["updated_at"]
    pay_date = g.uniform_time(rng, floor, g.END).date()
    cents = round_to(rng.randint(100_000, 5_000_000), 100)
    if kind == NEGATIVE_AMOUNT:
        row = issue_payment(ctx, sub, None, floor, pay_date, -cents, clean=False)
    else:
        row = issue_payment(ctx, sub, None, floor, pay_date, cents, clean=False, pay_app_id=g.dangling_id())
    g.mark("payment", row["check_no"], kind, column, row["payment_id"])
    return True


#: One planter per detail table; each returns False when this job has nothing to hang the defect on.
_PLANTERS: dict[str, Callable[[JobContext, str, str], bool]] = {
    "job_cost_code": _plant_cost_code,
    "budget_line": _plant_budget_line,
    "ap_invoice": _plant_ap_invoice,
    "ap_invoice_line": _plant_ap_invoice_line,
    "subcontract": _plant_subcontract,
    "subcontract_item": _plant_subcontract_item,
    "change_order": _plant_change_order,
    "change_order_item": _plant_change_order_item,
    "owner_contract": _plant_owner_contract,
    "owner_contract_item": _plant_owner_contract_item,
    "pay_app": _plant_pay_app,
    "payment": _plant_payment,
    "pay_app_line": plant_pay_app_line,
}
