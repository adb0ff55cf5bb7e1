"""The command line (a real subprocess) and the optional SQLite state file."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from procore_emulator import run_emulator
from procore_emulator.__main__ import build_parser, config_from_args

from .conftest import Api, emulator_config


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_secret_from_environment(monkeypatch) -> None:
    monkeypatch.setenv("PROCORE_EMULATOR_CLIENT_SECRET", "from-env")
    config = config_from_args(build_parser().parse_args(["--company-id", "77", "--spike-limit", "9"]))
    assert config.client_secret == "from-env" and config.company_id == 77 and config.spike_limit == 9
    assert "from-env" not in repr(config)


def test_workflow_and_write_hold_flags() -> None:
    args = ["--workflow-controlled", "work_order_contracts, direct_costs", "--write-hold-ms", "250"]
    config = config_from_args(build_parser().parse_args(args))
    assert (
        config.workflow_controlled == {"work_order_contracts", "direct_costs"} and config.write_hold_ms == 250
    )
    with pytest.raises(ValueError, match="widgets"):
        config_from_args(build_parser().parse_args(["--workflow-controlled", "widgets"]))


def test_command_line_serves_and_never_prints_the_secret(tmp_path: Path) -> None:
    port = _free_port()
    secret = "cli-secret-value-123"
    env = {**os.environ, "PROCORE_EMULATOR_CLIENT_SECRET": secret}
    log = tmp_path / "emulator.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "procore_emulator",
                "--port",
                str(port),
                "--client-id",
                "cli-id",
                "--company-id",
                "555",
                "--company-name",
                "CLI Co",
                "--spike-limit",
                "50",
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 15
            while True:
                try:
                    requests.get(f"{base}/_emulator/config", timeout=1)
                    break
                except requests.ConnectionError:
                    assert proc.poll() is None, log.read_text()
                    assert time.monotonic() < deadline, "the CLI emulator did not start"
                    time.sleep(0.1)
            token = requests.post(
                f"{base}/oauth/token",
                data={"grant_type": "client_credentials", "client_id": "cli-id", "client_secret": secret},
                timeout=5,
            )
            assert token.status_code == 200
            companies = requests.get(
                f"{base}/rest/v1.0/companies",
                timeout=5,
                headers={"Authorization": f"Bearer {token.json()['access_token']}"},
            )
            assert companies.json()[0] == {**companies.json()[0], "id": 555, "name": "CLI Co"}
            assert companies.headers["X-Rate-Limit-Limit"] == "50"
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    output = log.read_text()
    assert "Procore emulator on" in output
    assert secret not in output


def test_state_file_keeps_records_across_restarts(tmp_path: Path) -> None:
    config = emulator_config(state_file=str(tmp_path / "sandbox.sqlite"))
    with run_emulator(config) as emu:
        api = Api(emu).login()
        (vendor,) = api.synced("vendors", [{"origin_id": "keep:1", "name": "Kept ✓"}])["entities"]
        api.synced("vendors", [{"origin_id": "keep:1", "city": "Austin"}])
    with run_emulator(config) as emu:
        api = Api(emu).login()
        (again,) = api.list("vendors", **{"filters[origin_id]": "keep:1"}).json()
        assert again["id"] == vendor["id"] and again["name"] == "Kept ✓" and again["city"] == "Austin"
        (new,) = api.synced("vendors", [{"name": "Newer"}])["entities"]
        assert new["id"] > vendor["id"], "ids keep increasing after a restart"
        (same,) = api.synced("vendors", [{"origin_id": "keep:1", "name": "Kept ✓"}])["entities"]
        assert same["id"] == vendor["id"], "the origin_id index is rebuilt"
        emu.reset()
    with run_emulator(config) as emu:
        assert emu.state.records("vendors") == []


def test_state_file_keeps_financial_records_and_deletions(tmp_path: Path) -> None:
    from .world import build_world, ok

    config = emulator_config(state_file=str(tmp_path / "sandbox.sqlite"))
    with run_emulator(config) as emu:
        world = build_world(Api(emu).login())
        wo = world.commitment()
        kept, dropped = world.sov(
            "work_order_contracts",
            wo["id"],
            world.line(origin_id="a", amount="5"),
            world.line(origin_id="b", amount="7"),
        )
        path = f"/rest/v1.0/work_order_contracts/{wo['id']}/line_items/{dropped['id']}"
        assert world.api.delete(path, params={"project_id": world.pid}).status_code == 200
    with run_emulator(config) as emu:
        api = Api(emu).login()
        shown = ok(api.get(f"/rest/v1.0/work_order_contracts/{wo['id']}", params={"project_id": world.pid}))
        assert [li["id"] for li in shown["line_items"]] == [kept["id"]] and shown["grand_total"] == "5.00"
        assert emu.state.records("work_order_contract_line_items")[0]["origin_id"] == "a"
