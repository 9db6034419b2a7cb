"""研習場次 (Art. 10) through AppTest: the per-部別 compliance table equals the core and the
command line's `metrics --year` figures, only record editors get the form, a session added by
form is stored and counted at once, a refused form keeps what was typed and writes nothing, and
the attendance chart and Excel exports carry what the page shows.

Every expected figure is computed from the core (dashboard.records.trainings /
dashboard.measures.metrics) on the test's own copy of the demo database; nothing is hard-coded."""

from __future__ import annotations

import base64
import io
import json
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import auth, db
from dashboard.formatting import EMPTY, roc_date, roc_datetime
from dashboard.measures import metrics
from dashboard.records import trainings
from dashboard.records.committee import year_bounds
from tests.app.conftest import page_test, table_with, texts

PAGE = "pages.trainings"
CLERK = "註冊組"
T = TypeVar("T")
CELL = re.compile(r"^([✓✗]) (\d+) 場$")


def _core(demo_db: Path, read: Callable[..., T], *args: Any) -> T:
    con = db.connect(demo_db)
    try:
        return read(con, *args)
    finally:
        con.close()


def _years(demo_db: Path) -> list[int]:
    """The 學年度 of the demo's semesters, oldest first."""
    return _core(demo_db, lambda con: sorted({y for y, _ in metrics.semesters_available(con)}))


def _drop(demo_db: Path, year: int, kind: str) -> trainings.TrainingCompliance:
    """The test's own copy as if `year`'s sessions of `kind` had not been held; its compliance then."""
    con = db.connect(demo_db)
    try:
        con.execute("delete from trainings where school_year = $y and kind = $k", {"y": year, "k": kind})
        return trainings.compliance(con, year)
    finally:
        con.close()


def _open(year: int, role: str = CLERK) -> AppTest:
    at = page_test(PAGE, role, {"year": str(year)}).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _shown_compliance(at: AppTest) -> dict[str, dict[str, Any]]:
    """The compliance table as {部別: {類型: (mark, count), 符合規定: text}}."""
    frame = table_with(at, "符合規定")
    shown: dict[str, dict[str, Any]] = {}
    for row in frame.to_dict("records"):
        cells: dict[str, Any] = {"符合規定": row["符合規定"]}
        for kind in trainings.TYPES:
            match = CELL.match(str(row[kind]))
            assert match, row[kind]
            cells[kind] = (match.group(1), int(match.group(2)))
        shown[str(row["部別"])] = cells
    return shown


def _assert_compliance_shown(at: AppTest, c: trainings.TrainingCompliance) -> None:
    assert c.minimum is not None, "the demo has the rule in force every year"
    required = c.minimum
    shown = _shown_compliance(at)
    assert list(shown) == [s.label for s in c.scopes]
    for scope in c.scopes:
        row = shown[scope.label]
        for kind in trainings.TYPES:
            n = scope.counts[kind]
            assert row[kind] == ("✓" if n >= required else "✗", n), (scope.label, kind)
        assert row["符合規定"] == ("是" if not scope.missing else "缺：" + "、".join(scope.missing))
    short = [s for s in c.scopes if s.missing]  # any 部別 short of a type, not only the whole school
    if short:
        warned = "\n".join(w.value for w in at.warning)
        for s in short:
            assert f"{s.label}缺{'、'.join(s.missing)}" in warned, warned
        assert not [m for m in at.success if "已至少辦理" in m.value]
    else:
        assert any("已至少辦理" in s.value for s in at.success), [s.value for s in at.success]
        assert not at.warning


def _counts(c: trainings.TrainingCompliance) -> dict[str, dict[str, int]]:
    return {s.label: dict(s.counts) for s in c.scopes}


def _fill(
    at: AppTest,
    *,
    held_on: date | None,
    kind: str,
    division: str,
    title: str,
    audiences: list[str],
    organiser: str,
    attendance: int | None,
) -> AppTest:
    if held_on is not None:
        at.date_input(key="training_date").set_value(held_on)
    at.selectbox(key="training_kind").select(kind)
    at.selectbox(key="training_division").select(division)
    at.text_input(key="training_title").input(title)
    chooser = at.multiselect(key="training_audiences")
    for audience in audiences:
        chooser.select(audience)
    at.text_input(key="training_organiser").input(organiser)
    if attendance is not None:
        at.number_input(key="training_attendance").set_value(attendance)
    return at


