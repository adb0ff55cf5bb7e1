"""ERP codes (statuses, flags) and dates as Procore values, strictly: anything else is rejected.

A raw ERP code nobody declared (a vendor status ``X``, a voided flag ``2``) must not silently become
"inactive" or "not voided", nor an integer in a date column 1970-01-01. The mapping puts an
:class:`Invalid` value in its place, and validation (:func:`code_reasons`) rejects the record naming
the field, the value and what is allowed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd

from erp_sync.values import is_missing

TRUE_CODES = ("1", "TRUE", "T", "Y", "YES")
FALSE_CODES = ("0", "FALSE", "F", "N", "NO")


class Invalid:
    """A value a mapping could not turn into a Procore value, kept in its place for validation."""

    def reason(self, field: str) -> str:
        """Why the record is rejected, naming the payload field."""
        raise NotImplementedError


@dataclass(frozen=True)
class UnknownCode(Invalid):
    """An ERP code outside the declared set."""

    value: str
    column: str
    allowed: tuple[str, ...]

    def reason(self, field: str) -> str:
        """E.g. ``field 'is_active': ERP status 'X' is not one of A, I``."""
        shown = repr(self.value) if self.value else "missing"
        return f"field '{field}': ERP {self.column} {shown} is not one of {', '.join(self.allowed)}"


@dataclass(frozen=True)
class NotADate(Invalid):
    """A date column holding something that is neither a date nor an ISO date string (e.g. 5)."""

    value: str

    def reason(self, field: str) -> str:
        """E.g. ``field 'start_date': 5 is not a date (expected a date or YYYY-MM-DD)``."""
        return f"field '{field}': {self.value!r} is not a date (expected a date or an ISO date YYYY-MM-DD)"


def _codes(series: pd.Series) -> pd.Series:
    """Codes trimmed and upper-cased; whole floats (an integer column with a NULL) lose their ``.0``."""
    codes = series.astype("string").str.strip().str.upper()
    if series.dtype.kind == "f":
        codes = codes.str.removesuffix(".0")
    return codes.mask(codes == "")


def coded(series: pd.Series, codes: Mapping[str, object], *, column: str, blank: object = None) -> pd.Series:
    """Each ERP code (trimmed, any case) as its Procore value; ``blank`` for a missing code.

    A code not in ``codes`` becomes an :class:`UnknownCode` listing the allowed codes. Pass
    ``blank=UnknownCode`` to reject a missing code too.
    """
    upper = {str(code).upper(): value for code, value in codes.items()}
    allowed = tuple(codes)

    def one(code: object) -> object:
        if code is pd.NA or code is None:
            return UnknownCode("", column, allowed) if blank is UnknownCode else blank
        return upper[str(code)] if str(code) in upper else UnknownCode(str(code), column, allowed)

    return pd.Series([one(c) for c in _codes(series)], index=series.index, dtype=object)


def status_flag(
    series: pd.Series, true_codes: tuple[str, ...], false_codes: tuple[str, ...], *, column: str = "status"
) -> pd.Series:
    """An ERP status as a boolean (e.g. ``A`` active, ``I`` inactive); missing or unknown is rejected."""
    codes = {**dict.fromkeys(true_codes, True), **dict.fromkeys(false_codes, False)}
    return coded(series, codes, column=column, blank=UnknownCode)


def truthy(series: pd.Series, *, column: str) -> pd.Series:
    """An ERP yes/no flag (1/0, true/false, Y/N, yes/no) as a boolean; NULL is no, any other code rejected."""
    codes = {**dict.fromkeys(TRUE_CODES, True), **dict.fromkeys(FALSE_CODES, False)}
    return coded(series, codes, column=column, blank=False)


_ISO_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?")


def one_date(value: object) -> object:
    """A date, datetime or ISO date string as ``YYYY-MM-DD``; None when missing; else :class:`NotADate`.

    Numbers are never dates here: pandas would read 5 as 1970-01-01 00:00:00.000000005.
    """
    if is_missing(value):
        return None
    if isinstance(value, datetime | date):  # pd.Timestamp is a datetime
        return value.strftime("%Y-%m-%d")
    if isinstance(value, str):
        if not value.strip():
            return None
        match = _ISO_DATE.fullmatch(value.strip())
        try:
            return date.fromisoformat(match.group(1)).isoformat() if match else NotADate(value)
        except ValueError:
            return NotADate(value)
    return NotADate(str(value))


def is_unknown(series: pd.Series) -> pd.Series:
    """Where a mapped column holds an :class:`Invalid` value (an unknown code, a non-date)."""
    return series.map(lambda v: isinstance(v, Invalid)).astype(bool)


def is_true(series: pd.Series) -> pd.Series:
    """Where a mapped flag is a known True (an unknown code is not)."""
    return series.map(lambda v: v is True).astype(bool)


def both(flag: pd.Series, mask: pd.Series) -> pd.Series:
    """``flag & mask`` where the flag is known; an unknown code stays for validation to reject."""
    return (is_true(flag) & mask).astype(object).where(~is_unknown(flag), flag)


def code_reasons(labels: pd.Series, frame: pd.DataFrame) -> pd.Series:
    """Per row, the first field holding an :class:`Invalid` value: ``<label>: field '<f>': …``."""
    reasons = pd.Series(pd.NA, index=frame.index, dtype="string")
    for field in frame.columns:
        values = frame[field]
        if values.dtype != object:
            continue
        unknown = is_unknown(values)
        if unknown.any():
            text = labels[unknown] + ": " + values[unknown].map(lambda v, f=field: v.reason(f))
            reasons = reasons.fillna(text.reindex(frame.index).astype("string"))
    return reasons
