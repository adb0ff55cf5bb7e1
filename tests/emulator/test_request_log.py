"""The request log file: one JSON line per API and token request, credentials never written."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import requests
from procore_emulator import run_emulator
from procore_emulator.__main__ import build_parser, config_from_args
from procore_emulator.requestlog import REDACTED, RequestLogFile, parse_body

from .conftest import CLIENT_ID, CLIENT_SECRET, COMPANY_ID, Api, emulator_config


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_requests_are_logged_with_body_query_and_status(tmp_path: Path) -> None:
    log = tmp_path / "logs" / "requests.jsonl"
    with run_emulator(emulator_config(request_log=str(log))) as emu:
        api = Api(emu).login()
        api.sync("vendors", [{"origin_id": "v:1", "name": "Acme"}])
        api.list("vendors", **{"filters[id][]": ["1", "2"]})
        api.get("/_emulator/stats")
    token, sync, listed = _lines(log)
    assert token["method"] == "POST" and token["path"] == "/oauth/token" and token["status"] == 200
    assert token["body"] == {
        "grant_type": "client_credentials",
        "client_id": CLIENT_ID,
        "client_secret": REDACTED,
    }
    assert sync == {
        "method": "PATCH",
        "path": "/rest/v1.0/vendors/sync",
        "query": {},
        "body": {"company_id": COMPANY_ID, "updates": [{"origin_id": "v:1", "name": "Acme"}]},
        "status": 200,
    }
    assert (
        listed["query"] == {"company_id": str(COMPANY_ID), "filters[id][]": ["1", "2"]}
        and listed["body"] is None
    )


def test_credentials_never_reach_the_log(tmp_path: Path, monkeypatch) -> None:
    log = tmp_path / "env.jsonl"
    monkeypatch.setenv("PROCORE_EMULATOR_REQUEST_LOG", str(log))
    with run_emulator(emulator_config()) as emu:
        url = f"{emu.base_url}/oauth/token"
        grant = {"grant_type": "client_credentials", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}
        token = requests.post(url, json=grant, timeout=5).json()["access_token"]
        requests.post(url, files={k: (None, v) for k, v in grant.items()}, timeout=5)
        requests.post(
            url, data={"grant_type": "client_credentials"}, auth=(CLIENT_ID, CLIENT_SECRET), timeout=5
        )
        headers = {"Authorization": f"Bearer {token}", "Procore-Company-Id": str(COMPANY_ID)}
        requests.get(f"{emu.base_url}/rest/v1.0/me", headers=headers, timeout=5)
        requests.get(
            f"{emu.base_url}/rest/v1.0/me", params={"access_token": token}, headers=headers, timeout=5
        )
        requests.post(
            f"{emu.base_url}/rest/v1.0/vendors",
            json={
                "company_id": COMPANY_ID,
                "vendor": {"name": "X", "notes": f"Bearer {token} / {CLIENT_SECRET}"},
            },
            headers=headers,
            timeout=5,
        )
    text = log.read_text()
    assert CLIENT_SECRET not in text and token not in text
    entries = _lines(log)
    assert len(entries) == 6 and entries[1]["body"]["client_secret"] == REDACTED, (
        "multipart fields are parsed"
    )
    assert entries[2]["body"] == {"grant_type": "client_credentials"}, "Basic credentials travel in a header"
    assert entries[4]["query"]["access_token"] == REDACTED
    assert entries[5]["body"]["vendor"]["notes"] == f"Bearer {REDACTED} / {REDACTED}"


def test_concurrent_appends_stay_whole_lines(tmp_path: Path) -> None:
    log = RequestLogFile(tmp_path / "many.jsonl", secrets=("s3cret",))
    body = {"updates": [{"name": "x" * 500, "origin_id": str(i)} for i in range(20)]}

    def write(n: int) -> None:
        for _i in range(50):
            log.append("PATCH", "/rest/v1.0/vendors/sync", {"n": str(n)}, body, 200)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    entries = _lines(tmp_path / "many.jsonl")
    assert len(entries) == 400 and all(e["body"] == body for e in entries)


def test_bodies_and_the_command_line_option(tmp_path: Path) -> None:
    assert parse_body(b"a=1&a=2&b=", "application/x-www-form-urlencoded") == {"a": ["1", "2"], "b": ""}
    assert parse_body(b"not json", "text/plain") == "not json" and parse_body(b"  ", "") is None
    args = build_parser().parse_args(["--request-log", str(tmp_path / "cli.jsonl")])
    assert config_from_args(args).request_log == str(tmp_path / "cli.jsonl")
    assert "request_log" in emulator_config().public_dict()
