"""All integration points in one DAG run, against the emulator and the demo ERP on SQLite and PostgreSQL.

The final emulator state is compared with the ERP record by record (by origin_id or the ledger's
crosswalk, and by field values); re-runs send nothing; dirty rows are rejected and dangling references
blocked, with reasons; locks, workflow-controlled statuses, voids and dropped responses behave.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import demo_erp
import pandas as pd
import pytest
import sqlalchemy as sa
from devtools.localrun import run_dag
from erp_sync.declarations import POINTS
from erp_sync.settings import load_settings
from procore_emulator import FaultConfig

from .conftest import ledger_rows, seeded

pytestmark = pytest.mark.slow

NIGHT = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)
SRC = "test-erp"

# point -> (emulator resources, ERP query giving erp_key + expected values, {procore field: column})
EXPECTED = {
    "customers": (
        ["vendors"],
        "SELECT customer_no AS erp_key, name, customer_no AS origin_code FROM customer",
        {"name": "name", "origin_code": "origin_code"},
    ),
    "cost_types": (
        ["line_item_types"],
        "SELECT cost_type_code AS erp_key, description AS name FROM cost_type",
        {"name": "name"},
    ),
    "cost_codes": (
        ["cost_codes"],
        "SELECT j.job_no || '/' || c.cost_code AS erp_key, c.cost_code AS code, c.description AS name "
        "FROM job_cost_code c JOIN job j ON j.job_id = c.job_id",
        {"code": "code", "name": "name"},
    ),
    "budget": (
        ["budget_line_items"],
        "SELECT j.job_no || '/' || b.cost_code || '/' || b.cost_type_code AS erp_key, "
        "b.original_amount AS amount FROM budget_line b JOIN job j ON j.job_id = b.job_id",
        {"original_budget_amount": "amount"},
    ),
    "direct_costs": (
        ["direct_costs"],
        "SELECT j.job_no || '/' || i.invoice_no AS erp_key, i.invoice_no AS invoice_number, "
        "i.invoice_date AS direct_cost_date FROM ap_invoice i JOIN job j ON j.job_id = i.job_id",
        {"invoice_number": "invoice_number", "direct_cost_date": "direct_cost_date"},
    ),
    "direct_cost_lines": (
        ["direct_cost_line_items"],
        "SELECT j.job_no || '/' || i.invoice_no || '#' || l.line_no AS erp_key, l.amount AS amount "
        "FROM ap_invoice_line l JOIN ap_invoice i ON i.ap_invoice_id = l.ap_invoice_id "
        "JOIN job j ON j.job_id = i.job_id",
        {"amount": "amount"},
    ),
    "commitments": (
        ["work_order_contracts", "purchase_order_contracts"],
        "SELECT contract_no AS erp_key, title, contract_no AS number FROM subcontract",
        {"title": "title", "number": "number"},
    ),
    "commitment_lines": (
        ["work_order_contract_line_items", "purchase_order_contract_line_items"],
        "SELECT s.contract_no || '#' || i.item_no AS erp_key, i.amount AS amount "
        "FROM subcontract_item i JOIN subcontract s ON s.subcontract_id = i.subcontract_id",
        {"amount": "amount"},
    ),
    "commitment_statuses": (
        ["work_order_contracts", "purchase_order_contracts"],
        "SELECT contract_no AS erp_key, "
        "CASE WHEN voided = TRUE AND kind = 'SC' THEN 'Void' ELSE status END AS status "
        "FROM subcontract",
        {"status": "status"},
    ),
    # The default (1-tier) change order points; 2-tier: tests/integration/test_change_order_money.py.
    "commitment_change_orders": (
        ["commitment_change_orders"],
        "SELECT s.contract_no || '/' || c.co_no AS erp_key, c.title, c.co_no AS number "
        "FROM change_order c JOIN subcontract s ON s.subcontract_id = c.subcontract_id",
        {"title": "title", "number": "number"},
    ),
    "commitment_change_order_lines": (
        ["commitment_change_order_line_items"],
        "SELECT s.contract_no || '/' || c.co_no || '#' || i.line_no AS erp_key, i.amount, i.description "
        "FROM change_order_item i JOIN change_order c ON c.change_order_id = i.change_order_id "
        "JOIN subcontract s ON s.subcontract_id = c.subcontract_id",
        {"amount": "amount", "description": "description"},
    ),
    "commitment_change_order_statuses": (
        ["commitment_change_orders"],
        "SELECT s.contract_no || '/' || c.co_no AS erp_key, LOWER(c.status) AS status "
        "FROM change_order c JOIN subcontract s ON s.subcontract_id = c.subcontract_id",
        {"status": "status"},
    ),
    "subcontractor_invoices": (
        ["requisitions"],
        "SELECT s.contract_no || '/' || p.app_no AS erp_key, p.app_no AS invoice_number "
        "FROM pay_app p JOIN subcontract s ON s.subcontract_id = p.subcontract_id",
        {"invoice_number": "invoice_number"},
    ),
    "subcontractor_invoice_lines": (
        ["requisition_items"],
        "SELECT s.contract_no || '/' || p.app_no || '#' || l.item_no AS erp_key, "
        "l.work_completed_this_period AS work, l.materials_stored AS stored, l.retainage_this_period AS held "
        "FROM pay_app_line l JOIN pay_app p ON p.pay_app_id = l.pay_app_id "
        "JOIN subcontract s ON s.subcontract_id = p.subcontract_id",
        {
            "work_completed_this_period": "work",
            "materials_presently_stored": "stored",
            "work_completed_retainage_retained_this_period": "held",
        },
    ),
    "subcontractor_invoice_statuses": (
        ["requisitions"],
        "SELECT s.contract_no || '/' || p.app_no AS erp_key, p.status "
        "FROM pay_app p JOIN subcontract s ON s.subcontract_id = p.subcontract_id",
        {"status": "status"},
    ),
    "prime_contracts": (
        ["prime_contracts"],
        "SELECT contract_no AS erp_key, title, contract_no AS number FROM owner_contract",
        {"title": "title", "number": "number"},
    ),
    "prime_contract_lines": (
        ["prime_contract_line_items"],
        "SELECT o.contract_no || '#' || i.item_no AS erp_key, i.amount AS amount "
        "FROM owner_contract_item i JOIN owner_contract o ON o.owner_contract_id = i.owner_contract_id",
        {"amount": "amount"},
    ),
    "prime_contract_statuses": (
        ["prime_contracts"],
        "SELECT contract_no AS erp_key, status FROM owner_contract",
        {"status": "status"},
    ),
    "payments": (
        ["contract_payments"],
        "SELECT check_no AS erp_key, amount, payment_date AS date FROM payment",
        {"amount": "amount", "date": "date"},
    ),
}


@pytest.fixture(params=["sqlite", "postgresql"])
def erp(request, sync_data_dir, monkeypatch):
    if request.param == "postgresql":
        url = request.getfixturevalue("pg_url")
        monkeypatch.setenv("PROCORE_SYNC_ERP_URL", url)
        monkeypatch.setenv("PROCORE_SYNC_LEDGER_URL", url)
    engine, report = seeded(load_settings().resolved_erp_url)
    yield engine, report
    engine.dispose()


def by_point(summary: list[dict]) -> dict[str, dict]:
    return {row["point"]: row for row in summary}


def writes_since(emulator, mark: int) -> list:
    return [e for e in emulator.state.request_log[mark:] if e.write]


def same(a, b) -> bool:
    if a is None or b is None or (isinstance(b, float) and pd.isna(b)):
        return (a in (None, "")) and (b is None or pd.isna(b) or b == "")
    try:
        return abs(float(a) - float(b)) < 0.005
    except (TypeError, ValueError):
        return (
            str(a).strip()[:10] == str(b).strip()[:10]
            if len(str(b)) >= 10 and str(b)[4] == "-"
            else str(a).strip() == str(b).strip()
        )


def assert_procore_matches_erp(emulator, engine) -> dict[str, int]:
    """Every synced ledger row exists in Procore with the ERP's values; returns records checked per point."""
    checked = {}
    for point, (resources, query, fields) in EXPECTED.items():
        records = {int(r["id"]): r for res in resources for r in emulator.state.records(res)}
        with engine.connect() as conn:
            if engine.dialect.name == "mysql":
                query = query.replace(" || ", ", ")  # not used: MariaDB runs in its own test
            erp = (
                pd.read_sql(sa.text(query), conn)
                .astype({"erp_key": "string"})
                .drop_duplicates("erp_key", keep=False)
            )
        erp = erp.set_index("erp_key")
        rows = ledger_rows(point)
        synced = rows[rows["status"] == "synced"]
        if synced.empty and point in HELD_BY_LINES:
            assert_held_back_by_lines(point)
            checked[point] = None
            continue
        assert not synced.empty, f"{point}: nothing synced"
        for key, entry in synced.iterrows():
            record = records.get(int(entry["procore_id"]))
            assert record is not None, f"{point} {key}: procore id {entry['procore_id']} not in Procore"
            if POINTS[point].has_origin_id:
                assert record.get("origin_id") == entry["origin_id"], (point, key)
            for procore_field, column in fields.items():
                assert same(record.get(procore_field), erp.loc[key, column]), (
                    point,
                    key,
                    procore_field,
                    record.get(procore_field),
                    erp.loc[key, column],
                )
        checked[point] = len(synced)
    return checked


