"""Where steps hand data to each other: Parquet/JSON files under a configurable fsspec URL.

Tasks may run in different processes or machines (Celery, Kubernetes), so staged data goes to a
shared location (a local folder, or object storage such as ``s3://bucket/prefix``), never XCom.
"""

from __future__ import annotations

import io
import json
import re
import time
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
        buffer = io.BytesIO()
        frame.reset_index(drop=True).to_parquet(buffer, index=False)
        return self._write_whole(f"{name}.parquet", buffer.getvalue())

    def _write_whole(self, name: str, data: bytes) -> str:
        """Writes under a temporary name and moves it in place: a crash never leaves a partial file
        (a zero-byte Parquet that a retried task would trust)."""
        url = self.url(name)
        fs, path = fsspec.core.url_to_fs(url)
        fs.makedirs(path.rsplit("/", 1)[0], exist_ok=True)
        partial = f"{path}.partial"
        fs.pipe_file(partial, data)
        fs.mv(partial, path)
        return url

    def read_frame(self, name: str) -> pd.DataFrame:
        fs, path = fsspec.core.url_to_fs(self.url(f"{name}.parquet"))
        with fs.open(path, "rb") as fh:
            return pd.read_parquet(fh)

    def has_frame(self, name: str) -> bool:
        return self.exists(f"{name}.parquet")

    def write_json(self, name: str, data: Any) -> str:
        return self._write_whole(f"{name}.json", json.dumps(data, default=str, indent=1).encode())

    def read_json(self, name: str) -> Any:
        fs, path = fsspec.core.url_to_fs(self.url(f"{name}.json"))
        with fs.open(path, "r") as fh:
            return json.load(fh)


def prune_runs(root: str, dag_id: str, *, older_than_days: float, keep: str) -> list[str]:
    """Deletes the staged data of the DAG's runs last written more than ``older_than_days`` ago (never
    the run ``keep``); returns the run folders removed. Staging is a hand-over between a run's tasks,
    not an archive: the ledger keeps every outcome."""
    fs, base = fsspec.core.url_to_fs(f"{root}/{_safe(dag_id)}")
    if not fs.exists(base):
        return []
    cutoff = time.time() - older_than_days * 86400
    removed = []
    for entry in fs.ls(base, detail=True):
        folder = str(entry["name"]).rstrip("/")
        if entry.get("type") != "directory" or folder.rsplit("/", 1)[-1] == _safe(keep):
            continue
        newest = max((_mtime(info) for info in fs.find(folder, detail=True).values()), default=0.0)
        if newest < cutoff:
            fs.rm(folder, recursive=True)
            removed.append(folder)
    return removed


def _mtime(info: dict[str, Any]) -> float:
    """A file's modification time in fsspec's details (local: ``mtime``; object stores: ``LastModified``)."""
    value = info.get("mtime") or info.get("LastModified") or info.get("last_modified") or 0
    return value.timestamp() if hasattr(value, "timestamp") else float(value)
