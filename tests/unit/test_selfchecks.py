"""自我檢核 (Art. 5) on the demo school: states switch on the self-check date, missed checks across
semesters, and a recorded check stores the metrics core's figures of that moment."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import duckdb
import pytest

from dashboard import auth, db
from dashboard.measures import metrics, pipeline
from dashboard.records import selfchecks
from dashboard.records.selfchecks import SelfCheckError, SelfCheckStatus

Con = duckdb.DuckDBPyConnection
CLERK = auth.User("clerk", "註冊組長", "註冊組")
MEMBER = auth.User("member", "委員", "工作小組委員")
FAR_PAST = date(2000, 1, 1)  # before every demo self-check date


@pytest.fixture
def demo_con(demo_con: Con) -> Con:
    """The demo school without the self-checks dashboard/demo_duties.py seeds: these tests
    record every check themselves."""
    demo_con.execute("delete from self_checks")
    return demo_con


def _rows(con: Con, year: int, semester: int) -> list[SelfCheckStatus]:
    rows = selfchecks.statuses(con, year, semester, FAR_PAST)
    assert rows, f"the demo has self-checks in {year}-{semester}"
    return rows


def _one(con: Con, year: int, semester: int, phase: str, division: str | None = None) -> SelfCheckStatus:
    found = [s for s in _rows(con, year, semester) if s.phase == phase and s.division == division]
    assert len(found) == 1, (phase, division)
    return found[0]


def _on(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, datetime.min.time()).replace(hour=hour)


def _record(
    con: Con,
    s: SelfCheckStatus,
    result: str = "達成",
    note: str = "",
    *,
    now: datetime | None = None,
    user: auth.User = CLERK,
) -> SelfCheckStatus:
    """Record `s` as `user`, by default at 09:00 on its self-check day."""
    at = now or _on(s.self_check_date)
    return selfchecks.record(con, s.year, s.semester, s.division, s.phase, result, note, user, now=at)


def _stored(con: Con) -> int:
    row = con.execute("select count(*) from self_checks").fetchone()
    return int(row[0]) if row else 0


# --- states -----------------------------------------------------------------------------------


def test_every_dated_schedule_row_of_115_1_is_a_self_check_in_date_order(demo_con: Con) -> None:
    rows = _rows(demo_con, 115, 1)
    stored = demo_con.execute(
        "select phase, division, self_check_date from schedule"
        " where school_year = 115 and semester = 1 and self_check_date is not null"
    ).fetchall()
    assert sorted((s.phase, s.division or "", s.self_check_date) for s in rows) == sorted(
        (p, d or "", c) for p, d, c in stored
    )
    assert [s.self_check_date for s in rows] == sorted(s.self_check_date for s in rows)
    assert {s.unit for s in rows} <= {r[0] for r in demo_con.execute("select unit from schedule").fetchall()}


def test_states_switch_on_the_self_check_date(demo_con: Con) -> None:
    for s in _rows(demo_con, 115, 1):
        due = s.self_check_date
        before = {
            x.phase + (x.division or ""): x for x in selfchecks.statuses(demo_con, 115, 1, due - timedelta(1))
        }
        on_day = {x.phase + (x.division or ""): x for x in selfchecks.statuses(demo_con, 115, 1, due)}
        after = {
            x.phase + (x.division or ""): x for x in selfchecks.statuses(demo_con, 115, 1, due + timedelta(3))
        }
        key = s.phase + (s.division or "")
        assert (before[key].state, before[key].days_to_check, before[key].days_overdue) == ("未到期", 1, None)
        assert (on_day[key].state, on_day[key].days_to_check, on_day[key].days_overdue) == (
            "今日應檢核",
            None,
            None,
        )
        assert (after[key].state, after[key].days_to_check, after[key].days_overdue) == (
            "逾期未檢核",
            None,
            3,
        )


def test_a_recorded_check_is_done_whatever_the_day(demo_con: Con) -> None:
    s = _one(demo_con, 115, 1, "學生上傳課程學習成果")
    _record(demo_con, s, now=_on(s.self_check_date - timedelta(days=2)))
    for day in (s.self_check_date - timedelta(1), s.self_check_date, s.self_check_date + timedelta(30)):
        again = next(x for x in selfchecks.statuses(demo_con, 115, 1, day) if x.phase == s.phase)
        assert (again.state, again.days_overdue, again.record_count) == ("已檢核", None, 1)


def test_a_general_row_overridden_for_one_division_covers_the_other(demo_con: Con) -> None:
    general = _one(demo_con, 115, 1, "教師認證")
    own = _one(demo_con, 115, 1, "教師認證", "進修部")
    assert (general.figures_division, own.figures_division) == ("日間部", "進修部")
    assert _one(demo_con, 115, 1, "學生上傳課程學習成果").figures_division is None


def test_missed_lists_past_unrecorded_checks_of_every_semester(demo_con: Con) -> None:
    today = date(2027, 2, 6)  # the 115-1 教師認證 self-check day: due today is not missed yet
    expected = [
        s
        for y, t in metrics.semesters_available(demo_con)
        for s in selfchecks.statuses(demo_con, y, t, today)
        if s.self_check_date < today and s.latest is None
    ]
    missed = selfchecks.missed(demo_con, today)
    assert sorted((s.year, s.semester, s.phase, s.division or "") for s in missed) == sorted(
        (s.year, s.semester, s.phase, s.division or "") for s in expected
    )
    assert {s.year for s in missed} == {113, 114, 115}
    assert all(s.state == "逾期未檢核" and s.days_overdue == (today - s.self_check_date).days for s in missed)
    assert not any(s.self_check_date == today for s in missed)
    first = missed[0]
    _record(demo_con, first, now=_on(today))
    assert len(selfchecks.missed(demo_con, today)) == len(missed) - 1


# --- recording: figures of the moment --------------------------------------------------------


def test_upload_and_certification_figures_equal_semester_metrics(demo_con: Con) -> None:
    upload = _record(demo_con, _one(demo_con, 115, 1, "學生上傳課程學習成果"))
    sem = metrics.semester_metrics(demo_con, 115, 1)
    assert upload.latest is not None
    assert upload.latest.figures == {
        "students_active": sem["students_active"],
        **{k: sem["outcomes"][k] for k in ("students_with_upload", "upload_rate", "uploaded")},
    }
    assert upload.latest.figures_as_of == db.as_of(demo_con)
    for division in metrics.DIVISIONS:  # the general row serves 日間部, 進修部 has its own row
        row = _one(demo_con, 115, 1, "教師認證", None if division == "日間部" else division)
        done = _record(demo_con, row)
        outcomes = metrics.semester_metrics(demo_con, 115, 1, division)["outcomes"]
        assert done.latest is not None
        assert done.latest.figures == {k: outcomes[k] for k in selfchecks.FIGURES["教師認證"]}


def test_year_phase_figures_equal_year_metrics_and_the_pipeline(demo_con: Con) -> None:
    yr = metrics.year_metrics(demo_con, 114)
    done = {
        phase: _record(demo_con, _one(demo_con, 114, 2, phase)).latest
        for phase in ("學生上傳多元表現", "學生勾選", "學校提交", "收訖確認", "休業式")
    }
    figures = {phase: r.figures for phase, r in done.items() if r is not None}
    assert figures["學生上傳多元表現"] == {
        "students_active": yr["students_active"],
        **{k: yr["diverse"][k] for k in ("students_with_upload", "upload_rate", "uploaded")},
    }
    assert figures["學生勾選"] == {
        "students_active": yr["students_active"],
        **{k: yr["selection"][k] for k in selfchecks.FIGURES["學生勾選"] if k != "students_active"},
    }
    deliver = next(s for s in pipeline.build(demo_con, 114, 2).stages if s.key == "deliver")
    assert (figures["學校提交"]["rosters_submitted"], figures["學校提交"]["rosters_due"]) == (
        deliver.count,
        deliver.base,
    )
    assert figures["學校提交"]["submission_rate"] == deliver.rate
    receipts = yr["receipts"].values()
    assert figures["收訖確認"]["listed"] == sum(r["listed"] for r in receipts)
    assert figures["收訖確認"]["confirmed"] == sum(r["confirmed"] for r in receipts)
    assert figures["收訖確認"]["unconfirmed"] == sum(r["unconfirmed"] for r in receipts)
    assert figures["休業式"] == {}
    for phase, keys in selfchecks.FIGURES.items():
        if phase in figures:
            assert tuple(figures[phase]) == keys


def test_a_recheck_after_not_met_becomes_the_latest(demo_con: Con) -> None:
    s = _one(demo_con, 115, 1, "學生上傳多元表現")
    _record(demo_con, s, "未達成", "高三未上傳名單交導師催繳，2/5 複檢", now=_on(s.self_check_date))
    later = _record(demo_con, s, "達成", "", now=_on(s.self_check_date + timedelta(days=8)))
    assert later.latest is not None
    assert (later.record_count, later.latest.result, later.latest.recorded_by) == (2, "達成", "clerk")
    trail = selfchecks.history(demo_con, 115, 1, None, "學生上傳多元表現")
    assert [r.result for r in trail] == ["達成", "未達成"]
    assert trail[1].note == "高三未上傳名單交導師催繳，2/5 複檢"


# --- refusals, each with its accepted counterpart -------------------------------------------


def test_a_role_without_edit_records_is_refused(demo_con: Con) -> None:
    s = _one(demo_con, 115, 1, "休業式")
    with pytest.raises(SelfCheckError) as err:
        _record(demo_con, s, user=MEMBER)
    assert set(err.value.problems) == {"user"}
    assert _stored(demo_con) == 0
    assert _record(demo_con, s, user=auth.User("sec", "教務主任", "執行秘書")).state == "已檢核"


def test_result_must_be_met_or_not_met(demo_con: Con) -> None:
    s = _one(demo_con, 115, 1, "休業式")
    with pytest.raises(SelfCheckError) as err:
        _record(demo_con, s, "大致達成")
    assert set(err.value.problems) == {"result"}
    assert "達成" in err.value.problems["result"]
    assert _stored(demo_con) == 0
    assert _record(demo_con, s, "達成").latest is not None


def test_not_met_needs_a_note_saying_what_will_be_done(demo_con: Con) -> None:
    s = _one(demo_con, 115, 1, "學生上傳課程學習成果")
    with pytest.raises(SelfCheckError) as err:
        _record(demo_con, s, "未達成", "   ")
    assert set(err.value.problems) == {"note"}
    assert _stored(demo_con) == 0
    done = _record(demo_con, s, "未達成", "未上傳名單送導師")
    assert done.latest is not None and done.latest.note == "未上傳名單送導師"


def test_the_phase_must_have_a_self_check_date(demo_con: Con) -> None:
    with pytest.raises(SelfCheckError) as err:  # 學生勾選 is a semester-2 phase
        selfchecks.record(demo_con, 115, 1, None, "學生勾選", "達成", "", CLERK, now=_on(date(2027, 1, 30)))
    assert set(err.value.problems) == {"phase"}
    assert "作業期程" in err.value.problems["phase"]
    with pytest.raises(SelfCheckError):  # 教師認證 has no row of 日間部's own
        selfchecks.record(
            demo_con, 115, 1, "日間部", "教師認證", "達成", "", CLERK, now=_on(date(2027, 2, 6))
        )
    assert _stored(demo_con) == 0
    done = selfchecks.record(
        demo_con, 115, 1, "進修部", "教師認證", "達成", "", CLERK, now=_on(date(2027, 2, 9))
    )
    assert done.state == "已檢核"


def test_recording_more_than_30_days_early_is_refused(demo_con: Con) -> None:
    s = _one(demo_con, 115, 1, "收訖確認")
    too_early = s.self_check_date - timedelta(days=selfchecks.EARLIEST_DAYS_BEFORE + 1)
    with pytest.raises(SelfCheckError) as err:
        _record(demo_con, s, now=_on(too_early, 17))
    assert set(err.value.problems) == {"phase"}
    assert selfchecks.roc_date(s.self_check_date) in err.value.problems["phase"]
    assert _stored(demo_con) == 0
    earliest = s.self_check_date - timedelta(days=selfchecks.EARLIEST_DAYS_BEFORE)
    assert _record(demo_con, s, now=_on(earliest, 8)).state == "已檢核"


def test_a_bad_semester_is_refused_in_chinese(demo_con: Con) -> None:
    with pytest.raises(SelfCheckError) as err:
        selfchecks.record(demo_con, 115, 3, None, "休業式", "達成", "", CLERK)
    assert "學期" in err.value.problems["phase"]
    with pytest.raises(ValueError, match="學期"):
        selfchecks.statuses(demo_con, 115, 3, FAR_PAST)
