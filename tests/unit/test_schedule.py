"""作業期程 editor core: every rule refuses and accepts, saving replaces one scope only, the
division override, copying last year forward by 52 weeks, and the demo passing its own rules."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta

import duckdb
import pytest

from dashboard import auth, db
from dashboard.records import schedule
from dashboard.records.schedule_model import PhaseEntry

CLERK = auth.User("registrar", "註冊組長", "註冊組")
PRINCIPAL = auth.User("principal", "校長", "校長")
YEAR = 114  # 2025-08-01 … 2026-07-31
CLOSING = date(2026, 1, 20)  # 休業式 of 114-1 (a Tuesday)
UNIT = "教務處註冊組"


def rule(con: duckdb.DuckDBPyConnection, key: str) -> int:
    value = db.rule_value(con, key, YEAR)
    assert value is not None
    return int(value)


def plan(con: duckdb.DuckDBPyConnection, closing: date = CLOSING) -> list[PhaseEntry]:
    """A schedule that keeps every rule, built from the rules in force rather than fixed figures."""
    upload_end = closing + timedelta(days=rule(con, "upload_end_min_days_after_closing"))
    receipt_start = date(2026, 3, 30)
    receipt_end = receipt_start + timedelta(days=rule(con, "receipt_window_min_days") - 1)
    start = date(2025, 9, 1)
    return [
        PhaseEntry("學生上傳課程學習成果", start, upload_end, upload_end - timedelta(days=2), UNIT),
        PhaseEntry("教師認證", start, upload_end + timedelta(days=7), upload_end + timedelta(days=4), UNIT),
        PhaseEntry("學生上傳多元表現", start, upload_end, None, UNIT),
        PhaseEntry("學生勾選", None, None, None, ""),
        PhaseEntry("學校提交", date(2026, 3, 2), date(2026, 3, 20), date(2026, 3, 17), UNIT),
        PhaseEntry("收訖確認", receipt_start, receipt_end, receipt_end, UNIT),
        PhaseEntry("休業式", closing, closing, closing, "學務處"),
    ]


def with_phase(entries: list[PhaseEntry], phase: str, **changes: object) -> list[PhaseEntry]:
    return [dataclasses.replace(e, **changes) if e.phase == phase else e for e in entries]


def stored(con: duckdb.DuckDBPyConnection) -> list[tuple[object, ...]]:
    return con.execute("select * from schedule order by all").fetchall()


def test_a_plan_that_keeps_every_rule_is_accepted(con: duckdb.DuckDBPyConnection) -> None:
    result = schedule.check(con, YEAR, 1, None, plan(con))
    assert result.problems == {} and result.warnings == {}
    assert result.ok


# --- each rule: refused and accepted ----------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "key"),
    [
        ({"start_date": None}, "教師認證.start_date"),
        ({"end_date": None}, "教師認證.end_date"),
        ({"start_date": None, "end_date": None, "self_check_date": None}, "教師認證.start_date"),
    ],
)
def test_a_phase_with_some_fields_but_no_dates_is_refused(
    con: duckdb.DuckDBPyConnection, changes: dict[str, object], key: str
) -> None:
    result = schedule.check(con, YEAR, 1, None, with_phase(plan(con), "教師認證", **changes))
    assert "教師認證" in result.problems[key] and "清空整列" in result.problems[key]


def test_an_entirely_empty_phase_is_accepted_and_not_stored(con: duckdb.DuckDBPyConnection) -> None:
    entries = with_phase(plan(con), "學校提交", start_date=None, end_date=None, self_check_date=None, unit="")
    assert schedule.check(con, YEAR, 1, None, entries).problems == {}
    schedule.save(con, YEAR, 1, None, entries, CLERK)
    phases = [r[0] for r in con.execute("select phase from schedule").fetchall()]
    assert "學校提交" not in phases and "學生勾選" not in phases
    assert len(phases) == sum(not e.is_empty for e in entries)


def test_an_end_before_the_start_is_refused_and_a_one_day_phase_accepted(
    con: duckdb.DuckDBPyConnection,
) -> None:
    start = date(2026, 3, 2)
    refused = with_phase(plan(con), "學校提交", end_date=start - timedelta(days=1), self_check_date=None)
    problem = schedule.check(con, YEAR, 1, None, refused).problems["學校提交.end_date"]
    assert "115/03/01" in problem and "115/03/02" in problem  # both dates, in ROC
    one_day = with_phase(plan(con), "學校提交", end_date=start, self_check_date=start)
    assert schedule.check(con, YEAR, 1, None, one_day).problems == {}


def test_the_self_check_date_must_lie_in_the_phase_or_within_the_grace_days(
    con: duckdb.DuckDBPyConnection,
) -> None:
    start, end = date(2026, 3, 2), date(2026, 3, 20)
    grace = timedelta(days=schedule.SELF_CHECK_GRACE_DAYS)
    key = "學校提交.self_check_date"
    for ok in (start, end, end + grace):
        entries = with_phase(plan(con), "學校提交", self_check_date=ok)
        assert schedule.check(con, YEAR, 1, None, entries).problems == {}, ok
    too_early = with_phase(plan(con), "學校提交", self_check_date=start - timedelta(days=1))
    assert "早於開始日期" in schedule.check(con, YEAR, 1, None, too_early).problems[key]
    too_late = with_phase(plan(con), "學校提交", self_check_date=end + grace + timedelta(days=1))
    problem = schedule.check(con, YEAR, 1, None, too_late).problems[key]
    assert f"{schedule.SELF_CHECK_GRACE_DAYS} 天" in problem and "115/03/27" in problem  # the latest day


def test_the_receipt_window_needs_the_minimum_days(con: duckdb.DuckDBPyConnection) -> None:
    minimum = rule(con, "receipt_window_min_days")
    start = date(2026, 3, 30)
    short_end = start + timedelta(days=minimum - 2)  # one day short, both ends counted
    short = with_phase(plan(con), "收訖確認", end_date=short_end, self_check_date=short_end)
    problem = schedule.check(con, YEAR, 1, None, short).problems["收訖確認.end_date"]
    assert f"只有 {minimum - 1} 天" in problem and f"至少 {minimum} 天" in problem
    exact_end = start + timedelta(days=minimum - 1)
    exact = with_phase(plan(con), "收訖確認", end_date=exact_end, self_check_date=exact_end)
    assert schedule.check(con, YEAR, 1, None, exact).problems == {}


def test_semester_1_upload_must_stay_open_until_closing_plus_the_rule(
    con: duckdb.DuckDBPyConnection,
) -> None:
    required = CLOSING + timedelta(days=rule(con, "upload_end_min_days_after_closing"))
    early = with_phase(plan(con), "學生上傳課程學習成果", end_date=required - timedelta(days=1))
    result = schedule.check(con, YEAR, 1, None, early)
    problem = result.problems["學生上傳課程學習成果.end_date"]
    assert "115/01/20" in problem and "休業式" in problem  # names 休業式 and its date
    on_the_day = with_phase(plan(con), "學生上傳課程學習成果", end_date=required)
    assert schedule.check(con, YEAR, 1, None, on_the_day).problems == {}


def test_semester_2_early_upload_close_is_only_a_warning_for_grade_12(
    con: duckdb.DuckDBPyConnection,
) -> None:
    closing = date(2026, 6, 30)
    entries = [
        PhaseEntry("學生上傳課程學習成果", date(2026, 2, 11), date(2026, 5, 15), date(2026, 5, 12), UNIT),
        PhaseEntry("休業式", closing, closing, closing, "學務處"),
    ]
    result = schedule.check(con, YEAR, 2, None, entries)
    assert result.problems == {}
    warning = result.warnings["學生上傳課程學習成果.end_date"]
    assert "高三" in warning and "允許" in warning
    schedule.save(con, YEAR, 2, None, entries, CLERK)  # a warning does not block saving
    assert len(stored(con)) == 2
    required = closing + timedelta(days=rule(con, "upload_end_min_days_after_closing"))
    late_enough = with_phase(entries, "學生上傳課程學習成果", end_date=required)
    assert schedule.check(con, YEAR, 2, None, late_enough).warnings == {}


def test_a_division_upload_row_is_checked_against_the_general_closing_day(
    con: duckdb.DuckDBPyConnection,
) -> None:
    own = [PhaseEntry("學生上傳課程學習成果", date(2025, 9, 1), CLOSING, None, "進修部教務組")]
    # Without any 休業式 the rule cannot be applied: a warning asks for it.
    assert "尚未訂定" in schedule.check(con, YEAR, 1, "進修部", own).warnings["學生上傳課程學習成果.end_date"]
    schedule.save(con, YEAR, 1, None, plan(con), CLERK)
    result = schedule.check(con, YEAR, 1, "進修部", own)
    assert "115/01/20" in result.problems["學生上傳課程學習成果.end_date"]
    later = [PhaseEntry("學生上傳課程學習成果", date(2025, 9, 1), date(2026, 2, 10), None, "進修部教務組")]
    assert schedule.check(con, YEAR, 1, "進修部", later).problems == {}


def test_a_date_outside_the_school_year_and_three_months_is_refused(con: duckdb.DuckDBPyConnection) -> None:
    # 學年度 114 is 2025-08-01 … 2026-07-31; three months either side: 2025-05-01 … 2026-10-31.
    for ok in (date(2025, 5, 1), date(2026, 10, 31)):
        entries = with_phase(plan(con), "學生勾選", start_date=ok, end_date=ok, self_check_date=ok)
        assert schedule.check(con, YEAR, 1, None, entries).problems == {}, ok
    for bad in (date(2025, 4, 30), date(2026, 11, 1), date(2015, 9, 1)):
        entries = with_phase(plan(con), "學生勾選", start_date=bad, end_date=bad, self_check_date=None)
        problems = schedule.check(con, YEAR, 1, None, entries).problems
        assert "年份打錯" in problems["學生勾選.start_date"], bad
        assert "學生勾選.end_date" in problems


def test_unknown_or_repeated_phases_and_bad_scope_are_refused(con: duckdb.DuckDBPyConnection) -> None:
    entries = [*plan(con), PhaseEntry("教師認證", date(2025, 9, 1), date(2026, 2, 10), None)]
    assert "重複" in schedule.check(con, YEAR, 1, None, entries).problems["教師認證.phase"]
    unknown = [PhaseEntry("畢業典禮", date(2026, 6, 1), date(2026, 6, 1), None)]
    assert "不存在" in schedule.check(con, YEAR, 1, None, unknown).problems["畢業典禮.phase"]
    assert "部別" in schedule.check(con, YEAR, 1, "夜校", plan(con)).problems["division"]
    assert "學期" in schedule.check(con, YEAR, 3, None, plan(con)).problems["semester"]
    # 全校 is the general scope, like None.
    assert schedule.check(con, YEAR, 1, "全校", plan(con)).problems == {}


# --- saving -----------------------------------------------------------------------------


def test_save_replaces_only_its_own_scope(con: duckdb.DuckDBPyConnection) -> None:
    schedule.save(con, YEAR, 1, None, plan(con), CLERK)
    night = [PhaseEntry("教師認證", date(2025, 9, 1), date(2026, 2, 13), date(2026, 2, 10), "進修部教務組")]
    schedule.save(con, YEAR, 1, "進修部", night, CLERK)
    schedule.save(
        con, YEAR, 2, None, [PhaseEntry("休業式", date(2026, 6, 30), date(2026, 6, 30), None)], CLERK
    )
    general_before = schedule.load(con, YEAR, 1, None)
    semester_2_before = schedule.load(con, YEAR, 2, None)

    again = [PhaseEntry("教師認證", date(2025, 9, 1), date(2026, 2, 14), None, "進修部教務組")]
    schedule.save(con, YEAR, 1, "進修部", again, CLERK)
    assert [e for e in schedule.load(con, YEAR, 1, "進修部") if not e.is_empty] == again
    assert schedule.load(con, YEAR, 1, None) == general_before
    assert schedule.load(con, YEAR, 2, None) == semester_2_before
    assert schedule.scopes(con, YEAR, 1) == [None, "進修部"]

    # Saving the general scope leaves the division row alone; an all-empty save removes a scope.
    schedule.save(con, YEAR, 1, None, plan(con), CLERK)
    assert [e for e in schedule.load(con, YEAR, 1, "進修部") if not e.is_empty] == again
    schedule.save(con, YEAR, 1, "進修部", [], CLERK)
    assert schedule.scopes(con, YEAR, 1) == [None]


def test_saved_rows_record_who_and_when_and_no_import(con: duckdb.DuckDBPyConnection) -> None:
    at = datetime(2025, 8, 20, 10, 15)
    schedule.save(con, YEAR, 1, None, plan(con), CLERK, now=at)
    rows = con.execute(
        "select distinct entered_by, entered_at, import_id, source_row, division from schedule"
    ).fetchall()
    assert rows == [("registrar", at, None, None, None)]


def test_a_refused_save_writes_nothing(con: duckdb.DuckDBPyConnection) -> None:
    schedule.save(con, YEAR, 1, None, plan(con), CLERK)
    before = stored(con)
    bad = with_phase(plan(con), "學校提交", end_date=date(2026, 2, 1), self_check_date=None)
    with pytest.raises(schedule.ScheduleError) as err:
        schedule.save(con, YEAR, 1, None, bad, CLERK)
    assert set(err.value.problems) == {"學校提交.end_date"}
    assert stored(con) == before


def test_only_roles_with_edit_records_may_save(con: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(schedule.ScheduleError) as err:
        schedule.save(con, YEAR, 1, None, plan(con), PRINCIPAL)
    assert set(err.value.problems) == {"user"} and "校長" in err.value.problems["user"]
    assert stored(con) == []
    for role in ("管理者", "註冊組", "執行秘書"):
        schedule.save(con, YEAR, 1, None, plan(con), auth.User("u", "使用者", role))
    assert len(stored(con)) == sum(not e.is_empty for e in plan(con))


# --- reading, override, copy forward ----------------------------------------------------


def test_load_gives_one_entry_per_phase_in_order(con: duckdb.DuckDBPyConnection) -> None:
    assert [e.phase for e in schedule.load(con, YEAR, 1, None)] == list(schedule.PHASES)
    assert all(e.is_empty for e in schedule.load(con, YEAR, 1, None))
    schedule.save(con, YEAR, 1, None, plan(con), CLERK)
    assert schedule.load(con, YEAR, 1, None) == plan(con)


def test_effective_takes_the_division_row_else_the_general_one(demo_con: duckdb.DuckDBPyConnection) -> None:
    general = schedule.load(demo_con, 114, 1, None)
    own = schedule.load(demo_con, 114, 1, "進修部")
    night = schedule.effective(demo_con, 114, 1, "進修部")
    day = schedule.effective(demo_con, 114, 1, "日間部")
    assert any(not e.is_empty for e in own)  # the demo overrides at least one phase for 進修部
    for g, o, n, d in zip(general, own, night, day, strict=True):
        assert n == (g if o.is_empty else o)
        assert d == g  # 日間部 has no rows of its own
    teacher = next(e for e in night if e.phase == "教師認證")
    assert teacher.unit == "進修部教務組"


def test_copy_forward_moves_the_demo_by_52_weeks(demo_con: duckdb.DuckDBPyConnection) -> None:
    for division in schedule.scopes(demo_con, 114, 1):
        last_year = schedule.load(demo_con, 114, 1, division)
        proposed = schedule.copy_forward(demo_con, 115, 1, division)
        assert [e.phase for e in proposed] == list(schedule.PHASES)
        for old, new in zip(last_year, proposed, strict=True):
            assert new.unit == old.unit
            for name in ("start_date", "end_date", "self_check_date"):
                before, after = getattr(old, name), getattr(new, name)
                if before is None:
                    assert after is None
                    continue
                assert (after - before).days == 364
                assert after.weekday() == before.weekday()
        # What last year passed, the copy passes too.
        assert schedule.check(demo_con, 115, 1, division, proposed).problems == {}
    assert schedule.copy_forward(demo_con, 117, 1, None) == []  # 116 has nothing stored


def test_copy_forward_from_own_rows_keeps_weekdays(con: duckdb.DuckDBPyConnection) -> None:
    assert schedule.copy_forward(con, YEAR + 1, 1, None) == []
    schedule.save(con, YEAR, 1, None, plan(con), CLERK)
    proposed = schedule.copy_forward(con, YEAR + 1, 1, None)
    closing = next(e for e in proposed if e.phase == "休業式")
    assert closing.start_date == date(2027, 1, 19)  # 2026-01-20 was a Tuesday; so is this
    assert closing.start_date.weekday() == CLOSING.weekday()
    assert next(e for e in proposed if e.phase == "學生勾選").is_empty
    assert schedule.copy_forward(con, YEAR + 1, 1, "進修部") == []  # another scope
    schedule.save(con, YEAR + 1, 1, None, proposed, CLERK)
    assert schedule.load(con, YEAR + 1, 1, None) == proposed


def test_the_demo_schedule_passes_its_own_rules(demo_con: duckdb.DuckDBPyConnection) -> None:
    semesters = demo_con.execute(
        "select distinct school_year, semester from schedule order by all"
    ).fetchall()
    assert semesters
    for year, semester in semesters:
        for division in schedule.scopes(demo_con, year, semester):
            entries = schedule.load(demo_con, year, semester, division)
            result = schedule.check(demo_con, year, semester, division, entries)
            assert result.problems == {}, (year, semester, division)
            assert result.warnings == {}, (year, semester, division)


def test_a_save_from_a_stale_editor_is_refused_and_writes_nothing(con: duckdb.DuckDBPyConnection) -> None:
    empty = schedule.version(con, YEAR, 1, None)
    schedule.save(con, YEAR, 1, None, plan(con), CLERK, now=datetime(2025, 8, 20, 9), expected_version=empty)
    opened = schedule.version(con, YEAR, 1, None)  # two clerks open the editor now
    assert opened != empty
    night_before = schedule.version(con, YEAR, 1, "進修部")
    first = with_phase(plan(con), "學校提交", end_date=date(2026, 3, 21))
    schedule.save(con, YEAR, 1, None, first, CLERK, now=datetime(2025, 8, 20, 10, 5), expected_version=opened)
    assert schedule.version(con, YEAR, 1, "進修部") == night_before  # another scope's token stays
    before = stored(con)
    second = with_phase(plan(con), "學校提交", end_date=date(2026, 3, 19))
    with pytest.raises(schedule.ScheduleError) as err:
        schedule.save(con, YEAR, 1, None, second, CLERK, expected_version=opened)
    assert set(err.value.problems) == {"version"}
    message = err.value.problems["version"]
    assert "registrar" in message and "114/08/20 10:05" in message
    assert stored(con) == before  # the first clerk's save stands
    # after loading the newest version the same save goes through; no token: no check (the CLI)
    schedule.save(con, YEAR, 1, None, second, CLERK, expected_version=schedule.version(con, YEAR, 1, None))
    assert schedule.load(con, YEAR, 1, None)[schedule.PHASES.index("學校提交")].end_date == date(2026, 3, 19)
    schedule.save(con, YEAR, 1, None, first, CLERK)
