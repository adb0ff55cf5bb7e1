"""Tier 4: the prime contract with owner billing receipts, subcontractor pay apps, and payments.

Billing follows an S-curve over the work period, monthly, and payments land 20–55 days after each bill,
so a backfill window in the middle of a job sees partial progress as a real ERP would show it.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from demo_erp.generator.base import JobContext, RunState
from demo_erp.generator.manifest import DANGLING_REFERENCE
from demo_erp.generator.pay_app_lines import bill_lines, open_billing
from demo_erp.generator.values import Row, money, month_end, round_to, smoothstep

# ---- prime contract -------------------------------------------------------------------------------


def owner_contract(ctx: JobContext, *, dangling_customer: bool = False) -> None:
    """The job's prime contract; a dangling customer makes an extra, dirty one (``PC-{job_no}-A``)."""
    rng, g = ctx.rng, ctx.g
    executed = ctx.start - timedelta(days=rng.randint(0, 20))
    roll = rng.random()
    if ctx.row["status"] == "closed":
        status = "Complete"
    elif roll < 0.06:
        status, executed = rng.choice(("Draft", "Out For Signature")), None
    else:
        status = "Approved"
    created = g.cap(ctx.setup_done, ctx.setup_done + timedelta(minutes=rng.randint(30, 2880)))
    updated = g.cap(created, created + g.lag(rng, 72))
    oc_id = g.new_id("owner_contract")
    contract_no = f"PC-{ctx.job_no}" + ("-A" if dangling_customer else "")
    retainage = rng.choice((5, 10))
    items = _owner_items(ctx, oc_id, created, updated)
    total = sum(int(i["amount"].scaleb(2)) for i in items)
    customer_id = g.dangling_id() if dangling_customer else ctx.row["customer_id"]
    header = {
        "owner_contract_id": oc_id,
        "job_id": ctx.job_id,
        "customer_id": customer_id,
        "contract_no": contract_no,
        "title": f"Owner Agreement — {ctx.job.name}",
        "status": status,
        "executed_date": executed,
        "original_amount": money(total),
        "retainage_percent": Decimal(retainage).quantize(Decimal("0.01")),
        "created_at": created,
        "updated_at": updated,
    }
    if dangling_customer:
        _emit_dangling_owner_contract(ctx, header, items)
        return
    ctx.emit("owner_contract", header)
    for item in items:
        ctx.emit("owner_contract_item", item)
    ctx.owner = {"row": header, "items": items, "retainage": retainage}
    ctx.row["contract_amount"] = money(total)
    if executed is not None:
        owner_receipts(ctx, header, total, retainage)


def _owner_items(ctx: JobContext, oc_id: int, created: datetime, updated: datetime) -> list[Row]:
    """One line per cost code: the budget plus a 6–12 % fee."""
    rng, g = ctx.rng, ctx.g
    items: list[Row] = []
    for number, code in enumerate(ctx.codes, start=1):
        cost = sum(c for (cc, _), c in ctx.budget.items() if cc == code.code)
        cents = round_to(int(cost * rng.uniform(1.06, 1.12)), 10_000)
        items.append(
            {
                "owner_contract_item_id": g.new_id("owner_contract_item"),
                "owner_contract_id": oc_id,
                "item_no": number,
                "cost_code": code.code,
                "description": code.description,
                "amount": money(cents),
                "created_at": created,
                "updated_at": updated,
            }
        )
    return items


def _emit_dangling_owner_contract(ctx: JobContext, header: Row, items: list[Row]) -> None:
    g = ctx.g
    contract_no = header["contract_no"]
    ctx.emit("owner_contract", header, clean=False)
    g.mark("owner_contract", contract_no, DANGLING_REFERENCE, "customer_id", header["owner_contract_id"])
    for item in items:
        ctx.emit("owner_contract_item", item, clean=False)
        g.mark_blocked(
            "owner_contract_item",
            f"{contract_no}#{item['item_no']}",
            "owner_contract_id",
            item["owner_contract_item_id"],
        )