def _teachers_session(
    at: AppTest, year: int, kind: str, division: str, title: str, attendance: int | None
) -> None:
    """Through the form, submitted: a teachers' session of `kind` for `division` on the first
    day of `year`, organised by 教務處註冊組."""
    first, _ = year_bounds(year)
    _fill(
        at,
        held_on=first,
        kind=kind,
        division=division,
        title=title,
        audiences=["教師"],
        organiser="教務處註冊組",
        attendance=attendance,
    )
    _submit(at)


def _submit(at: AppTest) -> AppTest:
    at.button(key="training_submit").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _chart(at: AppTest) -> dict[str, dict[str, tuple[Any, Any]]]:
    """The attendance chart as {類型: {x label: (參加人數, 場次)}} (plotly may pack arrays as bdata)."""

    def values(array: Any) -> list[Any]:
        if isinstance(array, dict):
            raw = np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"])
            return [None if isinstance(v, float) and np.isnan(v) else v for v in raw.tolist()]
        return list(array)

    charts = at.get("plotly_chart")
    assert len(charts) == 1
    spec = json.loads(charts[0].proto.spec)
    shown: dict[str, dict[str, tuple[Any, Any]]] = {}
    for trace in spec["data"]:
        pairs = zip(values(trace["y"]), values(trace["customdata"]), strict=True)
        shown[trace["name"]] = dict(zip(trace["x"], pairs, strict=True))
    return shown


def _assert_chart_is_core(at: AppTest, demo_db: Path) -> None:
    rows = _core(demo_db, trainings.attendance_by_year)
    assert rows
    chart = _chart(at)
    assert set(chart) == set(trainings.TYPES)
    expected: dict[str, dict[str, tuple[Any, Any]]] = {kind: {} for kind in trainings.TYPES}
    for r in rows:
        expected[r["類型"]][f"{r['學年度']} 學年度"] = (r["參加人數"], r["場次"])
    assert chart == expected


# 1. every role reads the page; only record editors get the form -------------------------------


def test_every_role_reads_the_page_and_only_record_editors_get_the_form(demo_db: Path) -> None:
    year = _core(demo_db, lambda con: max(y for y, _ in metrics.semesters_available(con)))
    rows = _core(demo_db, trainings.sessions, year)
    assert rows, "the demo should hold sessions for its newest year"
    for role in auth.SCHOOL_WIDE:
        assert auth.can(role, "view_dashboard"), role
        at = _open(year, role)
        editor = auth.can(role, "edit_records")
        assert bool([b for b in at.button if b.key == "training_submit"]) == editor, role
        assert bool([f for f in at.text_input if f.key == "training_title"]) == editor, role
        # reading is for everyone: the check, the sessions and both exports
        assert len(table_with(at, "符合規定")) == 3, role
        assert len(table_with(at, "主辦單位")) == len(rows), role
        assert {d.key for d in at.get("download_button")} == {"trainings_export", "trainings_years_export"}
    assert not auth.can("校長", "edit_records")  # the role the brief names as read-only really is


# 2. the compliance table is the core's and the command line's figures -------------------------


@pytest.mark.parametrize("pick", ["newest", "oldest"])
def test_the_compliance_table_equals_the_core_and_metrics_year(demo_db: Path, pick: str) -> None:
    years = _years(demo_db)
    assert len(years) >= 2
    year = years[-1] if pick == "newest" else years[0]
    c = _core(demo_db, trainings.compliance, year)
    at = _open(year)
    assert at.selectbox(key="trainings_year").value == year
    _assert_compliance_shown(at, c)
    # the same numbers as `python -m dashboard metrics --year Y` (metrics.year_metrics per 部別)
    shown = _shown_compliance(at)
    for scope in c.scopes:
        figures = _core(demo_db, metrics.year_metrics, year, scope.division)["trainings"]
        assert {k: shown[scope.label][k][1] for k in trainings.TYPES} == figures, scope.label
    # the whole school counts every session; a 部別 its own and those held for both
    rows = _core(demo_db, trainings.sessions, year)
    assert sum(shown["全校"][k][1] for k in trainings.TYPES) == len(rows)
    for division in metrics.DIVISIONS:
        mine = [r for r in rows if r["部別"] in (None, division)]
        for kind in trainings.TYPES:
            assert shown[division][kind][1] == sum(1 for r in mine if r["類型"] == kind), (division, kind)
    assert f"（{len(rows)} 場）" in texts(at)
    assert list(table_with(at, "主辦單位")["名稱"]) == [r["名稱"] for r in rows]


