"""身分證號: keyed hash and mask only; the clear number is nowhere in the database or the report."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import stat
from pathlib import Path

import duckdb
import pytest

from dashboard import db, privacy
from dashboard.ingest.importer import import_files
from tests.import_fixture import csv_bytes, dump, rows, school, uploads

Con = duckdb.DuckDBPyConnection
CLEAR = ("A123456789", "B234567890")


def test_the_clear_number_never_reaches_the_database_file(
    db_file: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    con = db.connect(db_file)
    try:
        assert import_files(con, uploads(school("學生名冊.csv")), imported_by="a").ok
        for table, table_rows in dump(con).items():
            text = repr(table_rows)
            for clear in CLEAR:
                assert clear not in text, table
        hashed = rows(con, "select id_hash from students where student_no = '1130001'")[0][0]
        con.execute("checkpoint")
    finally:
        con.close()
    raw = db_file.read_bytes()
    assert hashed.encode() in raw and b"A12****789" in raw  # strings are visible in this file...
    for clear in CLEAR:
        assert clear.encode() not in raw  # ...and the clear number is not among them
    assert not any(clear in caplog.text for clear in CLEAR)


def test_hash_is_hmac_sha256_with_the_install_key_file(con: Con, db_file: Path) -> None:
    assert import_files(con, uploads(school("學生名冊.csv")), imported_by="a").ok
    key_file = db_file.parent / ".secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    key = key_file.read_bytes()
    assert len(key) == 64
    expected = hmac.new(key, b"A123456789", hashlib.sha256).hexdigest()
    assert rows(con, "select distinct id_hash, id_masked from students where student_no = '1130001'") == [
        (expected, "A12****789")
    ]
    assert (
        rows(con, "select id_hash, id_masked from students where student_no = '1130003'")
        == [(None, None)] * 2
    )


def test_the_same_number_written_differently_hashes_the_same(con: Con) -> None:
    lines = school("學生名冊.csv")["學生名冊.csv"]
    lines[4][4] = " ａ１２３４５６７８９ "  # semester 2 row of 1130001: full-width, lower case
    assert import_files(con, [("s.csv", csv_bytes(lines))], imported_by="a").ok
    assert rows(con, "select count(distinct id_hash) from students where student_no = '1130001'") == [(1,)]


def test_the_env_secret_replaces_the_key_file(
    con: Con, db_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PORTFOLIO_SECRET", "學校的祕密")
    assert import_files(con, uploads(school("學生名冊.csv")), imported_by="a").ok
    expected = hmac.new("學校的祕密".encode(), b"B234567890", hashlib.sha256).hexdigest()
    assert rows(con, "select distinct id_hash from students where student_no = '1130002'") == [(expected,)]
    assert not (db_file.parent / ".secret_key").exists()


def test_a_bad_id_cell_is_reported_masked(con: Con) -> None:
    lines = school("學生名冊.csv")["學生名冊.csv"]
    lines[2][4] = "B23456789X"
    report = import_files(con, [("s.csv", csv_bytes(lines))], imported_by="a")
    assert not report.ok
    (problem,) = report.problems
    assert (problem.row, problem.column, problem.value) == (3, "身分證號", "B23****89X")
    assert (
        problem.message
        == "第 3 列「身分證號」的值「B23****89X」不是有效的身分證號格式（1 個英文字母加 9 個數字）"
    )
    assert "B23456789X" not in json.dumps(report.to_dict(), ensure_ascii=False)


def test_mask_forms() -> None:
    assert privacy.mask_id("A123456789") == "A12****789"
    assert privacy.mask_id("AB1234") == "****"
    assert privacy.mask_cell(" ａ１２３４５６７８９ ") == "A12****789"


def test_the_key_file_is_created_once_and_reused(tmp_path: Path) -> None:
    first = privacy.secret_for_file(tmp_path / "x.duckdb")
    assert privacy.secret_for_file(tmp_path / "x.duckdb") == first
    assert len(first) == 64
