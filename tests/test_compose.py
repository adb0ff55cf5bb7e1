"""docker-compose.yaml parses, has the official Airflow 3 shape, and references files that exist.

No Docker engine runs in CI, so this is the check that the compose file stays in step with the repo.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml
from erp_sync.settings import SyncSettings

ROOT = Path(__file__).resolve().parents[1]


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yaml").read_text())


def test_services_in_the_official_shape():
    services = compose()["services"]
    for name in (
        "postgres",
        "redis",
        "airflow-apiserver",
        "airflow-scheduler",
        "airflow-dag-processor",
        "airflow-triggerer",
        "airflow-worker",
        "airflow-init",
        "procore-emulator",
    ):
        assert name in services, name
    assert services["procore-emulator"]["profiles"] == ["emulator"]
    assert services["airflow-worker"]["command"] == "celery worker"
    env = services["airflow-scheduler"]["environment"]
    assert env["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor"
    assert env["AIRFLOW__CELERY__BROKER_URL"].startswith("redis://")
    assert env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"].startswith("postgresql")
    assert env["PROCORE_SYNC_LEDGER_URL"].startswith("postgresql")


def test_mounted_and_built_paths_exist():
    services = compose()["services"]
    for service in services.values():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0].replace("${AIRFLOW_PROJ_DIR:-.}", ".")
            if source.startswith("."):
                if source.endswith("logs"):
                    continue
                assert (ROOT / source).exists(), f"{source} is mounted but missing"
        if "build" in service:
            assert (ROOT / service["build"] / "Dockerfile").is_file()
    dockerfile = (ROOT / "Dockerfile").read_text()
    for copied in re.findall(r"^COPY\s+(?:--\S+\s+)*(.+?)\s+\S+$", dockerfile, flags=re.M):
        for path in copied.split():
            assert (ROOT / path).exists(), f"Dockerfile copies missing {path}"


def test_versions_and_commands_match_the_repo():
    pins = dict(
        line.split("==") for line in (ROOT / "requirements.txt").read_text().splitlines() if "==" in line
    )
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert f"AIRFLOW_VERSION={pins['apache-airflow']}" in dockerfile
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    emulator = compose()["services"]["procore-emulator"]
    assert emulator["entrypoint"][0] in scripts
    assert "demo-erp" in scripts


def test_pipeline_settings_in_compose_exist():
    env = compose()["services"]["airflow-scheduler"]["environment"]
    fields = {name.upper() for name in SyncSettings.model_fields}
    for key in env:
        if key.startswith("PROCORE_SYNC_"):
            assert key.removeprefix("PROCORE_SYNC_") in fields, f"{key} is not a setting"
