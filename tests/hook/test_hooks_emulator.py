"""ProcoreHook against the Procore sandbox emulator: auth, pacing, retries, pagination, sync.

Every test talks HTTP to a real emulator process-local server; the connection comes from the
``AIRFLOW_CONN_PROCORE_DEFAULT`` JSON env var (see conftest), so no Airflow database is involved.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import threading
import time
from typing import Any

import pytest
from procore_provider import ProcoreAPIError, ProcoreHook, ProcoreRetryExhausted, SyncOutcome

CLIENT_SECRET = "demo-client-secret"  # as in conftest's emulator and connection
COMPANY_ID = 4321
VENDORS = "/rest/v1.0/vendors"
VENDORS_SYNC = "/rest/v1.0/vendors/sync"


def _log(emu: Any) -> list[Any]:
    return list(emu.state.request_log)


def _api(emu: Any) -> list[Any]:
    return [e for e in _log(emu) if e.path.startswith("/rest/")]


def _tokens(emu: Any) -> list[Any]:
    return [e for e in _log(emu) if e.path == "/oauth/token"]


def _statuses(emu: Any) -> list[int]:
    return [e.status for e in _api(emu)]


def _vendor(i: int, **fields: Any) -> dict[str, Any]:
    return {"origin_id": f"erp:vendor:{i}", "name": f"Vendor {i:05d}", "country_code": "US", **fields}


# ------------------------------------------------------------------ connection and auth
def test_connection_from_env_var_and_test_connection(emulator, make_hook):
    hook = make_hook(emulator)
    assert hook.api_base_url == emulator.base_url
    assert hook.company_id == COMPANY_ID
    ok, message = hook.test_connection()
    assert ok, message
    assert "4321" in message and "Demo Builders Inc." in message
    assert _statuses(emulator) == [200, 200]


def test_company_header_and_bearer_sent(emulator, make_hook):
    """Company-scoped endpoints refuse calls without ``Procore-Company-Id``; the hook always sends it."""
    import requests

    hook = make_hook(emulator)
    assert hook.get_json(VENDORS, {"company_id": COMPANY_ID}) == []
    token = ProcoreHook._token_cache[hook._token_key()].access_token
    bare = requests.get(
        f"{emulator.base_url}{VENDORS}",
        params={"company_id": COMPANY_ID},
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    assert bare.status_code == 400 and "Missing Procore-Company-Id header!" in bare.text


@pytest.mark.filterwarnings("ignore:ProvidersManager.hooks is deprecated")  # Airflow's own call
def test_ui_test_connection_path(emulator, monkeypatch):
    """What ``POST /api/v2/connections/test`` does: export the form's connection as a URI env var, then
    ``Connection.test_connection()`` → ``get_hook()`` (provider registry) → ``ProcoreHook.test_connection()``.
    """
    from airflow.models.connection import Connection

    conn = Connection(
        conn_id="procore_form_test",
        conn_type="procore",
        login="demo-client-id",
        password=CLIENT_SECRET,
        extra=json.dumps(
            {"company_id": COMPANY_ID, "api_host": emulator.base_url, "login_host": emulator.base_url}
        ),
    )
    monkeypatch.setenv("AIRFLOW_CONN_PROCORE_FORM_TEST", conn.get_uri())  # extras become strings here
    ok, message = conn.test_connection()
    assert ok, message
    assert "Demo Builders Inc." in message


def test_test_connection_reports_invisible_company(emulator, make_hook):
    ok, message = make_hook(emulator, company_id=999).test_connection()
    assert not ok
    assert "999" in message


def test_test_connection_reports_bad_credentials_without_the_secret(emulator, make_hook):
    wrong = "wrong-secret-1234567"
    hook = make_hook(emulator, secret=wrong)
    ok, message = hook.test_connection()
    assert not ok
    assert "token" in message.lower()
    assert wrong not in message and wrong not in repr(hook)
    with pytest.raises(ProcoreAPIError) as excinfo:
        hook.get_json("/rest/v1.0/me")
    assert excinfo.value.status_code in (400, 401)
    assert wrong not in str(excinfo.value) and wrong not in repr(excinfo.value)


def test_token_renewed_after_401_from_expired_token(emulator, make_hook):
    hook = make_hook(emulator)
    assert hook.get_json("/rest/v1.0/me")["id"]
    emulator.expire_tokens()
    assert hook.get_json("/rest/v1.0/me")["id"]
    assert _statuses(emulator) == [200, 401, 200]
    assert len(_tokens(emulator)) == 2


def test_second_401_is_an_error(emulator, make_hook, monkeypatch):
    hook = make_hook(emulator)
    hook.get_json("/rest/v1.0/me")
    emulator.expire_tokens()
    # the renewed token is refused too (e.g. the app was uninstalled meanwhile)
    stale = ProcoreHook._token_cache[hook._token_key()]
    monkeypatch.setattr(ProcoreHook, "_fetch_token", lambda self: stale)
    with pytest.raises(ProcoreAPIError) as excinfo:
        hook.get_json("/rest/v1.0/me")
    assert excinfo.value.status_code == 401
    assert not isinstance(excinfo.value, ProcoreRetryExhausted)
    assert _statuses(emulator) == [200, 401, 401]


def test_token_renewed_before_expires_in(emulator_factory, make_hook):
    emu = emulator_factory(token_ttl_seconds=62)  # inside the 60 s renewal margin after ~2 s
    hook = make_hook(emu)
    hook.get_json("/rest/v1.0/me")
    hook.get_json("/rest/v1.0/me")
    assert len(_tokens(emu)) == 1  # cached while more than 60 s remain
    time.sleep(2.2)
    hook.get_json("/rest/v1.0/me")
    assert len(_tokens(emu)) == 2  # renewed proactively ...
    assert 401 not in _statuses(emu)  # ... not after a refusal


def test_token_cache_is_shared_by_hooks_in_process(emulator, make_hook):
    make_hook(emulator).get_json("/rest/v1.0/me")
    make_hook(emulator).get_json("/rest/v1.0/me")
    assert len(_tokens(emulator)) == 1


# ------------------------------------------------------------------ pacing
def test_pacing_keeps_a_burst_under_the_spike_limit(emulator_factory, make_hook):
    emu = emulator_factory(spike_limit=10, spike_window_seconds=2)
    hook = make_hook(emu)
    started = time.monotonic()
    for _ in range(60):
        hook.get_json("/rest/v1.0/me")
    elapsed = time.monotonic() - started
    statuses = _statuses(emu)
    assert len(statuses) == 60
    assert 429 not in statuses
    assert elapsed >= 8  # 60 calls at ≤10 per 2 s must have been spread over several windows


_CHILD = """
import sys, time
from procore_provider import ProcoreHook
start_at, n = float(sys.argv[1]), int(sys.argv[2])
hook = ProcoreHook()
hook.company_id  # read the connection before the start line
time.sleep(max(0.0, start_at - time.time()))
for _ in range(n):
    hook.get_json("/rest/v1.0/me")
