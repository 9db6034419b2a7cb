"""The semester pipeline (dashboard.measures.pipeline): phases as of 資料截至, rosters, stages,
drill-down, lists.

Hand-counted cases run on school_fixture.semester_school (113-1; see its docstring) plus the
rows each test adds; the demo-school cases compare every figure with dashboard.measures.metrics, which is
what the command line prints.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pytest

from dashboard import db
from dashboard.ingest.kinds import ACTIVE_STATUSES
from dashboard.measures import metrics, pipeline
from dashboard.measures import pipeline_tables as tables
from tests import school_fixture as f

Con = duckdb.DuckDBPyConnection
ACTIVE = list(ACTIVE_STATUSES)


def stamp_as_of(con: Con, moment: datetime) -> None:
    """資料截至 = the export time of an import (what db.as_of reads)."""
    con.execute(
        "insert into imports (batch_id, file_name, sha256, kind, scopes, row_count, imported_by,"
        " imported_at, exported_at) values ('b', 'x.csv', 'h', 'students', '[]', 0, 't', $at, $at)",
        {"at": moment},
    )


@pytest.fixture
def school(con: Con) -> Con:
    f.semester_school(con)
    stamp_as_of(con, datetime(2025, 2, 7, 8, 0))  # the last day of 教師認證 (empty 部別)
    return con


# --- phase status ------------------------------------------------------------------------

ROW = pipeline.PhaseRow(1, None, "教師認證", date(2025, 1, 10), date(2025, 2, 7))


@pytest.mark.parametrize(
    ("moment", "state", "to_start", "left", "since"),
    [
        (datetime(2025, 1, 9, 23, 59, 59), "未開始", 1, None, None),
        (datetime(2025, 1, 10, 0, 0), "進行中", None, 29, None),  # Jan 10 .. Feb 7, both counted
        (datetime(2025, 2, 6, 8, 0), "進行中", None, 2, None),
        (datetime(2025, 2, 7, 0, 0), "進行中", None, 1, None),  # exactly on the end day
        (datetime(2025, 2, 7, 23, 59, 59), "進行中", None, 1, None),
        (datetime(2025, 2, 8, 0, 0), "已結束", None, None, 1),
        (datetime(2025, 3, 10, 8, 0), "已結束", None, None, 31),
    ],
)
def test_phase_state_before_during_and_after(
    moment: datetime, state: str, to_start: int | None, left: int | None, since: int | None
) -> None:
    s = pipeline.status_of(113, 1, ROW, moment, None)
    assert (s.state, s.days_to_start, s.days_left, s.days_since_end) == (state, to_start, left, since)


def test_no_as_of_means_no_state() -> None:
    s = pipeline.status_of(113, 1, ROW, None, None)
    assert (s.state, s.days_to_start, s.days_left, s.days_since_end) == (None, None, None, None)


def test_phase_sentences() -> None:
    def stage(*phases: pipeline.PhaseStatus, semester: int = 1) -> pipeline.Stage:
        return pipeline.Stage(
            "certify", "認證完成", 1, 2, 0.5, "件", "送出認證件數", "教師認證", 115, semester, phases
        )

    as_of = datetime(2026, 11, 16, 8, 0)
    day = pipeline.PhaseRow(1, None, "教師認證", date(2026, 8, 31), date(2027, 2, 9))
    evening = pipeline.PhaseRow(1, "進修部", "教師認證", date(2026, 8, 31), date(2027, 2, 12))
    one = pipeline.status_of(115, 1, day, as_of, None)
    assert tables.phase_sentence(stage(one), 1) == "教師認證 116/02/09 截止，尚餘 86 天"
    both = (
        pipeline.status_of(115, 1, day, as_of, "日間部"),
        pipeline.status_of(115, 1, evening, as_of, "進修部"),
    )
    assert tables.phase_sentence(stage(*both), 1) == (
        "教師認證：日間部 116/02/09 截止，尚餘 86 天；進修部 116/02/12 截止，尚餘 89 天"
    )
    last_day = pipeline.status_of(115, 1, day, datetime(2027, 2, 9, 8, 0), None)
    assert tables.phase_sentence(stage(last_day), 1) == "教師認證 116/02/09 截止，今天是最後一天"
    ended = pipeline.status_of(115, 1, day, datetime(2027, 2, 12, 8, 0), None)
    assert tables.phase_sentence(stage(ended), 1) == "教師認證 116/02/09 已截止（3 天前）"
    later = pipeline.status_of(115, 1, day, datetime(2026, 8, 1, 8, 0), None)
    assert tables.phase_sentence(stage(later), 1) == "教師認證 115/08/31 開始（尚有 30 天），116/02/09 截止"
    assert tables.phase_sentence(stage(semester=2), 1) == "作業期程未設定「教師認證」（115學年度第2學期）"


# --- phases per division -------------------------------------------------------------------


def _phases(p: pipeline.Pipeline, key: str) -> list[tuple[str | None, date, str | None, int | None]]:
    stage = next(s for s in p.stages if s.key == key)
    return [(s.division, s.end_date, s.state, s.days_left) for s in stage.phases]


def test_a_division_row_overrides_the_general_one(school: Con) -> None:
    # as of 2025-02-07 08:00: the general 教師認證 ends today, 進修部's on 02-14.
    assert _phases(pipeline.build(school, 113, 1, "日間部"), "certify") == [
        (None, date(2025, 2, 7), "進行中", 1)
    ]
    assert _phases(pipeline.build(school, 113, 1, "進修部"), "certify") == [
        (None, date(2025, 2, 14), "進行中", 8)
    ]
    # 全校: the two divisions' dates differ, so both are shown.
    assert _phases(pipeline.build(school, 113, 1), "certify") == [
        ("日間部", date(2025, 2, 7), "進行中", 1),
        ("進修部", date(2025, 2, 14), "進行中", 8),
    ]
    # 學生上傳課程學習成果 has only the general row: one phase for 全校, already over.
    assert _phases(pipeline.build(school, 113, 1), "upload") == [(None, date(2025, 1, 31), "已結束", None)]
    assert _phases(pipeline.build(school, 113, 1), "select") == []  # no 學生勾選 row for 113-2


def test_same_dates_for_both_divisions_show_once(school: Con) -> None:
    school.execute("update schedule set end_date = date '2025-02-07' where division = '進修部'")
    assert _phases(pipeline.build(school, 113, 1), "certify") == [(None, date(2025, 2, 7), "進行中", 1)]


def test_timeline_has_every_phase_of_the_semester(school: Con) -> None:
    p = pipeline.build(school, 113, 1)
    assert [(b.phase, b.division) for b in p.timeline] == [
        ("學生上傳課程學習成果", None),
        ("教師認證", "日間部"),
        ("教師認證", "進修部"),
    ]
    assert tables.timeline_frame(p)["狀態"].tolist() == ["已結束", "進行中", "進行中"]
    figure = tables.timeline_figure(p)
    assert any(shape.x0 == datetime(2025, 2, 7, 8, 0) for shape in figure.layout.shapes)
    # a tick on each month's first day; the ROC year only where it starts or changes
    months = [date.fromisoformat(v) for v in figure.layout.xaxis.tickvals]
    first = min(d for b in p.timeline for d in (b.start_date, b.end_date))
    assert all(m.day == 1 for m in months) and first <= months[0] < first + timedelta(days=32)
    assert len(set(months)) == len(months) == len(figure.layout.xaxis.ticktext)
    for i, (m, text) in enumerate(zip(months, figure.layout.xaxis.ticktext, strict=True)):
        with_year = i == 0 or m.month == 1
        assert text == (f"{m.year - 1911}/{m:%m}" if with_year else f"{m.month}月"), (m, text)
    assert any(m.month == 1 for m in months[1:])  # 113-1 runs across a January


# --- stages on the hand-made school ---------------------------------------------------------


def test_stages_counted_by_hand(school: Con) -> None:
    # Add a selected 未通過 row for S02 and receipts: S01 已確認, S02 未確認, S04 回報錯誤,
    # X99 (orphan) 已確認 and S03 (休學, not in A(113)) 已確認 are left out.
    f.outcome(school, "S02", "T01", "未通過", datetime(2025, 1, 5), selected=True)
    f.receipt(school, "S01", "修課紀錄", "已確認", semester=1)
    f.receipt(school, "S02", "課程學習成果", "未確認")
    f.receipt(school, "S04", "多元表現", "回報錯誤")
    f.receipt(school, "X99", "多元表現", "已確認")
    f.receipt(school, "S03", "多元表現", "已確認")
    stages = {s.key: s for s in pipeline.build(school, 113, 1).stages}
    counted = {k: (s.count, s.base, s.rate) for k, s in stages.items()}
    assert counted == {
        "upload": (3, 4, 0.75),  # S01 S02 S04 of S01 S02 S04 S07
        "submit": (6, 7, 0.8571),  # o1 o2 o3 o5 o6 + the new row, of 7 rows
        "certify": (5, 6, 0.8333),  # o1 o2 o5 o6 + the new row decided, o3 pending
        "select": (1, 4, 0.25),  # S02 selected; A(113) = S01 S02 S04 S07
        "deliver": (0, 6, 0.0),  # 3 rosters × 2 divisions, none submitted
        "receipt": (1, 3, 0.3333),  # S01 of S01 S02 S04
    }
    assert stages["select"].phase_semester == 2
    assert not any(s.complete for s in stages.values())


def test_submissions_expected_and_done(school: Con) -> None:
    f.schedule(school, "學校提交", date(2025, 3, 14))
    f.submission(school, "學籍資料", datetime(2025, 3, 14, 23, 0))  # 日間部, on time
    f.submission(school, "學業成績", datetime(2025, 3, 1), result="失敗")  # failed only: not done
    f.submission(school, "學籍資料", datetime(2025, 3, 16), division="進修部")  # late
    f.submission(school, "學籍資料", datetime(2025, 3, 17), division="進修部")  # again: one roster
    f.submission(school, "校內幹部經歷", datetime(2025, 3, 1), division="進修部", semester=2)  # not 113-1
    f.submission(school, "課程學習成果", datetime(2025, 3, 1), semester=0)  # per year: semester 2's
    p = pipeline.build(school, 113, 1)
    deliver = next(s for s in p.stages if s.key == "deliver")
    assert (deliver.count, deliver.base) == (2, 6)
    done = [(r.division, r.roster, r.on_time, r.failed_attempts) for r in p.rosters if r.done]
    assert done == [("日間部", "學籍資料", True, 0), ("進修部", "學籍資料", False, 0)]
    failed = next(r for r in p.rosters if r.roster == "學業成績" and r.division == "日間部")
    assert (failed.done, failed.failed_attempts) == (False, 1)
    assert p.rosters[2].submitted_at is None
    day = next(s for s in pipeline.build(school, 113, 1, "日間部").stages if s.key == "deliver")
    assert (day.count, day.base) == (1, 3)


def test_semester_two_expects_the_per_year_rosters(school: Con) -> None:
    f.student(school, "S01", 113, 2)  # only 日間部 has students in 113-2
    f.submission(school, "課程學習成果", datetime(2025, 8, 1), semester=0)
    f.submission(school, "學業成績", datetime(2025, 8, 1), semester=2)
    f.submission(school, "多元表現", datetime(2025, 8, 1), semester=0, division="進修部")
    p = pipeline.build(school, 113, 2)
    assert [(r.division, r.roster, r.semester) for r in p.rosters] == [
        ("日間部", "學籍資料", 2),
        ("日間部", "學業成績", 2),
        ("日間部", "校內幹部經歷", 2),
        ("日間部", "課程學習成果", 0),
        ("日間部", "多元表現", 0),
    ]
    assert [s.count for s in p.stages if s.key == "deliver"] == [2]
    evening = next(s for s in pipeline.build(school, 113, 2, "進修部").stages if s.key == "deliver")
    assert (evening.count, evening.base) == (1, 5)  # a chosen division is always in scope


# --- lists on the hand-made school ---------------------------------------------------------


def _students(con: Con, **scope: str | None) -> list[dict[str, object]]:
    params = {"division": None, "department": None, "class_name": None, **scope}
    return db.query_rows(con, "pipeline_students", year=113, semester=1, active_statuses=ACTIVE, **params)


def test_student_rows_and_lists(school: Con) -> None:
    f.outcome(school, "S02", "T01", "未通過", datetime(2025, 1, 5), selected=True)
    f.outcome(school, "S03", "T01", "未通過", datetime(2025, 1, 5), selected=True)  # not in A(113)
    f.outcome(school, "X99", "T01", "認證中", selected=True)  # orphan
    f.diverse(school, "S04", selected=True)
    rows = {r["student_no"]: r for r in _students(school)}
    assert sorted(rows) == ["S01", "S02", "S04", "S07"]
    s01 = rows["S01"]
    assert (s01["uploaded_count"], s01["submitted_count"], s01["passed_count"]) == (4, 3, 1)
    assert (s01["failed_count"], s01["pending_count"], s01["over_cap"]) == (1, 1, True)
    assert [n for n, r in rows.items() if r["uploaded_count"] == 0] == ["S07"]
    assert [n for n, r in rows.items() if r["over_cap"]] == ["S01"]
    assert (rows["S02"]["selected_count"], rows["S02"]["selected_not_passed_count"]) == (1, 1)
    assert (rows["S04"]["selected_count"], rows["S04"]["selected_not_passed_count"]) == (1, 0)
    assert [r["student_no"] for r in _students(school, division="日間部", class_name="機一乙")] == ["S02"]
    snp = db.query_rows(
        school,
        "pipeline_selected_not_passed",
        year=113,
        division=None,
        department="機械科",
        class_name=None,
        active_statuses=ACTIVE,
    )
    assert [(r["student_no"], r["class_name"], r["cert_status"]) for r in snp] == [
        ("S02", "機一乙", "未通過")
    ]
    head = pipeline.headline(school, 113, 1)
    assert (head.students_active, head.no_upload, head.over_cap, head.selected_not_passed) == (4, 1, 1, 1)
    klass = pipeline.headline(school, 113, 1, "日間部", "機械科", "機一甲")
    assert (klass.students_active, klass.no_upload, klass.over_cap) == (1, 0, 1)


def test_names_are_masked_unless_allowed(school: Con) -> None:
    df = db.query_df(
        school, "pipeline_students", year=113, semester=1, division=None, department=None,
        class_name=None, active_statuses=ACTIVE,
    )  # fmt: skip
    shown = tables.students_frame(df, show_names=True)
    assert shown.loc[shown["學號"] == "S01", "姓名"].tolist() == ["學生S01"]
    masked = tables.student_list_frame(df, show_names=False)
    assert masked.loc[masked["學號"] == "S01", "姓名"].tolist() == ["學○○○1"]
    assert not any("S0" in n for n in masked["姓名"])
    assert "身分證號" not in tables.students_frame(df, show_names=True).columns


# --- the demo school against dashboard.measures.metrics ----------------------------------------------

SCOPES = [(y, s, d) for y, s in ((114, 2), (115, 1)) for d in (None, "日間部", "進修部")]


@pytest.fixture(scope="module")
def demo(demo_db_template: Path) -> Iterator[Con]:
    con = duckdb.connect(str(demo_db_template), read_only=True)
    try:
        yield con
    finally:
        con.close()


@pytest.mark.parametrize(("year", "semester", "division"), SCOPES)
def test_stage_figures_equal_metrics(demo: Con, year: int, semester: int, division: str | None) -> None:
    sem = metrics.semester_metrics(demo, year, semester, division)
    yr = metrics.year_metrics(demo, year, division)
    o, sel = sem["outcomes"], yr["selection"]
    stages = {s.key: (s.count, s.base, s.rate) for s in pipeline.build(demo, year, semester, division).stages}
    assert stages["upload"] == (o["students_with_upload"], sem["students_active"], o["upload_rate"])
    assert stages["submit"] == (o["submitted"], o["uploaded"], metrics.rate(o["submitted"], o["uploaded"]))
    assert stages["certify"] == (o["passed"] + o["failed"], o["submitted"], o["certification_rate"])
    assert stages["select"] == (sel["students_with_selection"], yr["students_active"], sel["selection_rate"])
    listed = sum(r["listed"] for r in yr["receipts"].values())
    confirmed = sum(r["confirmed"] for r in yr["receipts"].values())
    assert stages["receipt"] == (confirmed, listed, metrics.rate(confirmed, listed))
    # 提交: an independent count of the successful (部別, 名冊別, 學期) of the semester.
    wanted = ["學籍資料", "學業成績", "校內幹部經歷"] + (
        ["課程學習成果", "多元表現"] if semester == 2 else []
    )
    divisions = [division] if division else ["日間部", "進修部"]
    ok = demo.execute(
        "select count(distinct (division, roster, semester)) from submissions where school_year = $y"
        " and result = '成功' and list_contains($d, division) and list_contains($r, roster)"
        " and (semester = $s or (semester = 0 and $s = 2 and roster in ('課程學習成果', '多元表現')))",
        {"y": year, "s": semester, "d": divisions, "r": wanted},
    ).fetchone()
    assert ok is not None
    assert stages["deliver"][:2] == (ok[0], len(wanted) * len(divisions))


@pytest.mark.parametrize(("year", "semester", "division"), SCOPES)
def test_lists_have_the_counts_metrics_reports(
    demo: Con, year: int, semester: int, division: str | None
) -> None:
    sem = metrics.semester_metrics(demo, year, semester, division)
    yr = metrics.year_metrics(demo, year, division)
    df = db.query_df(
        demo, "pipeline_students", year=year, semester=semester, division=division, department=None,
        class_name=None, active_statuses=ACTIVE,
    )  # fmt: skip
    assert len(df) == sem["students_active"]
    assert (df["uploaded_count"] == 0).sum() == sem["students_active"] - sem["outcomes"][
        "students_with_upload"
    ]
    assert df["over_cap"].sum() == sem["outcomes"]["students_over_cap"]
    assert df["uploaded_count"].sum() == sem["outcomes"]["uploaded"]
    assert df["pending_count"].sum() == sem["outcomes"]["pending"]
    snp = db.query_df(
        demo, "pipeline_selected_not_passed", year=year, division=division, department=None,
        class_name=None, active_statuses=ACTIVE,
    )  # fmt: skip
    assert len(snp) == yr["selection"]["selected_not_passed"]
    head = pipeline.headline(demo, year, semester, division)
    assert (head.no_upload, head.over_cap, head.selected_not_passed) == (
        (df["uploaded_count"] == 0).sum(),
        df["over_cap"].sum(),
        len(snp),
    )


SUMMED = ("students_active", "students_with_upload", "uploaded", "submitted", "passed", "failed", "pending")


def _sums(rows: list[dict[str, Any]]) -> dict[str, int]:
    return {k: sum(r[k] for r in rows) for k in (*SUMMED, "students_over_cap")}


def _expected(m: dict[str, Any]) -> dict[str, int]:
    o = m["outcomes"]
    return {"students_active": m["students_active"], **{k: o[k] for k in (*SUMMED[1:], "students_over_cap")}}


@pytest.mark.parametrize(("year", "semester"), [(114, 2), (115, 1)])
def test_drill_down_groups_sum_to_the_school(demo: Con, year: int, semester: int) -> None:
    divisions = pipeline.group_figures(demo, year, semester)
    assert [r["group"] for r in divisions] == ["日間部", "進修部"]
    assert _sums(divisions) == _expected(metrics.semester_metrics(demo, year, semester))
    for division in ("日間部", "進修部"):
        departments = pipeline.group_figures(demo, year, semester, division)
        assert len(departments) > 1
        assert _sums(departments) == _expected(metrics.semester_metrics(demo, year, semester, division))
        first = departments[0]
        classes = pipeline.group_figures(demo, year, semester, division, first["group"])
        assert len(classes) > 1
        assert _sums(classes) == {k: first[k] for k in (*SUMMED, "students_over_cap")}
        head = pipeline.headline(demo, year, semester, division, first["group"])
        assert head.students_active == first["students_active"]
        assert head.no_upload == first["students_active"] - first["students_with_upload"]
        klass = classes[0]
        students = db.query_df(
            demo, "pipeline_students", year=year, semester=semester, division=division,
            department=first["group"], class_name=klass["group"], active_statuses=ACTIVE,
        )  # fmt: skip
        assert len(students) == klass["students_active"]
        assert students["uploaded_count"].sum() == klass["uploaded"]
        assert students["submitted_count"].sum() == klass["submitted"]
        assert students["over_cap"].sum() == klass["students_over_cap"]


def test_school_order_of_classes() -> None:
    names = ["機一丙", "機二甲", "機一甲", "機一乙", "機三甲"]
    assert sorted(names, key=tables.class_sort_key) == ["機一甲", "機一乙", "機一丙", "機二甲", "機三甲"]
