"""Vectorised ERP-row → Procore-payload mappings, one function per integration point.

Input is the canonical DataFrame an extract SQL file returns; output has one column per payload
field, plus the point's declared route fields (``contract_path``, ``void``). origin_id and reference
ids are not mapped here: the pipeline derives them from the declaration (:mod:`erp_sync.transform`).
Validation is not done here either (see :mod:`erp_sync.validate`); mappings only rename, normalise
and combine columns, whole columns at a time.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

import pandas as pd

from erp_sync.codes import both, is_true, one_date, status_flag, truthy


def text(series: pd.Series) -> pd.Series:
    """Strings with surrounding whitespace removed and blanks as missing."""
    cleaned = series.astype("string").str.strip()
    return cleaned.mask(cleaned == "")


def upper_code(series: pd.Series) -> pd.Series:
    """Codes (state, country) trimmed and upper-cased."""
    return text(series).str.upper()


def iso_date(series: pd.Series) -> pd.Series:
    """Dates as ``YYYY-MM-DD`` from what the driver returned: a date, a datetime or an ISO date string.

    Anything else (an integer, ``31/12/2024``) is kept as :class:`~erp_sync.codes.NotADate`, so
    validation rejects it by name instead of reading 5 as 1970-01-01.
    """
    return pd.Series([one_date(v) for v in series.astype(object)], index=series.index, dtype=object)


def number(series: pd.Series) -> pd.Series:
    """Numbers; a value that is not one is kept as text so validation rejects it by name."""
    parsed = pd.to_numeric(series, errors="coerce")
    return parsed.astype(object).where(parsed.notna(), unparsed(series, parsed))


def unparsed(original: pd.Series, parsed: pd.Series) -> pd.Series:
    """Original non-blank values that failed to parse (never silently dropped), else missing."""
    raw = text(original).astype(object)
    return raw.where(parsed.isna() & raw.notna(), None)


# ERP status codes of an active / inactive vendor, customer and job; any other code is rejected.
PARTY_STATUSES = (("A", "ACTIVE"), ("I", "INACTIVE"))
JOB_STATUSES = (("OPEN", "ACTIVE"), ("CLOSED", "INACTIVE"))


def _directory_company(rows: pd.DataFrame, number: str, default_country: str) -> dict[str, pd.Series]:
    """The company directory's fields (VendorPayload) of a vendor or customer row."""
    return {
        "origin_code": text(rows[number]),
        "name": text(rows["name"]),
        "address": text(rows["address"]),
        "city": text(rows["city"]),
        "state_code": upper_code(rows["state_code"]),
        "zip": text(rows["zip"]),
        "country_code": upper_code(rows["country_code"]).fillna(default_country),
        "business_phone": text(rows["business_phone"]),
        "email_address": text(rows["email_address"]),
        "is_active": status_flag(rows["status"], *PARTY_STATUSES),
    }


def map_vendors(rows: pd.DataFrame, *, default_country: str) -> pd.DataFrame:
    """Canonical vendor rows → VendorPayload columns."""
    fields = _directory_company(rows, "vendor_number", default_country)
    return pd.DataFrame({**fields, "trade_name": text(rows["trade_name"])}, index=rows.index)


def map_customers(rows: pd.DataFrame, *, default_country: str) -> pd.DataFrame:
    """Canonical customer (owner) rows → VendorPayload columns: owners live in the company directory."""
    return pd.DataFrame(_directory_company(rows, "customer_number", default_country), index=rows.index)


def map_projects(rows: pd.DataFrame, *, default_country: str) -> pd.DataFrame:
    """Canonical job rows → ProjectPayload columns."""
    job_number = text(rows["job_number"])
    return pd.DataFrame(
        {
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
            "active": status_flag(rows["status"], *JOB_STATUSES),
        },
        index=rows.index,
    )


def decimal_text(series: pd.Series) -> pd.Series:
    """Amounts as plain decimal strings (Procore's SOV fields are strings), unparseable kept as text."""
    parsed = pd.to_numeric(series, errors="coerce")
    formatted = pd.Series(
        [plain_decimal(raw, number) for raw, number in zip(series, parsed, strict=True)],
        index=series.index,
        dtype=object,
    )
    return formatted.where(parsed.notna(), unparsed(series, parsed))


