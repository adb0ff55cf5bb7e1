"""Pay app lines: each pay app's money per SOV line, adding up to the pay app, without touching the rest."""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from decimal import Decimal

import demo_erp
import pytest
import sqlalchemy as sa
from demo_erp_audit import Audit, invoice_lines, load, unbalanced_pay_apps

#: sha256 (first 16 hex digits) of every version-1 table's rows, and of the manifest's version-1 entries,
#: computed with the generator as it was before pay_app_line existed: the lines must leave them as they were.
V1_FINGERPRINTS = {
    "default_erp": {
        "customer": "6771a829e66cb74b",
        "vendor": "5c43209f3caf8d07",
        "job": "aabf0e98a02e1140",
        "cost_type": "0c998e3a0ada0e22",
        "job_cost_code": "182f83ac482061fc",
        "budget_line": "94557a7b84690e6a",
        "ap_invoice": "ecdd6bbf1d066692",
        "ap_invoice_line": "6bcbd565b22935ac",
        "subcontract": "ce307293cd193f4b",
        "subcontract_item": "959f748e31d54e48",
        "change_order": "c1219e0064003c76",
        "change_order_item": "a450d50be3ff4f77",
        "owner_contract": "abf3418518ffc5ad",
        "owner_contract_item": "439188f0af150f0a",
        "pay_app": "11c4d73acf14569a",
        "payment": "dd2b73ab26251cfb",
        "demo_dirty_row": "c0893c62a3112082",
    },
    "small_erp": {
        "customer": "647986467942e90a",
        "vendor": "00a7aa477f6b7d18",
        "job": "b6a20a6029117751",
        "cost_type": "0c998e3a0ada0e22",
        "job_cost_code": "114fd72d7e336e7b",
        "budget_line": "9b87b233d43cff55",
        "ap_invoice": "5d440caee86c31cc",
        "ap_invoice_line": "dd0229f64df279e7",
        "subcontract": "1b8d96b9edec82cc",
        "subcontract_item": "30cae51b4a59c190",
        "change_order": "76f93a4a2a08d3b2",
        "change_order_item": "8cbd850b2a370e54",
        "owner_contract": "0c0aea71c6a7ab1c",
        "owner_contract_item": "6bfc4a6bede56cf9",
        "pay_app": "ccb266a19473f486",
        "payment": "d5be77085465bde6",
        "demo_dirty_row": "6d9f705e89a39e25",
    },
}


def fingerprint(conn: sa.Connection, table: sa.Table, *where: sa.ColumnElement[bool]) -> str:
    digest = hashlib.sha256()
    for row in conn.execute(sa.select(table).where(*where).order_by(*table.primary_key.columns)):
        digest.update(repr(tuple((k, type(v).__name__, str(v)) for k, v in row._mapping.items())).encode())
    return digest.hexdigest()[:16]


@pytest.mark.parametrize("seeded", sorted(V1_FINGERPRINTS))
def test_version_1_tables_are_unchanged(seeded, request):
    engine = request.getfixturevalue(seeded).engine
    manifest = demo_erp.metadata.tables["demo_dirty_row"]
    with engine.connect() as conn:
        found = {
            name: fingerprint(conn, demo_erp.metadata.tables[name])
            for name in demo_erp.ERP_TABLES
            if name != "pay_app_line"
        }
        found["demo_dirty_row"] = fingerprint(conn, manifest, manifest.c.table_name != "pay_app_line")
    assert found == V1_FINGERPRINTS[seeded]


def lines_by_app(audit: Audit, dirty: set[tuple[str, int]]) -> dict[int, list[dict]]:
    """Each pay app's lines outside the manifest's dirty rows."""
    found: dict[int, list[dict]] = defaultdict(list)
    for line in audit.data["pay_app_line"]:
        if ("pay_app_line", line["pay_app_line_id"]) not in dirty:
            found[line["pay_app_id"]].append(line)
    return found


@pytest.mark.parametrize("seeded", ["default_erp", "small_erp"])
def test_lines_add_up_to_their_pay_app_to_the_cent(seeded, request):
    erp = request.getfixturevalue(seeded)
    audit = Audit(load(erp.engine))
    dirty = {(r.table, r.row_id) for r in erp.report.dirty}
    lines = lines_by_app(audit, dirty)
    for app in audit.data["pay_app"]:
        mine = lines[app["pay_app_id"]]
        assert mine, app
        billed = sum(li["work_completed_this_period"] + li["materials_stored"] for li in mine)
        assert billed == app["amount_this_period"], app
        assert sum(li["retainage_this_period"] for li in mine) == app["retainage_this_period"], app
    assert unbalanced_pay_apps(erp.engine) == []


def test_a_pay_app_bills_an_item_once_in_sov_order(small_erp):
    audit = Audit(load(small_erp.engine))
    dirty = {(r.table, r.row_id) for r in small_erp.report.dirty}
    assert max(Counter((li["pay_app_id"], li["item_no"]) for li in audit.data["pay_app_line"]).values()) == 1
    for app_id, mine in lines_by_app(audit, set()).items():
        assert [li["line_no"] for li in mine] == list(range(1, len(mine) + 1)), app_id
        clean = [li for li in mine if ("pay_app_line", li["pay_app_line_id"]) not in dirty]
        assert [li["item_no"] for li in clean] == sorted(li["item_no"] for li in clean), app_id
        assert all(li["created_at"] == audit.by_id["pay_app"][app_id]["created_at"] for li in mine)


