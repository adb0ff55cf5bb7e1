"""Runtime settings, validated on load from ``PROCORE_SYNC_*`` environment variables.

Settings are read when a task runs (never at DAG-parse time for anything that touches a database), so a
deployment configures the ERP, ledger and staging locations without editing code.
"""

from __future__ import annotations

import os
from functools import cached_property
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

import fsspec
from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# The extract SQL shipped inside the package (package data), found wherever the package is installed.
PACKAGE_SQL_DIR: Traversable = resources.files("erp_sync").joinpath("sql")


def default_data_dir() -> Path:
    """Where embedded databases and staged files live when nothing else is configured."""
    home = os.environ.get("AIRFLOW_HOME") or str(Path.home() / "airflow")
    return Path(home) / "procore_erp_sync"


class SyncSettings(BaseSettings):
    """Everything a deployment may change; each field is ``PROCORE_SYNC_<NAME>`` in the environment."""

    model_config = SettingsConfigDict(env_prefix="PROCORE_SYNC_", extra="ignore")

    data_dir: Path = Field(
        default_factory=default_data_dir, description="Home of embedded databases and staging"
    )
    erp_url: str | None = Field(
        None, description="SQLAlchemy URL of the ERP database (default: embedded demo SQLite)"
    )
    ledger_url: str | None = Field(
        None, description="SQLAlchemy URL of the sync ledger (default: embedded SQLite)"
    )
    sql_dir: Path | None = Field(
        None,
        description="Folder of the per-point extract SQL files (default: the SQL shipped in the package)",
    )
    staging_url: str | None = Field(
        None, description="fsspec URL where steps stage their data (file://, s3://, ...)"
    )
    source_name: str = Field(
        "erp", description="Namespace of origin_ids, so two ERPs never collide in Procore"
    )
    procore_conn_id: str = Field(
        "procore_default", description="Airflow connection id of the Procore connection"
    )
    schedule: str = Field(
        "0 2 * * *", description="Cron expression of the nightly run (data-interval timetable)"
    )
    timezone: str = Field("UTC", description="IANA timezone of the schedule")
    default_country_code: str = Field("US", description="Country assumed for ERP rows without one")
    api_pool: str = Field("default_pool", description="Airflow pool bounding concurrent Procore load tasks")
    task_retries: int = Field(
        2, ge=0, description="Airflow retries of each task (the hook retries API calls itself)"
    )
    extract_chunk_rows: int = Field(50_000, ge=1, description="Rows per chunk when reading the ERP")
    fail_on_failed_records: bool = Field(
        True,
        description="Fail the run when any record failed (Procore refused it or could not be reached); "
        "the failed records are retried by the next run either way",
    )
    max_held_share: float = Field(
        0.5,
        ge=0,
        le=1,
        description="Fail the run when more than this share of the ledger's records of the run's points is "
        "rejected or blocked (bad ERP data held back; 1 never fails on it)",
    )
    staging_retention_days: float = Field(
        14,
        gt=0,
        description="Staged data of runs older than this is deleted at the end of each run (the ledger "
        "keeps every outcome)",
    )
    point_lease_wait_seconds: float = Field(
        1800,
        ge=0,
        description="How long a point waits for another run syncing it (two overlapping runs, e.g. a "
        "manual run and a backfill window, take turns per point instead of both creating)",
    )
    point_lease_stale_seconds: float = Field(
        6 * 3600,
        gt=0,
        description="A point's lease older than this is taken over (its run crashed)",
    )
    commitment_change_order_tiers: int = Field(
        1,
        ge=1,
        le=2,
        description="Change order tiers of the Procore projects' Commitments tool (Procore's default: 1). "
        "1: an ERP change order becomes a commitment change order with its lines; 2: a change order "
        "package holding one potential change order with the lines",
    )

    @field_validator("staging_url")
    @classmethod
    def _staging_filesystem_installed(cls, value: str | None) -> str | None:
        """An fsspec URL whose filesystem package is missing (``s3://`` without s3fs) is named now,
        not in the middle of the first run."""
        if value:
            protocol = fsspec.core.split_protocol(value)[0] or "file"
            try:
                fsspec.get_filesystem_class(protocol)
            except (ImportError, ValueError) as exc:
                raise ValueError(f"cannot stage to {protocol}:// here: {exc}") from None
        return value

    @field_validator("source_name")
    @classmethod
    def _source_is_a_namespace(cls, value: str) -> str:
        if not value or ":" in value or len(value) > 40:
            raise ValueError("PROCORE_SYNC_SOURCE_NAME must be 1-40 characters without ':'")
        return value

    @field_validator("sql_dir")
    @classmethod
    def _sql_dir_exists(cls, value: Path | None) -> Path | None:
        if value is not None and not value.is_dir():
            raise ValueError(f"PROCORE_SYNC_SQL_DIR {value} is not a directory")
        return value

    @property
    def resolved_sql_dir(self) -> Traversable:
        """The configured SQL folder, else the package's own."""
        return self.sql_dir or PACKAGE_SQL_DIR

    @cached_property
    def resolved_erp_url(self) -> str:
        return self.erp_url or f"sqlite:///{self.data_dir / 'demo_erp.sqlite'}"

    @cached_property
    def resolved_ledger_url(self) -> str:
        return self.ledger_url or f"sqlite:///{self.data_dir / 'ledger.sqlite'}"

    @cached_property
    def resolved_staging_url(self) -> str:
        return (self.staging_url or (self.data_dir / "staging").as_uri()).rstrip("/")


def load_settings() -> SyncSettings:
    """Fresh settings from the environment (not cached: tests and tasks change the environment)."""
    settings = SyncSettings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return settings