# Status points whose every record may wait for its lines on the demo ERP (test_status_gates.py shows
# them going out once the lines are fixed).
HELD_BY_LINES = {"prime_contract_statuses"}


def assert_held_back_by_lines(point: str) -> None:
    """Every record of the status point waits, explained: rejected, or blocked naming a line or parent."""
    rows = ledger_rows(point)
    assert not rows.empty and rows["status"].isin(["blocked", "rejected"]).all(), rows[
        "status"
    ].value_counts()
    blocked = rows[rows["status"] == "blocked"]
    assert blocked["last_error"].str.contains(r"references \w+ ").all()
    assert blocked["last_error"].str.contains("_lines ").any()


def assert_prime_contracts_have_their_owner(emulator, engine) -> None:
    """Each synced prime contract's vendor (owner) is its ERP customer's directory company."""
    with engine.connect() as conn:
        owners = dict(
            conn.execute(
                sa.text(
                    "SELECT o.contract_no, c.customer_no FROM owner_contract o "
                    "JOIN customer c ON c.customer_id = o.customer_id"
                )
            ).all()
        )
    customers = ledger_rows("customers")
    records = {r["id"]: r for r in emulator.state.records("prime_contracts")}
    synced = ledger_rows("prime_contracts").query("status == 'synced'")
    for key, entry in synced.iterrows():
        record = records[int(entry["procore_id"])]
        vendor_id = record.get("vendor_id") or (record.get("vendor") or {}).get("id")
        assert vendor_id == customers.loc[owners[key], "procore_id"], (key, vendor_id)
    assert len(synced) > 0


