"""Tier 3: commitments (subcontracts and purchase orders with their SOV) and their change orders.

Commitments are timed by their trade's phase on the job, so concrete is let before drywall; billing and
payments of an executed commitment follow at once (tier 4), in the same random stream.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from demo_erp.generator.base import JobContext
from demo_erp.generator.manifest import DANGLING_REFERENCE
from demo_erp.generator.tier4 import pay_apps
from demo_erp.generator.values import PO_STATUSES, SC_STATUSES, Row, money, qty, round_to
from demo_erp.reference.trades import PO_UNITS, SC_COMMON_ITEMS, TRADES, Trade

# ---- commitments ----------------------------------------------------------------------------------


def subcontracts(ctx: JobContext) -> None:
    rng = ctx.rng
    count = rng.randint(7, 13)
    sc_trades = [t for t in TRADES if t.role == "SC" and ctx.code_set.intersection(t.cost_codes)]
    po_trades = [t for t in TRADES if t.role == "PO" and ctx.code_set.intersection(t.cost_codes)]
    n_po = min(len(po_trades), round(count * 0.3))
    picks = rng.sample(po_trades, n_po)
    picks += rng.sample(sc_trades, min(len(sc_trades), count - n_po))
    while len(picks) < count:
        picks.append(rng.choice(sc_trades or po_trades))
    planned = [plan_subcontract(ctx, t) for t in picks]
    planned.sort(key=lambda p: p["created"])
    for plan in planned:
        ctx.subs.append(make_subcontract(ctx, plan))


def plan_subcontract(ctx: JobContext, trade: Trade) -> dict[str, Any]:
    rng, g = ctx.rng, ctx.g
    duration = max(30, (ctx.end - ctx.start).days)
    work_start = ctx.start + timedelta(days=int(trade.phase[0] * duration) + rng.randint(-10, 20))
    work_end = ctx.start + timedelta(days=int(trade.phase[1] * duration) + rng.randint(-10, 20))
    work_end = max(work_end, work_start + timedelta(days=30))
    executed = max(ctx.start - timedelta(days=30), work_start - timedelta(days=rng.randint(7, 45)))
    created = g.cap(ctx.setup_done, g.at(rng, executed - timedelta(days=rng.randint(3, 30))))
    return {
        "trade": trade,
        "work_start": work_start,
        "work_end": work_end,
        "executed": executed,
        "created": created,
    }


def make_subcontract(ctx: JobContext, plan: dict[str, Any], *, dangling: str | None = None) -> dict[str, Any]:
    """Builds (and emits) one commitment with its SOV, change orders, pay apps and payments."""
    rng, g = ctx.rng, ctx.g
    trade: Trade = plan["trade"]
    kind = "PO" if trade.role == "PO" else "SC"
    created: datetime = plan["created"]
    status, executed, voided = _commitment_status(ctx, plan, kind)
    if executed is not None:
        updated = g.cap(created, g.at(rng, executed) + g.lag(rng, 48))
    else:
        updated = g.cap(created, created + g.lag(rng, 72))
    vendor_index = g.pick_vendor(rng, trade.key, created)
    vendor_id = g.vendors[vendor_index].row["vendor_id"]
    contract_no = _next_contract_no(ctx, kind)
    job_id = ctx.job_id
    if dangling == "vendor_id":
        vendor_id = g.dangling_id()
    else:
        g.use_vendor(vendor_index, updated)
        if dangling == "job_id":
            job_id = g.dangling_id()
    sub_id = g.new_id("subcontract")
    retainage = 0 if kind == "PO" else rng.choice((5, 10, 10))
    header: Row = {
        "subcontract_id": sub_id,
        "job_id": job_id,
        "vendor_id": vendor_id,
        "contract_no": contract_no,
        "kind": kind,
        "title": f"{trade.words[0]} {'Subcontract' if kind == 'SC' else 'Purchase Order'}",
        "description": None,
        "status": status,
        "executed_date": executed,
        "retainage_percent": Decimal(retainage).quantize(Decimal("0.01")),
        "voided": voided,
        "created_at": created,
        "updated_at": updated,
    }
    codes, items = _schedule_of_values(ctx, trade, kind, sub_id, created, updated)
    header["description"] = _scope_of_work(kind, items)
    sub = {
        "row": header,
        "items": items,
        "plan": plan,
        "codes": codes,
        "cos": [],
        "apps": [],
        "retainage": retainage,
        "kind": kind,
    }
    _emit_subcontract(ctx, sub, dangling)
    if dangling is None and executed is not None and not voided:
        change_orders(ctx, sub)
        pay_apps(ctx, sub)
    return sub


def _commitment_status(ctx: JobContext, plan: dict[str, Any], kind: str) -> tuple[str, date | None, bool]:
    """Status, executed date (None while unsigned) and whether the ERP voided it."""
    rng, g = ctx.rng, ctx.g
    executed: date | None = plan["executed"]
    voided = False
    if executed > g.end_date - timedelta(days=5):
        status = rng.choice(SC_STATUSES[:3] if kind == "SC" else PO_STATUSES[:3])
        executed = None
    else:
        roll = rng.random()
        finished = plan["work_end"] + timedelta(days=60) < g.end_date
        if roll < 0.03:
            status, voided = ("Void", True) if kind == "SC" else ("Closed", True)
        elif roll < 0.05 and kind == "SC":
            status = "Terminated"
        elif finished:
            status = "Complete" if kind == "SC" else rng.choice(("Received", "Closed"))
        elif kind == "SC":
            status = "Approved"
        else:
            status = "Partially Received" if plan["work_start"] < g.end_date else "Approved"
    return status, executed, voided


def _scope_of_work(kind: str, items: list[Row]) -> str:
    return (
        ("Furnish and install " if kind == "SC" else "Supply and deliver ")
        + ", ".join(sorted({i["description"].split(" — ")[0].lower() for i in items}))
        + " per contract documents."
    )


def _next_contract_no(ctx: JobContext, kind: str) -> str:
    if kind == "SC":
        ctx.sc_seq += 1
        return f"SC-{ctx.job_no}-{ctx.sc_seq:03d}"
    ctx.po_seq += 1
    return f"PO-{ctx.job_no}-{ctx.po_seq:03d}"


def _schedule_of_values(
    ctx: JobContext, trade: Trade, kind: str, sub_id: int, created: datetime, updated: datetime
) -> tuple[list[str], list[Row]]:
    """The commitment's cost codes and SOV lines, sized from the job and the trade's share of it."""
    rng, g = ctx.rng, ctx.g
    codes = [c for c in trade.cost_codes if c in ctx.code_set] or [ctx.codes[0].code]
    weight = sum(c.weight for c in ctx.codes if c.code in codes) / sum(c.weight for c in ctx.codes)
    target = max(2_000_000, int(ctx.job.size_cents * weight * rng.uniform(0.4, 0.8)))
    n_items = rng.randint(3, 10)
    parts = [rng.uniform(0.5, 1.5) for _ in range(n_items)]
    items: list[Row] = []
    descriptions = _item_descriptions(rng, trade, kind, n_items)
    for number, (part, phrase) in enumerate(zip(parts, descriptions, strict=True), start=1):
        cents = max(50_000, round_to(int(target * part / sum(parts)), 1_000))
        item: Row = {
            "subcontract_item_id": g.new_id("subcontract_item"),
            "subcontract_id": sub_id,
            "item_no": number,
            "cost_code": rng.choice(codes),
            "cost_type_code": "SUB" if kind == "SC" else "M",
            "description": phrase,
            "quantity": None,
            "uom": "LS",
            "unit_cost": None,
            "created_at": created,
            "updated_at": updated,
        }
        if kind == "PO":
            unit_cents = rng.randint(150, 250_000)
            quantity = max(1, cents // unit_cents)
            item.update(quantity=qty(quantity * 100), uom=rng.choice(PO_UNITS), unit_cost=money(unit_cents))
            cents = quantity * unit_cents
        item["amount"] = money(cents)
        items.append(item)
    return codes, items


def _item_descriptions(rng: random.Random, trade: Trade, kind: str, n_items: int) -> list[str]:
    """Distinct SOV line texts: the trade's phrases first, then phrases qualified by area."""
    phrases = list(trade.items) + (list(SC_COMMON_ITEMS) if kind == "SC" else [])
    areas = ("Level 1", "Level 2", "Level 3", "Building A", "Building B", "Phase 1", "Phase 2", "Site")
    descriptions = rng.sample(phrases, min(n_items, len(phrases)))
    while len(descriptions) < n_items:
        candidate = f"{rng.choice(trade.items)} — {rng.choice(areas)}"
        if candidate not in descriptions:
            descriptions.append(candidate)
    return descriptions