def plain_decimal(raw: object, number: float) -> str | None:
    """An amount as a plain decimal string, to at most four places, never through float arithmetic:
    text and Decimal cells (PostgreSQL, MariaDB) keep their exact digits ("98765432109876.54"), a float
    cell (SQLite) its shortest repr. Non-finite text is returned as it is, for validation to reject."""
    if pd.isna(number):
        return None
    try:
        exact = Decimal(str(raw).strip()) if isinstance(raw, str | Decimal) else Decimal(repr(float(number)))
    except InvalidOperation:
        exact = Decimal(repr(float(number)))
    if not exact.is_finite():
        return str(raw)
    text = format(exact.quantize(Decimal("0.0001"), rounding=ROUND_HALF_EVEN), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def voided(rows: pd.DataFrame) -> pd.Series:
    """The ERP's voided flag (1/0, true/false, Y/N; NULL is not voided; any other code is rejected)."""
    return truthy(rows["voided"], column="voided")


def map_cost_types(rows: pd.DataFrame, **_: object) -> pd.DataFrame:
    """Canonical cost type rows → LineItemTypePayload columns (the ERP code as csv_import_code)."""
    return pd.DataFrame(
        {
            "name": text(rows["name"]),
            "csv_import_code": text(rows["erp_key"]),
            "base_type": text(rows["base_type"]).str.lower(),
        },
        index=rows.index,
    )


def map_cost_codes(rows: pd.DataFrame, **_: object) -> pd.DataFrame:
    """Canonical job cost code rows → CostCodePayload columns."""
    return pd.DataFrame(
        {
            "code": text(rows["cost_code"]),
            "name": text(rows["name"]),
        },
        index=rows.index,
    )


def map_budget(rows: pd.DataFrame, **_: object) -> pd.DataFrame:
    """Canonical budget rows → BudgetLineItemPayload columns (its ids come from the references)."""
    return pd.DataFrame({"original_budget_amount": number(rows["original_budget_amount"])}, index=rows.index)


def map_direct_costs(rows: pd.DataFrame, **_: object) -> pd.DataFrame:
    """Canonical AP invoice rows → DirectCostPayload columns, plus ``void``."""
    return pd.DataFrame(
        {
            "invoice_number": text(rows["invoice_number"]),
            "direct_cost_type": text(rows["direct_cost_type"]).str.lower(),
            "status": text(rows["status"]).str.lower(),
            "direct_cost_date": iso_date(rows["direct_cost_date"]),
            "received_date": iso_date(rows["received_date"]),
            "description": text(rows["description"]),
            "void": voided(rows),
        },
        index=rows.index,
    )


def map_direct_cost_lines(rows: pd.DataFrame, **_: object) -> pd.DataFrame:
    """Canonical AP invoice line rows → DirectCostLinePayload columns."""
    return pd.DataFrame(
        {
            "description": text(rows["description"]),
            "quantity": number(rows["quantity"]),
            "unit_cost": number(rows["unit_cost"]),
            "amount": number(rows["amount"]),
        },
        index=rows.index,
    )


CONTRACT_PATHS = {"SC": "work_order_contracts", "PO": "purchase_order_contracts"}


def contract_paths(kind: pd.Series) -> pd.Series:
    """SC → work_order_contracts, PO → purchase_order_contracts; anything else kept for the error."""
    kind = text(kind).str.upper()
    return kind.map(CONTRACT_PATHS).astype(object).where(kind.isin(list(CONTRACT_PATHS)), kind)


def map_commitments(rows: pd.DataFrame, **_: object) -> pd.DataFrame:
    """Canonical subcontract/PO rows → CommitmentPayload columns, plus ``contract_path`` and ``void``."""
    kind = text(rows["kind"]).str.upper()
    void = voided(rows)
    executed_date = iso_date(rows["executed_date"])
    retainage = pd.to_numeric(rows["retainage_percent"], errors="coerce")
    return pd.DataFrame(
        {
            "origin_code": text(rows["contract_number"]),
            "number": text(rows["contract_number"]),
            "title": text(rows["title"]),
            "description": text(rows["description"]),
            "executed": executed_date.notna(),
            "execution_date": executed_date,
            "retainage_percent": retainage.map(lambda v: f"{v:g}" if pd.notna(v) else None),
            "contract_path": contract_paths(kind),
            # A purchase order has no Void status: a voided one is deleted (a voided work order
            # becomes Void through commitment_statuses).
            "void": both(void, kind == "PO"),
        },
        index=rows.index,
    )


def map_commitment_lines(rows: pd.DataFrame, **_: object) -> pd.DataFrame:
    """Canonical commitment item rows → CommitmentLinePayload columns, plus ``contract_path``."""
    kind = text(rows["kind"]).str.upper()
    return pd.DataFrame(
        {
            "description": text(rows["description"]),
            "quantity": decimal_text(rows["quantity"]),
            "unit_cost": decimal_text(rows["unit_cost"]),
            "amount": decimal_text(rows["amount"]),
            "contract_path": contract_paths(kind),
        },
        index=rows.index,
    )


def map_commitment_statuses(rows: pd.DataFrame, **_: object) -> pd.DataFrame:
    """A commitment's ERP status (Void for a voided work order), ``contract_path`` and ``void``."""
    kind = text(rows["kind"]).str.upper()
    void = voided(rows)
    return pd.DataFrame(
        {
            "status": text(rows["status"]).mask(is_true(void) & (kind == "SC"), "Void"),
            "contract_path": contract_paths(kind),
            "void": both(void, kind == "PO"),
        },
        index=rows.index,
    )


def map_prime_contract_statuses(rows: pd.DataFrame, **_: object) -> pd.DataFrame:
    """A prime contract's ERP status."""
    return pd.DataFrame(
        {
            "status": text(rows["status"]),
        },
        index=rows.index,
    )


def map_prime_contracts(rows: pd.DataFrame, **_: object) -> pd.DataFrame:
    """Canonical owner contract rows → PrimeContractPayload columns (no status: see statuses)."""
    executed_date = iso_date(rows["executed_date"])
    retainage = pd.to_numeric(rows["retainage_percent"], errors="coerce")
    return pd.DataFrame(
        {
            "number": text(rows["contract_number"]),
            "title": text(rows["title"]),
            "executed": executed_date.notna(),
            "execution_date": executed_date,
            "retainage_percent": retainage.map(lambda v: f"{v:g}" if pd.notna(v) else None),
        },
        index=rows.index,
    )


def map_amount_lines(rows: pd.DataFrame, **_: object) -> pd.DataFrame:
    """Lines that are a description and an amount (a prime contract's SOV, a change order's lines)."""
    return pd.DataFrame(
        {
            "description": text(rows["description"]),
            "amount": decimal_text(rows["amount"]),
        },
        index=rows.index,
    )


def map_subcontractor_invoices(rows: pd.DataFrame, **_: object) -> pd.DataFrame:
    """Canonical pay application rows → RequisitionPayload columns (no status: see its own point)."""
    return pd.DataFrame(
        {
            "invoice_number": text(rows["app_number"]),
            "requisition_start": iso_date(rows["period_start"]),
            "requisition_end": iso_date(rows["period_end"]),
            "billing_date": iso_date(rows["billing_date"]),
            "amount_this_period": number(rows["amount_this_period"]),
            "retainage_this_period": number(rows["retainage_this_period"]),
        },
        index=rows.index,
    )


def map_subcontractor_invoice_lines(rows: pd.DataFrame, **_: object) -> pd.DataFrame:
    """Canonical pay app line rows → RequisitionItemPayload columns (decimal strings)."""
    return pd.DataFrame(
        {
            "work_completed_this_period": decimal_text(rows["work_completed_this_period"]),
            "materials_presently_stored": decimal_text(rows["materials_stored"]),
            "work_completed_retainage_retained_this_period": decimal_text(rows["retainage_this_period"]),
        },
        index=rows.index,
    )


def map_subcontractor_invoice_statuses(rows: pd.DataFrame, **_: object) -> pd.DataFrame:
    """A pay application's ERP status, lower-cased as Procore's requisition statuses are."""
    return pd.DataFrame({"status": text(rows["status"]).str.lower()}, index=rows.index)


def map_status_gate_lines(rows: pd.DataFrame, **_: object) -> pd.DataFrame:
    """Nothing of a line but its reference (added by the declaration): it only gates the status."""
    return pd.DataFrame(index=rows.index)


def map_payments(rows: pd.DataFrame, **_: object) -> pd.DataFrame:
    """Canonical payment rows → ContractPaymentPayload columns, plus ``void``."""
    method = text(rows["payment_method"]).str.lower()
    return pd.DataFrame(
        {
            "date": iso_date(rows["payment_date"]),
            "amount": decimal_text(rows["amount"]),
            "check_number": text(rows["check_number"]),
            "payment_method": method,
            "void": voided(rows),
        },
        index=rows.index,
    )