TABLE_POINTS = {
    "customer": "customers",
    "vendor": "vendors",
    "job": "projects",
    "cost_type": "cost_types",
    "job_cost_code": "cost_codes",
    "budget_line": "budget",
    "ap_invoice": "direct_costs",
    "ap_invoice_line": "direct_cost_lines",
    "subcontract": "commitments",
    "subcontract_item": "commitment_lines",
    "change_order": "commitment_change_orders",
    "pay_app": "subcontractor_invoices",
    "pay_app_line": "subcontractor_invoice_lines",
    "owner_contract": "prime_contracts",
    "owner_contract_item": "prime_contract_lines",
    "payment": "payments",
    "change_order_item": "commitment_change_order_lines",
}


def assert_dirty_rows_explained(engine, report) -> None:
    checked = 0
    for dirty in [*report.dirty, *report.blocked]:
        point = TABLE_POINTS.get(dirty.table)
        if point is None:  # a table that is no integration point of its own
            continue
        table, key_sql = TOUCH_KEYS[point]
        with engine.connect() as conn:
            key = conn.execute(
                sa.text(f"SELECT {key_sql} FROM {table} t WHERE {demo_erp.PRIMARY_KEYS[table]} = :id"),
                {"id": dirty.row_id},
            ).scalar()
        rows = ledger_rows(point)
        if key is None:  # no ERP key can be formed: the row is recorded under a key of its own, row:<digest>
            keyless = rows[rows.index.str.startswith("row:")]
            assert len(keyless) and keyless["status"].eq("rejected").all(), (dirty, keyless)
            entry = keyless.iloc[0]
        else:
            entry = rows.loc[key]
        assert entry["status"] in ("rejected", "blocked"), (dirty, entry["status"])
        reason = entry["last_error"]
        assert reason.startswith(point), (dirty, reason)
        if entry["status"] == "rejected" and dirty.kind not in ("duplicate_key", "dangling_reference"):
            assert "field '" in reason, (dirty, reason)
        if entry["status"] == "blocked":
            assert "blocked: references" in reason or "missing reference" in reason, (dirty, reason)
        checked += 1
    assert checked > 50