def _emit_subcontract(ctx: JobContext, sub: dict[str, Any], dangling: str | None) -> None:
    """Emits header and SOV; a dangling header is dirty and its clean lines are blocked behind it."""
    g = ctx.g
    header = sub["row"]
    contract_no = header["contract_no"]
    clean = dangling is None
    ctx.emit("subcontract", header, clean=clean)
    for item in sub["items"]:
        ctx.emit("subcontract_item", item, clean=clean)
        if not clean:
            g.mark_blocked(
                "subcontract_item",
                f"{contract_no}#{item['item_no']}",
                "subcontract_id",
                item["subcontract_item_id"],
            )
    if not clean:
        g.mark("subcontract", contract_no, DANGLING_REFERENCE, dangling, header["subcontract_id"])


# ---- change orders --------------------------------------------------------------------------------


def change_orders(ctx: JobContext, sub: dict[str, Any]) -> None:
    rng, g = ctx.rng, ctx.g
    header = sub["row"]
    low = max(header["executed_date"] + timedelta(days=14), header["updated_at"].date() + timedelta(days=1))
    high = min(sub["plan"]["work_end"] + timedelta(days=30), g.end_date)
    if high <= low:
        return
    count = rng.choice((0, 0, 0, 1, 1, 1, 2, 2, 3, 4))
    dates = sorted(low + timedelta(days=rng.randint(0, (high - low).days)) for _ in range(count))
    for number, co_date in enumerate(dates, start=1):
        sub["cos"].append(make_change_order(ctx, sub, number, co_date))


