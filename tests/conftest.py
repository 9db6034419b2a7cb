"""Shared fixtures: every test gets a real DuckDB file of its own in tmp_path (never a mock)."""

from __future__ import annotations

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
    c = db.connect(db_file)
    try:
        yield c
    finally:
        c.close()
