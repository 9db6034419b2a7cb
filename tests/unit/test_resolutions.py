"""Resolutions (決議) and their follow-up: the status as the newest entry, the carry-over of a
meeting, between-meeting updates, history, overdue, the linked metric's live figure, and each
semester's meeting compliance (Art. 4)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

import pytest

from dashboard import auth
from dashboard.measures import metrics, targets
from dashboard.records import meetings, resolutions
from dashboard.records.meetings import FollowUp, Item
from tests import meeting_helpers, school_fixture
from tests.meeting_helpers import ADMIN, SECRETARY, Con

YEAR = 114
T0 = datetime(2025, 9, 1, 9, 0)
TOPICS = meetings.TOPICS


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


# --- builders ---------------------------------------------------------------------------


def report(**changes: Any) -> Item:
    return replace(Item("報告事項", "工作報告", decision="洽悉", topics=[TOPICS[0]]), **changes)


def motion(title: str = "提案", **changes: Any) -> Item:
    """A 討論事項 with a 決議, an owner and no due date or metric unless given."""
    return replace(
        Item("討論事項", title, decision="照案通過", topics=[TOPICS[2]], owner_unit="教務處"), **changes
    )


def save_on(
    con: Con,
    held_on: date,
    now: datetime,
    items: list[Item] | None = None,
    follow_ups: list[FollowUp] | None = None,
) -> meetings.Meeting:
    """A valid meeting held on `held_on` (all 21 present, next 會次 of its semester) with this
    module's report and motion unless `items` are given."""
    items = [report(), motion()] if items is None else items
    return meeting_helpers.save_on(con, held_on, now, items=items, follow_ups=follow_ups or [])


def item_id(m: meetings.Meeting, index: int) -> int:
    found = m.items[index].item_id
    assert found is not None
    return found


def first_motion(con: Con) -> int:
    """The item id of the motion of a meeting held on 2025-09-10 (saved at at(0))."""
    return item_id(save_on(con, date(2025, 9, 10), at(0)), 1)


def by_id(con: Con, exclude_meeting: int | None = None) -> dict[int, resolutions.Resolution]:
    return {r.item_id: r for r in resolutions.all_resolutions(con, exclude_meeting)}


def updates(con: Con) -> list[tuple[object, ...]]:
    return con.execute("select * from resolution_updates order by update_id").fetchall()


# --- the status -------------------------------------------------------------------------


def test_only_decided_motions_are_resolutions_and_start_unexecuted(con: Con) -> None:
    m = save_on(
        con,
        date(2025, 9, 10),
        at(0),
        items=[
            report(),
            motion("甲案"),
            motion("未決案", decision=" "),
            motion("臨時案", section="臨時動議"),
        ],
    )
    found = resolutions.all_resolutions(con)
    assert [r.item_id for r in found] == [item_id(m, 1), item_id(m, 3)]
    first = found[0]
    assert (first.status, first.note, first.status_by, first.status_at, first.open) == (
        "未執行",
        "",
        None,
        None,
        True,
    )
    assert (first.meeting_id, first.session_label, first.held_on) == (
        m.meeting_id,
        m.session_label,
        m.held_on,
    )
    assert (first.school_year, first.semester, first.title, first.decision) == (YEAR, 1, "甲案", "照案通過")
    assert first.topics == (TOPICS[2],)


def test_a_later_meetings_report_sets_the_status(con: Con) -> None:
    r = first_motion(con)
    save_on(con, date(2025, 10, 8), at(1), follow_ups=[FollowUp(r, "執行中", "已發通知")])
    status = by_id(con)[r]
    assert (status.status, status.note, status.status_by, status.status_at) == (
        "執行中",
        "已發通知",
        "secretary",
        at(1),
    )


def test_a_between_meeting_update_overrides_an_earlier_meeting_report(con: Con) -> None:
    r = first_motion(con)
    save_on(con, date(2025, 10, 8), at(1), follow_ups=[FollowUp(r, "執行中", "會議報告")])
    resolutions.update_status(con, r, "已完成", "十月底辦畢", ADMIN, at(2))
    status = by_id(con)[r]
    assert (status.status, status.note, status.status_by, status.open) == (
        "已完成",
        "十月底辦畢",
        "admin",
        False,
    )


