"""docker-compose.yaml parses, has the official Airflow 3 shape, and references files that exist;
the wheel the image installs carries everything the DAG needs (its extract SQL) without a mount.

No Docker engine runs in CI, so this is the check that the compose file stays in step with the repo.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import yaml
from erp_sync.declarations import in_dependency_order
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


def test_no_mount_or_setting_serves_only_to_find_the_sql():
    """The SQL ships in the package: compose mounts no source folder for it nor points the setting at one."""
    for name, service in compose()["services"].items():
        for volume in service.get("volumes", []):
            assert not volume.split(":")[0].endswith("/include"), f"{name} mounts include/"
        assert "PROCORE_SYNC_SQL_DIR" not in (service.get("environment") or {}), name
    assert "pip wheel" in (ROOT / "Dockerfile").read_text(), "the image installs the project's wheel"


def build_wheel(out: Path) -> Path:
    """The project's wheel, built from a copy of the sources (the build leaves nothing in the checkout)."""
    source = out / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    for folder in ("include", "plugins"):
        shutil.copytree(
            ROOT / folder, source / folder, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info")
        )
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", str(source), "-w", str(out)]
    built = subprocess.run([*command, "--no-build-isolation"], capture_output=True, text=True)
    if built.returncode != 0:  # the venv's setuptools may be older than the build requires
        built = subprocess.run(command, capture_output=True, text=True)
    assert built.returncode == 0, built.stdout + built.stderr
    return next(out.glob("procore_erp_sync-*.whl"))


def test_wheel_carries_every_points_sql(tmp_path):
    with zipfile.ZipFile(build_wheel(tmp_path)) as wheel:
        names = set(wheel.namelist())
        assert "erp_sync/declarations/registry.py" in names, "subpackages ship too"
        for point in in_dependency_order():
            packaged = f"erp_sync/sql/{point.sql_file}"
            assert packaged in names, f"{packaged} is not in the wheel"
            assert wheel.read(packaged) == (ROOT / "include" / packaged).read_bytes()


def test_secrets_have_no_public_defaults_and_the_emulator_stays_local():
    text = (ROOT / "docker-compose.yaml").read_text()
    env = compose()["x-airflow-common"]["environment"]
    for name in ("AIRFLOW__CORE__FERNET_KEY", "AIRFLOW__API_AUTH__JWT_SECRET"):
        assert ":?" in str(env[name]), f"{name} must be required, not defaulted"
    assert "airflow_jwt_secret" not in text
    emulator = compose()["services"]["procore-emulator"]
    assert all(str(port).startswith("127.0.0.1:") for port in emulator["ports"])
    assert "PROCORE_CLIENT_SECRET" not in str(emulator["environment"]), "the real secret stays out"
    assert ".env" in (ROOT / ".gitignore").read_text().split()