def test_switching_the_year_shows_that_years_check_and_puts_it_in_the_link(demo_db: Path) -> None:
    years = _years(demo_db)
    at = _open(years[-1])
    other = years[-2]
    at.selectbox(key="trainings_year").select(other).run()
    assert not at.exception
    assert at.query_params["year"] == str(other)
    _assert_compliance_shown(at, _core(demo_db, trainings.compliance, other))
    rows = _core(demo_db, trainings.sessions, other)
    assert list(table_with(at, "主辦單位")["名稱"]) == [r["名稱"] for r in rows]


def test_a_missing_type_is_warned_and_the_form_clears_it(demo_db: Path) -> None:
    years = _years(demo_db)
    year, kind = years[-1], trainings.TYPES[-1]
    before = _drop(demo_db, year, kind)  # as if the year's 專業研習 had not been held yet
    assert all(kind in s.missing for s in before.scopes)
    at = _open(year)
    _assert_compliance_shown(at, before)
    assert any(kind in w.value for w in at.warning)

    _teachers_session(at, year, kind, "兩部共同", f"{year}學年度認證實務研習（補辦）", None)
    after = _core(demo_db, trainings.compliance, year)
    assert after.complete
    _assert_compliance_shown(at, after)
    assert not at.warning


# 3. adding a session through the form --------------------------------------------------------


@pytest.mark.parametrize("pick", ["newest", "earlier"])
def test_a_session_added_by_form_is_stored_shown_and_counted(demo_db: Path, pick: str) -> None:
    years = _years(demo_db)
    year = years[-1] if pick == "newest" else years[-2]
    first, last = year_bounds(year)
    held_on = date(first.year, 12, 2)
    assert first <= held_on <= last
    kind, division = "專業研習", "進修部"
    title = f"{year}學年度進修部學習歷程認證增能研習"
    before_rows = _core(demo_db, trainings.sessions, year)
    before = _counts(_core(demo_db, trainings.compliance, year))
    at = _open(year)
    chart_before = _chart(at)

    _fill(
        at,
        held_on=held_on,
        kind=kind,
        division=division,
        title=f"  {title} ",
        audiences=["教師", "學生"],  # picked out of order: stored in the regulation's order
        organiser="進修部教務組",
        attendance=42,
    )
    _submit(at)
    assert not at.error, [e.value for e in at.error]

    rows = _core(demo_db, trainings.sessions, year)
    assert len(rows) == len(before_rows) + 1
    added = [r for r in rows if r["名稱"] == title]
    assert len(added) == 1
    row = added[0]
    assert (row["學年度"], row["日期"], row["類型"], row["部別"]) == (year, held_on, kind, division)
    assert (row["對象"], row["主辦單位"], row["參加人數"]) == ("學生、教師", "進修部教務組", 42)
    assert (row["來源"], row["登錄者"]) == (trainings.SOURCE_FORM, "tester")
    assert row["登錄時間"] is not None

    # the counts: one more for the whole school and 進修部, none for 日間部
    after_c = _core(demo_db, trainings.compliance, year)
    after = _counts(after_c)
    for label, counts in before.items():
        rose = kind if label in ("全校", division) else None
        assert after[label] == {k: n + (1 if k == rose else 0) for k, n in counts.items()}, label
    assert after == {
        s.label: _core(demo_db, metrics.year_metrics, year, s.division)["trainings"] for s in after_c.scopes
    }

    # the page shows it at once (after its rerun): flash, table, check, chart
    assert any(title in s.value and "已新增" in s.value for s in at.success), [s.value for s in at.success]
    _assert_compliance_shown(at, after_c)
    table = table_with(at, "主辦單位")
    assert len(table) == len(rows)
    assert list(table["名稱"]) == [r["名稱"] for r in rows]
    shown = table[table["名稱"] == title].iloc[0]
    assert (shown["來源"], shown["部別"], int(shown["參加人數"])) == (trainings.SOURCE_FORM, division, 42)
    assert f"（{len(rows)} 場）" in texts(at)
    label = f"{year} 學年度"
    count_before = chart_before[kind][label]
    assert _chart(at)[kind][label] == ((count_before[0] or 0) + 42, count_before[1] + 1)
    _assert_chart_is_core(at, demo_db)

    # the form is emptied for the next session, so a second click cannot add it twice
    assert at.text_input(key="training_title").value == ""
    assert at.multiselect(key="training_audiences").value == []
    assert at.date_input(key="training_date").value is None
    assert at.number_input(key="training_attendance").value is None
    _submit(at)
    assert len(_core(demo_db, trainings.sessions, year)) == len(rows)
    assert at.error  # an empty form is refused, not stored


