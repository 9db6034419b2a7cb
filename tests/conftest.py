"""Shared fixtures: every test gets a real DuckDB file of its own in tmp_path (never a mock)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from dashboard import db


@pytest.fixture
def db_file(tmp_path: Path) -> Path:
    return tmp_path / "portfolio.duckdb"


@pytest.fixture
def con(db_file: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A fresh, migrated database file with the default rules seeded."""
    with db.connect(db_file) as c:
        yield c


@pytest.fixture(scope="session")
def demo_db_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo school imported once per test session through the real importer."""
    from dashboard.demo import build as demo_build

    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    c = db.connect(path)
    try:
        demo_build.build(c)
    finally:
        c.close()
    return path


@pytest.fixture
def demo_db(demo_db_template: Path, tmp_path: Path) -> Path:
    """A private copy of the demo database (and its secret key) that a test may change."""
    target = tmp_path / "demo.duckdb"
    shutil.copy(demo_db_template, target)
    key = demo_db_template.parent / ".secret_key"
    if key.exists():
        shutil.copy(key, tmp_path / ".secret_key")
    return target


@pytest.fixture
def demo_con(demo_db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection to the test's own copy of the demo school (a test may close it early)."""
    with db.connect(demo_db) as c:
        yield c
