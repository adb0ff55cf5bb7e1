"""One bad cell stops nothing: text in a numeric or date column is staged as text and rejected by name."""

from __future__ import annotations

import sqlalchemy as sa
from erp_sync import ledger
from erp_sync.declarations import BUDGET, compose_keys
from erp_sync.extract import FULL_WINDOW, extract
from erp_sync.references import resolve
from erp_sync.staging import Stage
from erp_sync.transform import transform


def test_infinity_in_a_money_column_is_staged_and_the_row_rejected_naming_the_field(tmp_path):
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'erp.sqlite'}")
    sql_dir = tmp_path / "sql"
    sql_dir.mkdir()
    (sql_dir / BUDGET.sql_file).write_text(
        "SELECT '24-0001' AS job_number, code AS cost_code, 'L' AS cost_type, "
        "amount AS original_budget_amount, '2026-01-01 00:00:00' AS updated_at FROM budget_in"
    )
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE budget_in (code TEXT, amount NUMERIC)"))
        conn.execute(sa.text("INSERT INTO budget_in VALUES ('01-100', 1500.25), ('01-200', 'Infinity')"))
    rows = extract(engine, BUDGET, sql_dir, FULL_WINDOW, 100)
    assert rows["original_budget_amount"].tolist() == ["1500.25", "Infinity"]

    stage = Stage(f"file://{tmp_path / 'staging'}", "dag", "run", "budget")
    stage.write_frame("extracted", rows)
    staged = stage.read_frame("extracted")
    keys = compose_keys(staged, BUDGET.key)
    no_ledger = ledger.connect(f"sqlite:///{tmp_path / 'ledger.sqlite'}")
    resolved = resolve(BUDGET, staged, keys, no_ledger)
    result = transform(BUDGET, staged, source="erp", default_country="US", keys=keys, resolved=resolved)
    # bad data wins over the missing references: the Infinity row is rejected, the other one waits
    assert len(result.rejected) == 1 and len(result.blocked) == 1
    assert "01-200" in result.rejected["reason"].iloc[0]
    assert "original_budget_amount" in result.rejected["reason"].iloc[0]
