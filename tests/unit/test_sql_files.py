"""Each point's SQL ships in the package and is found through importlib.resources, unless the setting
points at a folder of the deployment's own."""

from __future__ import annotations

import pytest
from erp_sync.declarations import POINTS, VENDORS
from erp_sync.extract import load_sql
from erp_sync.settings import PACKAGE_SQL_DIR, SyncSettings


def test_every_point_has_its_packaged_sql(monkeypatch):
    monkeypatch.delenv("PROCORE_SYNC_SQL_DIR", raising=False)
    sql_dir = SyncSettings().resolved_sql_dir
    assert sql_dir is PACKAGE_SQL_DIR
    for point in POINTS.values():
        assert (sql_dir / point.sql_file).is_file(), point.sql_file
        load_sql(point, sql_dir)


def test_sql_dir_setting_overrides_the_package(monkeypatch, tmp_path):
    (tmp_path / "vendors.sql").write_text("-- the deployment's own query\nSELECT 'x' AS erp_key\n")
    monkeypatch.setenv("PROCORE_SYNC_SQL_DIR", str(tmp_path))
    assert str(load_sql(VENDORS, SyncSettings().resolved_sql_dir)).startswith("SELECT 'x' AS erp_key")
    monkeypatch.setenv("PROCORE_SYNC_SQL_DIR", str(tmp_path / "missing"))
    with pytest.raises(ValueError, match="PROCORE_SYNC_SQL_DIR"):
        SyncSettings()
