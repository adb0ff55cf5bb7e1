"""The totals-only example in subcontractor_invoice_lines.sql's header runs as written and bills each pay
app's totals on one SOV line, so an ERP without per-item billing still gets its invoice money across."""

from __future__ import annotations

from decimal import Decimal

import demo_erp
import sqlalchemy as sa
from erp_sync.declarations import SUBCONTRACTOR_INVOICE_LINES
from erp_sync.extract import FULL_WINDOW, extract
from erp_sync.payloads import RequisitionItemPayload
from erp_sync.settings import PACKAGE_SQL_DIR


def totals_only_query() -> str:
    """The example query of the header: the comment block after 'An ERP that keeps pay-app totals only'."""
    header = (PACKAGE_SQL_DIR / SUBCONTRACTOR_INVOICE_LINES.sql_file).read_text().split("\nSELECT", 1)[0]
    example = header.split("totals only", 1)[1].split("\n")[2:]
    return "\n".join(line.removeprefix("--   ") for line in example if line.startswith("--   "))


def test_the_totals_only_example_bills_each_pay_app_on_its_first_sov_line(tmp_path):
    url = f"sqlite:///{tmp_path / 'erp.sqlite'}"
    demo_erp.seed(url, scale=0.2, dirty_share=0.0, seed=5)
    (tmp_path / "sql").mkdir()
    (tmp_path / "sql" / SUBCONTRACTOR_INVOICE_LINES.sql_file).write_text(totals_only_query())
    engine = sa.create_engine(url)
    try:
        rows = extract(engine, SUBCONTRACTOR_INVOICE_LINES, tmp_path / "sql", FULL_WINDOW, 10_000)
        with engine.connect() as conn:
            apps = conn.execute(sa.text("SELECT COUNT(*) FROM pay_app")).scalar()
            first_items = dict(
                conn.execute(
                    sa.text(
                        "SELECT s.contract_no, MIN(i.item_no) FROM subcontract s JOIN subcontract_item i "
                        "ON i.subcontract_id = s.subcontract_id GROUP BY s.contract_no"
                    )
                ).all()
            )
    finally:
        engine.dispose()
    assert len(rows) == apps > 0, "one line per pay app"
    assert (rows["item_number"] == rows["contract_number"].map(first_items)).all()
    mapped = SUBCONTRACTOR_INVOICE_LINES.mapping(rows, default_country="US")
    items = [RequisitionItemPayload(**record) for record in mapped.to_dict(orient="records")]
    assert sum(Decimal(i.work_completed_this_period) for i in items) > 0
    assert all(i.materials_presently_stored == "0" for i in items)
