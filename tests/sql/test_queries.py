"""Every file in queries/ runs on a small real database and returns what its header promises.

Files are discovered with a glob, so a query someone adds later is checked too. Each query's
header comment is its documentation (conventions.md): `-- purpose:`, `-- params:` naming every
`$param` the body uses, and `-- returns:` whose text after the last colon, with parenthesised
notes removed, is the exact comma-separated list of output columns. Parameters come from
SAMPLE_PARAMS by name; a query with a new parameter name fails until a sample value is added.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest

from dashboard import db
from dashboard.ingest.kinds import ACTIVE_STATUSES
from tests import school_fixture

QUERY_FILES = sorted(db.QUERIES_DIR.glob("*.sql"))

# One sample value per parameter name; a list gives several runs (each division, each grouping).
SAMPLE_PARAMS: dict[str, list[Any]] = {
    "year": [113],
    "semester": [1],
    "division": [None, "日間部", "進修部"],
    "key": ["outcome_upload_cap_per_semester"],
    "active_statuses": [list(ACTIVE_STATUSES)],
    "group_by": ["school", "teacher", "department", "class"],
    "as_of": [datetime(2025, 2, 20, 8, 0), None],
    "department": [None, "機械科"],
    "class_name": [None, "機一甲"],
    "meeting_id": [1],
    "exclude_meeting": [None, 1],
    "item_id": [1],
    "first_day": [date(2024, 8, 1)],
    "last_day": [date(2025, 1, 31)],
    "phase": ["教師認證"],
    "username": ["registry"],
    "address": [None, "10.1.2.3"],
    "since": [datetime(2025, 2, 20, 7, 45)],
    "failed": ["登入失敗"],
    "succeeded": ["登入成功"],
    "account": [None, "registry"],
    "actions": [None, ["登入成功", "匯入"]],
    "max_rows": [100],
}

# The metric queries dashboard/metrics.py reads: they must exist (a rename breaks the API).
METRIC_QUERIES = {
    "metrics_semester_students",
    "metrics_semester_counselling",
    "metrics_semester_meetings",
    "metrics_outcomes_by_group",
    "metrics_year_students",
    "metrics_year_diverse",
    "metrics_year_selection",
    "metrics_year_receipts",
    "metrics_year_trainings",
    "metrics_year_submissions",
    "eligibility_teachers",
    "semesters_available",
}


def header(sql: str) -> dict[str, str]:
    """`-- tag: text` blocks of the leading comment, continuation lines joined."""
    tags: dict[str, str] = {}
    current: str | None = None
    for line in sql.splitlines():
        if not line.startswith("--"):
            break
        text = line[2:].strip()
        m = re.match(r"([a-z]+):\s*(.*)", text)
        if m:
            current = m.group(1)
            tags[current] = m.group(2)
        elif current:
            tags[current] += " " + text
    return tags


def promised_columns(returns: str) -> list[str]:
    without_notes = returns
    while re.search(r"\([^()]*\)", without_notes):
        without_notes = re.sub(r"\([^()]*\)", "", without_notes)
    return [c.strip() for c in without_notes.rsplit(":", 1)[-1].split(",")]


_MISSING = object()  # a parameter without a sample value


def runs() -> Iterator[Any]:
    for path in QUERY_FILES:
        names = db.query_params(path.read_text(encoding="utf-8"))
        combos: list[dict[str, Any]] = [{}]
        for name in names:
            values = SAMPLE_PARAMS.get(name, [_MISSING])
            combos = [{**c, name: v} for c in combos for v in values]
        for params in combos:
            label = ",".join(f"{k}={v}" for k, v in params.items() if k != "active_statuses")
            yield pytest.param(path, params, id=f"{path.stem}[{label}]")


@pytest.fixture(scope="module")
def school(tmp_path_factory: pytest.TempPathFactory) -> Iterator[duckdb.DuckDBPyConnection]:
    con = db.connect(tmp_path_factory.mktemp("sql") / "portfolio.duckdb")
    school_fixture.small_school(con)
    try:
        yield con
    finally:
        con.close()


def test_the_metric_queries_exist() -> None:
    assert {p.stem for p in QUERY_FILES} >= METRIC_QUERIES


@pytest.mark.parametrize("path", QUERY_FILES, ids=[p.stem for p in QUERY_FILES])
def test_header_documents_the_query(path: Path) -> None:
    sql = path.read_text(encoding="utf-8")
    tags = header(sql)
    assert {"purpose", "params", "returns"} <= set(tags), f"{path.name}: header needs purpose/params/returns"
    for name in db.query_params(sql):
        assert f"${name}" in tags["params"], f"{path.name}: ${name} is not in its -- params: line"
        assert name in SAMPLE_PARAMS, f"{path.name}: add a sample value for ${name} to SAMPLE_PARAMS"
    body = "\n".join(line.split("--", 1)[0] for line in sql.splitlines())
    assert re.search(r"\bselect \* from final\s*$", body), f"{path.name}: end with `select * from final`"


@pytest.mark.parametrize(("path", "params"), list(runs()))
def test_query_runs_and_returns_its_promised_columns(
    school: duckdb.DuckDBPyConnection, path: Path, params: dict[str, Any]
) -> None:
    missing = [name for name, value in params.items() if value is _MISSING]
    assert not missing, f"{path.name}: add sample values for {missing} to SAMPLE_PARAMS"
    df = db.query_df(school, path.stem, **params)
    columns = list(df.columns)
    assert all(isinstance(c, str) and c.strip() for c in columns), columns
    assert len(set(columns)) == len(columns), f"duplicate columns: {columns}"
    promised = promised_columns(header(path.read_text(encoding="utf-8"))["returns"])
    assert columns == promised, f"{path.name} returns {columns}, its header promises {promised}"


def test_grouped_outcomes_have_a_row_per_group(school: duckdb.DuckDBPyConnection) -> None:
    """The grouping values really group (a mistyped value would silently give one 全校 row)."""
    base = {"year": 113, "semester": 1, "division": None, "active_statuses": list(ACTIVE_STATUSES)}
    teacher = db.query_rows(school, "metrics_outcomes_by_group", group_by="teacher", **base)
    assert [(r["group_key"], r["group_label"]) for r in teacher] == [("T01", "王大明")]
    klass = db.query_rows(school, "metrics_outcomes_by_group", group_by="class", **base)
    assert [r["group_key"] for r in klass] == ["機一甲"]  # S03 (休學) is left out
    school_row = db.query_rows(school, "metrics_outcomes_by_group", group_by="school", **base)
    assert [(r["group_key"], r["group_label"]) for r in school_row] == [("全校", None)]
