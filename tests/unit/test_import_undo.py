"""Division-scoped snapshots on the demo school, and undoing an import.

A 進修部 clerk imports their own export of every kind that can be split: not one 日間部 row
changes. Undoing that import gives back exactly the query results from before it, for every
metric of the affected year. The history says what can be undone and why not.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from typing import Any

import duckdb
import pytest

from dashboard import auth, db
from dashboard.ingest import importer, undo
from dashboard.ingest.kinds import KINDS
from dashboard.measures import metrics
from dashboard.records import schedule
from tests.db_helpers import snapshot
from tests.import_fixture import NIGHT, TERM, YEAR, demo_rows, night_bundle
from tests.school_fixture import rule

Con = duckdb.DuckDBPyConnection
DAY = "日間部"
SPLIT_TABLES = [k.table for k in KINDS if k.division_from != "none"]


def division_rows(con: Con, division: str) -> dict[str, list[Any]]:
    out = {}
    for kind in KINDS:
        if kind.division_from == "none":
            continue
        column = "division" if kind.division_from == "column" else "scope_division"
        rel = con.table(kind.table).filter(
            duckdb.ColumnExpression(column) == duckdb.ConstantExpression(division)
        )
        out[kind.table] = sorted(rel.fetchall(), key=repr)
    return out


def every_figure(con: Con, year: int) -> str:
    """Every metric of the year, both semesters, each division and breakdown, and 資料截至."""
    out: dict[str, Any] = {"as_of": db.as_of(con)}
    for d in (None, DAY, NIGHT):
        out[f"Y/{d}"] = metrics.year_metrics(con, year, d)
        for s in (1, 2):
            out[f"S{s}/{d}"] = metrics.semester_metrics(con, year, s, d)
            for by in ("teacher", "department", "class"):
                out[f"S{s}/{d}/{by}"] = metrics.semester_breakdown(con, year, s, by, d)
    out["eligibility"] = metrics.eligibility(con, year)
    return json.dumps(out, ensure_ascii=False, sort_keys=True, default=str)


def test_a_night_school_export_of_every_kind_leaves_the_day_school_alone(demo_con: Con) -> None:
    bundle = night_bundle()
    assert len(bundle) >= 8  # every splittable kind the demo has for 114 / 114-2
    day_before = division_rows(demo_con, DAY)
    day_figures = [
        metrics.semester_metrics(demo_con, YEAR, TERM, DAY),
        metrics.year_metrics(demo_con, YEAR, DAY),
    ]
    report = importer.import_files(demo_con, bundle, imported_by="進修部教務組", confirm=True)
    assert report.ok and report.changed, report.problems
    scopes_seen = {(c.kind, c.scope[2]) for c in report.changes if c.scope is not None}
    assert {d for _k, d in scopes_seen} == {NIGHT}  # the file touches 進修部 scopes only
    assert all(c.disappearing_rows > 0 for c in report.changes)  # and it did change each of them
    assert division_rows(demo_con, DAY) == day_before
    assert [
        metrics.semester_metrics(demo_con, YEAR, TERM, DAY),
        metrics.year_metrics(demo_con, YEAR, DAY),
    ] == day_figures


def test_undo_gives_back_every_figure_and_every_row(demo_con: Con) -> None:
    before = every_figure(demo_con, YEAR)
    tables_before = snapshot(demo_con, [*SPLIT_TABLES, "staff", "data_warnings"])
    report = importer.import_files(demo_con, night_bundle(), imported_by="進修部教務組", confirm=True)
    assert report.ok
    assert every_figure(demo_con, YEAR) != before  # the import did change the figures
    [entry] = [e for e in undo.history(demo_con) if e.batch_id == report.batch_id]
    assert entry.can_undo and entry.rows_out and entry.rows_out > entry.rows_in
    assert "學生名冊 114-2 進修部" in entry.scope_text
    result = importer.undo_import(demo_con, report.batch_id, undone_by="registry")
    assert result.restored_rows == entry.rows_out and result.removed_rows == entry.rows_in
    assert every_figure(demo_con, YEAR) == before
    assert snapshot(demo_con, [*SPLIT_TABLES, "staff", "data_warnings"]) == tables_before
    assert undo.kept_rows(demo_con) == 0
    [after] = [e for e in undo.history(demo_con) if e.batch_id == report.batch_id]
    assert not after.can_undo and after.undone_by == "registry" and "復原" in (after.blocker or "")
    with pytest.raises(undo.UndoError):
        importer.undo_import(demo_con, report.batch_id, undone_by="registry")


def test_only_the_latest_import_of_a_scope_can_be_undone(demo_con: Con) -> None:
    original = snapshot(demo_con, SPLIT_TABLES)
    first = importer.import_files(demo_con, night_bundle(), imported_by="進修部教務組", confirm=True)
    second = importer.import_files(
        demo_con, night_bundle(change=False), imported_by="進修部教務組", confirm=True
    )
    assert first.ok and second.ok and second.changed
    entries = {e.batch_id: e for e in undo.history(demo_con)}
    assert entries[second.batch_id].can_undo
    assert "請先復原較新的那次" in (entries[first.batch_id].blocker or "")
    with pytest.raises(undo.UndoError, match="請先復原較新的那次"):
        importer.undo_import(demo_con, first.batch_id, undone_by="x")
    importer.undo_import(demo_con, second.batch_id, undone_by="x")
    importer.undo_import(demo_con, first.batch_id, undone_by="x")
    assert snapshot(demo_con, SPLIT_TABLES) == original


def test_a_form_edit_after_the_import_blocks_its_undo(demo_con: Con) -> None:
    rows = demo_rows("作業期程.csv")
    mine = [r for r in rows[1:] if r[0] == str(YEAR) and r[1] == str(TERM) and r[2] == NIGHT]
    assert mine
    buf = io.StringIO()
    csv.writer(buf).writerows([rows[0], *mine])
    report = importer.import_files(demo_con, [("期程.csv", buf.getvalue().encode())], imported_by="t")
    assert report.ok
    user = auth.User("registry", "註冊組", "註冊組")
    entries = schedule.load(demo_con, YEAR, TERM, NIGHT)
    schedule.save(demo_con, YEAR, TERM, NIGHT, entries, user, now=None)
    [entry] = [e for e in undo.history(demo_con) if e.batch_id == report.batch_id]
    assert "由表單或其他方式變更" in (entry.blocker or "")


def test_the_history_keeps_the_last_n_imports_of_a_scope(con: Con) -> None:
    rule(con, "import_undo_keep_per_scope", 2, 109)
    head = ["學年度", "學期", "部別", "學號", "姓名", "科別", "年級", "班級", "學籍狀態"]
    batches = []
    for n in range(3):
        data = [head, ["113", "1", DAY, "1130001", f"王{n}", "機械科", "1", "機一甲", "在學"]]
        buf = io.StringIO()
        csv.writer(buf).writerows(data)
        report = importer.import_files(con, [("r.csv", buf.getvalue().encode())], imported_by="t")
        assert report.ok and report.changed
        batches.append(report.batch_id)
    entries = {e.batch_id: e for e in undo.history(con)}
    assert not entries[batches[0]].undo_kept and "最近 2 次" in (entries[batches[0]].blocker or "")
    assert entries[batches[1]].undo_kept and entries[batches[2]].can_undo
    assert undo.kept_rows(con) == 2  # the rows batches 2 and 3 replaced, one each
    importer.undo_import(con, batches[2], undone_by="t")
    assert con.execute("select name from students").fetchall() == [("王1",)]
    assert undo.history(con)[1].can_undo  # the previous one is now the latest of its scope


def test_undo_of_a_batch_that_never_was(con: Con) -> None:
    with pytest.raises(undo.UndoError, match="找不到匯入批次"):
        importer.undo_import(con, "nope", undone_by="t")


def test_a_date_key_and_the_shared_division_scope(con: Con) -> None:
    """研習場次 (keyed by a date) of both scopes: the shared one (empty 部別) and 日間部."""
    head = ["學年度", "日期", "類型", "名稱", "部別"]
    one = [
        head,
        ["113", "2024-09-10", "宣導說明", "說明會", ""],
        ["113", "2024-10-05", "專業研習", "研習", DAY],
    ]
    buf = io.StringIO()
    csv.writer(buf).writerows(one)
    assert importer.import_files(con, [("t.csv", buf.getvalue().encode())], imported_by="t").ok
    night = [head, ["113", "2024-11-01", "系統操作訓練", "操作", NIGHT]]
    buf = io.StringIO()
    csv.writer(buf).writerows(night)
    files = [("n.csv", buf.getvalue().encode())]
    report = importer.import_files(con, files, imported_by="t")
    assert report.needs_confirmation and "過去匯入的都是日間部" in report.cautions[0]
    report = importer.import_files(con, files, imported_by="t", confirm=report.fingerprint)
    assert report.ok and [c.scope_label for c in report.changes] == ["113學年度 進修部"]
    got = con.execute("select held_on, division from trainings order by held_on").fetchall()
    assert got == [(date(2024, 9, 10), None), (date(2024, 10, 5), DAY), (date(2024, 11, 1), NIGHT)]
