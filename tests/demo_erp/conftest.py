"""Seeded demo ERPs shared by the demo_erp tests (generation is deterministic, so sharing is safe).

Import-mode independence: this directory goes on ``sys.path`` so the tests can import the sibling
``demo_erp_audit`` helper under ``--import-mode=importlib`` too. Under the prepend mode ``tests/`` is on
``sys.path`` and this directory, named like the package it tests, would be found as a namespace package
``demo_erp`` before the editable install's finder is asked; a regular package anywhere on ``sys.path``
wins over a namespace portion, so the real package's parent directory is added as well.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

for _path in (Path(__file__).resolve().parent, Path(__file__).resolve().parents[2] / "include"):
    if str(_path) not in sys.path:
        sys.path.append(str(_path))
if "demo_erp" in sys.modules and not hasattr(sys.modules["demo_erp"], "generate"):
    del sys.modules["demo_erp"]

import demo_erp  # noqa: E402
import pytest  # noqa: E402
import sqlalchemy as sa  # noqa: E402
from demo_erp_audit import SMALL  # noqa: E402


@dataclass
class Seeded:
    url: str
    engine: sa.Engine
    report: demo_erp.GenerationReport


def _seed_sqlite(path: Path, **params: float) -> Iterator[Seeded]:
    url = f"sqlite:///{path}"
    report = demo_erp.seed(url, **params)  # type: ignore[arg-type]
    engine = sa.create_engine(url)
    yield Seeded(url, engine, report)
    engine.dispose()


@pytest.fixture(scope="session")
def small_erp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Seeded]:
    """A read-only SQLite ERP at scale 0.5 with 20 % dirty rows; do not modify it in tests."""
    yield from _seed_sqlite(tmp_path_factory.mktemp("erp") / "small.sqlite", **SMALL)


@pytest.fixture(scope="session")
def default_erp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Seeded]:
    """A read-only SQLite ERP with the defaults (scale 1, 5 % dirty, seed 42)."""
    yield from _seed_sqlite(tmp_path_factory.mktemp("erp") / "default.sqlite")


@pytest.fixture
def scratch_url(tmp_path: Path) -> str:
    """URL of an empty SQLite file for tests that write."""
    return f"sqlite:///{tmp_path / 'scratch.sqlite'}"
