"""Status vocabularies and exact arithmetic for the generated rows.

Money stays whole cents in ``int`` until a row needs it, then becomes an exact ``Decimal``, so sums never
drift and every database stores the same text.
"""

from __future__ import annotations

import unicodedata
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

Row = dict[str, Any]

#: ERP AP statuses and the Procore direct-cost status each one means.
AP_STATUS_TO_PROCORE: dict[str, str] = {
    "entered": "draft",
    "in_review": "pending",
    "rejected": "revise_and_resubmit",
    "approved": "approved",
    "paid": "approved",
}
SC_STATUSES = ("Draft", "Out For Bid", "Out For Signature", "Approved", "Complete", "Terminated", "Void")
PO_STATUSES = ("Draft", "Processing", "Submitted", "Partially Received", "Received", "Approved", "Closed")
CHANGE_ORDER_STATUSES = ("draft", "pending", "approved", "rejected", "void")
PAY_APP_STATUSES = ("draft", "under_review", "revise_and_resubmit", "approved", "approved_as_noted")
OWNER_CONTRACT_STATUSES = ("Draft", "Out For Signature", "Approved", "Complete")
PAYMENT_METHODS = ("check", "electronic", "credit_card")
DANGLING_COST_TYPES = ("LAB", "MAT", "X", "EQP")
MAILBOXES = ("ap", "billing", "accounts", "office", "info")


def money(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)


def qty(hundredths: int) -> Decimal:
    return Decimal(hundredths).scaleb(-2)


def times_cents(hundredths: int, unit_cents: int) -> int:
    """Rounds quantity x unit cost half away from zero to whole cents, as accounting systems do."""
    product = hundredths * unit_cents
    sign = -1 if product < 0 else 1
    return sign * ((abs(product) + 50) // 100)


def round_to(cents: int, step: int) -> int:
    return int(round(cents / step)) * step


def add_months(d: date, months: int) -> date:
    month = d.month - 1 + months
    year = d.year + month // 12
    month = month % 12 + 1
    day = min(
        d.day,
        [
            31,
            29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28,
            31,
            30,
            31,
            30,
            31,
            31,
            30,
            31,
            30,
            31,
        ][month - 1],
    )
    return date(year, month, day)


def month_end(d: date) -> date:
    return add_months(d.replace(day=1), 1) - timedelta(days=1)


def smoothstep(x: float) -> float:
    x = min(1.0, max(0.0, x))
    return x * x * (3 - 2 * x)


def ascii_slug(text: str, words: int = 2) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    parts = ["".join(ch for ch in w if ch.isalnum()).lower() for w in plain.split()]
    return "".join([p for p in parts if p][:words])
