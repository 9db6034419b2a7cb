"""Working-group meeting records (Art. 4), the rules: the session label and semester bounds,
every validation rule refused and accepted (the header, attendance, agenda items, follow-ups),
and the quorum from the rules table."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest

from dashboard.records import committee, meetings, resolutions
from dashboard.records.meetings import Attendance, FollowUp, Guest
from tests.meeting_helpers import (
    HELD,
    SECRETARY,
    SEM,
    T0,
    YEAR,
    Con,
    at,
    attendance,
    draft,
    draft_on,
    motion,
    only,
    report,
    save_on,
    set_rule,
)

# --- small functions --------------------------------------------------------------------


def test_session_label_and_semester_bounds() -> None:
    assert meetings.session_label(114, 2, 3) == "114學年度第2學期第3次工作小組會議"
    assert meetings.semester_bounds(114, 1) == (date(2025, 8, 1), date(2026, 1, 31))
    assert meetings.semester_bounds(114, 2) == (date(2026, 2, 1), date(2026, 7, 31))
    for day, expected in (
        (date(2025, 8, 1), (114, 1)),
        (date(2026, 1, 31), (114, 1)),
        (date(2026, 2, 1), (114, 2)),
        (date(2026, 7, 31), (114, 2)),
        (date(2025, 7, 31), (113, 2)),
    ):
        assert meetings.semester_of(day) == expected
        first, last = meetings.semester_bounds(*expected)
        assert first <= day <= last


# --- validate: the header ---------------------------------------------------------------


def test_a_complete_draft_has_no_problems(con: Con) -> None:
    assert meetings.validate(con, draft()) == {}


@pytest.mark.parametrize(
    ("changes", "key"),
    [
        ({"held_on": None}, "held_on"),
        ({"held_on": date(2025, 7, 31)}, "held_on"),  # the day before 114-1
        ({"held_on": date(2026, 2, 1)}, "held_on"),  # the day after 114-1
        ({"held_on": date(2026, 9, 10)}, "held_on"),  # 115-1
        ({"semester": 3}, "semester"),
        ({"sequence_no": 0}, "sequence_no"),
        ({"start_time": "2pm"}, "start_time"),
        ({"start_time": "9:00"}, "start_time"),
        ({"start_time": "24:00"}, "start_time"),
        ({"start_time": "14:60"}, "start_time"),
        ({"start_time": ""}, "start_time"),
        ({"end_time": "16:0"}, "end_time"),
        ({"end_time": "25:00"}, "end_time"),
        ({"end_time": "14:00"}, "end_time"),  # 散會 at the start
        ({"end_time": "13:59"}, "end_time"),  # 散會 before the start
        ({"place": "  "}, "place"),
        ({"chair": ""}, "chair"),
        ({"recorder": " "}, "recorder"),
        ({"guests": [Guest("資訊組長"), Guest("  ", "列席")]}, "guests.1.name"),
    ],
)
def test_validate_refuses_a_header_field(con: Con, changes: dict[str, Any], key: str) -> None:
    only(meetings.validate(con, draft(**changes)), key)


def test_held_on_message_names_the_semester(con: Con) -> None:
    message = only(meetings.validate(con, draft(held_on=date(2026, 2, 1))), "held_on")
    assert "2025-08-01" in message and "2026-01-31" in message


@pytest.mark.parametrize(
    ("semester", "held_on"),
    [
        (1, date(2025, 8, 1)),
        (1, date(2026, 1, 31)),
        (2, date(2026, 2, 1)),
        (2, date(2026, 7, 31)),
    ],
)
def test_validate_accepts_the_first_and_last_day_of_a_semester(
    con: Con, semester: int, held_on: date
) -> None:
    d = draft(semester=semester, held_on=held_on, items=[report(), motion(due_date=held_on)])
    assert meetings.validate(con, d) == {}


@pytest.mark.parametrize(
    ("start", "end"), [("00:00", "23:59"), ("14:00", "14:01"), ("09:30", ""), ("14:00", "")]
)
def test_validate_accepts_times(con: Con, start: str, end: str) -> None:
    assert meetings.validate(con, draft(start_time=start, end_time=end)) == {}


def test_a_bad_start_time_is_not_also_compared_with_the_end(con: Con) -> None:
    only(meetings.validate(con, draft(start_time="x", end_time="10:00")), "start_time")


def test_sequence_no_is_unique_within_a_semester_only(con: Con) -> None:
    first = meetings.save(con, draft(), SECRETARY, now=T0)
    message = only(meetings.validate(con, draft(held_on=date(2025, 11, 5))), "sequence_no")
    assert first.session_label in message
    assert meetings.validate(con, draft(held_on=date(2025, 11, 5), sequence_no=2)) == {}
    assert meetings.validate(con, draft(semester=2, held_on=date(2026, 3, 4))) == {}
    assert meetings.validate(con, draft(school_year=115, held_on=date(2026, 9, 9))) == {}
    # The stored meeting itself does not collide with its own 會次.
    assert meetings.validate(con, meetings.as_draft(first), first.meeting_id) == {}


def test_next_sequence_no_counts_per_semester(con: Con) -> None:
    assert meetings.next_sequence_no(con, YEAR, SEM) == 1
    meetings.save(con, draft(sequence_no=4), SECRETARY, now=T0)
    assert meetings.next_sequence_no(con, YEAR, SEM) == 5
    assert meetings.next_sequence_no(con, YEAR, 2) == 1
    assert meetings.next_sequence_no(con, YEAR + 1, SEM) == 1


# --- validate: attendance ---------------------------------------------------------------


def test_attendance_must_list_every_seat_once(con: Con) -> None:
    rows = attendance()
    only(meetings.validate(con, draft(attendance=rows[:-1])), "attendance")  # 20 seats
    only(meetings.validate(con, draft(attendance=[*rows, Attendance(22, "多的人", "出席")])), "attendance")
    twice = [*rows[:-1], replace(rows[0])]  # seat 1 twice, seat 21 missing
    only(meetings.validate(con, draft(attendance=twice)), "attendance")
    only(meetings.validate(con, draft(attendance=[], items=[report()])), "attendance")
    assert meetings.validate(con, draft(attendance=list(reversed(rows)))) == {}  # order is free


@pytest.mark.parametrize(
    ("seat_no", "changes", "words"),
    [
        (5, {"attendance": "代理", "deputy_name": ""}, "代理人"),
        (5, {"attendance": "代理", "deputy_name": "  "}, "代理人"),
        (7, {"person_name": " "}, "尚無人選"),
        (20, {"person_name": "", "attendance": "請假"}, "尚無人選"),
        (3, {"attendance": "遲到"}, "出席情形"),
    ],
)
def test_validate_refuses_an_attendance_row(
    con: Con, seat_no: int, changes: dict[str, Any], words: str
) -> None:
    rows = [replace(a, **changes) if a.seat_no == seat_no else a for a in attendance()]
    assert words in only(meetings.validate(con, draft(attendance=rows)), f"attendance.{seat_no}")


def test_validate_accepts_every_attendance_state_and_a_named_deputy(con: Con) -> None:
    rows = attendance(present=18, deputies=frozenset({5}))
    assert {a.attendance for a in rows} == set(meetings.ATTENDANCE)
    assert meetings.validate(con, draft(attendance=rows)) == {}


# --- validate: agenda items -------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"section": "專題報告"}, "section"),
        ({"title": "  "}, "title"),
        ({"topics": []}, "topics"),
        ({"topics": ["平臺運作及管理", "校務評鑑"]}, "topics"),
        ({"votes_against": -1}, "votes"),
        ({"due_date": HELD - timedelta(days=1)}, "due_date"),
        ({"owner_unit": "  ", "metric_key": ""}, "owner_unit"),  # a due date without an owner
        ({"owner_unit": "", "due_date": None}, "owner_unit"),  # a metric without an owner
        ({"metric_key": "pass_rate"}, "metric"),
        ({"metric_target": 0}, "metric"),
        ({"metric_target": -0.1}, "metric"),
        ({"metric_target": 1.5}, "metric"),
        ({"metric_target": 95}, "metric"),  # a percentage typed instead of a share
        ({"metric_target": None}, "metric"),
        ({"metric_target": math.nan}, "metric"),
        ({"metric_semester": None}, "metric"),
        ({"metric_semester": 3}, "metric"),
        ({"metric_year": None}, "metric"),
    ],
)
def test_validate_refuses_an_item_field(con: Con, changes: dict[str, Any], field: str) -> None:
    only(meetings.validate(con, draft(items=[report(), motion(**changes)])), f"items.1.{field}")


def test_a_report_item_without_title_or_topics_is_refused_by_position(con: Con) -> None:
    problems = meetings.validate(con, draft(items=[report(title="", topics=[]), motion()]))
    assert set(problems) == {"items.0.title", "items.0.topics"}
    assert "報告主題" in problems["items.0.title"]
    problems = meetings.validate(con, draft(items=[report(), motion(section="臨時動議", title="")]))
    assert "案由" in only(problems, "items.1.title")


@pytest.mark.parametrize(
    "changes",
    [
        {"due_date": HELD},  # the day of the meeting
        {"due_date": None, "metric_key": "", "owner_unit": ""},  # an untracked 決議
        {"metric_target": 1.0},
        {"metric_target": 0.0001},
        {"metric_key": "selection_rate", "metric_semester": None},  # a per-year metric
        {"metric_key": "counselling_rate", "metric_semester": 2},
        {"votes_for": None, "votes_against": None, "votes_abstain": None},
        {"section": "臨時動議", "decision": ""},  # a 決議 may wait until confirmation
        {"topics": list(meetings.TOPICS)},
    ],
)
def test_validate_accepts_an_item(con: Con, changes: dict[str, Any]) -> None:
    assert meetings.validate(con, draft(items=[report(), motion(**changes)])) == {}


def test_votes_may_not_exceed_those_present(con: Con) -> None:
    rows = attendance(present=14, deputies=frozenset({15}))
    present = sum(1 for a in rows if a.attendance in meetings.PRESENT)
    assert present == 15

    def votes(total: int) -> dict[str, str]:
        against = 1
        item = motion(votes_for=total - against - 1, votes_against=against, votes_abstain=1)
        return meetings.validate(con, draft(attendance=rows, items=[item]))

    assert votes(present) == {}
    assert str(present + 1) in only(votes(present + 1), "items.0.votes")


def test_validate_reports_every_problem_at_once(con: Con) -> None:
    d = draft(
        held_on=None,
        start_time="",
        place="",
        items=[report(topics=[]), motion(votes_for=-1, metric_key="nope")],
    )
    assert set(meetings.validate(con, d)) == {
        "held_on",
        "start_time",
        "place",
        "items.0.topics",
        "items.1.votes",
        "items.1.metric",
    }


# --- validate: follow-ups ---------------------------------------------------------------


def test_a_follow_up_of_an_earlier_open_resolution_is_accepted(con: Con) -> None:
    earlier = save_on(con, date(2025, 8, 20), at(0))
    resolution = earlier.items[1].item_id
    assert resolution is not None
    for status in meetings.STATUSES:
        d = draft_on(con, HELD, follow_ups=[FollowUp(resolution, status, "說明")])
        assert meetings.validate(con, d) == {}


def test_a_follow_up_must_be_an_earlier_open_resolution(con: Con) -> None:
    earlier = save_on(con, date(2025, 8, 20), at(0))
    later = save_on(con, date(2025, 10, 15), at(1))
    done = save_on(con, date(2025, 8, 25), at(2))
    done_id = done.items[1].item_id
    assert done_id is not None
    save_on(con, date(2025, 8, 28), at(3), items=[report()], follow_ups=[FollowUp(done_id, "已完成", "辦畢")])
    same_day = save_on(con, HELD, at(4))

    def refused(item_id: int | None, status: str = "執行中") -> str:
        assert item_id is not None
        d = draft_on(con, HELD, follow_ups=[FollowUp(item_id, status)])
        return only(meetings.validate(con, d), f"follow_ups.{item_id}")

    refused(later.items[1].item_id)  # a later meeting's 決議
    refused(same_day.items[1].item_id)  # not held before this meeting
    refused(done_id)  # already 已完成
    refused(earlier.items[0].item_id)  # a 報告事項 is not a 決議
    refused(99999)  # no such item
    assert "完成" in refused(earlier.items[1].item_id, status="完成")  # not one of the statuses
    d = draft_on(con, HELD, follow_ups=[FollowUp(earlier.items[1].item_id or 0, "執行中")])
    assert meetings.validate(con, d) == {}  # the earlier open one is fine


def test_a_resolution_completed_between_meetings_is_not_reported_again(con: Con) -> None:
    """update_status(已完成) between meetings closes the resolution, so the next meeting may not
    report it as still open."""
    earlier = save_on(con, date(2025, 8, 20), at(0))
    r = earlier.items[1].item_id
    assert r is not None
    resolutions.update_status(con, r, "已完成", "已辦理", SECRETARY, at(1))
    d = draft_on(con, HELD, follow_ups=[FollowUp(r, "執行中")])
    only(meetings.validate(con, d), f"follow_ups.{r}")


# --- quorum -----------------------------------------------------------------------------


def smallest_majority(seats: int, share: float) -> int:
    """The smallest head count that is more than `share` of `seats`, counted up one by one."""
    n = 0
    while not n > seats * share:
        n += 1
    return n


def test_quorum_is_more_than_half_of_the_21_seats(con: Con) -> None:
    required = smallest_majority(committee.SEAT_COUNT, 0.5)
    met = meetings.quorum(con, YEAR, attendance(present=required, deputies=frozenset({1, 2})))
    assert (met.seats, met.present, met.required, met.met) == (21, required, required, True)
    short = meetings.quorum(con, YEAR, attendance(present=required - 1))
    assert (short.present, short.met) == (required - 1, False)
    assert required == 11


def test_quorum_counts_deputies_but_not_leave_or_absence(con: Con) -> None:
    rows = attendance(present=9, deputies=frozenset({10, 11}))
    q = meetings.quorum(con, YEAR, rows)
    assert q.present == 11 and q.met
    assert meetings.quorum(con, YEAR, attendance(present=0)).present == 0


def test_quorum_share_is_read_from_the_rules_table(con: Con) -> None:
    set_rule(con, "meeting_quorum_share", 0.6)
    required = smallest_majority(committee.SEAT_COUNT, 0.6)
    assert required == 13
    assert meetings.quorum(con, YEAR, attendance(present=required)).met
    q = meetings.quorum(con, YEAR, attendance(present=required - 1))
    assert (q.required, q.met) == (required, False)


def test_quorum_is_strictly_more_than_the_share(con: Con) -> None:
    """With a share of two thirds, 14 of 21 is exactly two thirds: not more, so not a quorum."""
    set_rule(con, "meeting_quorum_share", 2 / 3)
    required = smallest_majority(committee.SEAT_COUNT, 2 / 3)
    assert required == 15
    assert not meetings.quorum(con, YEAR, attendance(present=required - 1)).met
    assert meetings.quorum(con, YEAR, attendance(present=required)).met


def test_a_later_quorum_rule_applies_from_its_year(con: Con) -> None:
    con.execute("insert into rules values ('meeting_quorum_share', 0.6, 115, 'test')")
    assert meetings.quorum(con, YEAR, []).required == smallest_majority(21, 0.5)
    assert meetings.quorum(con, YEAR + 1, []).required == smallest_majority(21, 0.6)
