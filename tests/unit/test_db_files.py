"""The database file and its WAL are readable by the dashboard's own account only (issue [8/11]
finding 4): before, both were 0644, with names and addresses in them as plain bytes."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from dashboard import db


def _mode(p: Path) -> int:
    return stat.S_IMODE(p.stat().st_mode)


@pytest.fixture
def usual_umask() -> Iterator[None]:
    before = os.umask(0o022)  # what a server account usually has
    yield
    os.umask(before)


def test_an_older_install_is_made_private_when_opened(tmp_path: Path, usual_umask: None) -> None:
    f = tmp_path / "portfolio.duckdb"
    db.connect(f).close()
    os.chmod(f, 0o644)
    con = db.connect(f)
    try:
        assert _mode(f) == 0o600
    finally:
        con.close()


def test_the_wal_a_write_creates_is_private_once_the_process_keeps_files_private(
    tmp_path: Path, usual_umask: None
) -> None:
    f = tmp_path / "portfolio.duckdb"
    db.keep_files_private()
    con = db.connect(f)
    try:
        con.execute("create table probe (name varchar)")
        con.execute("insert into probe values ('王小明')")
        wal = f.with_name(f.name + ".wal")
        assert wal.exists()
        assert (_mode(f), _mode(wal)) == (0o600, 0o600)
    finally:
        con.close()
