"""References resolve through the ledger; an unsynced reference blocks the record with a reason."""

from __future__ import annotations

import pandas as pd
from erp_sync import ledger
from erp_sync.declarations import DIRECT_COSTS, PAYMENTS, compose_keys
from erp_sync.references import resolve


def seed_ledger(engine, point: str, rows: dict[str, tuple[str, int | None, str | None]]) -> None:
    at = ledger.now()
    ledger.upsert(
        engine,
        pd.DataFrame(
            {
                "point": point,
                "erp_key": list(rows),
                "scope_key": "",
                "origin_id": [f"erp:{point}:{k}" for k in rows],
                "procore_id": pd.array([v[1] for v in rows.values()], dtype="Int64"),
                "content_hash": "h",
                "status": [v[0] for v in rows.values()],
                "last_action": "create",
                "last_error": [v[2] for v in rows.values()],
                "run_id": "r",
                "first_seen_at": at,
                "synced_at": at,
                "updated_at": at,
            }
        ),
    )


def test_compose_keys_is_blank_when_a_part_is():
    rows = pd.DataFrame({"a": ["J1", "J2", None], "b": ["10", " ", "x"], "n": [1.0, 2.0, 3.0]})
    assert compose_keys(rows, "{a}/{b}").tolist()[0] == "J1/10"
    assert compose_keys(rows, "{a}/{b}").isna().tolist() == [False, True, True]
    assert compose_keys(rows, "{a}#{n}").tolist()[:2] == ["J1#1", "J2#2"], "float-typed ints lose their .0"


def test_direct_cost_blocked_by_unsynced_vendor(tmp_path):
    engine = ledger.connect(f"sqlite:///{tmp_path / 'l.sqlite'}")
    seed_ledger(engine, "projects", {"J1": ("synced", 11, None)})
    seed_ledger(
        engine,
        "vendors",
        {
            "V1": ("synced", 21, None),
            "V2": ("rejected", None, "vendors vendor_no=V2: field 'name': Field required"),
        },
    )
    rows = pd.DataFrame(
        {
            "job_number": ["J1", "J1", "J1", "J9", "J1"],
            "vendor_number": ["V1", "V2", None, "V1", None],
            "vendor_id": [1, 2, None, 1, 900000001],
        }
    )
    keys = pd.Series(["J1/A", "J1/B", "J1/C", "J9/D", "J1/E"], dtype="string")
    resolved = resolve(DIRECT_COSTS, rows, keys, engine)
    assert resolved.ids["project_id"].tolist()[:3] == [11, 11, 11]
    assert resolved.ids["vendor_id"].tolist()[0] == 21
    assert pd.isna(resolved.blocked[0]) and pd.isna(resolved.blocked[2]), (
        "an absent optional vendor blocks nothing"
    )
    assert (
        "references vendors with ERP id 900000001 (vendor_id), which does not exist in the ERP"
        in resolved.blocked[4]
    )
    assert (
        "blocked: references vendors vendor_no=V2 which is rejected (vendors vendor_no=V2: field 'name'"
        in resolved.blocked[1]
    )
    assert "blocked: references projects job_no=J9 which is not in the ledger" in resolved.blocked[3]


def test_payment_contract_comes_from_either_reference(tmp_path):
    engine = ledger.connect(f"sqlite:///{tmp_path / 'l.sqlite'}")
    seed_ledger(engine, "projects", {"J1": ("synced", 11, None)})
    seed_ledger(engine, "commitments", {"SC-1": ("locked", 31, "approved")})
    seed_ledger(engine, "prime_contracts", {"PC-1": ("synced", 41, None)})
    seed_ledger(engine, "subcontractor_invoices", {})
    rows = pd.DataFrame(
        {
            "job_number": ["J1", "J1", "J1"],
            "commitment_number": ["SC-1", None, "SC-2"],
            "prime_contract_number": [None, "PC-1", None],
            "pay_app_id": [None, None, None],
            "pay_app_contract_number": [None, None, None],
            "pay_app_number": [None, None, None],
        }
    )
    keys = pd.Series(["C1", "C2", "C3"], dtype="string")
    resolved = resolve(PAYMENTS, rows, keys, engine)
    assert resolved.ids["contract_id"].tolist()[:2] == [31, 41], "a locked commitment still resolves"
    assert resolved.blocked.isna().tolist() == [True, True, False]
    assert "references commitments contract_no=SC-2 which is not in the ledger" in resolved.blocked[2]