def test_all_points_match_erp_and_rerun_sends_nothing(airflow_db, emulator, erp):
    engine, report = erp
    state, run_id, summary = run_dag(NIGHT - timedelta(days=1), {"mode": "full"})
    assert state == "success", summary
    counts = by_point(summary)
    assert set(counts) == set(POINTS)
    for point, row in counts.items():
        if row.get("skipped_by_setting"):  # the other change order tier's points
            assert row["created"] == row["updated"] == 0 and ledger_rows(point).empty, row
            continue
        assert row["failed"] == 0, (
            point,
            ledger_rows(point).query("status == 'failed'")["last_error"].head(3).tolist(),
        )
        if row["created"] == 0 and point in HELD_BY_LINES:
            assert_held_back_by_lines(point)  # the demo ERP plants a bad line in every prime contract
            continue
        assert row["created"] > 0, point
    checked = assert_procore_matches_erp(emulator, engine)
    assert all(n > 0 for n in checked.values() if n is not None)
    assert_prime_contracts_have_their_owner(emulator, engine)

    # Every planted defect ends in its point's ledger as rejected or blocked, with a reason that names the
    # record, and the field for bad values; clean rows under a dirty parent are blocked naming the parent.
    assert_dirty_rows_explained(engine, report)

    # Second run, nothing changed in the ERP: zero writes.
    mark = len(emulator.state.request_log)
    state, _, summary = run_dag(NIGHT, {"mode": "full"})
    assert state == "success"
    assert writes_since(emulator, mark) == []
    assert all(row["created"] == row["updated"] == 0 for row in summary)


def test_updates_locks_voids_and_fixed_references(airflow_db, emulator, erp_sqlite):
    engine, report = erp_sqlite
    state, _, _ = run_dag(NIGHT - timedelta(days=1), {"mode": "full"})
    assert state == "success"
    at = (NIGHT + timedelta(hours=5)).replace(tzinfo=None)
    with engine.connect() as conn:
        approved = conn.execute(
            sa.text(
                "SELECT s.contract_no, i.item_no FROM subcontract_item i "
                "JOIN subcontract s USING (subcontract_id) "
                "WHERE s.status IN ('Approved', 'Complete') AND s.voided = FALSE "
                "ORDER BY s.contract_no, i.item_no"
            )
        ).all()
        # one whose status went out (a commitment with an SOV line held back stays draft in Procore)
        statuses, lines = ledger_rows("commitment_statuses"), ledger_rows("commitment_lines")
        sov = next(
            row
            for row in approved
            if statuses.loc[row.contract_no, "status"] == "synced"
            and lines.loc[f"{row.contract_no}#{row.item_no}", "status"] == "synced"
        )
        draft_po = conn.execute(
            sa.text(
                "SELECT contract_no FROM subcontract "
                "WHERE kind = 'PO' AND status = 'Draft' AND voided = FALSE LIMIT 1"
            )
        ).scalar()
        cost_code = conn.execute(sa.text("SELECT job_cost_code_id FROM job_cost_code LIMIT 1")).scalar()
        payments = ledger_rows("payments")
        payment = next(
            check_no
            for (check_no,) in conn.execute(
                sa.text("SELECT check_no FROM payment WHERE voided = FALSE AND direction = 'issued'")
            )
            if check_no in payments.index and payments.loc[check_no, "status"] == "synced"
        )
    # An update per kind: a cost code renamed; an approved commitment's SOV changed (locked: needs a
    # change order); a draft PO voided (deleted); a payment voided (immutable with origin_id: locked).
    demo_erp.touch_rows(
        engine, "job_cost_code", "job_cost_code_id", [cost_code], {"description": "Renamed"}, at=at
    )
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "UPDATE subcontract_item SET amount = amount + 100, updated_at = :at WHERE item_no = :n AND "
                "subcontract_id = (SELECT subcontract_id FROM subcontract WHERE contract_no = :c)"
            ),
            {"at": at, "n": sov.item_no, "c": sov.contract_no},
        )
    if draft_po:
        demo_erp.touch_rows(engine, "subcontract", "contract_no", [draft_po], {"voided": True}, at=at)
    demo_erp.touch_rows(engine, "payment", "check_no", [payment], {"voided": True}, at=at)

    state, _, summary = run_dag(NIGHT + timedelta(days=1), {"mode": "incremental"})
    assert state == "success"
    counts = by_point(summary)
    assert counts["cost_codes"]["updated"] == 1
    renamed = [c for c in emulator.state.records("cost_codes") if c["name"] == "Renamed"]
    assert len(renamed) == 1
    line = ledger_rows("commitment_lines").loc[f"{sov.contract_no}#{sov.item_no}"]
    assert line["status"] == "locked" and "change order in the ERP" in line["last_error"], line["last_error"]
    if draft_po:
        assert ledger_rows("commitments").loc[draft_po, "status"] == "deleted"
        assert not [
            r
            for r in emulator.state.records("purchase_order_contracts")
            if r.get("origin_id") == f"{SRC}:commitment:{draft_po}"
        ]
    paid = ledger_rows("payments").loc[payment]
    assert paid["status"] == "locked" and "locked" in paid["last_error"], paid["last_error"]

    # Locked records are not retried every night.
    mark = len(emulator.state.request_log)
    state, _, _ = run_dag(NIGHT + timedelta(days=2), {"mode": "full"})
    assert state == "success"
    assert writes_since(emulator, mark) == []


