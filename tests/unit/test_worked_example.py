"""CONTRIBUTING.md's worked example, done: its code blocks declare a new point, and what derives checks out.

Each block is run in the namespace of the module it says it belongs to, and what it defines is put on
that module for the test's duration, exactly as if the lines had been added there. The point joins a
test registry (the real one is patched for the DAG), never the shipped one.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from types import ModuleType
from typing import Any

import pandas as pd
import pytest
import sqlalchemy as sa
from erp_sync import ledger, mappings, payloads
from erp_sync.declarations import POINTS, in_dependency_order, registry, registry_of, tier1
from erp_sync.extract import FULL_WINDOW, extract
from erp_sync.load import load
from erp_sync.plan import plan
from erp_sync.references import resolve
from erp_sync.transform import transform

ROOT = Path(__file__).resolve().parents[2]
GUIDE = (ROOT / "CONTRIBUTING.md").read_text()
SECTION = GUIDE.split("## Adding an integration point", 1)[1].split("\n## ", 1)[0]
BLOCKS = re.findall(r"```(python|sql)\n(.*?)```", SECTION, flags=re.S)
MODULES = {
    "include/erp_sync/payloads.py": payloads,
    "include/erp_sync/mappings.py": mappings,
    "include/erp_sync/declarations/tier1.py": tier1,
}


def run_block(code: str, module: ModuleType, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    namespace = dict(vars(module))
    exec(compile(code, f"CONTRIBUTING.md ({module.__name__})", "exec"), namespace)
    added = {k: v for k, v in namespace.items() if k not in vars(module) or vars(module)[k] is not v}
    for name, value in added.items():
        if name != "__builtins__":
            monkeypatch.setattr(module, name, value, raising=False)
    return added


@pytest.fixture
def example(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Does the guide's steps: writes the SQL file, adds the model, the mapping and the declaration."""
    sql_dir = tmp_path / "sql"
    sql_dir.mkdir()
    defined: dict[str, Any] = {"sql_dir": sql_dir}
    for language, code in BLOCKS:
        target = code.splitlines()[0].lstrip("-# ").strip()
        if language == "sql":
            (sql_dir / Path(target).name).write_text(code)
        else:
            defined.update(run_block(code, MODULES[target], monkeypatch))
    return defined