# 4. refusals: a Chinese message, nothing written, the input kept ------------------------------


def test_a_form_without_title_or_date_is_refused_and_keeps_the_input(demo_db: Path) -> None:
    years = _years(demo_db)
    year = years[-1]
    before = _core(demo_db, trainings.sessions, year)
    typed: dict[str, Any] = {
        "kind": "系統操作訓練",
        "division": "日間部",
        "audiences": ["學生"],
        "organiser": "教務處註冊組",
        "attendance": 30,
    }
    expected = trainings.validate(
        trainings.Session(
            school_year=year,
            held_on=None,
            kind=str(typed["kind"]),
            title="",
            audiences=["學生"],
            division="日間部",
            organiser="教務處註冊組",
            attendance=30,
        )
    )
    assert set(expected) == {"held_on", "title"}
    at = _open(year)
    _fill(at, held_on=None, title="", **typed)
    _submit(at)
    errors = "\n".join(e.value for e in at.error)
    assert "尚未新增" in errors
    for message in expected.values():
        assert message in errors
    assert _core(demo_db, trainings.sessions, year) == before
    # never lose input
    assert at.selectbox(key="training_kind").value == "系統操作訓練"
    assert at.selectbox(key="training_division").value == "日間部"
    assert at.multiselect(key="training_audiences").value == ["學生"]
    assert at.text_input(key="training_organiser").value == "教務處註冊組"
    assert at.number_input(key="training_attendance").value == 30

    # a date outside the chosen 學年度 is refused too, and the typed date and title stay
    first, last = year_bounds(year)
    outside = date(first.year, 7, 31)
    assert outside < first
    at.date_input(key="training_date").set_value(outside)
    at.text_input(key="training_title").input("系統操作說明（補）")
    _submit(at)
    assert any(f"不在 {year} 學年度" in e.value for e in at.error), [e.value for e in at.error]
    assert _core(demo_db, trainings.sessions, year) == before
    assert at.date_input(key="training_date").value == outside
    assert at.text_input(key="training_title").value == "系統操作說明（補）"

    # corrected, the same form goes through
    at.date_input(key="training_date").set_value(last)
    _submit(at)
    assert not at.error, [e.value for e in at.error]
    assert len(_core(demo_db, trainings.sessions, year)) == len(before) + 1


def test_a_session_already_on_record_is_refused(demo_db: Path) -> None:
    years = _years(demo_db)
    year = years[-1]
    before = _core(demo_db, trainings.sessions, year)
    assert before
    existing = before[0]
    at = _open(year)
    _fill(
        at,
        held_on=existing["日期"],
        kind=existing["類型"],
        division="兩部共同",
        title=existing["名稱"],
        audiences=["教師"],
        organiser="教務處註冊組",
        attendance=None,
    )
    _submit(at)
    assert any("已經登錄過" in e.value for e in at.error), [e.value for e in at.error]
    assert _core(demo_db, trainings.sessions, year) == before
    assert at.text_input(key="training_title").value == existing["名稱"]