def test_blocked_record_goes_out_once_its_reference_is_fixed(airflow_db, emulator, erp_sqlite):
    engine, report = erp_sqlite
    dangling = next(
        d
        for d in report.dirty
        if d.table == "subcontract" and d.kind == "dangling_reference" and d.column == "vendor_id"
    )
    with engine.connect() as conn:
        contract_no = conn.execute(
            sa.text("SELECT contract_no FROM subcontract WHERE subcontract_id = :i"), {"i": dangling.row_id}
        ).scalar()
        vendor_id = conn.execute(
            sa.text(
                "SELECT MIN(v.vendor_id) FROM vendor v WHERE v.vendor_no IN "
                "(SELECT vendor_no FROM vendor GROUP BY vendor_no HAVING COUNT(*) = 1)"
            )
        ).scalar()
    state, _, _ = run_dag(NIGHT - timedelta(days=1), {"mode": "full"})
    assert state == "success"
    entry = ledger_rows("commitments").loc[contract_no]
    assert entry["status"] == "blocked" and "references vendors with ERP id" in entry["last_error"]
    assert (
        ledger_rows("commitment_lines")
        .query("erp_key.str.startswith(@contract_no)", engine="python")["status"]
        .eq("blocked")
        .all()
    )

    demo_erp.touch_rows(
        engine,
        "subcontract",
        "subcontract_id",
        [dangling.row_id],
        {"vendor_id": vendor_id},
        at=(NIGHT + timedelta(hours=3)).replace(tzinfo=None),
    )
    state, _, _ = run_dag(NIGHT, {"mode": "full"})
    assert state == "success"
    assert ledger_rows("commitments").loc[contract_no, "status"] == "synced"
    lines = ledger_rows("commitment_lines").query("erp_key.str.startswith(@contract_no)", engine="python")
    assert not lines.empty and lines["status"].eq("synced").all()


