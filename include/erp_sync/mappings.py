"""Vectorised ERP-row → Procore-payload mappings, one function per integration point.

Input is the canonical DataFrame an extract SQL file returns; output has one column per payload
field. Validation is not done here (see :mod:`erp_sync.validate`); mappings only rename, normalise
and combine columns, whole columns at a time.
"""

from __future__ import annotations

import pandas as pd

from erp_sync.origin import origin_ids


def text(series: pd.Series) -> pd.Series:
    """Strings with surrounding whitespace removed and blanks as missing."""
    cleaned = series.astype("string").str.strip()
    return cleaned.mask(cleaned == "")


def upper_code(series: pd.Series) -> pd.Series:
    return text(series).str.upper()


def iso_date(series: pd.Series) -> pd.Series:
    """Dates as ``YYYY-MM-DD`` whatever the driver returned (date, datetime or text)."""
    parsed = pd.to_datetime(series, errors="coerce", format="mixed")
    return parsed.dt.strftime("%Y-%m-%d").astype(object).where(parsed.notna(), unparsed(series, parsed))


def number(series: pd.Series) -> pd.Series:
    """Numbers; a value that is not one is kept as text so validation rejects it by name."""
    parsed = pd.to_numeric(series, errors="coerce")
    return parsed.astype(object).where(parsed.notna(), unparsed(series, parsed))


def unparsed(original: pd.Series, parsed: pd.Series) -> pd.Series:
    """Original non-blank values that failed to parse (never silently dropped), else missing."""
    raw = text(original).astype(object)
    return raw.where(parsed.isna() & raw.notna(), None)


def flag(series: pd.Series, true_values: tuple[str, ...]) -> pd.Series:
    """ERP status codes as booleans (e.g. 'A' → True)."""
    return text(series).str.upper().isin([v.upper() for v in true_values])


def map_vendors(rows: pd.DataFrame, *, source: str, default_country: str) -> pd.DataFrame:
    """Canonical vendor rows → VendorPayload columns."""
    return pd.DataFrame(
        {
            "origin_id": origin_ids(source, "vendor", rows["erp_key"]),
            "origin_code": text(rows["vendor_number"]),
            "name": text(rows["name"]),
            "trade_name": text(rows["trade_name"]),
            "address": text(rows["address"]),
            "city": text(rows["city"]),
            "state_code": upper_code(rows["state_code"]),
            "zip": text(rows["zip"]),
            "country_code": upper_code(rows["country_code"]).fillna(default_country),
            "business_phone": text(rows["business_phone"]),
            "email_address": text(rows["email_address"]),
            "is_active": flag(rows["status"], ("A", "ACTIVE")),
        },
        index=rows.index,
    )


def map_projects(rows: pd.DataFrame, *, source: str, default_country: str) -> pd.DataFrame:
    """Canonical job rows → ProjectPayload columns."""
    job_number = text(rows["job_number"])
    return pd.DataFrame(
        {
            "origin_id": origin_ids(source, "project", rows["erp_key"]),
            "origin_code": job_number,
            "project_number": job_number,
            "name": text(rows["name"]),
            "description": text(rows["description"]),
            "address": text(rows["address"]),
            "city": text(rows["city"]),
            "state_code": upper_code(rows["state_code"]),
            "zip": text(rows["zip"]),
            "country_code": upper_code(rows["country_code"]).fillna(default_country),
            "start_date": iso_date(rows["start_date"]),
            "completion_date": iso_date(rows["completion_date"]),
            "total_value": number(rows["total_value"]),
            "active": flag(rows["status"], ("OPEN", "ACTIVE")),
        },
        index=rows.index,
    )