def erp_with_insurances(url: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE vendor (vendor_id INTEGER PRIMARY KEY, vendor_no TEXT)"))
        conn.execute(
            sa.text(
                "CREATE TABLE vendor_insurance (vendor_insurance_id INTEGER PRIMARY KEY, "
                "vendor_id INTEGER, policy_no TEXT, insurance_type TEXT, carrier TEXT, effective_date DATE, "
                "expiration_date DATE, coverage_limit NUMERIC, updated_at TIMESTAMP)"
            )
        )
        conn.execute(sa.text("INSERT INTO vendor VALUES (1, 'V1'), (2, 'V2')"))
        conn.execute(
            sa.text(
                "INSERT INTO vendor_insurance VALUES "
                "(1, 1, 'GL-1', 'General liability', 'Acme Mutual', '2026-01-01', '2027-01-01', 1000000, "
                "'2026-01-02 08:00:00'), "
                "(2, 2, 'WC-9', 'Workers compensation', 'Acme Mutual', '2026-01-01', '2027-01-01', 500000, "
                "'2026-01-02 08:00:00')"
            )
        )
    engine.dispose()


def test_the_guide_covers_every_step():
    assert [target.splitlines()[0] for _, target in BLOCKS] == [
        "-- include/erp_sync/sql/vendor_insurances.sql",
        "# include/erp_sync/payloads.py",
        "# include/erp_sync/mappings.py",
        "# include/erp_sync/declarations/tier1.py",
        "# include/erp_sync/declarations/tier1.py",
    ]


def test_declared_facts_derive(example):
    point = example["VENDOR_INSURANCES"]
    assert example["POINTS"] == (*tier1.POINTS[:2], point), "the guide lists it in the tier's POINTS"
    points = registry_of((*POINTS.values(), point))
    assert point.depends_on == ("vendors",)
    order = [p.name for p in in_dependency_order(points)]
    assert order.index("vendors") < order.index("vendor_insurances")
    assert point.procore_endpoints == (
        "PATCH /rest/v1.0/companies/{company_id}/vendors/{vendor_id}/insurances/sync",
    )
    assert point.sql_file == "vendor_insurances.sql"


def test_records_flow_from_the_erp_to_the_procore_call(example, tmp_path, hook):
    point = example["VENDOR_INSURANCES"]
    erp_url = f"sqlite:///{tmp_path / 'erp.sqlite'}"
    erp_with_insurances(erp_url)
    rows = extract(sa.create_engine(erp_url), point, example["sql_dir"], FULL_WINDOW, 100)
    assert list(rows.columns) == list(point.canonical_columns)

    engine = ledger.connect(f"sqlite:///{tmp_path / 'ledger.sqlite'}")
    at = ledger.now()
    ledger.upsert(
        engine,
        pd.DataFrame(
            {
                "point": "vendors",
                "erp_key": ["V1", "V2"],
                "scope_key": "",
                "origin_id": ["erp:vendor:V1", None],
                "procore_id": pd.array([21, None], dtype="Int64"),
                "content_hash": "h",
                "status": ["synced", "rejected"],
                "last_action": "create",
                "last_error": [None, "vendors vendor_no=V2: field 'name': Field required"],
                "run_id": "r",
                "first_seen_at": at,
                "synced_at": at,
                "updated_at": at,
            }
        ),
    )
    keys = rows["vendor_number"] + "/" + rows["policy_number"]
    result = transform(
        point, rows, source="erp", default_country="US", resolved=resolve(point, rows, keys, engine)
    )
    assert list(result.payloads["origin_id"]) == ["erp:vendor_insurance:V1/GL-1"]
    assert json.loads(result.payloads["payload_json"].iloc[0]) == {
        "origin_id": "erp:vendor_insurance:V1/GL-1",
        "policy_number": "GL-1",
        "insurance_type": "General liability",
        "name": "Acme Mutual",
        "effective_date": "2026-01-01",
        "expiration_date": "2027-01-01",
        "limit": "1000000",
    }
    assert json.loads(result.payloads["route_json"].iloc[0]) == {"vendor_id": 21}
    reason = result.blocked["reason"].iloc[0]
    assert reason.startswith(
        "vendor_insurances vendor_no/policy_no=V2/WC-9: blocked: "
        "references vendors vendor_no=V2 which is rejected (vendors vendor_no=V2: field 'name'"
    )

    outcomes = load(
        hook, point, plan(result.payloads, ledger.read_point(engine, point.name)), source="erp", run_id="r"
    )
    assert [(method, path) for method, path, _ in hook.calls] == [
        ("SYNC", "/rest/v1.0/companies/4321/vendors/21/insurances/sync")
    ]
    assert list(outcomes["status"]) == ["synced"]


def test_dag_and_readme_pick_it_up(example, monkeypatch):
    from devtools.docs import points_table
    from erp_sync.orchestration.dag_factory import build_erp_to_procore_dag
    from erp_sync.settings import SyncSettings

    point = example["VENDOR_INSURANCES"]
    monkeypatch.setattr(registry, "POINTS", registry_of((*POINTS.values(), point)))
    dag = build_erp_to_procore_dag(settings=SyncSettings())
    group = {t for t in dag.task_ids if t.startswith("vendor_insurances.")}
    assert group == {
        f"vendor_insurances.{step}_vendor_insurances"
        for step in ("extract", "transform", "plan", "load", "record")
    }
    assert (
        "vendor_insurances.extract_vendor_insurances"
        in dag.get_task("vendors.record_vendors").downstream_task_ids
    )
    assert "vendor_insurances" in dag.params["points"]

    row = next(line for line in points_table().splitlines() if "`vendor_insurances`" in line)
    assert row in GUIDE.split("<!-- worked-example-row -->", 1)[1], "the guide shows the generated README row"