def test_a_later_meeting_report_overrides_an_earlier_between_meeting_update(con: Con) -> None:
    r = first_motion(con)
    resolutions.update_status(con, r, "執行中", "會後追蹤", ADMIN, at(1))
    save_on(con, date(2025, 10, 8), at(2), follow_ups=[FollowUp(r, "執行中", "會議報告")])
    assert (by_id(con)[r].note, by_id(con)[r].status_by) == ("會議報告", "secretary")


def test_update_status_returns_the_new_status(con: Con) -> None:
    r = first_motion(con)
    updated = resolutions.update_status(con, r, "執行中", "  已召開協調會 ", SECRETARY, at(1))
    assert (updated.item_id, updated.status, updated.note, updated.status_at) == (
        r,
        "執行中",
        "已召開協調會",
        at(1),
    )


def test_update_status_writes_one_history_row_between_meetings(con: Con) -> None:
    r = first_motion(con)
    resolutions.update_status(con, r, "已完成", "  辦畢 ", ADMIN, at(1))
    resolutions.update_status(con, r, "執行中", "", SECRETARY, at(2))  # a note is optional unless 已完成
    assert [row[1:] for row in updates(con)] == [
        (r, None, "已完成", "辦畢", "admin", at(1)),
        (r, None, "執行中", None, "secretary", at(2)),
    ]


# --- update_status refusals -------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "note", "key"),
    [
        ("完成", "辦畢", "status"),
        ("", "辦畢", "status"),
        ("已完成", "", "note"),
        ("已完成", "   ", "note"),
    ],
)
def test_update_status_refuses_a_bad_status_or_a_completion_without_a_note(
    con: Con, status: str, note: str, key: str
) -> None:
    first = save_on(con, date(2025, 9, 10), at(0))
    with pytest.raises(meetings.MeetingError) as refused:
        resolutions.update_status(con, item_id(first, 1), status, note, SECRETARY, at(1))
    assert list(refused.value.problems) == [key]
    assert updates(con) == []


def test_update_status_refuses_an_item_that_is_not_a_resolution(con: Con) -> None:
    first = save_on(con, date(2025, 9, 10), at(0), items=[report(), motion(), motion("未決", decision="")])
    for not_a_resolution in (item_id(first, 0), item_id(first, 2), 99999):
        with pytest.raises(meetings.MeetingError) as refused:
            resolutions.update_status(con, not_a_resolution, "執行中", "", SECRETARY, at(1))
        assert list(refused.value.problems) == ["item"]
    assert updates(con) == []


@pytest.mark.parametrize("role", ["校長", "註冊組", "工作小組委員"])
def test_update_status_refuses_a_role_without_edit_meetings(con: Con, role: str) -> None:
    first = save_on(con, date(2025, 9, 10), at(0))
    assert not auth.can(role, "edit_meetings")
    with pytest.raises(meetings.MeetingError) as refused:
        resolutions.update_status(con, item_id(first, 1), "執行中", "x", auth.User("u", "某人", role), at(1))
    assert list(refused.value.problems) == ["user"]
    assert updates(con) == []


# --- open_before, exclude_meeting -------------------------------------------------------


def test_open_before_lists_open_resolutions_of_earlier_meetings_only(con: Con) -> None:
    day = date(2025, 10, 8)
    earlier = save_on(con, date(2025, 9, 10), at(0), items=[report(), motion("仍待辦"), motion("已辦畢")])
    closer = save_on(
        con,
        date(2025, 9, 24),
        at(1),
        items=[report()],
        follow_ups=[FollowUp(item_id(earlier, 2), "已完成", "辦畢")],
    )
    same_day = save_on(con, day, at(2))
    later = save_on(con, date(2025, 11, 5), at(3))
    assert [r.item_id for r in resolutions.open_before(con, day, None)] == [item_id(earlier, 1)]
    # The day after, the same-day meeting's 決議 is earlier too; the later one still is not.
    next_day = [r.item_id for r in resolutions.open_before(con, day + timedelta(days=1), None)]
    assert next_day == [item_id(earlier, 1), item_id(same_day, 1)]
    assert item_id(later, 1) not in next_day
    assert item_id(closer, 0) not in next_day  # a 報告事項 is never carried