def owner_receipts(ctx: JobContext, header: Row, total: int, retainage: int) -> None:
    rng, g = ctx.rng, ctx.g
    period_end = month_end(ctx.start)
    billed = 0
    held = 0
    duration = max(1, (ctx.end - ctx.start).days)
    while period_end <= min(month_end(ctx.end), g.end_date) and billed < total:
        cumulative = int(total * smoothstep((period_end - ctx.start).days / duration))
        this_period = cumulative - billed
        if this_period > 0:
            billed = cumulative
            retained = this_period * retainage // 100
            held += retained
            pay_date = period_end + timedelta(days=rng.randint(25, 55))
            if pay_date <= g.end_date:
                receipt(ctx, header, pay_date, this_period - retained)
        period_end = month_end(period_end + timedelta(days=1))
    if ctx.row["status"] == "closed" and held:
        pay_date = ctx.end + timedelta(days=rng.randint(60, 120))
        if pay_date <= g.end_date:
            receipt(ctx, header, pay_date, held)


def receipt(ctx: JobContext, header: Row, pay_date: date, cents: int) -> None:
    rng, g = ctx.rng, ctx.g
    method = "electronic" if rng.random() < 0.7 else "check"
    seq = g.next_document()
    created = g.cap(header["updated_at"], g.at(rng, pay_date))
    ctx.emit(
        "payment",
        {
            "payment_id": g.new_id("payment"),
            "direction": "received",
            "subcontract_id": None,
            "owner_contract_id": header["owner_contract_id"],
            "pay_app_id": None,
            "check_no": f"RW{seq:07d}" if method == "electronic" else f"RC{seq:07d}",
            "payment_method": method,
            "payment_date": pay_date,
            "amount": money(cents),
            "voided": False,
            "created_at": created,
            "updated_at": g.cap(created, created + g.lag(rng, 4)),
        },
    )


# ---- subcontractor invoices (pay apps) ------------------------------------------------------------


def pay_apps(ctx: JobContext, sub: dict[str, Any]) -> None:
    """Monthly pay apps up to the S-curve's progress (capped for terminated work), then retainage."""
    rng, g = ctx.rng, ctx.g
    header = sub["row"]
    open_billing(ctx, sub)
    work_start, work_end, final_fraction = _billing_window(rng, sub)
    sov = sum(int(i["amount"].scaleb(2)) for i in sub["items"])
    span = max(1, (work_end - work_start).days)
    period_end = month_end(work_start)
    billed = 0
    app_no = 0
    held = 0
    last_billing = work_start
    while True:
        billing_date = period_end + timedelta(days=rng.randint(0, 6))
        if billing_date > g.end_date:
            break
        revised = sov + sum(co["approved_cents"] for co in sub["cos"] if co["row"]["co_date"] <= period_end)
        fraction = smoothstep((period_end - work_start).days / span)
        if header["status"] == "Terminated":
            fraction = min(fraction, final_fraction)
        cumulative = int(revised * fraction)
        this_period = cumulative - billed
        if this_period > 0:
            app_no += 1
            billed = cumulative
            retained = this_period * sub["retainage"] // 100
            status = _pay_app_status(rng, g, billing_date)
            period_start = max(period_end.replace(day=1), work_start)
            app = make_pay_app(
                ctx, sub, app_no, period_start, period_end, billing_date, this_period, retained, status
            )
            sub["apps"].append(app)
            last_billing = billing_date
            if status.startswith("approved"):
                held += retained
                pay_subcontractor(ctx, sub, app["row"], billing_date, this_period - retained)
        if period_end >= work_end and fraction >= final_fraction:
            break
        period_end = month_end(period_end + timedelta(days=1))
    if header["status"] in ("Complete", "Received", "Closed") and held:
        release = max(work_end, last_billing) + timedelta(days=rng.randint(30, 75))
        if release <= g.end_date:
            issue_payment(ctx, sub, None, header["updated_at"], release, held)


