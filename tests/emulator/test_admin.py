"""The /_emulator/ admin surface, the request log and the test-facing handle."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import requests

from .conftest import CLIENT_SECRET, Api


def _admin(emu, method: str, path: str, **kwargs):
    return requests.request(method, f"{emu.base_url}/_emulator/{path}", timeout=5, **kwargs)


def test_state_and_requests_views(emu, api: Api) -> None:
    api.synced("vendors", [{"origin_id": "a", "name": "A"}])
    records = _admin(emu, "GET", "state/vendors").json()
    assert [r["origin_id"] for r in records] == ["a"]
    assert _admin(emu, "GET", "state/widgets").status_code == 404

    log = _admin(emu, "GET", "requests").json()
    assert [(e["method"], e["path"]) for e in log["entries"]] == [
        ("POST", "/oauth/token"),
        ("PATCH", "/rest/v1.0/vendors/sync"),
    ]
    assert log["entries"][1]["write"] and log["entries"][1]["items"] == 1
    assert not log["entries"][0]["write"], "token requests are not API writes"
    later = _admin(emu, "GET", "requests", params={"since": log["next"] - 1}).json()
    assert len(later["entries"]) == 1
    assert len(emu.state.request_log) == 2, "admin calls are not logged"


def test_stats_count_per_endpoint(emu, api: Api) -> None:
    api.synced("vendors", [{"name": "A"}, {"name": "B"}])
    created = api.post("/rest/v1.0/vendors", {"company_id": api.company_id, "vendor": {"name": "C"}}).json()
    api.get(f"/rest/v1.0/vendors/{created['id']}", params={"company_id": api.company_id})
    stats = _admin(emu, "GET", "stats").json()
    assert stats["totals"]["writes"] == 2 and stats["totals"]["items_written"] == 3
    show = stats["endpoints"]["GET /rest/v1.0/vendors/{id}"]
    assert show["reads"] == 1 and show["statuses"] == {"200": 1}


def test_faults_limits_expire_and_reset_over_http(emu, api: Api) -> None:
    assert _admin(emu, "POST", "faults", json={"storm_429": 1}).json()["storm_429"] == 1
    assert api.get("/rest/v1.0/me").status_code == 429
    assert api.get("/rest/v1.0/me").status_code == 200
    assert _admin(emu, "POST", "faults", json={"error_rate": 2}).status_code == 422
    assert _admin(emu, "POST", "faults", json={"colour": 1}).status_code == 422

    limits = _admin(emu, "POST", "limits", json={"spike_limit": 7, "spike_window_seconds": 3})
    assert limits.status_code == 200 and limits.json()["spike_limit"] == 7
    assert api.get("/rest/v1.0/me").headers["X-Rate-Limit-Limit"] == "7"
    assert _admin(emu, "POST", "limits", json={"spike_limit": 0}).status_code == 422

    assert _admin(emu, "POST", "expire-tokens").status_code == 200
    assert api.get("/rest/v1.0/me").status_code == 401

    api.login().synced("vendors", [{"name": "A"}])
    assert _admin(emu, "POST", "reset").status_code == 200
    assert emu.state.records("vendors") == [] and emu.state.request_log == []
    assert api.get("/rest/v1.0/me").status_code == 401, "tokens are gone after a reset"
    assert api.login().get("/rest/v1.0/me").headers["X-Rate-Limit-Limit"] != "7", "limits back to config"


def test_config_view_hides_the_secret(emu) -> None:
    response = _admin(emu, "GET", "config")
    assert response.status_code == 200
    assert CLIENT_SECRET not in response.text
    assert "vendors" in response.json()["resources"]


def test_write_calls_counts_rest_writes_since_an_index(emu, api: Api) -> None:
    api.synced("vendors", [{"name": "A"}])
    mark = len(emu.state.request_log)
    api.synced("vendors", [{"name": "B"}])
    api.list("vendors")
    api.post("/rest/v1.0/vendors", {"company_id": api.company_id, "vendor": {}})
    assert emu.write_calls() == 3
    assert emu.write_calls(since=mark) == 2


def test_concurrent_syncs_never_duplicate_an_origin_id(emu, api: Api) -> None:
    items = [{"origin_id": f"c:{i}", "name": f"V{i}"} for i in range(50)]

    def send(_: int) -> int:
        client = Api(emu).login()
        return client.sync("vendors", items).status_code

    with ThreadPoolExecutor(max_workers=6) as pool:
        assert set(pool.map(send, range(6))) == {200}
    records = emu.state.records("vendors")
    assert len(records) == 50
    assert len({r["origin_id"] for r in records}) == 50


def test_knobs_for_the_financial_resources_over_http(emu, api: Api) -> None:
    (project,) = api.synced("projects", [{"name": "Job"}])["entities"]
    created = api.post(
        "/rest/v1.0/work_order_contracts",
        {"project_id": project["id"], "work_order_contract": {"title": "WO"}},
    ).json()
    approved = _admin(
        emu, "PATCH", f"state/work_order_contracts/{created['id']}", json={"status": "Approved"}
    )
    assert approved.status_code == 200 and approved.json()["status"] == "Approved"
    assert emu.state.records("work_order_contracts")[0]["status"] == "Approved"
    assert (
        _admin(
            emu, "PATCH", f"state/work_order_contracts/{created['id']}", json={"status": "Done"}
        ).status_code
        == 422
    )
    assert (
        _admin(emu, "PATCH", f"state/work_order_contracts/{created['id']}", json={"colour": 1}).status_code
        == 422
    )
    assert _admin(emu, "PATCH", "state/work_order_contracts/1", json={"status": "Draft"}).status_code == 404
    assert _admin(emu, "PATCH", "state/widgets/1", json={}).status_code == 404

    turned_on = _admin(emu, "POST", "workflow-controlled", json={"resources": ["work_order_contracts"]})
    assert turned_on.json() == {"resources": ["work_order_contracts"]}
    assert _admin(emu, "GET", "workflow-controlled").json() == {"resources": ["work_order_contracts"]}
    refused = api.patch(
        f"/rest/v1.0/work_order_contracts/{created['id']}",
        {"project_id": project["id"], "work_order_contract": {"status": "Complete"}},
    )
    assert refused.status_code == 422 and "workflow" in refused.text
    assert _admin(emu, "POST", "workflow-controlled", json={"resources": ["nope"]}).status_code == 422
    assert _admin(emu, "POST", "write-hold", json={"ms": 50}).json() == {"ms": 50}
    assert emu.state.write_hold_seconds == 0.05
    assert _admin(emu, "POST", "write-hold", json={"ms": -1}).status_code == 422

    assert _admin(emu, "POST", "reset").status_code == 200
    assert emu.state.workflow_controlled == frozenset() and emu.state.write_hold_seconds == 0, (
        "back to config"
    )
    assert "work_order_contracts" in _admin(emu, "GET", "config").json()["resources"]


def test_with_an_admin_token_the_admin_surface_refuses_callers_without_it() -> None:
    from procore_emulator import EmulatorConfig, run_emulator

    config = EmulatorConfig(client_id="c", client_secret="s-1234", admin_token="adm-5678")
    assert "adm-5678" not in repr(config) and "admin_token" not in config.public_dict()
    with run_emulator(config) as emu:
        assert _admin(emu, "GET", "stats").status_code == 401
        assert _admin(emu, "GET", "stats", headers={"Authorization": "Bearer wrong"}).status_code == 401
        assert _admin(emu, "GET", "stats", headers={"Authorization": "Bearer adm-5678"}).status_code == 200


def test_the_command_line_takes_the_admin_token_from_the_environment(monkeypatch) -> None:
    from procore_emulator.__main__ import build_parser, config_from_args

    monkeypatch.setenv("PROCORE_EMULATOR_ADMIN_TOKEN", "from-env-1")
    assert config_from_args(build_parser().parse_args([])).admin_token == "from-env-1"
    monkeypatch.delenv("PROCORE_EMULATOR_ADMIN_TOKEN")
    assert config_from_args(build_parser().parse_args([])).admin_token is None