def test_open_before_leaves_out_the_excluded_meeting_itself(con: Con) -> None:
    first = save_on(con, date(2025, 9, 10), at(0))
    second = save_on(con, date(2025, 9, 24), at(1))
    after = date(2025, 12, 1)
    assert [r.item_id for r in resolutions.open_before(con, after, None)] == [
        item_id(first, 1),
        item_id(second, 1),
    ]
    assert [r.item_id for r in resolutions.open_before(con, after, second.meeting_id)] == [item_id(first, 1)]


def test_a_meetings_own_reports_are_invisible_to_its_own_carry_over(con: Con) -> None:
    r = first_motion(con)
    second = save_on(
        con, date(2025, 10, 8), at(1), items=[report()], follow_ups=[FollowUp(r, "執行中", "第二次報告")]
    )
    third = save_on(
        con, date(2025, 11, 5), at(2), items=[report()], follow_ups=[FollowUp(r, "已完成", "第三次報告")]
    )

    assert by_id(con)[r].status == "已完成"
    assert not resolutions.open_before(con, date(2025, 12, 3), None)
    # The third meeting's form shows the resolution as the second meeting left it.
    seen_by_third = by_id(con, third.meeting_id)[r]
    assert (seen_by_third.status, seen_by_third.note) == ("執行中", "第二次報告")
    carried = resolutions.open_before(con, third.held_on, third.meeting_id)
    assert [(c.item_id, c.status) for c in carried] == [(r, "執行中")]
    # What each meeting itself stored is untouched.
    assert meetings.load(con, third.meeting_id).follow_ups == [FollowUp(r, "已完成", "第三次報告")]
    assert meetings.load(con, third.meeting_id).follow_ups != meetings.load(con, second.meeting_id).follow_ups


def test_an_earlier_meetings_carry_over_ignores_what_later_meetings_reported(con: Con) -> None:
    """all_resolutions(exclude_meeting) is documented to show a meeting's carry-over 「as it found
    it」: when the second meeting is reopened, the third meeting's later 已完成 was not there yet."""
    r = first_motion(con)
    second = save_on(
        con, date(2025, 10, 8), at(1), items=[report()], follow_ups=[FollowUp(r, "執行中", "第二次")]
    )
    save_on(con, date(2025, 11, 5), at(2), items=[report()], follow_ups=[FollowUp(r, "已完成", "第三次")])
    assert [
        (c.item_id, c.status) for c in resolutions.open_before(con, second.held_on, second.meeting_id)
    ] == [(r, "未執行")]


def test_a_between_meeting_update_stays_visible_to_a_meetings_carry_over(con: Con) -> None:
    r = first_motion(con)
    second = save_on(con, date(2025, 10, 8), at(1), follow_ups=[FollowUp(r, "執行中", "會議報告")])
    resolutions.update_status(con, r, "執行中", "會後追蹤", SECRETARY, at(2))
    assert by_id(con, second.meeting_id)[r].note == "會後追蹤"


def test_re_saving_a_meeting_does_not_make_its_report_newer_than_later_updates(con: Con) -> None:
    """Meeting 2 reported R on 10-08; R was updated between meetings afterwards. Correcting a typo
    in meeting 2 later must not put its old report after that update in R's history."""
    r = first_motion(con)
    second = save_on(con, date(2025, 10, 8), at(1), follow_ups=[FollowUp(r, "執行中", "會議報告")])
    resolutions.update_status(con, r, "執行中", "會後追蹤", SECRETARY, at(2))
    edit = replace(meetings.as_draft(second), place="更正地點")
    meetings.save(con, edit, SECRETARY, second.meeting_id, second.version, now=at(3))
    assert [h["note"] for h in resolutions.history(con, r)] == ["會議報告", "會後追蹤"]
    assert by_id(con)[r].note == "會後追蹤"


# --- history, overdue -------------------------------------------------------------------


def test_history_lists_every_entry_with_the_reporting_meeting(con: Con) -> None:
    first = save_on(con, date(2025, 9, 10), at(0))
    r = item_id(first, 1)
    assert resolutions.history(con, r) == []
    second = save_on(con, date(2025, 10, 8), at(1), follow_ups=[FollowUp(r, "執行中", "會議報告")])
    resolutions.update_status(con, r, "已完成", "辦畢", ADMIN, at(2))
    assert resolutions.history(con, r) == [
        {
            "status": "執行中",
            "note": "會議報告",
            "updated_by": "secretary",
            "updated_at": at(1),
            "reported_in": second.session_label,
        },
        {"status": "已完成", "note": "辦畢", "updated_by": "admin", "updated_at": at(2), "reported_in": None},
    ]
    assert resolutions.history(con, item_id(first, 0)) == []


