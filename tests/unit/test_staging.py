"""Staged data is written whole or not at all, and runs' staged data does not pile up forever."""

from __future__ import annotations

import os
import time

import pandas as pd
import pytest
from erp_sync.staging import Stage, prune_runs


def test_a_frame_that_cannot_be_written_leaves_no_file_behind(tmp_path):
    stage = Stage(f"file://{tmp_path}", "erp_to_procore", "manual__1", "vendors")
    stage.write_frame("extracted", pd.DataFrame({"a": [1, 2]}))
    with pytest.raises(Exception):  # noqa: B017 - pyarrow's own error type
        stage.write_frame("payloads", pd.DataFrame({"a": [1.5, "text"]}))
    assert not stage.has_frame("payloads")
    assert sorted(p.name for p in (tmp_path / "erp_to_procore" / "manual__1" / "vendors").iterdir()) == [
        "extracted.parquet"
    ]
    assert stage.read_frame("extracted")["a"].tolist() == [1, 2]


def test_runs_staged_longer_ago_than_the_retention_are_removed_the_current_one_never(tmp_path):
    root = f"file://{tmp_path}"
    for run_id in ("scheduled__old", "scheduled__recent", "manual__now"):
        Stage(root, "erp_to_procore", run_id, "vendors").write_json("summary", {"run": run_id})
    old = time.time() - 30 * 86400
    for path in (tmp_path / "erp_to_procore" / "scheduled__old").rglob("*"):
        os.utime(path, (old, old))
    removed = prune_runs(root, "erp_to_procore", older_than_days=14, keep="manual__now")
    assert [r.rsplit("/", 1)[-1] for r in removed] == ["scheduled__old"]
    left = sorted(p.name for p in (tmp_path / "erp_to_procore").iterdir())
    assert left == ["manual__now", "scheduled__recent"]
    hour_ago = time.time() - 3600
    for path in (tmp_path / "erp_to_procore" / "scheduled__recent").rglob("*"):
        os.utime(path, (hour_ago, hour_ago))
    assert prune_runs(root, "erp_to_procore", older_than_days=0.01, keep="manual__now") != []
    assert sorted(p.name for p in (tmp_path / "erp_to_procore").iterdir()) == ["manual__now"]
    assert prune_runs(root, "no_such_dag", older_than_days=1, keep="x") == []


def test_a_staging_url_whose_filesystem_is_not_installed_is_named_when_the_settings_load(monkeypatch):
    from erp_sync.settings import load_settings
    from pydantic import ValidationError

    monkeypatch.setenv("PROCORE_SYNC_STAGING_URL", "s3://bucket/staging")
    with pytest.raises(ValidationError, match=r"(?s)staging_url.*cannot stage to s3:// here: Install s3fs"):
        load_settings()