def test_items_bill_up_to_their_amount_while_the_totals_allow(default_erp):
    """Within the SOV no item passes its amount; past it (approved change orders) every item is full."""
    audit = Audit(load(default_erp.engine))
    dirty = {(r.table, r.row_id) for r in default_erp.report.dirty}
    billed: Counter[tuple[int, int]] = Counter()
    totals: Counter[int] = Counter()
    for app_id, mine in lines_by_app(audit, dirty).items():
        app = audit.by_id["pay_app"][app_id]
        if ("pay_app", app_id) in dirty:
            continue
        totals[app["subcontract_id"]] += app["amount_this_period"]
        for li in mine:
            billed[(app["subcontract_id"], li["item_no"])] += (
                li["work_completed_this_period"] + li["materials_stored"]
            )
    outcomes = Counter()
    for sub_id, total in totals.items():
        items = [
            i
            for i in audit.data["subcontract_item"]
            if i["subcontract_id"] == sub_id and ("subcontract_item", i["subcontract_item_id"]) not in dirty
        ]
        within = total <= sum(i["amount"] for i in items)
        outcomes[within] += 1
        for item in items:
            done = billed[(sub_id, item["item_no"])]
            assert done <= item["amount"] if within else done >= item["amount"], (sub_id, item, done)
    assert outcomes[True] > outcomes[False] > 0


def test_stored_materials_and_retainage_are_shares_of_a_line(default_erp):
    audit = Audit(load(default_erp.engine))
    dirty = {(r.table, r.row_id) for r in default_erp.report.dirty}
    storing_kinds = Counter()
    for app_id, mine in lines_by_app(audit, dirty).items():
        app = audit.by_id["pay_app"][app_id]
        if ("pay_app", app_id) in dirty:
            continue
        sub = audit.by_id["subcontract"][app["subcontract_id"]]
        for li in mine:
            amount = li["work_completed_this_period"] + li["materials_stored"]
            assert 0 <= li["materials_stored"] <= Decimal("0.25") * amount, li
            assert 0 <= li["retainage_this_period"] <= amount, li
            if li["materials_stored"]:
                storing_kinds[sub["kind"]] += 1
            if sub["kind"] == "PO":
                assert li["retainage_this_period"] == 0, li
    assert set(storing_kinds) == {"SC"} and storing_kinds["SC"] > 50


def test_lines_are_deterministic():
    def lines() -> list[dict]:
        engine = sa.create_engine("sqlite://")
        demo_erp.generate(engine, scale=0.2, dirty_share=0.1, seed=5)
        return load(engine)["pay_app_line"]

    first = lines()
    assert first and first == lines()


def test_dirty_lines_are_listed_and_hang_on_clean_pay_apps(small_erp):
    report = small_erp.report
    audit = Audit(load(small_erp.engine))
    dirty = {(r.table, r.row_id) for r in report.dirty}
    planted = report.dirty_in("pay_app_line")
    assert {(r.kind, r.column) for r in planted} == set(demo_erp.DIRTY_PLAN["pay_app_line"])
    for entry in planted:
        line = audit.by_id["pay_app_line"][entry.row_id]
        assert ("pay_app", line["pay_app_id"]) not in dirty, entry
    blocked = {r.row_id for r in report.blocked if r.table == "pay_app_line"}
    dirty_apps = {r.row_id for r in report.dirty if r.table == "pay_app"}
    assert blocked and blocked == {
        li["pay_app_line_id"] for li in audit.data["pay_app_line"] if li["pay_app_id"] in dirty_apps
    }
    manifest = demo_erp.metadata.tables["demo_dirty_row"]
    with small_erp.engine.connect() as conn:
        tables = list(conn.execute(sa.select(manifest.c.table_name).order_by(manifest.c.seq)).scalars())
    first = tables.index("pay_app_line")
    assert set(tables[first:]) == {"pay_app_line"}, "line entries follow the version-1 manifest"


def test_invoice_lines_query_gives_each_line_and_the_pay_app_totals(small_erp):
    report = small_erp.report
    rows = invoice_lines(small_erp.engine)
    assert len(rows) == report.row_counts["pay_app_line"]
    dirty_keys = {r.key for r in report.dirty_in("pay_app_line")}
    billed: Counter[tuple[str, int]] = Counter()
    for contract, app_no, _job, item_no, work, stored, _held, _at in rows:
        if contract is not None and f"{contract}/PA{app_no}#{item_no}" not in dirty_keys:
            billed[(contract, app_no)] += work + stored
    with small_erp.engine.connect() as conn:
        apps = conn.execute(
            sa.text(
                "SELECT s.contract_no, p.app_no, p.amount_this_period FROM pay_app p "
                "JOIN subcontract s ON s.subcontract_id = p.subcontract_id"
            ).columns(sa.column("contract_no"), sa.column("app_no"), sa.column("amount", sa.Numeric(14, 2)))
        ).all()
    assert dict(billed) == {(contract, app_no): amount for contract, app_no, amount in apps}