def test_a_role_without_edit_records_cannot_write_even_through_the_core(demo_db: Path) -> None:
    # the page hides the form from 校長; the core refuses the write as well
    year = _core(demo_db, lambda con: max(y for y, _ in metrics.semesters_available(con)))
    first, _ = year_bounds(year)
    session = trainings.Session(year, first, "宣導說明", "說明會", ["家長"], None, "教務處註冊組", None)
    with pytest.raises(trainings.TrainingError):
        _core(demo_db, trainings.add, session, auth.User("p", "校長", "校長"))
    at = _open(year, "校長")
    assert not [b for b in at.button if b.key == "training_submit"]


# 5. the chart and the exports carry what the page shows ---------------------------------------


def test_the_exports_hold_the_sessions_and_the_yearly_attendance(
    demo_db: Path, downloads: dict[str, tuple[str, Callable[[], Any]]]
) -> None:
    year = _core(demo_db, lambda con: max(y for y, _ in metrics.semesters_available(con)))
    at = _open(year, "校長")
    sheets: dict[str, pd.DataFrame] = {}
    for _name, build in downloads.values():
        data = build()
        assert data[:2] == b"PK"
        # row 1 is 「機密」 and who exported it; the table's header is row 2
        sheets |= pd.read_excel(io.BytesIO(data), sheet_name=None, header=1, engine="calamine")
    assert set(sheets) == {"研習場次", "歷年參加人數"}
    rows = _core(demo_db, trainings.sessions, year)
    # dates in 民國 and an empty cell as — (formatting's), never an ISO date, None or blank
    blank = {"部別": "兩部共同", **{c: EMPTY for c in ("名稱", "對象", "主辦單位", "匯入檔案", "登錄者")}}
    shown = [
        {k: (blank.get(k, v) if v is None else v) for k, v in r.items()}
        | {"日期": roc_date(r["日期"]), "登錄時間": roc_datetime(r["登錄時間"])}
        for r in rows
    ]
    assert sheets["研習場次"].to_dict("records") == shown
    assert sheets["歷年參加人數"].equals(pd.DataFrame(_core(demo_db, trainings.attendance_by_year)))
    _assert_chart_is_core(at, demo_db)


def test_a_division_short_of_a_type_is_warned_even_when_the_school_is_not(demo_db: Path) -> None:
    years = _years(demo_db)
    year, kind = years[-1], trainings.TYPES[-1]
    _drop(demo_db, year, kind)  # then the year's 專業研習 held only for the 日間部
    at = _open(year)
    _teachers_session(at, year, kind, "日間部", "日間部認證實務研習", 30)
    c = _core(demo_db, trainings.compliance, year)
    school, day, night = c.scopes
    assert not school.missing and not day.missing and kind in night.missing
    assert not c.complete
    _assert_compliance_shown(at, c)
    assert any(f"{night.label}缺" in w.value for w in at.warning)


def test_only_a_session_entered_by_form_can_be_removed_and_only_once_confirmed(demo_db: Path) -> None:
    years = _years(demo_db)
    year = years[-1]
    before = _core(demo_db, trainings.sessions, year)
    assert before and all(r["來源"] != trainings.SOURCE_FORM for r in before)  # the demo's are imported
    at = _open(year)
    assert not [b for b in at.button if b.key == "training_remove"]  # nothing of the form's to remove
    first, _ = year_bounds(year)
    _fill(
        at,
        held_on=first,
        kind=trainings.TYPES[0],
        division="兩部共同",
        title="打錯的一場",
        audiences=["學生"],
        organiser="教務處註冊組",
        attendance=None,
    )
    _submit(at)
    assert len(_core(demo_db, trainings.sessions, year)) == len(before) + 1
    labels = at.selectbox(key="training_remove_pick").options
    assert len(labels) == 1 and "打錯的一場" in labels[0]  # imported rows are not offered
    assert at.button(key="training_remove").disabled  # not before the box is ticked
    at.checkbox(key="training_remove_sure").check().run()
    at.button(key="training_remove").click().run()
    assert not at.exception
    assert _core(demo_db, trainings.sessions, year) == before
    assert any("已刪除" in s.value for s in at.success)
    assert not [b for b in at.button if b.key == "training_remove"]
