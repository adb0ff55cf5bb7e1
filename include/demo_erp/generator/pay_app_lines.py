"""Tier 4: pay app lines — each pay app's billing spread over its commitment's SOV lines (items).

Lines are derived from rows already drawn, plus a stream of their own per job (``pay-app-lines``), so the
other tables are exactly what they were before lines existed: the main streams draw nothing more.

Allocation, in exact cents. A commitment bills its items in SOV order: item ``i`` of ``n`` opens once the
commitment's billing reaches ``0.6 * i / n`` of its SOV (earlier if the open items cannot absorb the
period). Each period is split over the open items in proportion to what each has left to bill, by largest
remainder, so no item bills past its amount while the pay app totals stay within the SOV. When the totals
pass the SOV (approved change orders raise them), the period first fills every item, then spreads the excess
over all items in proportion to their amounts. Retainage is split over the lines in proportion to their
amounts. Some work-order items bill a fixed share of each period as materials stored; work completed is
the rest. So, per pay app, the lines add up to ``amount_this_period`` and ``retainage_this_period``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from demo_erp.generator.base import JobContext
from demo_erp.generator.manifest import NEGATIVE_AMOUNT
from demo_erp.generator.values import Row, money, round_to
from demo_erp.reference.trades import SC_COMMON_ITEMS

#: Item i of n opens when the billed share of the SOV reaches OPEN_SPAN * i / n (a fraction, as n/d).
OPEN_SPAN = (3, 5)
#: Share of work-order items whose billing includes stored materials, and the percentages they store.
STORED_ODDS = 0.3
STORED_PERCENTS = (10, 15, 20, 25)


def cents_of(amount: Decimal) -> int:
    return int(amount.scaleb(2))


def apportion(total: int, weights: list[int]) -> list[int]:
    """``total`` cents split in proportion to non-negative ``weights`` by largest remainder (ties to the
    first): the parts add up exactly, each is its quota rounded down or up, and a zero weight gets none."""
    whole = sum(weights)
    if total == 0:
        return [0] * len(weights)
    magnitude = abs(total)
    parts = [magnitude * w // whole for w in weights]
    remainders = [magnitude * w % whole for w in weights]
    for i in sorted(range(len(weights)), key=lambda i: -remainders[i])[: magnitude - sum(parts)]:
        parts[i] += 1
    return [-p for p in parts] if total < 0 else parts


@dataclass
class Billing:
    """A commitment's clean SOV and what each item has billed so far; ``stored`` is each item's percent."""

    items: list[Row]
    amounts: list[int]
    billed: list[int]
    stored: list[int]

    def advance(self, total: int) -> list[int]:
        """This period's part per item (see the module docstring); adds it to what each item has billed."""
        n, sov = len(self.amounts), sum(self.amounts)
        reached = sum(self.billed) + total
        remaining = [max(0, a - b) for a, b in zip(self.amounts, self.billed, strict=True)]
        span_n, span_d = OPEN_SPAN
        count = sum(1 for i in range(n) if span_d * n * reached >= span_n * i * sov)
        while count < n and sum(remaining[:count]) < total:
            count += 1
        room = sum(remaining[:count])
        if total <= room:
            parts = apportion(total, remaining[:count]) + [0] * (n - count)
        else:
            excess = apportion(total - room, self.amounts)
            parts = [r + e for r, e in zip(remaining, excess, strict=True)]
        self.billed = [b + p for b, p in zip(self.billed, parts, strict=True)]
        return parts


def open_billing(ctx: JobContext, sub: dict[str, Any]) -> None:
    """Snapshots the SOV before the first pay app (dirt appends items later) and picks the storing items."""
    rng = ctx.line_rng
    items = list(sub["items"])
    stored = []
    for item in items:
        stores = sub["kind"] == "SC" and item["description"] not in SC_COMMON_ITEMS
        stored.append(rng.choice(STORED_PERCENTS) if stores and rng.random() < STORED_ODDS else 0)
    amounts = [cents_of(i["amount"]) for i in items]
    sub["billing"] = Billing(items, amounts, [0] * len(items), stored)