print("done", n)
"""


def test_parallel_processes_share_one_budget(emulator_factory, make_hook):
    """Five task-like processes burst at the same instant and still never see a 429.

    With a budget file per process instead (checked while writing this test) the same burst draws
    several 429s: each process paces on Remaining figures that miss the others' in-flight calls.
    """
    from procore_emulator import FaultConfig

    emu = emulator_factory(spike_limit=10, spike_window_seconds=1, faults=FaultConfig(latency_ms=30))
    make_hook(emu)  # exports AIRFLOW_CONN_PROCORE_DEFAULT (with the shared rate_limit_dir) to the children
    start_at = f"{time.time() + 3:.3f}"
    children = [
        subprocess.Popen(
            [sys.executable, "-c", _CHILD, start_at, "8"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(5)
    ]
    outputs = [child.communicate(timeout=60) for child in children]
    assert [child.returncode for child in children] == [0] * 5, [err[-2000:] for _, err in outputs]
    assert all(out.strip() == "done 8" for out, _ in outputs)
    statuses = [e.status for e in _api(emu) if e.path == "/rest/v1.0/me"]
    assert len(statuses) == 40
    assert 429 not in statuses


# ------------------------------------------------------------------ retries
def test_429_storm_then_success(emulator_factory, make_hook):
    from procore_emulator import FaultConfig

    emu = emulator_factory(spike_window_seconds=1)
    hook = make_hook(emu)
    hook.get_json("/rest/v1.0/me")
    emu.set_faults(FaultConfig(storm_429=2))
    assert hook.get_json("/rest/v1.0/me")["id"]
    assert _statuses(emu) == [200, 429, 429, 200]


def test_503_with_retry_after_then_success(emulator, make_hook):
    from procore_emulator import FaultConfig

    hook = make_hook(emulator)
    hook.get_json("/rest/v1.0/me")  # token fetched before the fault starts
    emulator.set_faults(FaultConfig(error_rate=1.0, error_status=503, retry_after_seconds=1))
    result: dict[str, Any] = {}

    def call() -> None:
        started = time.monotonic()
        result["body"] = hook.get_json("/rest/v1.0/me")
        result["elapsed"] = time.monotonic() - started

    worker = threading.Thread(target=call)
    worker.start()
    deadline = time.monotonic() + 10
    while 503 not in _statuses(emulator) and time.monotonic() < deadline:
        time.sleep(0.01)
    emulator.set_faults(FaultConfig())  # the hook is now sleeping out Retry-After: 1
    worker.join(timeout=30)
    assert result["body"]["id"]
    assert _statuses(emulator) == [200, 503, 200]
    assert result["elapsed"] >= 1.0  # Retry-After was honoured


def test_gives_up_after_bounded_wait(emulator, make_hook):
    from procore_emulator import FaultConfig

    hook = make_hook(emulator, max_wait_seconds=2.5)
    emulator.set_faults(FaultConfig(error_rate=1.0, error_status=503, retry_after_seconds=1))
    started = time.monotonic()
    with pytest.raises(ProcoreRetryExhausted) as excinfo:
        hook.get_json("/rest/v1.0/me")
    elapsed = time.monotonic() - started
    exc = excinfo.value
    assert elapsed < 4
    assert exc.status_code == 503
    assert exc.attempts >= 2
    assert 1.0 <= exc.waited_seconds <= 2.5
    message = str(exc)
    assert "gave up after" in message and "max_wait_seconds=2.5" in message
    assert "last status: 503" in message and "/rest/v1.0/me" in message
    assert isinstance(exc, ProcoreAPIError)  # callers catching API errors see it too


def test_gives_up_at_attempt_cap(emulator, make_hook):
    from procore_emulator import FaultConfig

    hook = make_hook(emulator, max_attempts=3)
    emulator.set_faults(FaultConfig(error_rate=1.0, error_status=502, retry_after_seconds=None))
    with pytest.raises(ProcoreRetryExhausted, match="attempt cap of 3") as excinfo:
        hook.get_json("/rest/v1.0/me")
    assert excinfo.value.status_code == 502
    assert _statuses(emulator) == [502, 502, 502]


def test_exhausted_hourly_budget_fails_fast_instead_of_sleeping(emulator_factory, make_hook):
    emu = emulator_factory(hourly_limit=3)
    hook = make_hook(emu, max_wait_seconds=5)
    hook.get_json("/rest/v1.0/me")
    hook.get_json("/rest/v1.0/me")
    started = time.monotonic()
    with pytest.raises(ProcoreRetryExhausted, match="gave up before sending") as excinfo:
        hook.get_json("/rest/v1.0/me")
    assert time.monotonic() - started < 1
    assert "max_wait_seconds=5" in str(excinfo.value)
    assert _statuses(emu) == [200, 200]  # the reserve was kept, and no 429 provoked


def test_client_errors_fail_at_once_with_procores_message(emulator, make_hook):
    hook = make_hook(emulator)
    with pytest.raises(ProcoreAPIError) as excinfo:
        hook.get_json(f"{VENDORS}/1", params={"company_id": COMPANY_ID})
    assert excinfo.value.status_code == 404
    assert excinfo.value.message
    assert not isinstance(excinfo.value, ProcoreRetryExhausted)
    assert _statuses(emulator) == [404]


# ------------------------------------------------------------------ pagination and sync
def test_paginate_across_pages(emulator, make_hook):
    hook = make_hook(emulator)
    outcomes = hook.sync(
        VENDORS_SYNC, [_vendor(i) for i in range(250)], body_scope={"company_id": COMPANY_ID}
    )
    assert all(o.ok for o in outcomes)
    records = list(hook.paginate(VENDORS, {"company_id": COMPANY_ID}, per_page=100))
    assert len(records) == 250
    assert {r["origin_id"] for r in records} == {f"erp:vendor:{i}" for i in range(250)}
    pages = [e for e in _api(emulator) if e.method == "GET" and e.path == VENDORS]
    assert len(pages) == 3
    # a filter is passed through untouched
    (one,) = hook.paginate(VENDORS, {"company_id": COMPANY_ID, "filters[origin_id]": "erp:vendor:7"})
    assert one["name"] == "Vendor 00007"


def test_sync_2500_items_in_three_calls_with_per_item_errors(emulator, make_hook):
    hook = make_hook(emulator)
    items = [_vendor(i) for i in range(2500)]
    bad = {
        5: {"name": None},  # missing name
        1200: {"state_code": "ZZ"},  # not a US subdivision
        2499: {"name": "x" * 300},  # too long
    }
    for index, change in bad.items():
        items[index] = {k: v for k, v in {**items[index], **change}.items() if v is not None}
    outcomes = hook.sync(VENDORS_SYNC, items, body_scope={"company_id": COMPANY_ID})

    writes = [e for e in _api(emulator) if e.write]
    assert [(e.method, e.path, e.items) for e in writes] == [
        ("PATCH", VENDORS_SYNC, n) for n in (1000, 1000, 500)
    ]
    assert len(outcomes) == 2500
    assert all(isinstance(o, SyncOutcome) for o in outcomes)
    assert [o.index for o in outcomes] == list(range(2500))
    assert [o.item["origin_id"] for o in outcomes] == [i["origin_id"] for i in items]
    failed = {o.index: o for o in outcomes if not o.ok}
    assert set(failed) == set(bad)
    assert set(failed[5].errors) == {"name"}
    assert set(failed[1200].errors) == {"state_code"}
    assert set(failed[2499].errors) == {"name"}
    assert all(isinstance(m, str) for o in failed.values() for ms in o.errors.values() for m in ms)
    assert all(o.transport_error is None for o in outcomes)
    good = outcomes[0]
    assert good.entity["origin_id"] == "erp:vendor:0" and good.entity["id"]
    assert len(emulator.state.records("vendors")) == 2500 - len(bad)


def test_sync_whole_chunk_failure_keeps_other_chunks(emulator, make_hook):
    """A chunk refused as a whole (400) marks its own items; the chunks before and after still run."""
    from procore_emulator import FaultConfig

    hook = make_hook(emulator)
    hook.get_json("/rest/v1.0/me")
    # seeded: the same sequence of refusals on every run (emulator contract), some chunks pass, some fail
    emulator.set_faults(FaultConfig(error_rate=0.5, error_status=400, retry_after_seconds=None, seed=3))
    items = [_vendor(i) for i in range(60)]
    outcomes = hook.sync(VENDORS_SYNC, items, body_scope={"company_id": COMPANY_ID}, chunk_size=10)
    emulator.set_faults(FaultConfig())

    assert [o.index for o in outcomes] == list(range(60))
    chunks = [outcomes[i : i + 10] for i in range(0, 60, 10)]
    failed = [c for c in chunks if c[0].transport_error]
    passed = [c for c in chunks if not c[0].transport_error]
    assert failed and passed
    assert all(
        o.transport_error and "HTTP 400" in o.transport_error and o.entity is None for c in failed for o in c
    )
    assert all(o.ok for c in passed for o in c)
    assert len([e for e in _api(emulator) if e.write]) == 6  # a 400 is not retried
    assert len(emulator.state.records("vendors")) == 10 * len(passed)


def test_dropped_connection_on_sync_gives_transport_errors_not_lost_items(emulator, make_hook):
    from procore_emulator import FaultConfig

    hook = make_hook(emulator, max_wait_seconds=1.5)
    hook.get_json("/rest/v1.0/me")
    emulator.set_faults(FaultConfig(drop_after_write_rate=1.0))
    items = [_vendor(i) for i in range(1500)]
    outcomes = hook.sync(VENDORS_SYNC, items, body_scope={"company_id": COMPANY_ID}, chunk_size=1000)
    assert len(outcomes) == 1500
    assert [o.index for o in outcomes] == list(range(1500))
    assert all(o.transport_error and not o.ok for o in outcomes)
    assert "gave up after" in outcomes[0].transport_error
    assert CLIENT_SECRET not in outcomes[0].transport_error
    # the writes were applied even though no response arrived: the pipeline re-finds them by origin_id
    assert len(emulator.state.records("vendors")) == 1500


def test_dropped_connection_is_retried_idempotently(emulator, make_hook):
    from procore_emulator import FaultConfig

    hook = make_hook(emulator)
    hook.get_json("/rest/v1.0/me")
    emulator.set_faults(FaultConfig(drop_after_write_rate=0.5, seed=7))
    items = [_vendor(i) for i in range(30)]
    outcomes = hook.sync(VENDORS_SYNC, items, body_scope={"company_id": COMPANY_ID}, chunk_size=10)
    assert all(o.ok for o in outcomes), [o.transport_error for o in outcomes if not o.ok][:1]
    writes = [e for e in _api(emulator) if e.write]
    assert any(e.dropped for e in writes) and len(writes) > 3  # some chunks really were re-sent
    assert len(emulator.state.records("vendors")) == 30  # re-sent chunks updated, never duplicated


def test_post_is_not_retried_after_a_dropped_connection(emulator, make_hook):
    from procore_emulator import FaultConfig

    hook = make_hook(emulator)
    hook.get_json("/rest/v1.0/me")
    emulator.set_faults(FaultConfig(drop_after_write_rate=1.0))
    with pytest.raises(ProcoreRetryExhausted, match="may have been applied"):
        hook.request(
            "POST",
            VENDORS,
            json={"company_id": COMPANY_ID, "vendor": {"name": "Once"}},
            retry_on_connection_error=False,
        )
    assert len([e for e in _api(emulator) if e.write]) == 1


# ------------------------------------------------------------------ secrets
def test_secret_and_tokens_never_logged_or_raised(emulator, make_hook, caplog, monkeypatch):
    from procore_emulator import FaultConfig

    issued: list[str] = []
    real_fetch = ProcoreHook._fetch_token

    def recording_fetch(self: ProcoreHook) -> Any:
        token = real_fetch(self)
        issued.append(token.access_token)
        return token

    monkeypatch.setattr(ProcoreHook, "_fetch_token", recording_fetch)
    caplog.set_level(logging.DEBUG)
    hook = make_hook(emulator, max_wait_seconds=1)
    assert hook.test_connection()[0]
    emulator.expire_tokens()
    hook.get_json("/rest/v1.0/me")  # 401 → renewal
    emulator.set_faults(FaultConfig(error_rate=1.0, error_status=503, retry_after_seconds=0))
    with pytest.raises(ProcoreRetryExhausted) as exhausted:
        hook.get_json("/rest/v1.0/me")
    emulator.set_faults(FaultConfig())
    with pytest.raises(ProcoreAPIError) as refused:
        hook.get_json(f"{VENDORS}/1", params={"company_id": COMPANY_ID})

    assert len(issued) == 2
    texts = [caplog.text, str(exhausted.value), repr(exhausted.value), str(refused.value), repr(hook)]
    texts += [r.getMessage() for r in caplog.records]
    # requests-oauthlib's DEBUG records (request body, token response) were captured, and scrubbed
    assert any(r.name.startswith("requests_oauthlib") for r in caplog.records)
    for text in texts:
        assert CLIENT_SECRET not in text
        for token in issued:
            assert token not in text


def test_refused_credentials_end_the_work_at_once_and_the_token_endpoint_is_asked_once(emulator, make_hook):
    """A wrong secret is no per-record failure: the first call raises ProcoreAuthError naming the
    connection, later calls (and sync actions) raise it again without asking the token endpoint."""
    from procore_provider.errors import ProcoreAuthError

    hook = make_hook(emulator, secret="wrong-secret-98765")
    with pytest.raises(ProcoreAuthError) as first:
        hook.get_json("/rest/v1.0/me")
    assert "procore_default" in str(first.value) or "connection" in str(first.value)
    assert "wrong-secret-98765" not in str(first.value)
    for _ in range(3):
        with pytest.raises(ProcoreAuthError):
            hook.sync("/rest/v1.0/vendors/sync", [{"origin_id": "erp:vendor:1", "name": "A"}])
    assert len(_tokens(emulator)) == 1


def test_a_create_answered_by_a_gateway_error_is_not_resent(emulator, make_hook):
    """A 503 may hide a write Procore applied: a non-idempotent POST is tried once and reported as a
    transport failure (its caller looks the record up), while an idempotent call is retried."""
    from procore_emulator import FaultConfig

    hook = make_hook(emulator, max_wait_seconds=3)
    hook.get_json("/rest/v1.0/me")  # token fetched before the fault starts
    emulator.set_faults(FaultConfig(error_rate=1.0, error_status=503, retry_after_seconds=1))
    before = len(_log(emulator))
    with pytest.raises(ProcoreRetryExhausted) as excinfo:
        hook.request(
            "POST",
            "/rest/v1.0/contract_payments",
            json={"project_id": 1, "contract_payment": {"amount": "1.00"}},
            retry_on_connection_error=False,
        )
    assert [e.method for e in _log(emulator)[before:]] == ["POST"]
    assert "may have been applied" in str(excinfo.value)
    before = len(_log(emulator))
    with pytest.raises(ProcoreRetryExhausted):
        hook.get_json("/rest/v1.0/me")
    assert len(_log(emulator)[before:]) >= 2
