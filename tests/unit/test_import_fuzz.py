"""Fuzzing the importer with hostile files (hypothesis): random bytes under every accepted name,
real files cut short or with bytes flipped, and tables with random headers and cells.

Whatever comes in, the importer answers with a report, never an exception: a refused file lists
its problems in Chinese and leaves the database exactly as it was; a file that happens to be
valid is imported, and undoing that import gives the data back. Over 2,000 files a run.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.ingest import importer
from dashboard.ingest.kinds import KINDS
from tests.import_fixture import (
    SCHOOL,
    csv_bytes,
    dump,
    school,
    write_files,
    xls_bytes,
    xlsx_bytes,
    zip_bytes,
)

Con = duckdb.DuckDBPyConnection
EXAMPLES = 700  # per test, three tests: 2,100 hostile files a run
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,  # no example folder written into the project
)
CJK = re.compile(r"[\u4e00-\u9fff]")
NAMES = ["學生名冊.csv", "名冊.xlsx", "名冊.xls", "匯出.zip", "成果.CSV", "資料.XLSX"]
# What is kept out of the comparison after an undo: the provenance an import and its undo leave
# (the batches, and the audit log that says both happened).
PROVENANCE = {"imports", "import_batches", "audit_log", "(sequences)"}


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Con]:
    """The small school imported once; every example must leave it as it found it."""
    from dashboard import db

    folder = tmp_path_factory.mktemp("fuzz")
    con = db.connect(folder / "fuzz.duckdb")
    report = importer.import_paths(con, [write_files(folder / "school", school())], imported_by="setup")
    assert report.ok
    yield con
    con.close()


def _data(con: Con) -> dict[str, list[tuple[Any, ...]]]:
    return {k: v for k, v in dump(con).items() if k not in PROVENANCE and not k.endswith("_undo")}


def _check_answer(con: Con, files: list[tuple[str, bytes]]) -> None:
    before = dump(con)
    report = importer.import_files(con, files, imported_by="fuzz", confirm=True)
    if not report.ok or not report.changed:
        assert dump(con) == before
        for p in report.problems:
            assert CJK.search(p.message), p.message
            assert "Traceback" not in p.message
            assert p.row is None or p.row >= 1
        assert report.ok or report.problems
        return
    # Valid by chance: written as one batch, and undoing it gives the data back.
    importer.undo_import(con, report.batch_id, undone_by="fuzz")
    assert _data(con) == {k: v for k, v in before.items() if k not in PROVENANCE and not k.endswith("_undo")}


def _real_files() -> list[bytes]:
    """Every format the importer reads, holding the small school's real rows."""
    roster = SCHOOL["學生名冊.csv"]
    return [
        csv_bytes(roster),
        csv_bytes(roster, "big5hkscs"),
        xlsx_bytes({"學生名冊": [list(r) for r in roster]}),
        xls_bytes({"學生名冊": [list(r) for r in roster]}),
        zip_bytes({n: csv_bytes(rows) for n, rows in SCHOOL.items()}),
    ]


REAL = _real_files()
SUFFIX = {0: ".csv", 1: ".csv", 2: ".xlsx", 3: ".xls", 4: ".zip"}


@FUZZ
@given(name=st.sampled_from(NAMES), data=st.binary(max_size=4096))
def test_random_bytes_under_any_name(loaded: Con, name: str, data: bytes) -> None:
    _check_answer(loaded, [(name, data)])


@st.composite
def damaged(draw: st.DrawFn) -> tuple[str, bytes]:
    which = draw(st.integers(0, len(REAL) - 1))
    data = bytearray(REAL[which])
    if draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]
    for _ in range(draw(st.integers(0, 8))):
        if data:
            data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    return f"損壞{SUFFIX[which]}", bytes(data)


@FUZZ
@given(file=damaged())
def test_real_files_cut_short_or_with_flipped_bytes(loaded: Con, file: tuple[str, bytes]) -> None:
    _check_answer(loaded, [file])


HEADERS = sorted({c.header for k in KINDS for c in k.columns} | {"學年度", "學期", "部別", "學號", "備註"})
CELLS = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        ["113", "1", "2", "0", "日間部", "進修部", "在學", "畢業", "A123456789", "=1+1", "NaN", ""]
    ),
    st.integers(-(10**20), 10**20).map(str),
    st.dates().map(str),
    st.floats(allow_nan=True).map(str),
)


@st.composite
def tables(draw: st.DrawFn) -> tuple[str, bytes]:
    headers = draw(st.lists(st.sampled_from(HEADERS) | st.text(max_size=12), min_size=1, max_size=12))
    width = len(headers)
    rows = draw(st.lists(st.lists(CELLS, min_size=0, max_size=width + 2), max_size=12))
    grid = [headers, *rows]
    fmt = draw(st.sampled_from(["csv", "xlsx", "xls"]))
    if fmt == "csv":
        try:
            return "表格.csv", csv_bytes(grid)
        except UnicodeEncodeError:
            return "表格.csv", csv_bytes(grid, "utf-8")
    if fmt == "xls":
        clean = [[c.replace("\x00", "")[:255] for c in r][:256] for r in grid]
        return "表格.xls", xls_bytes({"工作表1": clean})
    return "表格.xlsx", xlsx_bytes({"工作表1": [[c[:30000] for c in r] for r in grid]})


@FUZZ
@given(file=tables())
def test_random_headers_and_cells(loaded: Con, file: tuple[str, bytes]) -> None:
    _check_answer(loaded, [file])


def test_the_fuzzing_is_not_a_no_op(loaded: Con) -> None:
    """The harness itself: a real valid change goes through _check_answer's undo branch, and a
    refused file leaves the database as it was (so the assertions above are reachable)."""
    roster = [list(r) for r in SCHOOL["學生名冊.csv"]]
    roster = [roster[0], *roster[1:-1]]
    before = _data(loaded)
    _check_answer(loaded, [("學生名冊.csv", csv_bytes(roster))])
    assert _data(loaded) == before
    report = importer.import_files(loaded, [("x.csv", b"\xff\xfe\x00garbage")], imported_by="fuzz")
    assert not report.ok and report.problems
