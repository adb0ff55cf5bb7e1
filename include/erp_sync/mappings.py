"""Vectorised ERP-row → Procore-payload mappings, one function per integration point.

Input is the canonical DataFrame an extract SQL file returns; output has one column per payload
field, plus the point's declared route fields (``contract_path``, ``void``). origin_id and reference
ids are not mapped here: the pipeline derives them from the declaration (:mod:`erp_sync.transform`).
Validation is not done here either (see :mod:`erp_sync.validate`); mappings only rename, normalise
and combine columns, whole columns at a time.
"""

from __future__ import annotations

import pandas as pd


def text(series: pd.Series) -> pd.Series:
    """Strings with surrounding whitespace removed and blanks as missing."""
    cleaned = series.astype("string").str.strip()
    return cleaned.mask(cleaned == "")


def upper_code(series: pd.Series) -> pd.Series:
    """Codes (state, country) trimmed and upper-cased."""
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


def map_vendors(rows: pd.DataFrame, *, default_country: str) -> pd.DataFrame:
    """Canonical vendor rows → VendorPayload columns."""
    return pd.DataFrame(
        {
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
            "active": flag(rows["status"], ("OPEN", "ACTIVE")),
        },
        index=rows.index,
    )


def decimal_text(series: pd.Series) -> pd.Series:
    """Amounts as plain decimal strings (Procore's SOV fields are strings), unparseable kept as text."""
    parsed = pd.to_numeric(series, errors="coerce")
    formatted = parsed.map(lambda v: f"{v:.4f}".rstrip("0").rstrip(".") if pd.notna(v) else None).astype(
        object
    )
    return formatted.where(parsed.notna(), unparsed(series, parsed))


def truthy(series: pd.Series) -> pd.Series:
    """ERP flags (1/0, true/false, Y/N) as booleans."""
    return text(series).str.upper().isin(["1", "TRUE", "T", "Y", "YES"]).astype(bool)


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
            "void": truthy(rows["voided"]),
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
    voided = truthy(rows["voided"])
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
            "void": voided & (kind == "PO"),
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
    voided = truthy(rows["voided"])
    return pd.DataFrame(
        {
            "status": text(rows["status"]).mask(voided & (kind == "SC"), "Void"),
            "contract_path": contract_paths(kind),
            "void": voided & (kind == "PO"),
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


def map_prime_contract_lines(rows: pd.DataFrame, **_: object) -> pd.DataFrame:
    """Canonical owner contract item rows → PrimeContractLinePayload columns."""
    return pd.DataFrame(
        {
            "description": text(rows["description"]),
            "amount": decimal_text(rows["amount"]),
        },
        index=rows.index,
    )


def map_change_orders(rows: pd.DataFrame, **_: object) -> pd.DataFrame:
    """Canonical change order rows → ChangeOrderPackagePayload columns."""
    status = text(rows["status"]).str.lower()
    return pd.DataFrame(
        {
            "origin_code": text(rows["co_number"]),
            "title": text(rows["title"]),
            "description": text(rows["description"]),
            "status": status,
            "due_date": iso_date(rows["co_date"]),
            "grand_total": decimal_text(rows["amount"]),
        },
        index=rows.index,
    )


def map_subcontractor_invoices(rows: pd.DataFrame, **_: object) -> pd.DataFrame:
    """Canonical pay application rows → RequisitionPayload columns."""
    return pd.DataFrame(
        {
            "invoice_number": text(rows["app_number"]),
            "requisition_start": iso_date(rows["period_start"]),
            "requisition_end": iso_date(rows["period_end"]),
            "billing_date": iso_date(rows["billing_date"]),
            "status": text(rows["status"]).str.lower(),
            "amount_this_period": number(rows["amount_this_period"]),
            "retainage_this_period": number(rows["retainage_this_period"]),
        },
        index=rows.index,
    )


def map_payments(rows: pd.DataFrame, **_: object) -> pd.DataFrame:
    """Canonical payment rows → ContractPaymentPayload columns, plus ``void``."""
    method = text(rows["payment_method"]).str.lower()
    return pd.DataFrame(
        {
            "date": iso_date(rows["payment_date"]),
            "amount": decimal_text(rows["amount"]),
            "check_number": text(rows["check_number"]),
            "payment_method": method,
            "void": truthy(rows["voided"]),
        },
        index=rows.index,
    )


def map_commitment_change_orders(rows: pd.DataFrame, **_: object) -> pd.DataFrame:
    """The change order's own fields (one row per line; the pipeline keeps one per change order)."""
    return pd.DataFrame(
        {
            "number": text(rows["co_number"]),
            "title": text(rows["title"]),
            "description": text(rows["description"]),
            "status": text(rows["status"]).str.lower(),
            "due_date": iso_date(rows["co_date"]),
        },
        index=rows.index,
    )


def map_commitment_change_order_lines(rows: pd.DataFrame, **_: object) -> pd.DataFrame:
    """Each row's line of its change order (the declaration's ``Lines``)."""
    return pd.DataFrame(
        {"amount": decimal_text(rows["amount"]), "description": text(rows["line_description"])},
        index=rows.index,
    )