def test_overdue_only_when_open_and_past_the_due_date(con: Con) -> None:
    due = date(2025, 10, 31)
    m = save_on(con, date(2025, 9, 10), at(0), items=[motion("有期限", due_date=due), motion("無期限")])
    dated, undated = by_id(con)[item_id(m, 0)], by_id(con)[item_id(m, 1)]
    assert dated.due_date == due
    assert not dated.overdue(due)  # due today is not late yet
    assert dated.overdue(due + timedelta(days=1))
    assert not dated.overdue(due - timedelta(days=1))
    assert not undated.overdue(date(2030, 1, 1))
    for status in ("未執行", "執行中"):
        assert replace(dated, status=status).overdue(due + timedelta(days=1))
    assert not replace(dated, status="已完成").overdue(due + timedelta(days=1))

    save_on(
        con,
        date(2025, 11, 5),
        at(1),
        items=[report()],
        follow_ups=[FollowUp(item_id(m, 0), "已完成", "辦畢")],
    )
    assert not by_id(con)[item_id(m, 0)].overdue(due + timedelta(days=1))


# --- progress ---------------------------------------------------------------------------


def progress_school(con: Con) -> dict[str, Any]:
    """114: four active students both semesters. 教師認證 ends 2026-02-07 (114-1) and 2026-07-10
    (114-2). 114-1: three outcomes sent, two decided by the deadline; 114-2: one, on time. One
    student selects an outcome in 114. Returns the counts the figures follow from."""
    students = ["S01", "S02", "S03", "S04"]
    for no in students:
        for sem in (1, 2):
            school_fixture.student(con, no, YEAR, sem)
    school_fixture.staff(con, "T01", "王大明")
    school_fixture.schedule(con, "教師認證", date(2026, 2, 7), YEAR, 1)
    school_fixture.schedule(con, "教師認證", date(2026, 7, 10), YEAR, 2)
    sem1 = [
        ("S01", "通過", datetime(2026, 2, 1, 10, 0), True),
        ("S02", "通過", datetime(2026, 2, 10, 10, 0), False),
        ("S03", "未通過", datetime(2026, 2, 5, 10, 0), False),
    ]
    deadline1 = datetime(2026, 2, 8)
    for no, status, certified, selected in sem1:
        school_fixture.outcome(con, no, "T01", status, certified, year=YEAR, semester=1, selected=selected)
    school_fixture.outcome(
        con,
        "S01",
        "T01",
        "通過",
        datetime(2026, 7, 1, 10, 0),
        year=YEAR,
        semester=2,
        submitted_at=datetime(2026, 6, 1, 9, 0),
    )
    return {
        "sem1_submitted": len(sem1),
        "sem1_on_time": sum(1 for _, _, c, _ in sem1 if c < deadline1),
        "sem2_submitted": 1,
        "sem2_on_time": 1,
        "students": len(students),
        "selecting": sum(1 for *_, s in sem1 if s),
    }


def semester_figures(con: Con) -> Any:
    return lambda y, s: metrics.semester_metrics(con, y, s)


def year_figures(con: Con) -> Any:
    return lambda y: metrics.year_metrics(con, y)


def test_progress_is_none_for_an_unlinked_resolution(con: Con) -> None:
    m = save_on(con, date(2025, 9, 10), at(0))
    r = by_id(con)[item_id(m, 1)]
    assert r.metric_key == ""
    assert resolutions.progress(r, semester_figures(con), year_figures(con)) is None
    assert (
        resolutions.progress(
            replace(r, metric_key="on_time_rate", metric_year=YEAR, metric_semester=1),
            semester_figures(con),
            year_figures(con),
        )
        is None
    )  # no target


