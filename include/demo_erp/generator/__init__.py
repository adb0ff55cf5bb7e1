"""Deterministic generator of a construction company's ERP history, with planted dirty rows.

Determinism: every value comes from ``random.Random`` streams seeded by text (stable across processes
and platforms), ids are assigned here rather than by the database, money is exact ``Decimal`` and
timestamps are whole seconds, so one seed and scale give the same rows on SQLite, PostgreSQL and MariaDB.
Moving code between these modules must keep the order of draws from each stream.

Shape of the data (what pipeline tests may rely on):

* Every clean row's ``updated_at`` is within the history range and is >= the ``updated_at`` of every row
  it references, so replaying date windows in order always meets parents before children.
* Dirty rows carry exactly one defect each and are listed in the report. Nothing clean references a
  dirty row; a dirty *header* (ap_invoice, subcontract, change_order, owner_contract, pay_app) keeps its
  lines, which are listed separately as ``blocked`` (kind ``dirty_parent``): they cannot sync because
  their parent cannot.
* A duplicated key (vendor_no, customer_no, job_no, job cost code, budget line) is planted as a pair of
  extra rows sharing the key; both rows are dirty, since an ERP key that matches two rows is ambiguous.

Modules follow Procore's integration tiers: ``tier1`` (customers, vendors, jobs), ``tier2`` (cost codes,
budget, direct costs), ``tier3`` (commitments, change orders), ``tier4`` (prime contracts, pay apps,
payments) with ``pay_app_lines`` (each pay app's money per SOV line); ``party_defects`` and ``defects``
plant the dirt, ``manifest`` records it, ``run`` drives one generation.
"""

from __future__ import annotations

from demo_erp.generator.base import DANGLING_ID_BASE, FLUSH_ROWS
from demo_erp.generator.manifest import (
    CHUNK_ROWS,
    CONTROL_CHARS,
    DANGLING_REFERENCE,
    DIRTY_PARENT,
    DIRTY_PLAN,
    DUPLICATE_KEY,
    GENERATOR_VERSION,
    INVALID_COUNTRY,
    INVALID_DATE,
    INVALID_STATE,
    MISSING_NAME,
    NEGATIVE_AMOUNT,
    OVERLONG_NAME,
    DirtyRow,
    GenerationReport,
    load_report,
)
from demo_erp.generator.run import generate
from demo_erp.generator.values import (
    AP_STATUS_TO_PROCORE,
    CHANGE_ORDER_STATUSES,
    DANGLING_COST_TYPES,
    MAILBOXES,
    OWNER_CONTRACT_STATUSES,
    PAY_APP_STATUSES,
    PAYMENT_METHODS,
    PO_STATUSES,
    SC_STATUSES,
    Row,
)

__all__ = [
    "AP_STATUS_TO_PROCORE",
    "CHANGE_ORDER_STATUSES",
    "CHUNK_ROWS",
    "CONTROL_CHARS",
    "DANGLING_COST_TYPES",
    "DANGLING_ID_BASE",
    "DANGLING_REFERENCE",
    "DIRTY_PARENT",
    "DIRTY_PLAN",
    "DUPLICATE_KEY",
    "FLUSH_ROWS",
    "GENERATOR_VERSION",
    "INVALID_COUNTRY",
    "INVALID_DATE",
    "INVALID_STATE",
    "MAILBOXES",
    "MISSING_NAME",
    "NEGATIVE_AMOUNT",
    "OVERLONG_NAME",
    "OWNER_CONTRACT_STATUSES",
    "PAYMENT_METHODS",
    "PAY_APP_STATUSES",
    "PO_STATUSES",
    "SC_STATUSES",
    "DirtyRow",
    "GenerationReport",
    "Row",
    "generate",
    "load_report",
]
