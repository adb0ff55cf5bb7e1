"""Locked or failed is decided from the point's locking rule, the ledger, the HTTP status and (when in
doubt) one GET of the record: Procore's wording is only a hint. Refusals are worded like the seed's
quotes of Procore's UI, like the emulator, and arbitrarily."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
import pytest
from erp_sync.declarations import COST_CODES, PAYMENTS, POINTS, PRIME_CONTRACT_STATUSES, PRIME_CONTRACTS
from erp_sync.load import load
from erp_sync.locking import rule_of
from erp_sync.plan import CREATE, DELETE, UPDATE
from procore_provider.hooks import ProcoreAPIError

SEED_PAYMENT = "The Contract Payment cannot be edited or deleted because it is synced with an ERP system"
SEED_INVOICE = "The invoice is not editable because it has been synced with ERP"
EMULATOR = (
    "cannot be modified: contract payment 12 carries an origin_id (it is synced from an ERP) and is locked"
)
ARBITRARY = "Validation failed: something about this record"


class RefusingHook:
    """Refuses every write with ``status``/``message``; a GET answers ``shown`` (and is counted)."""

    company_id = 4321

    def __init__(self, status: int, message: str, shown: dict | None = None) -> None:
        self.status, self.message, self.shown = status, message, shown
        self.calls: list[tuple[str, str]] = []

    def request(self, method: str, path: str, **kwargs: Any) -> Any:
        self.calls.append((method, path))
        if method == "GET":
            shown = self.shown

            class Shown:
                content = b"{}"

                @staticmethod
                def json() -> Any:
                    return shown

            return Shown()
        raise ProcoreAPIError(self.message, status_code=self.status, errors={"base": [self.message]})

    def sync(self, path: str, items: list, **kwargs: Any) -> list:
        class Refused:
            ok, entity, transport_error = False, None, None

            def __init__(self, index: int, errors: Any) -> None:
                self.index, self.errors = index, errors

        return [Refused(i, {"base": [self.message]}) for i in range(len(items))]

    def paginate(self, path: str, params: Any = None) -> list:
        return []


def planned(point, action: str, *, procore_id: int | None, route: dict, payload: dict | None = None):
    return pd.DataFrame(
        {
            "erp_key": ["K1"],
            "scope_key": "J1",
            "origin_id": [f"erp:{point.kind}:K1"],
            "payload_json": [json.dumps(payload or {"title": "t"})],
            "route_json": [json.dumps(route)],
            "content_hash": "h",
            "procore_id": pd.array([procore_id], dtype="Int64"),
            "action": action,
            "previous_status": "synced" if procore_id else None,
        }
    )


def outcome(hook, point, action, *, procore_id, route, payload=None) -> str:
    rows = planned(point, action, procore_id=procore_id, route=route, payload=payload)
    return load(hook, point, rows, source="erp", run_id="r").iloc[0]["status"]


PAYMENT_ROUTE = {"project_id": 1, "contract_id": 2, "void": False}


@pytest.mark.parametrize("message", [SEED_PAYMENT, SEED_INVOICE, EMULATOR, ARBITRARY])
def test_origin_id_rule_an_update_of_a_record_in_procore_refused_with_any_wording_is_locked(message):
    assert (
        outcome(RefusingHook(422, message), PAYMENTS, UPDATE, procore_id=12, route=PAYMENT_ROUTE) == "locked"
    )


def test_origin_id_rule_a_delete_refused_is_locked_too():
    route = {**PAYMENT_ROUTE, "void": True}
    assert outcome(RefusingHook(403, ARBITRARY), PAYMENTS, DELETE, procore_id=12, route=route) == "locked"


@pytest.mark.parametrize("message", [SEED_PAYMENT, EMULATOR])
def test_a_create_is_never_locked_by_the_origin_id_rule_whatever_it_says(message):
    hook = RefusingHook(422, message)
    assert outcome(hook, PAYMENTS, CREATE, procore_id=None, route=PAYMENT_ROUTE) == "failed"


@pytest.mark.parametrize("status", [409, 404, 401])
def test_a_conflict_or_missing_record_is_no_lock(status):
    hook = RefusingHook(status, EMULATOR)
    assert outcome(hook, PAYMENTS, UPDATE, procore_id=12, route=PAYMENT_ROUTE) == "failed"


@pytest.mark.parametrize("message", [EMULATOR, SEED_PAYMENT, "record is locked"])
def test_a_point_nothing_locks_fails_even_when_the_message_says_locked(message):
    hook = RefusingHook(422, message)
    assert outcome(hook, COST_CODES, UPDATE, procore_id=5, route={"project_id": 1}) == "failed"


@pytest.mark.parametrize(("shown_status", "expected"), [("Approved", "locked"), ("Draft", "failed")])
def test_status_rule_an_unclear_refusal_is_settled_by_one_get_of_the_record(shown_status, expected):
    hook = RefusingHook(422, ARBITRARY, shown={"id": 9, "status": shown_status})
    assert outcome(hook, PRIME_CONTRACTS, UPDATE, procore_id=9, route={"project_id": 1}) == expected
    assert hook.calls == [("PATCH", "/rest/v1.0/prime_contract/9"), ("GET", "/rest/v1.0/prime_contract/9")]


def test_status_rule_a_lock_hint_needs_no_get():
    hook = RefusingHook(422, "cannot be modified: prime contract PC-1 is approved and locked")
    assert outcome(hook, PRIME_CONTRACTS, UPDATE, procore_id=9, route={"project_id": 1}) == "locked"
    assert [m for m, _ in hook.calls] == ["PATCH"]


def test_a_status_refused_by_a_workflow_in_any_words_is_retried_without_it():
    hook = RefusingHook(422, ARBITRARY)
    route = {"prime_contract_id": 9, "project_id": 1}
    status = outcome(
        hook, PRIME_CONTRACT_STATUSES, UPDATE, procore_id=None, route=route, payload={"status": "Approved"}
    )
    assert [m for m, _ in hook.calls] == ["PATCH", "PATCH"], "once with the status, once without"
    assert status == "failed", "refused without the status too: a failure, not a workflow"


def test_every_points_locking_rule_is_understood():
    assert {name: rule_of(point.locks) for name, point in POINTS.items()}
