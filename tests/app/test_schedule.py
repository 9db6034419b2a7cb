"""作業期程 through AppTest: the per-phase form (save, refusal that keeps the typed dates,
copy-forward), the read-only table for the principal, and recording a self-check whose figures
are the metrics core's. Expected values always come from the core on the same database."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import TypeVar

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import db
from dashboard.formatting import roc_date
from dashboard.records import schedule, selfchecks
from tests.app.conftest import page_test, table_with, texts
from tests.db_helpers import snapshot

T = TypeVar("T")
CURRENT = {"semester": "115-1"}
PHASE = "教師認證"
AT = schedule.PHASES.index(PHASE)
PREFIX = "sch_115_1_all"


def _core(demo_db: Path, read: Callable[[duckdb.DuckDBPyConnection], T]) -> T:
    con = db.connect(demo_db)
    try:
        return read(con)
    finally:
        con.close()


def _form_entries(at: AppTest, prefix: str) -> list[schedule.PhaseEntry]:
    return [
        schedule.PhaseEntry(
            phase,
            at.date_input(key=f"{prefix}_{i}_start").value,
            at.date_input(key=f"{prefix}_{i}_end").value,
            at.date_input(key=f"{prefix}_{i}_check").value,
            at.text_input(key=f"{prefix}_{i}_unit").value,
        )
        for i, phase in enumerate(schedule.PHASES)
    ]


def test_the_principal_reads_the_stored_schedule_and_cannot_edit(demo_db: Path) -> None:
    at = page_test("pages.schedule", "校長", CURRENT).run()
    assert not at.exception
    stored = _core(demo_db, lambda c: schedule.load(c, 115, 1, None))
    shown = table_with(at, "自我檢核日期")
    assert list(shown["項目"]) == [e.phase for e in stored]
    assert list(shown["結束日期"]) == [roc_date(e.end_date) for e in stored]
    assert not [b for b in at.button if b.key in ("schedule_save", "schedule_copy", "selfcheck_submit")]


def test_the_form_starts_from_the_stored_rows_and_a_save_changes_them(demo_db: Path) -> None:
    at = page_test("pages.schedule", "註冊組", CURRENT).run()
    assert not at.exception
    stored = _core(demo_db, lambda c: schedule.load(c, 115, 1, None))
    assert _form_entries(at, PREFIX) == stored
    before = stored[AT]
    assert before.end_date is not None and before.self_check_date is not None
    new_end = before.end_date + timedelta(days=7)
    at.date_input(key=f"{PREFIX}_{AT}_end").set_value(new_end)
    at.date_input(key=f"{PREFIX}_{AT}_check").set_value(new_end - timedelta(days=1))
    at.button(key="schedule_save").click().run()
    assert not at.exception
    assert not at.error, [e.value for e in at.error]
    after = _core(demo_db, lambda c: schedule.load(c, 115, 1, None))
    assert after[AT].end_date == new_end
    assert after[AT].self_check_date == new_end - timedelta(days=1)
    assert [e for j, e in enumerate(after) if j != AT] == [e for j, e in enumerate(stored) if j != AT]
    assert "已儲存作業期程" in "\n".join(s.value for s in at.success)
    assert _form_entries(at, PREFIX) == after  # the form now shows what is stored


def test_an_end_before_its_start_is_refused_under_the_phase_and_the_typed_dates_stay(demo_db: Path) -> None:
    tables = ("schedule",)
    before = _core(demo_db, lambda c: snapshot(c, tables))
    at = page_test("pages.schedule", "註冊組", CURRENT).run()
    start = at.date_input(key=f"{PREFIX}_{AT}_start").value
    assert isinstance(start, date)
    wrong = start - timedelta(days=3)
    at.date_input(key=f"{PREFIX}_{AT}_end").set_value(wrong)
    at.text_input(key=f"{PREFIX}_{AT}_unit").input("教務處註冊組（改）")
    at.button(key="schedule_save").click().run()
    assert not at.exception
    expected = _core(demo_db, lambda c: schedule.check(c, 115, 1, None, _form_entries(at, PREFIX)))
    assert f"{PHASE}.end_date" in expected.problems
    errors = [e.value for e in at.error]
    assert any("尚未儲存" in e for e in errors)
    assert expected.problems[f"{PHASE}.end_date"] in errors  # the core's message, shown under the phase
    assert _core(demo_db, lambda c: snapshot(c, tables)) == before  # nothing written
    assert at.date_input(key=f"{PREFIX}_{AT}_end").value == wrong
    assert at.text_input(key=f"{PREFIX}_{AT}_unit").value == "教務處註冊組（改）"
    # switching to another scope and back drops Streamlit's widget state; the draft brings it back
    at.selectbox(key="schedule_scope").select("日間部").run()
    assert not at.exception
    at.selectbox(key="schedule_scope").select("全校").run()
    assert at.date_input(key=f"{PREFIX}_{AT}_end").value == wrong
    assert at.text_input(key=f"{PREFIX}_{AT}_unit").value == "教務處註冊組（改）"


def test_copy_forward_fills_the_form_without_writing_and_saving_stores_it(demo_db: Path) -> None:
    year, semester = 115, 2
    prefix = f"sch_{year}_{semester}_all"
    assert _core(demo_db, lambda c: schedule.rows(c, year, semester)) == []
    proposal = _core(demo_db, lambda c: schedule.copy_forward(c, year, semester, None))
    assert any(e.start_date for e in proposal)
    at = page_test("pages.schedule", "註冊組", {"semester": f"{year}-{semester}"}).run()
    assert not at.exception
    assert "尚未儲存期程" in texts(at)
    at.button(key="schedule_copy").click().run()
    assert not at.exception
    assert _form_entries(at, prefix) == proposal
    assert _core(demo_db, lambda c: schedule.rows(c, year, semester)) == []  # a proposal only
    for e in proposal:  # 52 weeks later: same weekday as last year's row
        last = next(
            x
            for x in _core(demo_db, lambda c: schedule.load(c, year - 1, semester, None))
            if x.phase == e.phase
        )
        assert e.start_date is not None and last.start_date is not None
        assert e.start_date.weekday() == last.start_date.weekday()
    at.button(key="schedule_save").click().run()
    assert not at.exception
    assert not at.error, [e.value for e in at.error]
    assert _core(demo_db, lambda c: schedule.load(c, year, semester, None)) == proposal


def test_copy_forward_with_nothing_last_year_says_so(demo_db: Path) -> None:
    at = page_test("pages.schedule", "註冊組", {"semester": "115-2", "scope": "日間部"}).run()
    assert _core(demo_db, lambda c: schedule.load(c, 114, 2, "日間部")) == [
        schedule.PhaseEntry(p, None, None, None, "") for p in schedule.PHASES
    ]
    at.button(key="schedule_copy").click().run()
    assert not at.exception
    assert "沒有這個範圍的期程" in "\n".join(s.value for s in at.success)
    assert all(e.is_empty for e in _form_entries(at, "sch_115_2_日間部"))


def test_the_self_check_table_is_the_cores_and_a_missed_check_is_recorded_with_its_figures(
    demo_db: Path,
) -> None:
    today = date.today()
    statuses = _core(demo_db, lambda c: selfchecks.statuses(c, 114, 2, today))
    at = page_test("pages.schedule", "執行秘書", {"semester": "114-2"}).run()
    assert not at.exception
    shown = table_with(at, "檢核日期")
    assert list(zip(shown["項目"], shown["狀態"], strict=True)) == [(s.phase, s.state) for s in statuses]
    missed = [i for i, s in enumerate(statuses) if s.state == "逾期未檢核"]
    assert missed, "the demo leaves a 114-2 self-check unrecorded"
    target = statuses[missed[0]]
    at.selectbox(key="selfcheck_item").select(missed[0])
    at.radio(key="selfcheck_result").set_value("達成")
    at.text_area(key="selfcheck_note").input("補登：收訖明細已全數確認。")
    at.button(key="selfcheck_submit").click().run()
    assert not at.exception
    assert not at.error, [e.value for e in at.error]
    after = _core(demo_db, lambda c: selfchecks.statuses(c, 114, 2, today))[missed[0]]
    assert after.state == "已檢核" and after.latest is not None
    assert after.latest.result == "達成"
    assert after.latest.recorded_by == "tester"
    figures = _core(demo_db, lambda c: selfchecks.figures(c, 114, 2, target.phase, target.figures_division))
    assert after.latest.figures == figures
    shown = table_with(at, "檢核日期")
    assert shown["狀態"].iloc[missed[0]] == "已檢核"


def test_unmet_without_a_plan_is_refused_and_the_form_keeps_the_choice(demo_db: Path) -> None:
    tables = ("self_checks",)
    before = _core(demo_db, lambda c: snapshot(c, tables))
    at = page_test("pages.schedule", "註冊組", {"semester": "114-2"}).run()
    at.radio(key="selfcheck_result").set_value("未達成")
    at.button(key="selfcheck_submit").click().run()
    assert not at.exception
    assert any("改善做法" in e.value for e in at.error)
    assert _core(demo_db, lambda c: snapshot(c, tables)) == before
    assert at.radio(key="selfcheck_result").value == "未達成"


def _notice(at: AppTest) -> str:
    return "\n".join(
        m.value for m in at.markdown if "自我檢核（補充規定第五點）" in m.value or m.value.startswith("- ")
    )


def test_the_overview_lists_every_missed_self_check_until_it_is_recorded(demo_db: Path) -> None:
    today = date.today()
    late = _core(demo_db, lambda c: selfchecks.missed(c, today))
    assert late, "the demo leaves a 114-2 self-check unrecorded"
    at = page_test("pages.overview", "校長").run()
    assert not at.exception
    shown = _notice(at)
    assert f"{len(late)} 項已過檢核日期而尚未記錄" in shown
    for s in late[:8]:
        assert f"{s.year}-{s.semester} {s.phase}（{s.division or '全校'}" in shown
        assert f"已逾 {s.days_overdue} 天" in shown
    for s in late:  # recorded through the 作業期程 page, as the registry does
        page = page_test("pages.schedule", "註冊組", {"semester": f"{s.year}-{s.semester}"}).run()
        rows = _core(demo_db, lambda c, s=s: selfchecks.statuses(c, s.year, s.semester, today))
        page.selectbox(key="selfcheck_item").select(
            next(i for i, r in enumerate(rows) if (r.phase, r.division) == (s.phase, s.division))
        )
        page.text_area(key="selfcheck_note").input("補登")
        page.button(key="selfcheck_submit").click().run()
        assert not page.exception and not page.error
    at = page_test("pages.overview", "校長").run()
    assert "到期的自我檢核都已記錄" in _notice(at)


def test_on_a_self_check_date_the_overview_says_it_is_due_today(
    demo_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    current = _core(demo_db, lambda c: selfchecks.statuses(c, 115, 1, date(2000, 1, 1)))
    day = max(s.self_check_date for s in current)  # the semester's last check: the others are past

    class OnThatDay(date):
        @classmethod
        def today(cls) -> OnThatDay:
            return cls(day.year, day.month, day.day)

    import pages.overview

    monkeypatch.setattr(pages.overview, "date", OnThatDay)
    due = _core(
        demo_db, lambda c: [s for s in selfchecks.statuses(c, 115, 1, day) if s.state == "今日應檢核"]
    )
    late = _core(demo_db, lambda c: selfchecks.missed(c, day))
    assert due
    at = page_test("pages.overview", "校長", CURRENT).run()
    assert not at.exception
    shown = _notice(at)
    assert f"今天 {len(due)} 項應檢核" in shown
    for s in due:
        assert f"{s.year}-{s.semester} {s.phase}（{s.division or '全校'}，{s.unit}）：今天應檢核" in shown
    assert f"{len(late)} 項已過檢核日期而尚未記錄" in shown


def test_a_second_clerk_saving_a_stale_schedule_is_refused_keeps_the_input_and_can_reload(
    demo_db: Path,
) -> None:
    first = page_test("pages.schedule", "註冊組", CURRENT).run()
    second = page_test("pages.schedule", "執行秘書", CURRENT).run()  # both open the same version
    stored = _core(demo_db, lambda c: schedule.load(c, 115, 1, None))
    end = stored[AT].end_date
    assert end is not None
    first.date_input(key=f"{PREFIX}_{AT}_end").set_value(end + timedelta(days=2))
    first.button(key="schedule_save").click().run()
    assert not first.error, [e.value for e in first.error]
    saved = _core(demo_db, lambda c: schedule.load(c, 115, 1, None))
    assert saved[AT].end_date == end + timedelta(days=2)

    second.text_input(key=f"{PREFIX}_{AT}_unit").input("教務處註冊組（第二位）")
    second.button(key="schedule_save").click().run()
    assert not second.exception
    errors = "\n".join(e.value for e in second.error)
    assert "在您開啟後已有變更" in errors and "tester" in errors
    assert _core(demo_db, lambda c: schedule.load(c, 115, 1, None)) == saved  # nothing overwritten
    assert second.text_input(key=f"{PREFIX}_{AT}_unit").value == "教務處註冊組（第二位）"  # kept
    assert second.date_input(key=f"{PREFIX}_{AT}_end").value == end  # what they had, not the new one

    second.button(key="schedule_reload").click().run()
    assert not second.exception and not second.error
    assert _form_entries(second, PREFIX) == saved  # the first clerk's schedule, now in the form
    second.text_input(key=f"{PREFIX}_{AT}_unit").input("教務處註冊組（第二位）")
    second.button(key="schedule_save").click().run()
    assert not second.error, [e.value for e in second.error]
    after = _core(demo_db, lambda c: schedule.load(c, 115, 1, None))
    assert after[AT].unit == "教務處註冊組（第二位）" and after[AT].end_date == end + timedelta(days=2)
