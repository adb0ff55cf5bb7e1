"""The demo construction ERP's tables, portable across SQLite, PostgreSQL and MariaDB.

Modelled on the job-cost ERPs construction companies run (Vista, Sage 300 CRE, Spectrum): integer
surrogate keys, human numbers (vendor_no, job_no, contract_no) that are *not* unique, string cost codes
and cost types referenced by value, and ``updated_at`` on every row for incremental extracts.

Foreign keys exist only where the generator never plants a dangling reference (line → header,
job → customer, budget_line/owner_contract → job); every other reference is a plain column because
real ERP data dangles. Every type is portable: bounded ``String`` (MariaDB needs lengths),
``Numeric(14, 2)`` money, ``Date``, naive-UTC ``DateTime`` at whole seconds.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

Money = sa.Numeric(14, 2)
Quantity = sa.Numeric(14, 4)


def _stamps() -> list[sa.Column]:
    return [
        sa.Column("created_at", sa.DateTime),
        sa.Column("updated_at", sa.DateTime, nullable=False, index=True),
    ]


customer = sa.Table(
    "customer",
    metadata,
    sa.Column("customer_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("customer_no", sa.String(20), nullable=False, index=True),
    sa.Column("name", sa.String(400)),
    sa.Column("address1", sa.String(200)),
    sa.Column("address2", sa.String(200)),
    sa.Column("city", sa.String(100)),
    sa.Column("state_code", sa.String(10)),
    sa.Column("postal_code", sa.String(20)),
    sa.Column("country_code", sa.String(2)),
    sa.Column("phone", sa.String(40)),
    sa.Column("email", sa.String(200)),
    sa.Column("status", sa.String(1)),
    *_stamps(),
)

vendor = sa.Table(
    "vendor",
    metadata,
    sa.Column("vendor_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("vendor_no", sa.String(20), nullable=False, index=True),
    sa.Column("name", sa.String(400)),
    sa.Column("dba_name", sa.String(200)),
    sa.Column("address1", sa.String(200)),
    sa.Column("address2", sa.String(200)),
    sa.Column("city", sa.String(100)),
    sa.Column("state_code", sa.String(10)),
    sa.Column("postal_code", sa.String(20)),
    sa.Column("country_code", sa.String(2)),
    sa.Column("phone", sa.String(40)),
    sa.Column("email", sa.String(200)),
    sa.Column("tax_id", sa.String(20)),
    sa.Column("status", sa.String(1)),
    *_stamps(),
)

job = sa.Table(
    "job",
    metadata,
    sa.Column("job_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("job_no", sa.String(20), nullable=False, index=True),
    sa.Column("name", sa.String(400)),
    sa.Column("description", sa.String(2000)),
    sa.Column("address1", sa.String(200)),
    sa.Column("city", sa.String(100)),
    sa.Column("state_code", sa.String(10)),
    sa.Column("postal_code", sa.String(20)),
    sa.Column("country_code", sa.String(2)),
    sa.Column("start_date", sa.Date),
    sa.Column("est_completion_date", sa.Date),
    sa.Column("contract_amount", Money),
    sa.Column("status", sa.String(10)),
    sa.Column("customer_id", sa.Integer, sa.ForeignKey("customer.customer_id"), nullable=True, index=True),
    *_stamps(),
)

cost_type = sa.Table(
    "cost_type",
    metadata,
    sa.Column("cost_type_code", sa.String(10), primary_key=True),
    sa.Column("description", sa.String(200)),
    sa.Column("base_type", sa.String(30), nullable=False),
    *_stamps(),
)

job_cost_code = sa.Table(
    "job_cost_code",
    metadata,
    sa.Column("job_cost_code_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("job_id", sa.Integer, nullable=False, index=True),
    sa.Column("cost_code", sa.String(20), nullable=False),
    sa.Column("description", sa.String(400)),
    *_stamps(),
)

budget_line = sa.Table(
    "budget_line",
    metadata,
    sa.Column("budget_line_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("job_id", sa.Integer, sa.ForeignKey("job.job_id"), nullable=False, index=True),
    sa.Column("cost_code", sa.String(20), nullable=False),
    sa.Column("cost_type_code", sa.String(10), nullable=False),
    sa.Column("original_amount", Money, nullable=False),
    *_stamps(),
)

ap_invoice = sa.Table(
    "ap_invoice",
    metadata,
    sa.Column("ap_invoice_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("job_id", sa.Integer, nullable=False, index=True),
    sa.Column("vendor_id", sa.Integer, index=True),
    sa.Column("invoice_no", sa.String(40), nullable=False),
    sa.Column("invoice_date", sa.Date),
    sa.Column("received_date", sa.Date),
    sa.Column("direct_cost_type", sa.String(30), nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("description", sa.String(2000)),
    sa.Column("voided", sa.Boolean, nullable=False),
    *_stamps(),
)

ap_invoice_line = sa.Table(
    "ap_invoice_line",
    metadata,
    sa.Column("ap_invoice_line_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "ap_invoice_id", sa.Integer, sa.ForeignKey("ap_invoice.ap_invoice_id"), nullable=False, index=True
    ),
    sa.Column("line_no", sa.Integer, nullable=False),
    sa.Column("cost_code", sa.String(20)),
    sa.Column("cost_type_code", sa.String(10)),
    sa.Column("description", sa.String(400)),
    sa.Column("quantity", Quantity),
    sa.Column("unit_cost", Quantity),
    sa.Column("amount", Money, nullable=False),
    *_stamps(),
)

subcontract = sa.Table(
    "subcontract",
    metadata,
    sa.Column("subcontract_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("job_id", sa.Integer, nullable=False, index=True),
    sa.Column("vendor_id", sa.Integer, nullable=False, index=True),
    sa.Column("contract_no", sa.String(30), nullable=False),
    sa.Column("kind", sa.String(2), nullable=False),
    sa.Column("title", sa.String(400)),
    sa.Column("description", sa.String(2000)),
    sa.Column("status", sa.String(30), nullable=False),
    sa.Column("executed_date", sa.Date),
    sa.Column("retainage_percent", sa.Numeric(5, 2)),
    sa.Column("voided", sa.Boolean, nullable=False),
    *_stamps(),
)

subcontract_item = sa.Table(
    "subcontract_item",
    metadata,
    sa.Column("subcontract_item_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "subcontract_id", sa.Integer, sa.ForeignKey("subcontract.subcontract_id"), nullable=False, index=True
    ),
    sa.Column("item_no", sa.Integer, nullable=False),
    sa.Column("cost_code", sa.String(20)),
    sa.Column("cost_type_code", sa.String(10)),
    sa.Column("description", sa.String(400)),
    sa.Column("quantity", Quantity),
    sa.Column("uom", sa.String(10)),
    sa.Column("unit_cost", Quantity),
    sa.Column("amount", Money, nullable=False),
    *_stamps(),
)

change_order = sa.Table(
    "change_order",
    metadata,
    sa.Column("change_order_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("subcontract_id", sa.Integer, nullable=False, index=True),
    sa.Column("co_no", sa.String(20), nullable=False),
    sa.Column("title", sa.String(400)),
    sa.Column("description", sa.String(2000)),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("co_date", sa.Date),
    *_stamps(),
)

change_order_item = sa.Table(
    "change_order_item",
    metadata,
    sa.Column("change_order_item_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "change_order_id",
        sa.Integer,
        sa.ForeignKey("change_order.change_order_id"),
        nullable=False,
        index=True,
    ),
    sa.Column("line_no", sa.Integer, nullable=False),
    sa.Column("item_no", sa.Integer),
    sa.Column("cost_code", sa.String(20)),
    sa.Column("cost_type_code", sa.String(10)),
    sa.Column("description", sa.String(400)),
    sa.Column("amount", Money, nullable=False),
    *_stamps(),
)

owner_contract = sa.Table(
    "owner_contract",
    metadata,
    sa.Column("owner_contract_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("job_id", sa.Integer, sa.ForeignKey("job.job_id"), nullable=False, index=True),
    sa.Column("customer_id", sa.Integer, index=True),
    sa.Column("contract_no", sa.String(30), nullable=False),
    sa.Column("title", sa.String(400)),
    sa.Column("status", sa.String(30), nullable=False),
    sa.Column("executed_date", sa.Date),
    sa.Column("original_amount", Money),
    sa.Column("retainage_percent", sa.Numeric(5, 2)),
    *_stamps(),
)

owner_contract_item = sa.Table(
    "owner_contract_item",
    metadata,
    sa.Column("owner_contract_item_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "owner_contract_id",
        sa.Integer,
        sa.ForeignKey("owner_contract.owner_contract_id"),
        nullable=False,
        index=True,
    ),
    sa.Column("item_no", sa.Integer, nullable=False),
    sa.Column("cost_code", sa.String(20)),
    sa.Column("description", sa.String(400)),
    sa.Column("amount", Money, nullable=False),
    *_stamps(),
)

pay_app = sa.Table(
    "pay_app",
    metadata,
    sa.Column("pay_app_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("subcontract_id", sa.Integer, nullable=False, index=True),
    sa.Column("app_no", sa.Integer, nullable=False),
    sa.Column("period_start", sa.Date),
    sa.Column("period_end", sa.Date),
    sa.Column("billing_date", sa.Date),
    sa.Column("amount_this_period", Money, nullable=False),
    sa.Column("retainage_this_period", Money, nullable=False),
    sa.Column("status", sa.String(30), nullable=False),
    *_stamps(),
)

# One row per pay app per SOV line billed, as job-cost ERPs keep subcontract billing (Vista's AP lines carry
# the subcontract and its item number): the item is named by number within the pay app's subcontract.
pay_app_line = sa.Table(
    "pay_app_line",
    metadata,
    sa.Column("pay_app_line_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("pay_app_id", sa.Integer, sa.ForeignKey("pay_app.pay_app_id"), nullable=False, index=True),
    sa.Column("line_no", sa.Integer, nullable=False),
    sa.Column("item_no", sa.Integer, nullable=False),
    sa.Column("work_completed_this_period", Money, nullable=False),
    sa.Column("materials_stored", Money, nullable=False),
    sa.Column("retainage_this_period", Money, nullable=False),
    *_stamps(),
)

payment = sa.Table(
    "payment",
    metadata,
    sa.Column("payment_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("direction", sa.String(10), nullable=False),
    sa.Column("subcontract_id", sa.Integer, index=True),
    sa.Column("owner_contract_id", sa.Integer, index=True),
    sa.Column("pay_app_id", sa.Integer, index=True),
    sa.Column("check_no", sa.String(30), nullable=False),
    sa.Column("payment_method", sa.String(20)),
    sa.Column("payment_date", sa.Date),
    sa.Column("amount", Money, nullable=False),
    sa.Column("voided", sa.Boolean, nullable=False),
    *_stamps(),
)

# Harness tables: what was generated, so a seeded database describes itself (``load_report``).
demo_meta = sa.Table(
    "demo_meta",
    metadata,
    sa.Column("meta_key", sa.String(50), primary_key=True),
    sa.Column("meta_value", sa.String(400)),
)

demo_dirty_row = sa.Table(
    "demo_dirty_row",
    metadata,
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("table_name", sa.String(40), nullable=False),
    sa.Column("row_id", sa.Integer, nullable=False),
    sa.Column("row_key", sa.String(400), nullable=False),
    sa.Column("kind", sa.String(30), nullable=False),
    sa.Column("column_name", sa.String(40), nullable=False),
)

#: ERP tables in insert order (referenced before referencing), with each one's surrogate key column.
ERP_TABLES: tuple[str, ...] = (
    "customer",
    "vendor",
    "job",
    "cost_type",
    "job_cost_code",
    "budget_line",
    "ap_invoice",
    "ap_invoice_line",
    "subcontract",
    "subcontract_item",
    "change_order",
    "change_order_item",
    "owner_contract",
    "owner_contract_item",
    "pay_app",
    "pay_app_line",
    "payment",
)
PRIMARY_KEYS: dict[str, str] = {
    name: metadata.tables[name].primary_key.columns.keys()[0] for name in ERP_TABLES
}


def create_schema(engine: sa.Engine) -> None:
    """Creates every table that does not exist yet (idempotent)."""
    metadata.create_all(engine, checkfirst=True)


def drop_schema(engine: sa.Engine) -> None:
    """Drops every demo ERP table that exists, children first."""
    metadata.drop_all(engine, checkfirst=True)