def make_change_order(
    ctx: JobContext, sub: dict[str, Any], number: int, co_date: date, *, dangling: bool = False
) -> dict[str, Any]:
    """Builds (and emits) one change order; a dangling one points at no subcontract and is dirty."""
    rng, g = ctx.rng, ctx.g
    header = sub["row"]
    status, title = _co_status_and_title(rng)
    co_id = g.new_id("change_order")
    co_no = f"{number:03d}"
    created = g.cap(header["updated_at"], g.at(rng, co_date))
    updated = g.cap(created, created + g.lag(rng, 120))
    subcontract_id = g.dangling_id() if dangling else header["subcontract_id"]
    row: Row = {
        "change_order_id": co_id,
        "subcontract_id": subcontract_id,
        "co_no": co_no,
        "title": title,
        "description": f"{title}. Pricing per subcontractor proposal dated {co_date:%m/%d/%Y}.",
        "status": status,
        "co_date": co_date,
        "created_at": created,
        "updated_at": updated,
    }
    lines = _co_lines(ctx, sub, row, dangling)
    key = f"{header['contract_no']}/CO{co_no}" if not dangling else f"#{subcontract_id}/CO{co_no}"
    ctx.emit("change_order", row, clean=not dangling)
    for line in lines:
        ctx.emit("change_order_item", line, clean=not dangling)
        if dangling:
            g.mark_blocked(
                "change_order_item",
                f"{key}#{line['line_no']}",
                "change_order_id",
                line["change_order_item_id"],
            )
    if dangling:
        g.mark("change_order", key, DANGLING_REFERENCE, "subcontract_id", co_id)
    return {
        "row": row,
        "lines": lines,
        "key": key,
        "approved_cents": sum(int(li["amount"].scaleb(2)) for li in lines) if status == "approved" else 0,
    }


def _co_status_and_title(rng: random.Random) -> tuple[str, str]:
    roll = rng.random()
    status = (
        "approved"
        if roll < 0.65
        else "pending"
        if roll < 0.77
        else "draft"
        if roll < 0.85
        else "rejected"
        if roll < 0.93
        else "void"
    )
    title = rng.choice(
        (
            f"Added scope per ASI-{rng.randint(1, 60):03d}",
            f"Owner-requested change — RFI {rng.randint(1, 400)}",
            "Unforeseen site conditions",
            "Value engineering credit",
            f"Design revision per Bulletin {rng.randint(1, 20)}",
            "Schedule acceleration",
        )
    )
    return status, title


def _co_lines(ctx: JobContext, sub: dict[str, Any], row: Row, dangling: bool) -> list[Row]:
    """Revisions of SOV lines or new lines; credits and deducts are negative, as in real change orders."""
    rng, g = ctx.rng, ctx.g
    title = row["title"]
    contract_total = sum(int(i["amount"].scaleb(2)) for i in sub["items"])
    lines: list[Row] = []
    for line_no in range(1, rng.randint(1, 3) + 1):
        cents = max(10_000, round_to(int(contract_total * rng.uniform(0.01, 0.06)), 1_000))
        if title == "Value engineering credit" or rng.random() < 0.15:
            cents = -cents
        if not dangling and rng.random() < 0.7:
            base = rng.choice(sub["items"])
            item_no, code, cost_type_code = base["item_no"], base["cost_code"], base["cost_type_code"]
            description = f"{base['description']} — revised"
        else:
            item_no, code = None, rng.choice(sub["codes"])
            cost_type_code = "SUB" if sub["kind"] == "SC" else "M"
            description = f"{title} — new line"
        lines.append(
            {
                "change_order_item_id": g.new_id("change_order_item"),
                "change_order_id": row["change_order_id"],
                "line_no": line_no,
                "item_no": item_no,
                "cost_code": code,
                "cost_type_code": cost_type_code,
                "description": description,
                "amount": money(cents),
                "created_at": row["created_at"],
                "updated_at": row["updated_at"],
            }
        )
    return lines