def test_progress_of_on_time_rate_uses_the_linked_semesters_figure(con: Con) -> None:
    counts = progress_school(con)
    link = {"metric_key": "on_time_rate", "metric_year": YEAR, "metric_target": 0.95}
    m = save_on(
        con,
        date(2025, 9, 10),
        at(0),
        items=[motion("第一學期", metric_semester=1, **link), motion("第二學期", metric_semester=2, **link)],
    )
    first = by_id(con)[item_id(m, 0)]
    second = by_id(con)[item_id(m, 1)]
    expected1 = metrics.rate(counts["sem1_on_time"], counts["sem1_submitted"])
    expected2 = metrics.rate(counts["sem2_on_time"], counts["sem2_submitted"])
    assert expected1 != expected2  # a wrong semester would show
    assert expected1 == metrics.semester_metrics(con, YEAR, 1)["outcomes"]["on_time_rate"]

    p1 = resolutions.progress(first, semester_figures(con), year_figures(con))
    p2 = resolutions.progress(second, semester_figures(con), year_figures(con))
    assert p1 is not None and p2 is not None
    assert (p1.value, p1.target, p1.period) == (expected1, 0.95, f"{YEAR}-1")
    assert (p2.value, p2.period) == (expected2, f"{YEAR}-2")
    assert p1.light == targets.light(expected1, 0.95) == "red"
    assert p2.light == "green"


def test_progress_of_selection_rate_uses_the_years_figure(con: Con) -> None:
    counts = progress_school(con)
    m = save_on(
        con,
        date(2026, 3, 4),
        at(0),
        items=[motion(metric_key="selection_rate", metric_year=YEAR, metric_semester=2, metric_target=0.9)],
    )
    r = by_id(con)[item_id(m, 0)]
    assert r.metric_semester is None  # a per-year metric keeps no semester
    expected = metrics.rate(counts["selecting"], counts["students"])
    assert expected == metrics.year_metrics(con, YEAR)["selection"]["selection_rate"]
    p = resolutions.progress(r, semester_figures(con), year_figures(con))
    assert p is not None
    assert (p.value, p.target, p.period, p.light) == (
        expected,
        0.9,
        f"{YEAR}學年度",
        targets.light(expected, 0.9),
    )


def test_progress_of_counselling_rate_reads_the_semesters_counselling(con: Con) -> None:
    counts = progress_school(con)
    school_fixture.counselling(con, "S02", date(2025, 10, 1), YEAR, 1)
    m = save_on(
        con,
        date(2025, 9, 10),
        at(0),
        items=[motion(metric_key="counselling_rate", metric_year=YEAR, metric_semester=1, metric_target=0.8)],
    )
    p = resolutions.progress(by_id(con)[item_id(m, 0)], semester_figures(con), year_figures(con))
    assert p is not None
    assert p.value == metrics.rate(1, counts["students"])
    assert p.value == metrics.semester_metrics(con, YEAR, 1)["counselling"]["rate"]


# --- compliance -------------------------------------------------------------------------

# Per meeting: (held_on, [(section, topics, decision, due_date)]). 114-1 runs 2025-08-01 … 2026-01-31.
PLAN: list[tuple[date, list[tuple[str, list[str], str, date | None]]]] = [
    (date(2025, 7, 31), [("討論事項", [TOPICS[5]], "通過", None)]),  # 113-2
    (
        date(2025, 8, 1),
        [  # the first day of 114-1
            ("報告事項", [TOPICS[0]], "洽悉", None),
            ("討論事項", [TOPICS[2]], "通過", date(2025, 9, 30)),
            ("討論事項", [TOPICS[3]], "", None),  # not decided
        ],
    ),
    (
        date(2026, 1, 31),
        [  # the last day of 114-1
            ("報告事項", [TOPICS[1]], "", None),  # not decided
            ("臨時動議", [TOPICS[4], TOPICS[2]], "通過", None),
        ],
    ),
    (date(2026, 2, 1), [("討論事項", [TOPICS[5]], "通過", None)]),  # 114-2
]


def compliance_school(con: Con) -> list[meetings.Meeting]:
    saved = []
    for n, (held_on, rows) in enumerate(PLAN):
        items = [
            Item(section, f"案{n}-{i}", decision=decision, topics=topics, owner_unit="教務處", due_date=due)
            for i, (section, topics, decision, due) in enumerate(rows)
        ]
        saved.append(save_on(con, held_on, at(n), items=items))
    return saved


def plan_in(first: date, last: date) -> list[tuple[date, list[tuple[str, list[str], str, date | None]]]]:
    return [(held_on, rows) for held_on, rows in PLAN if first <= held_on <= last]


