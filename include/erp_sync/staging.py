"""Where steps hand data to each other: Parquet/JSON files under a configurable fsspec URL.

Tasks may run in different processes or machines (Celery, Kubernetes), so staged data goes to a
shared location (a local folder, or object storage such as ``s3://bucket/prefix``), never XCom.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

import fsspec
import pandas as pd


def _safe(part: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", part)


@dataclass(frozen=True)
class Stage:
    """The staging folder of one point in one DAG run."""

    root: str
    dag_id: str
    run_id: str
    point: str

    @property
    def prefix(self) -> str:
        return f"{self.root}/{_safe(self.dag_id)}/{_safe(self.run_id)}/{self.point}"

    def url(self, name: str) -> str:
        return f"{self.prefix}/{name}"

    def exists(self, name: str) -> bool:
        fs, path = fsspec.core.url_to_fs(self.url(name))
        return bool(fs.exists(path))

    def write_frame(self, name: str, frame: pd.DataFrame) -> str:
        url = self.url(f"{name}.parquet")
        fs, path = fsspec.core.url_to_fs(url)
        fs.makedirs(path.rsplit("/", 1)[0], exist_ok=True)
        with fs.open(path, "wb") as fh:
            frame.reset_index(drop=True).to_parquet(fh, index=False)
        return url

    def read_frame(self, name: str) -> pd.DataFrame:
        fs, path = fsspec.core.url_to_fs(self.url(f"{name}.parquet"))
        with fs.open(path, "rb") as fh:
            return pd.read_parquet(fh)

    def has_frame(self, name: str) -> bool:
        return self.exists(f"{name}.parquet")

    def write_json(self, name: str, data: Any) -> str:
        url = self.url(f"{name}.json")
        fs, path = fsspec.core.url_to_fs(url)
        fs.makedirs(path.rsplit("/", 1)[0], exist_ok=True)
        with fs.open(path, "w") as fh:
            json.dump(data, fh, default=str, indent=1)
        return url

    def read_json(self, name: str) -> Any:
        fs, path = fsspec.core.url_to_fs(self.url(f"{name}.json"))
        with fs.open(path, "r") as fh:
            return json.load(fh)