def test_no_sync_points_are_idempotent_under_dropped_responses(airflow_db, emulator, erp_sqlite, monkeypatch):
    # Partial runs: the points left out hold their dependents back (blocked) by design, not by bad data.
    monkeypatch.setenv("PROCORE_SYNC_MAX_HELD_SHARE", "1")
    no_sync = ["commitment_change_orders", "commitment_change_order_lines", "subcontractor_invoices"]
    prerequisites = [p for p in POINTS if p not in (*no_sync, "payments")]
    state, _, _ = run_dag(NIGHT - timedelta(days=1), {"mode": "full", "points": prerequisites})
    assert state == "success"
    # Every write is applied, then its connection dropped: the pipeline must find what it created.
    emulator.set_faults(FaultConfig(drop_after_write_rate=1.0, seed=1))
    state, _, summary = run_dag(NIGHT, {"mode": "full", "points": no_sync})
    emulator.set_faults(FaultConfig())
    assert state == "success", summary
    for point, resource, identity in (
        ("commitment_change_orders", "commitment_change_orders", ("contract_id", "number")),
        # v2.0 lines have no origin_id: one Procore line per synced ERP line means none was duplicated
        ("commitment_change_order_lines", "commitment_change_order_line_items", ("id",)),
        ("subcontractor_invoices", "requisitions", ("origin_id",)),
    ):
        keys = [tuple(r.get(f) for f in identity) for r in emulator.state.records(resource)]
        assert keys and len(keys) == len(set(keys)), f"{point}: duplicates after dropped responses"
        rows = ledger_rows(point)
        assert rows["status"].isin(["synced", "rejected", "blocked", "locked"]).all()
        assert (rows["status"] == "synced").sum() == len(keys)
    # A re-run (as a retried task would) creates nothing more.
    mark = len(emulator.state.request_log)
    state, _, _ = run_dag(NIGHT + timedelta(days=1), {"mode": "full", "points": no_sync})
    assert state == "success"
    assert writes_since(emulator, mark) == []


def test_workflow_controlled_status_is_reported_and_the_rest_syncs(airflow_db, emulator, erp_sqlite):
    engine, _ = erp_sqlite
    emulator.set_workflow_controlled({"work_order_contracts"})
    state, _, summary = run_dag(NIGHT, {"mode": "full"})
    # Work orders stay as Procore's workflow has them (draft), so Procore refuses their invoices: those
    # fail, naming Procore's reason, and the run fails by policy so someone acts on the workflow.
    assert state == "failed"
    invoices = ledger_rows("subcontractor_invoices")
    failed = invoices[invoices["status"] == "failed"]
    assert len(failed) and failed.index.str.startswith("SC-").all()
    assert by_point(summary)["subcontractor_invoices"]["failed"] == len(failed)
    statuses = ledger_rows("commitment_statuses")
    sc = statuses[statuses.index.str.startswith("SC-")]
    noted = sc[sc["last_error"].fillna("").str.contains("workflow")]
    assert len(noted) > 0 and (noted["status"] == "synced").all()
    commitments = ledger_rows("commitments")
    assert (
        commitments.loc[sc.index.intersection(commitments.index), "status"].isin(
            ["synced", "blocked", "rejected"]
        )
    ).all()


# point -> (ERP table, SQL expression of the point's ERP key over that table, column to change, new value SQL,
#           outcome expected in Procore: updated, or locked because Procore makes the record immutable)
TOUCH = {
    "vendors": ("vendor", "vendor_no", "city", "'Touchedville'", "updated"),
    "customers": ("customer", "customer_no", "city", "'Touchedville'", "updated"),
    "projects": ("job", "job_no", "description", "'touched'", "updated"),
    "cost_types": ("cost_type", "cost_type_code", "description", "description || ' (touched)'", "updated"),
    "cost_codes": (
        "job_cost_code",
        "(SELECT job_no FROM job j WHERE j.job_id = t.job_id) || '/' || cost_code",
        "description",
        "'touched'",
        "updated",
    ),
    "budget": (
        "budget_line",
        "(SELECT job_no FROM job j WHERE j.job_id = t.job_id) || '/' || cost_code || '/' || cost_type_code",
        "original_amount",
        "original_amount + 1",
        "updated",
    ),
    "direct_costs": (
        "ap_invoice",
        "(SELECT job_no FROM job j WHERE j.job_id = t.job_id) || '/' || invoice_no",
        "description",
        "'touched'",
        "locked",
    ),
    "direct_cost_lines": (
        "ap_invoice_line",
        "(SELECT j.job_no || '/' || i.invoice_no FROM ap_invoice i JOIN job j "
        "ON j.job_id = i.job_id WHERE i.ap_invoice_id = t.ap_invoice_id) || '#' || line_no",
        "description",
        "'touched'",
        "updated",
    ),
    "commitments": ("subcontract", "contract_no", "title", "'touched'", "updated"),
    "commitment_change_orders": (
        "change_order",
        "(SELECT contract_no FROM subcontract s WHERE s.subcontract_id = t.subcontract_id) || '/' || co_no",
        "title",
        "'touched'",
        "updated",
    ),
    "subcontractor_invoices": (
        "pay_app",
        "(SELECT contract_no FROM subcontract s WHERE s.subcontract_id = t.subcontract_id) || '/' || app_no",
        "billing_date",
        "'2026-11-20'",
        "locked",
    ),
    "prime_contracts": ("owner_contract", "contract_no", "title", "'touched'", "updated"),
    "payments": ("payment", "check_no", "amount", "amount + 1", "locked"),
}


