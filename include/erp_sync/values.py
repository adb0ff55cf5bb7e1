"""Scalar helpers shared by the steps: pandas/NumPy values as plain Python for pydantic and JSON."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd


def is_missing(value: object) -> bool:
    """NA, NaN, None or NaT; False for lists and other non-scalars."""
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def plain(value: object) -> object:
    """NumPy scalars as Python values, so pydantic and JSON see ints, floats and bools."""
    item = getattr(value, "item", None)
    return item() if callable(item) and not isinstance(value, str) else value


def present_items(record: Mapping[str, Any]) -> dict[str, Any]:
    """A record's non-missing fields as plain Python values."""
    return {k: plain(v) for k, v in record.items() if not is_missing(v)}