def _billing_window(rng: random.Random, sub: dict[str, Any]) -> tuple[date, date, float]:
    """Work period to bill over and the share of it ever billed (a terminated commitment stops early)."""
    header = sub["row"]
    plan = sub["plan"]
    work_start: date = max(plan["work_start"], header["executed_date"])
    work_end: date = max(plan["work_end"], work_start + timedelta(days=30))
    final_fraction = 1.0
    if header["status"] == "Terminated":
        final_fraction = rng.uniform(0.3, 0.7)
        work_end = work_start + timedelta(days=int((work_end - work_start).days * final_fraction))
    return work_start, work_end, final_fraction


def _pay_app_status(rng: random.Random, g: RunState, billing_date: date) -> str:
    """Recent pay apps are still in review; older ones were approved."""
    if billing_date > g.end_date - timedelta(days=40):
        return rng.choice(("draft", "under_review", "under_review", "revise_and_resubmit", "approved"))
    return "approved" if rng.random() < 0.9 else "approved_as_noted"


def make_pay_app(
    ctx: JobContext,
    sub: dict[str, Any],
    app_no: int,
    period_start: date,
    period_end: date,
    billing_date: date,
    cents: int,
    retained: int,
    status: str,
    *,
    subcontract_id: int | None = None,
    clean: bool = True,
) -> dict[str, Any]:
    rng, g = ctx.rng, ctx.g
    header = sub["row"]
    created = g.cap(header["updated_at"], g.at(rng, billing_date))
    updated = g.cap(created, created + g.lag(rng, 7 * 24))
    row: Row = {
        "pay_app_id": g.new_id("pay_app"),
        "subcontract_id": subcontract_id or header["subcontract_id"],
        "app_no": app_no,
        "period_start": period_start,
        "period_end": period_end,
        "billing_date": billing_date,
        "amount_this_period": money(cents),
        "retainage_this_period": money(retained),
        "status": status,
        "created_at": created,
        "updated_at": updated,
    }
    ctx.emit("pay_app", row, clean=clean)
    return {"row": row, "lines": bill_lines(ctx, sub, row, clean=clean), "clean": clean}


# ---- payments -------------------------------------------------------------------------------------


def pay_subcontractor(ctx: JobContext, sub: dict[str, Any], app: Row, billing_date: date, cents: int) -> None:
    """Pays an approved pay app; now and then the check is voided and reissued under a new number."""
    rng, g = ctx.rng, ctx.g
    pay_date = billing_date + timedelta(days=rng.randint(20, 45))
    if pay_date > g.end_date:
        return
    if rng.random() < 0.02:
        voided = issue_payment(ctx, sub, app, app["updated_at"], pay_date, cents, voided=True)
        pay_date += timedelta(days=rng.randint(3, 14))
        if pay_date > g.end_date:
            return
        issue_payment(ctx, sub, app, voided["updated_at"], pay_date, cents)
        return
    issue_payment(ctx, sub, app, app["updated_at"], pay_date, cents)


def issue_payment(
    ctx: JobContext,
    sub: dict[str, Any],
    app: Row | None,
    floor: datetime,
    pay_date: date,
    cents: int,
    *,
    voided: bool = False,
    clean: bool = True,
    pay_app_id: int | None = None,
) -> Row:
    rng, g = ctx.rng, ctx.g
    roll = rng.random()
    method = "check" if roll < 0.55 else "electronic" if roll < 0.98 else "credit_card"
    seq = g.next_document()
    check_no = {"check": f"{100000 + seq}", "electronic": f"EFT{seq:07d}", "credit_card": f"CC{seq:07d}"}[
        method
    ]
    created = g.cap(max(floor, sub["row"]["updated_at"]), g.at(rng, pay_date))
    updated = g.cap(created, created + (timedelta(days=rng.randint(2, 20)) if voided else g.lag(rng, 6)))
    row: Row = {
        "payment_id": g.new_id("payment"),
        "direction": "issued",
        "subcontract_id": sub["row"]["subcontract_id"],
        "owner_contract_id": None,
        "pay_app_id": pay_app_id if pay_app_id is not None else (app["pay_app_id"] if app else None),
        "check_no": check_no,
        "payment_method": method,
        "payment_date": pay_date,
        "amount": money(cents),
        "voided": voided,
        "created_at": created,
        "updated_at": updated,
    }
    ctx.emit("payment", row, clean=clean)
    return row