TOUCH_KEYS = {point: (table, key_sql) for point, (table, key_sql, *_) in TOUCH.items()} | {
    "commitment_lines": (
        "subcontract_item",
        "(SELECT contract_no FROM subcontract s WHERE s.subcontract_id = t.subcontract_id) || '#' || item_no",
    ),
    "prime_contract_lines": (
        "owner_contract_item",
        "(SELECT contract_no FROM owner_contract o WHERE "
        "o.owner_contract_id = t.owner_contract_id) || '#' || item_no",
    ),
    "subcontractor_invoice_lines": (
        "pay_app_line",
        "(SELECT s.contract_no || '/' || p.app_no FROM pay_app p JOIN subcontract s "
        "ON s.subcontract_id = p.subcontract_id WHERE p.pay_app_id = t.pay_app_id) || '#' || item_no",
    ),
    "commitment_change_order_lines": (
        "change_order_item",
        "(SELECT s.contract_no || '/' || c.co_no FROM change_order c "
        "JOIN subcontract s ON s.subcontract_id = c.subcontract_id "
        "WHERE c.change_order_id = t.change_order_id) || '#' || line_no",
    ),
}


def test_every_point_updates_or_reports_its_lock(airflow_db, emulator, erp_sqlite):
    engine, _ = erp_sqlite
    state, _, _ = run_dag(NIGHT - timedelta(days=1), {"mode": "full"})
    assert state == "success"
    at = (NIGHT + timedelta(hours=5)).replace(tzinfo=None)
    touched = {}
    with engine.begin() as conn:
        for point, (table, key_sql, column, value, _) in TOUCH.items():
            synced = set(ledger_rows(point).query("status == 'synced'").index)
            candidates = conn.execute(sa.text(f"SELECT {key_sql} FROM {table} t")).scalars().all()
            key = next(k for k in sorted(map(str, candidates)) if k in synced and candidates.count(k) == 1)
            conn.execute(
                sa.text(f"UPDATE {table} AS t SET {column} = {value}, updated_at = :at WHERE {key_sql} = :k"),
                {"at": at, "k": key},
            )
            touched[point] = key
    mark = len(emulator.state.request_log)
    state, _, summary = run_dag(NIGHT + timedelta(days=1), {"mode": "incremental"})
    assert state == "success"
    counts = by_point(summary)
    for point, (*_, expected) in TOUCH.items():
        entry = ledger_rows(point).loc[touched[point]]
        assert counts[point][expected] == 1, (point, counts[point], entry["last_error"])
        assert entry["status"] == ("synced" if expected == "updated" else "locked"), (
            point,
            entry["last_error"],
        )
        if expected == "locked":
            assert "locked" in entry["last_error"] and touched[point] in entry["last_error"]
    # The touched change order's status is re-read with it but unchanged: nothing more is sent for it.
    assert counts["commitment_change_order_statuses"]["updated"] == 0
    assert len(writes_since(emulator, mark)) >= len(TOUCH)
    # Nothing else went out, and locked records are not retried the next night.
    mark = len(emulator.state.request_log)
    state, _, _ = run_dag(NIGHT + timedelta(days=2), {"mode": "full"})
    assert state == "success"
    failed = {p: ledger_rows(p).query("status == 'failed'")["last_error"].tolist() for p in POINTS}
    assert writes_since(emulator, mark) == [], {p: f for p, f in failed.items() if f}