@pytest.mark.parametrize(("year", "semester"), [(114, 1), (114, 2), (113, 2), (113, 1)])
def test_compliance_counts_the_meetings_held_inside_the_semester(con: Con, year: int, semester: int) -> None:
    saved = compliance_school(con)
    first, last = meetings.semester_bounds(year, semester)
    inside = plan_in(first, last)
    c = resolutions.compliance(con, year, semester, date(2026, 8, 1))
    assert c.meeting_count == len(inside)
    assert c.meeting_count == metrics.semester_metrics(con, year, semester)["meetings"]["count"]
    assert c.sessions == tuple(
        m.session_label for m in saved if m.held_on is not None and first <= m.held_on <= last
    )
    assert c.required == 1
    assert c.met == (len(inside) >= 1)


def test_compliance_topics_decided_and_missing(con: Con) -> None:
    compliance_school(con)
    first, last = meetings.semester_bounds(114, 1)
    decided = {
        t for _, rows in plan_in(first, last) for _, topics, decision, _ in rows if decision for t in topics
    }
    c = resolutions.compliance(con, 114, 1, date(2026, 8, 1))
    assert set(c.topics_decided) == decided
    assert c.topics_decided == tuple(t for t in TOPICS if t in decided)  # in Art. 4 order
    assert c.topics_missing == tuple(t for t in TOPICS if t not in decided)
    assert TOPICS[3] in c.topics_missing and TOPICS[1] in c.topics_missing  # tagged, but not decided
    assert TOPICS[5] in c.topics_missing  # decided in other semesters only


def test_compliance_counts_resolutions_open_and_overdue(con: Con) -> None:
    saved = compliance_school(con)
    first, last = meetings.semester_bounds(114, 1)
    made = [
        (section, due)
        for _, rows in plan_in(first, last)
        for section, _, decision, due in rows
        if section in meetings.DECIDING_SECTIONS and decision
    ]
    due = min(d for _, d in made if d is not None)
    c = resolutions.compliance(con, 114, 1, due)
    assert (c.resolution_count, c.open_count, c.overdue_count) == (len(made), len(made), 0)
    late = resolutions.compliance(con, 114, 1, due + timedelta(days=1))
    assert late.overdue_count == sum(1 for _, d in made if d is not None and d < due + timedelta(days=1))
    assert late.overdue_count == 1

    # The 114-2 meeting reports the overdue one 已完成.
    overdue_item = next(i.item_id for i in saved[1].items if i.due_date == due)
    assert overdue_item is not None
    save_on(
        con,
        date(2026, 2, 25),
        at(10),
        items=[report()],
        follow_ups=[FollowUp(overdue_item, "已完成", "辦畢")],
    )
    closed = resolutions.compliance(con, 114, 1, due + timedelta(days=1))
    assert (closed.resolution_count, closed.open_count, closed.overdue_count) == (len(made), len(made) - 1, 0)


def test_compliance_required_meetings_follow_the_rule(con: Con) -> None:
    compliance_school(con)
    con.execute("insert into rules values ('meetings_min_per_semester', 3, 114, 'test')")
    c = resolutions.compliance(con, 114, 1, date(2026, 8, 1))
    assert c.required == 3
    assert c.meeting_count < 3 and not c.met
    assert resolutions.compliance(con, 113, 2, date(2026, 8, 1)).required == 1


def test_compliance_of_an_empty_semester(con: Con) -> None:
    c = resolutions.compliance(con, 114, 1, date(2026, 8, 1))
    assert (c.meeting_count, c.resolution_count, c.open_count, c.overdue_count) == (0, 0, 0, 0)
    assert c.sessions == () and c.topics_decided == ()
    assert c.topics_missing == TOPICS
    assert not c.met


def test_compliance_counts_a_resolution_completed_between_meetings_as_closed(con: Con) -> None:
    due = date(2025, 9, 30)
    m = save_on(
        con, date(2025, 9, 10), at(0), items=[motion("甲案", due_date=due), motion("乙案", due_date=due)]
    )
    after_due = due + timedelta(days=1)
    before = resolutions.compliance(con, 114, 1, after_due)
    assert (before.open_count, before.overdue_count) == (2, 2)
    resolutions.update_status(con, item_id(m, 0), "已完成", "辦畢", SECRETARY, at(1))
    after = resolutions.compliance(con, 114, 1, after_due)
    assert (after.resolution_count, after.open_count, after.overdue_count) == (2, 1, 1)