def bill_lines(ctx: JobContext, sub: dict[str, Any], app: Row, *, clean: bool) -> list[Row]:
    """Emits one pay app's lines. A clean pay app advances the commitment's billing; a dirty one (its lines
    are blocked behind it) is split by item amount and leaves the billing as it was."""
    billing: Billing = sub["billing"]
    total = cents_of(app["amount_this_period"])
    parts = billing.advance(total) if clean else apportion(total, billing.amounts)
    held = apportion(cents_of(app["retainage_this_period"]), [abs(p) for p in parts])
    lines: list[Row] = []
    for item, part, retained, percent in zip(billing.items, parts, held, billing.stored, strict=True):
        if part:
            stored = part * percent // 100 if part > 0 else 0
            lines.append(_line(ctx, app, len(lines) + 1, item["item_no"], part - stored, stored, retained))
            ctx.emit("pay_app_line", lines[-1], clean=clean)
    return lines


def _line(
    ctx: JobContext, app: Row, line_no: int, item_no: int, work: int, stored: int, retained: int
) -> Row:
    return {
        "pay_app_line_id": ctx.g.new_id("pay_app_line"),
        "pay_app_id": app["pay_app_id"],
        "line_no": line_no,
        "item_no": item_no,
        "work_completed_this_period": money(work),
        "materials_stored": money(stored),
        "retainage_this_period": money(retained),
        "created_at": app["created_at"],
        "updated_at": app["updated_at"],
    }


def block_lines(ctx: JobContext, key: str, app: dict[str, Any]) -> None:
    """Lists a dirty pay app's (clean) lines as blocked behind it, keyed ``{pay app key}#{item_no}``."""
    for line in app["lines"]:
        ctx.g.mark_blocked("pay_app_line", f"{key}#{line['item_no']}", "pay_app_id", line["pay_app_line_id"])


def plant_pay_app_line(ctx: JobContext, kind: str, column: str) -> bool:
    """An extra line on a clean pay app: a negative one on an item the pay app does not bill otherwise, or
    one billing an item number the commitment does not have. Either way a pay app bills an item at most
    once, and its other lines still add up to its totals."""
    rng, g = ctx.line_rng, ctx.g
    apps = [(s, a) for s in ctx.subs for a in s["apps"] if a["clean"]]
    if kind == NEGATIVE_AMOUNT:
        spare = [(s, a, [i for i in s["billing"].items if i["item_no"] not in _billed(a)]) for s, a in apps]
        choices = [(s, a, items) for s, a, items in spare if items]
        if not choices:
            return False
        sub, app, items = rng.choice(choices)
        item = rng.choice(items)
        item_no = item["item_no"]
        cents = -max(10_000, round_to(cents_of(item["amount"]) * rng.randint(2, 10) // 100, 100))
    else:
        if not apps:
            return False
        sub, app = rng.choice(apps)
        taken = [i["item_no"] for i in sub["items"]] + sorted(_billed(app))
        item_no = max(taken) + rng.randint(50, 90)
        cents = max(
            10_000, round_to(cents_of(app["row"]["amount_this_period"]) * rng.randint(5, 25) // 100, 100)
        )
    header = app["row"]
    retained = (1 if cents > 0 else -1) * (abs(cents) * sub["retainage"] // 100)
    line = _line(ctx, header, len(app["lines"]) + 1, item_no, cents, 0, retained)
    app["lines"].append(line)
    ctx.emit("pay_app_line", line, clean=False)
    key = f"{sub['row']['contract_no']}/PA{header['app_no']}#{item_no}"
    g.mark("pay_app_line", key, kind, column, line["pay_app_line_id"])
    return True


def _billed(app: dict[str, Any]) -> set[int]:
    return {line["item_no"] for line in app["lines"]}
