"""Working-group meeting records (Art. 4): every validation rule refused and accepted, the quorum
from the rules table, saving with versions, confirming and unlocking with the event log, the
permission checks, one-transaction writes, and the blank draft of a new meeting."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

import duckdb
import pytest

from dashboard import auth
from dashboard.records import committee, meetings, resolutions
from dashboard.records.meetings import Attendance, FollowUp, Guest, Item, MeetingDraft
from tests import db_helpers

Con = duckdb.DuckDBPyConnection
YEAR, SEM = 114, 1
HELD = date(2025, 9, 10)  # inside 114-1
T0 = datetime(2025, 9, 10, 17, 0)
SECRETARY = auth.User("secretary", "教務主任", "執行秘書")
ADMIN = auth.User("admin", "管理者", "管理者")
PRINCIPAL = auth.User("principal", "校長", "校長")
REGISTRY = auth.User("registry", "註冊組", "註冊組")
MEMBER = auth.User("member", "委員", "工作小組委員")
NO_EDIT = [PRINCIPAL, REGISTRY, MEMBER]


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


# --- builders ---------------------------------------------------------------------------


def attendance(present: int = 21, deputies: frozenset[int] = frozenset()) -> list[Attendance]:
    """All 21 seats: seats 1..present are there (出席, or 代理 for `deputies`); the rest alternate
    請假 and 缺席."""
    rows = []
    for seat in committee.SEATS:
        n = seat.seat_no
        if n in deputies:
            rows.append(Attendance(n, f"委員{n:02d}", "代理", f"代理人{n:02d}"))
        elif n <= present:
            rows.append(Attendance(n, f"委員{n:02d}", "出席"))
        else:
            rows.append(Attendance(n, f"委員{n:02d}", "請假" if n % 2 else "缺席"))
    return rows


def report(**changes: Any) -> Item:
    base = Item(
        section="報告事項",
        title="本學期學習歷程檔案作業期程",
        explanation="依作業要點辦理。",
        decision="洽悉",
        topics=["作業期程及分工權責"],
    )
    return replace(base, **changes)


def motion(**changes: Any) -> Item:
    base = Item(
        section="討論事項",
        title="提升課程學習成果準時認證率案",
        explanation="上學期準時認證率未達目標。",
        decision="照案通過，請教學組於期限前提醒任課教師。",
        topics=["平臺運作及管理", "成效評核及獎勵"],
        votes_for=15,
        votes_against=2,
        votes_abstain=1,
        owner_unit="教務處教學組",
        due_date=date(2026, 12, 31),
        metric_key="on_time_rate",
        metric_year=YEAR,
        metric_semester=SEM,
        metric_target=0.95,
    )
    return replace(base, **changes)


def draft(**changes: Any) -> MeetingDraft:
    """A valid 114-1 第1次 meeting on HELD: all 21 present, one 報告事項 and one 討論事項."""
    base = MeetingDraft(
        school_year=YEAR,
        semester=SEM,
        sequence_no=1,
        held_on=HELD,
        start_time="14:00",
        end_time="16:00",
        place="行政大樓會議室",
        chair="委員01",
        recorder="教務處書記",
        attendance=attendance(),
        guests=[Guest("資訊組長", "列席說明")],
        items=[report(), motion()],
        follow_ups=[],
    )
    return replace(base, **changes)


def draft_on(con: Con, held_on: date, **changes: Any) -> MeetingDraft:
    """A valid draft held on `held_on` with the next free 會次 of its semester."""
    year, semester = meetings.semester_of(held_on)
    return draft(
        school_year=year,
        semester=semester,
        sequence_no=meetings.next_sequence_no(con, year, semester),
        held_on=held_on,
        **changes,
    )


def save_on(con: Con, held_on: date, now: datetime, **changes: Any) -> meetings.Meeting:
    return meetings.save(con, draft_on(con, held_on, **changes), SECRETARY, now=now)


def only(problems: dict[str, str], key: str) -> str:
    assert list(problems) == [key], problems
    return problems[key]


def snapshot(con: Con) -> dict[str, list[tuple[object, ...]]]:
    """Every table this module writes, in full."""
    return db_helpers.snapshot(con, db_helpers.MEETING_TABLES)


def set_rule(con: Con, key: str, value: float) -> None:
    changed = con.execute(
        "update rules set value = $v where key = $k returning key", {"v": value, "k": key}
    ).fetchall()
    assert changed, f"no rule row {key}"


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


# --- save -------------------------------------------------------------------------------


def test_save_creates_version_1_with_the_session_label(con: Con) -> None:
    d = draft()
    saved = meetings.save(con, d, SECRETARY, now=T0)
    assert saved.session_label == f"{YEAR}學年度第{SEM}學期第{d.sequence_no}次工作小組會議"
    assert (saved.version, saved.status, saved.locked) == (1, meetings.DRAFT, False)
    assert (saved.created_by, saved.updated_by, saved.updated_at) == ("secretary", "secretary", T0)
    assert saved == meetings.load(con, saved.meeting_id)
    stored = meetings.as_draft(saved)
    assert all(item.item_id is not None for item in stored.items)
    assert replace(stored, items=[replace(i, item_id=None) for i in stored.items]) == d
    assert [(e["action"], e["version"], e["done_by"]) for e in meetings.events(con, saved.meeting_id)] == [
        ("建立", 1, "secretary")
    ]


def test_save_stores_a_deputy_only_for_a_deputised_seat_and_votes_only_for_decisions(con: Con) -> None:
    rows = [
        replace(a, deputy_name="不該存") if a.seat_no == 3 else a for a in attendance(deputies=frozenset({4}))
    ]
    items = [
        report(
            votes_for=3,
            metric_key="on_time_rate",
            metric_year=YEAR,
            metric_semester=1,
            metric_target=0.9,
            owner_unit="教學組",
        ),
        motion(metric_key="selection_rate", metric_semester=2),
    ]
    saved = meetings.save(con, draft(attendance=rows, items=items), SECRETARY, now=T0)
    by_seat = {a.seat_no: a for a in saved.attendance}
    assert by_seat[3].deputy_name == ""
    assert by_seat[4].deputy_name == "代理人04"
    stored_report, stored_motion = saved.items
    assert (stored_report.votes_for, stored_report.metric_key, stored_report.metric_target) == (
        None,
        "",
        None,
    )
    assert stored_motion.votes_for == 15
    assert (stored_motion.metric_key, stored_motion.metric_semester) == ("selection_rate", None)


def test_topics_are_stored_in_article_4_order(con: Con) -> None:
    reordered = [meetings.TOPICS[4], meetings.TOPICS[0]]
    saved = meetings.save(con, draft(items=[report(topics=reordered)]), SECRETARY, now=T0)
    assert saved.items[0].topics == [meetings.TOPICS[0], meetings.TOPICS[4]]


def test_update_with_the_right_version_bumps_it(con: Con) -> None:
    created = meetings.save(con, draft(), SECRETARY, now=at(0))
    changed = replace(meetings.as_draft(created), place="圖書館簡報室", end_time="16:30")
    updated = meetings.save(
        con, changed, ADMIN, created.meeting_id, expected_version=created.version, now=at(5)
    )
    assert updated.meeting_id == created.meeting_id
    assert updated.version == created.version + 1
    assert (updated.place, updated.end_time) == ("圖書館簡報室", "16:30")
    assert (updated.created_by, updated.updated_by, updated.updated_at) == ("secretary", "admin", at(5))
    again = meetings.save(
        con, meetings.as_draft(updated), SECRETARY, updated.meeting_id, expected_version=updated.version
    )
    assert again.version == updated.version + 1
    assert con.execute("select count(*) from meetings").fetchone() == (1,)


def test_an_update_must_name_the_version_it_was_edited_from(con: Con) -> None:
    created = meetings.save(con, draft(), SECRETARY, now=T0)
    before = snapshot(con)
    with pytest.raises(meetings.MeetingError) as refused:
        meetings.save(con, draft(place="別處"), SECRETARY, created.meeting_id)
    assert list(refused.value.problems) == ["version"]
    assert snapshot(con) == before


def test_a_stale_save_is_refused_and_changes_nothing(con: Con) -> None:
    created = meetings.save(con, draft(), SECRETARY, now=at(0))
    opened = meetings.as_draft(created)  # two people open version 1
    first = meetings.save(con, replace(opened, place="第一位的修改"), ADMIN, created.meeting_id, 1, now=at(5))
    before, stored_before = snapshot(con), meetings.load(con, created.meeting_id)
    with pytest.raises(meetings.StaleMeetingError) as refused:
        meetings.save(con, replace(opened, place="第二位的修改", items=[]), SECRETARY, created.meeting_id, 1)
    assert list(refused.value.problems) == ["version"]
    assert f"第 {first.version} 版" in refused.value.problems["version"]
    assert meetings.load(con, created.meeting_id) == stored_before
    assert snapshot(con) == before
    assert stored_before.place == "第一位的修改"


def test_editing_keeps_item_ids_and_deletes_removed_items_with_their_follow_ups(con: Con) -> None:
    """An item no later meeting reported on can go, with its between-meeting entries; the kept
    one keeps its item_id, so the later meeting's report still points at it."""
    removed_motion = motion(title="將被刪除的提案")
    first = save_on(con, date(2025, 8, 20), at(0), items=[report(), motion(), removed_motion])
    kept_id, dropped_id = first.items[1].item_id, first.items[2].item_id
    assert kept_id is not None and dropped_id is not None
    later = save_on(con, HELD, at(1), follow_ups=[FollowUp(kept_id, "執行中", "進行中")])
    resolutions.update_status(con, dropped_id, "執行中", "會後更新", SECRETARY, at(2))

    edited = meetings.as_draft(first)
    edited.items = [replace(edited.items[1], title="修正後的案由"), motion(title="新增提案")]
    saved = meetings.save(con, edited, SECRETARY, first.meeting_id, first.version, now=at(3))

    assert saved.items[0].item_id == kept_id
    assert saved.items[0].title == "修正後的案由"
    assert saved.items[1].item_id not in {first.items[0].item_id, kept_id, dropped_id}
    stored_ids = {r[0] for r in con.execute("select item_id from meeting_items").fetchall()}
    assert dropped_id not in stored_ids and first.items[0].item_id not in stored_ids
    assert con.execute(
        "select count(*) from resolution_updates where item_id = $i", {"i": dropped_id}
    ).fetchone() == (0,)
    assert meetings.load(con, later.meeting_id).follow_ups == [FollowUp(kept_id, "執行中", "進行中")]


def test_a_resolution_a_later_meeting_reported_on_cannot_be_removed_or_emptied(con: Con) -> None:
    """Removing it would take a row out of the later (perhaps locked) minutes."""
    first = save_on(con, date(2025, 8, 20), at(0), items=[report(), motion()])
    followed = first.items[1].item_id
    assert followed is not None
    later = save_on(con, HELD, at(1), follow_ups=[FollowUp(followed, "執行中", "進行中")])
    removed = replace(meetings.as_draft(first), items=[first.items[0]])
    with pytest.raises(meetings.MeetingError) as refused:
        meetings.save(con, removed, SECRETARY, first.meeting_id, first.version, now=at(2))
    assert list(refused.value.problems) == [f"removed.{followed}"]
    assert later.session_label in refused.value.problems[f"removed.{followed}"]
    emptied = meetings.as_draft(first)
    emptied.items[1].decision = "  "
    with pytest.raises(meetings.MeetingError) as refused:
        meetings.save(con, emptied, SECRETARY, first.meeting_id, first.version, now=at(2))
    assert "items.1.decision" in refused.value.problems
    assert meetings.load(con, later.meeting_id).follow_ups == [FollowUp(followed, "執行中", "進行中")]
    assert meetings.load(con, first.meeting_id).version == first.version


def test_a_save_that_fails_halfway_writes_nothing(con: Con) -> None:
    """The event row is the last write of a save: with its table gone, everything before it is
    rolled back, for a new meeting and for an update."""
    created = meetings.save(con, draft(), SECRETARY, now=at(0))
    before = snapshot(con)
    con.execute("alter table meeting_events rename to meeting_events_away")
    try:
        with pytest.raises(duckdb.CatalogException):
            meetings.save(con, draft(sequence_no=2, held_on=date(2025, 10, 1)), SECRETARY, now=at(1))
        with pytest.raises(duckdb.CatalogException):
            changed = replace(meetings.as_draft(created), place="別處", items=[motion()], guests=[])
            meetings.save(con, changed, SECRETARY, created.meeting_id, created.version, now=at(2))
    finally:
        con.execute("alter table meeting_events_away rename to meeting_events")
    assert snapshot(con) == before


def test_a_refused_follow_up_writes_nothing(con: Con) -> None:
    earlier = save_on(con, date(2025, 8, 20), at(0))
    later = save_on(con, date(2025, 10, 15), at(1))
    before = snapshot(con)
    assert later.items[1].item_id is not None
    bad = draft_on(con, HELD, follow_ups=[FollowUp(later.items[1].item_id, "執行中")])
    with pytest.raises(meetings.MeetingError) as refused:
        meetings.save(con, bad, SECRETARY, now=at(2))
    assert list(refused.value.problems) == [f"follow_ups.{later.items[1].item_id}"]
    edit = replace(meetings.as_draft(earlier), follow_ups=bad.follow_ups)
    with pytest.raises(meetings.MeetingError):
        meetings.save(con, edit, SECRETARY, earlier.meeting_id, earlier.version, now=at(3))
    assert snapshot(con) == before


def test_saving_a_missing_meeting_is_refused(con: Con) -> None:
    with pytest.raises(meetings.MeetingError) as refused:
        meetings.save(con, draft(), SECRETARY, meeting_id=404, expected_version=1)
    assert list(refused.value.problems) == ["meeting"]
    assert snapshot(con)["meetings"] == []
    with pytest.raises(meetings.MeetingError):
        meetings.load(con, 404)


# --- confirm, unlock --------------------------------------------------------------------


def test_confirm_locks_the_minutes(con: Con) -> None:
    saved = meetings.save(con, draft(), SECRETARY, now=at(0))
    assert meetings.confirm_problems(con, saved) == {}
    confirmed = meetings.confirm(con, saved.meeting_id, SECRETARY, saved.version, now=at(10))
    assert (confirmed.status, confirmed.locked, confirmed.version) == (
        meetings.CONFIRMED,
        True,
        saved.version + 1,
    )
    assert (confirmed.confirmed_by, confirmed.confirmed_at) == ("secretary", at(10))
    assert meetings.as_draft(confirmed) == meetings.as_draft(saved)  # the content is unchanged


def test_confirm_requires_the_end_time(con: Con) -> None:
    saved = meetings.save(con, draft(end_time=""), SECRETARY, now=T0)
    with pytest.raises(meetings.MeetingError) as refused:
        meetings.confirm(con, saved.meeting_id, SECRETARY, saved.version)
    assert list(refused.value.problems) == ["end_time"]
    assert meetings.load(con, saved.meeting_id) == saved


def test_confirm_requires_the_quorum(con: Con) -> None:
    required = meetings.quorum(con, YEAR, []).required
    short = meetings.save(
        con, draft(attendance=attendance(present=required - 1), items=[report()]), SECRETARY
    )
    with pytest.raises(meetings.MeetingError) as refused:
        meetings.confirm(con, short.meeting_id, SECRETARY, short.version)
    assert list(refused.value.problems) == ["quorum"]
    assert f"{required - 1} 人" in refused.value.problems["quorum"]
    assert meetings.load(con, short.meeting_id).status == meetings.DRAFT

    enough = meetings.save(
        con, draft(sequence_no=2, attendance=attendance(present=required), items=[report()]), SECRETARY
    )
    assert meetings.confirm(con, enough.meeting_id, SECRETARY, enough.version).locked


def test_confirm_requires_a_decision_on_every_motion(con: Con) -> None:
    items = [report(decision=""), motion(), motion(decision=" "), motion(section="臨時動議", decision="")]
    saved = meetings.save(con, draft(items=items), SECRETARY)
    problems = meetings.confirm_problems(con, saved)
    assert set(problems) == {"items.2.decision", "items.3.decision"}  # a 報告事項 needs no 決定
    with pytest.raises(meetings.MeetingError):
        meetings.confirm(con, saved.meeting_id, SECRETARY, saved.version)
    assert meetings.load(con, saved.meeting_id).status == meetings.DRAFT


def test_confirm_with_a_stale_version_is_refused(con: Con) -> None:
    saved = meetings.save(con, draft(), SECRETARY, now=at(0))
    meetings.save(con, meetings.as_draft(saved), SECRETARY, saved.meeting_id, saved.version, now=at(1))
    before = snapshot(con)
    with pytest.raises(meetings.StaleMeetingError):
        meetings.confirm(con, saved.meeting_id, SECRETARY, saved.version)
    assert snapshot(con) == before


def test_confirmed_minutes_refuse_a_save_and_a_second_confirm(con: Con) -> None:
    saved = meetings.save(con, draft(), SECRETARY, now=at(0))
    confirmed = meetings.confirm(con, saved.meeting_id, SECRETARY, saved.version, now=at(1))
    before = snapshot(con)
    with pytest.raises(meetings.LockedMeetingError) as refused:
        meetings.save(
            con,
            replace(meetings.as_draft(confirmed), place="改地點"),
            ADMIN,
            confirmed.meeting_id,
            confirmed.version,
        )
    assert list(refused.value.problems) == ["locked"]
    with pytest.raises(meetings.LockedMeetingError):
        meetings.confirm(con, confirmed.meeting_id, SECRETARY, confirmed.version)
    assert snapshot(con) == before


def test_unlock_needs_a_reason_and_a_confirmed_meeting(con: Con) -> None:
    saved = meetings.save(con, draft(), SECRETARY, now=at(0))
    with pytest.raises(meetings.MeetingError) as refused:
        meetings.unlock(con, saved.meeting_id, SECRETARY, "更正文字", saved.version)
    assert list(refused.value.problems) == ["locked"]
    confirmed = meetings.confirm(con, saved.meeting_id, SECRETARY, saved.version, now=at(1))
    before = snapshot(con)
    for reason in ("", "   "):
        with pytest.raises(meetings.MeetingError) as refused:
            meetings.unlock(con, confirmed.meeting_id, SECRETARY, reason, confirmed.version)
        assert list(refused.value.problems) == ["reason"]
    with pytest.raises(meetings.StaleMeetingError):
        meetings.unlock(con, confirmed.meeting_id, SECRETARY, "更正文字", saved.version)
    assert snapshot(con) == before


def test_unlock_reopens_the_minutes_and_the_log_records_every_action(con: Con) -> None:
    created = meetings.save(con, draft(), SECRETARY, now=at(0))
    modified = meetings.save(
        con,
        replace(meetings.as_draft(created), place="改到圖書館"),
        SECRETARY,
        created.meeting_id,
        1,
        now=at(1),
    )
    confirmed = meetings.confirm(con, modified.meeting_id, SECRETARY, modified.version, now=at(2))
    unlocked = meetings.unlock(
        con, confirmed.meeting_id, ADMIN, "  更正決議文字  ", confirmed.version, now=at(3)
    )
    assert (unlocked.status, unlocked.locked, unlocked.version) == (
        meetings.DRAFT,
        False,
        confirmed.version + 1,
    )
    assert (unlocked.confirmed_by, unlocked.confirmed_at) == (None, None)
    fixed = meetings.save(
        con,
        replace(meetings.as_draft(unlocked), place="更正後"),
        SECRETARY,
        unlocked.meeting_id,
        unlocked.version,
        now=at(4),
    )
    assert fixed.place == "更正後"
    log = [
        (e["action"], e["version"], e["reason"], e["done_by"], e["done_at"])
        for e in meetings.events(con, fixed.meeting_id)
    ]
    assert log == [
        ("建立", 1, None, "secretary", at(0)),
        ("修改", 2, None, "secretary", at(1)),
        ("確認", 3, None, "secretary", at(2)),
        ("解除鎖定", 4, "更正決議文字", "admin", at(3)),
        ("修改", 5, None, "secretary", at(4)),
    ]
    assert fixed.version == 5


@pytest.mark.parametrize("user", NO_EDIT, ids=lambda u: u.role)
def test_a_role_without_permission_may_not_save_confirm_or_unlock(con: Con, user: auth.User) -> None:
    assert not user.can("edit_meetings") and not user.can("confirm_minutes")
    saved = meetings.save(con, draft(), SECRETARY, now=at(0))
    before = snapshot(con)
    attempts = [
        lambda: meetings.save(con, draft(sequence_no=2), user),
        lambda: meetings.save(con, meetings.as_draft(saved), user, saved.meeting_id, saved.version),
        lambda: meetings.confirm(con, saved.meeting_id, user, saved.version),
    ]
    for attempt in attempts:
        with pytest.raises(meetings.MeetingError) as refused:
            attempt()
        assert list(refused.value.problems) == ["user"]
    assert snapshot(con) == before

    confirmed = meetings.confirm(con, saved.meeting_id, SECRETARY, saved.version, now=at(1))
    before = snapshot(con)
    with pytest.raises(meetings.MeetingError) as refused:
        meetings.unlock(con, confirmed.meeting_id, user, "想修改", confirmed.version)
    assert list(refused.value.problems) == ["user"]
    assert snapshot(con) == before


def test_the_administrator_may_confirm_and_unlock(con: Con) -> None:
    saved = meetings.save(con, draft(), ADMIN, now=at(0))
    confirmed = meetings.confirm(con, saved.meeting_id, ADMIN, saved.version, now=at(1))
    assert confirmed.confirmed_by == "admin"
    assert not meetings.unlock(con, saved.meeting_id, ADMIN, "更正", confirmed.version, now=at(2)).locked


# --- listing ----------------------------------------------------------------------------


def test_list_meetings_newest_first_with_counts(con: Con) -> None:
    first = save_on(
        con,
        date(2025, 8, 20),
        at(0),
        attendance=attendance(present=12),
        items=[report(), motion(votes_for=9)],
    )
    second = save_on(con, date(2026, 3, 4), at(1), items=[report(), motion(), motion(decision="")])
    save_on(con, date(2026, 9, 9), at(2))  # 115
    rows = meetings.list_meetings(con, YEAR)
    assert [r["meeting_id"] for r in rows] == [second.meeting_id, first.meeting_id]
    assert [(r["present_count"], r["item_count"], r["resolution_count"]) for r in rows] == [
        (21, 3, 1),
        (12, 2, 1),
    ]
    assert len(meetings.list_meetings(con)) == 3


# --- blank_draft ------------------------------------------------------------------------


def roster(con: Con, year: int = YEAR, **dates: tuple[date, date]) -> dict[int, str]:
    """Stores a full roster for `year`; `dates` gives some seats (seat_19=(start, end)) their own
    term. Returns seat → name."""
    first, last = committee.year_bounds(year)
    names: dict[int, str] = {}
    members = []
    for seat in committee.SEATS:
        n = seat.seat_no
        name, code = f"{year}年委員{n:02d}", (f"Y{year}S{n:02d}" if seat.staff else None)
        if code:
            con.execute(
                "insert into staff (staff_code, name, unit, title, employment_status)"
                " values ($c, $n, '教務處', $t, '在職')",
                {"c": code, "n": name, "t": seat.title},
            )
        start, end = dates.get(f"seat_{n}", (first, last))
        members.append(committee.Member(n, name, code, start, end))
        names[n] = name
    committee.save(con, year, members, SECRETARY)
    return names


def test_blank_draft_takes_the_roster_holders_and_the_convener(con: Con) -> None:
    joins = date(2025, 10, 1)
    names = roster(con, seat_19=(joins, date(2026, 7, 31)))
    blank = meetings.blank_draft(con, YEAR, SEM, HELD)
    assert (blank.school_year, blank.semester, blank.sequence_no, blank.held_on) == (YEAR, SEM, 1, HELD)
    assert blank.chair == names[committee.CHAIR_SEAT]
    assert [a.seat_no for a in blank.attendance] == list(range(1, 22))
    assert {a.attendance for a in blank.attendance} == {"出席"}
    by_seat = {a.seat_no: a.person_name for a in blank.attendance}
    assert by_seat == {**names, 19: ""}  # the 教師代表 only serves from 10-01
    assert {a.seat_no: a.person_name for a in meetings.blank_draft(con, YEAR, SEM, joins).attendance} == names
    assert blank.end_time == "" and blank.items == [] and blank.follow_ups == []


def test_blank_draft_without_a_roster_leaves_names_and_chair_blank(con: Con) -> None:
    blank = meetings.blank_draft(con, YEAR, SEM, HELD)
    assert blank.chair == ""
    assert {a.person_name for a in blank.attendance} == {""}
    assert "attendance.1" in meetings.validate(con, blank)


def test_blank_draft_numbers_the_next_session(con: Con) -> None:
    roster(con)
    save_on(con, date(2025, 8, 20), at(0))
    save_on(con, date(2026, 3, 4), at(1))  # another semester
    assert meetings.blank_draft(con, YEAR, SEM, HELD).sequence_no == 2
    assert meetings.blank_draft(con, YEAR, 2, date(2026, 5, 6)).sequence_no == 2
    assert meetings.blank_draft(con, YEAR + 1, SEM, date(2026, 9, 9)).sequence_no == 1


def test_blank_draft_carries_only_the_open_resolutions_of_earlier_meetings(con: Con) -> None:
    roster(con)
    two = [motion(title="甲案"), motion(title="乙案")]
    earlier = save_on(con, date(2025, 8, 20), at(0), items=[report(), *two])
    done = save_on(con, date(2025, 8, 27), at(1), items=[motion(title="已完成案")])
    a, b, c = earlier.items[1].item_id, earlier.items[2].item_id, done.items[0].item_id
    assert a is not None and b is not None and c is not None
    reported = [FollowUp(b, "執行中", "已發函"), FollowUp(c, "已完成", "辦畢")]
    save_on(con, date(2025, 8, 30), at(2), items=[report()], follow_ups=reported)
    later = save_on(con, date(2025, 11, 5), at(3), items=[motion(title="之後的案")])

    blank = meetings.blank_draft(con, YEAR, SEM, HELD)
    assert blank.follow_ups == [FollowUp(a, "未執行", ""), FollowUp(b, "執行中", "已發函")]
    assert later.items[0].item_id not in {f.item_id for f in blank.follow_ups}
    # The carried follow-ups pass validation as they are.
    assert meetings.validate(con, replace(blank, place="會議室", recorder="書記")) == {}
    # A meeting held after the later one carries that one's 決議 too.
    after = meetings.blank_draft(con, YEAR, SEM, date(2025, 12, 3))
    assert [f.item_id for f in after.follow_ups] == [a, b, later.items[0].item_id]


def test_blank_draft_shows_a_status_updated_between_meetings(con: Con) -> None:
    roster(con)
    earlier = save_on(con, date(2025, 8, 20), at(0), items=[motion(title="甲案"), motion(title="乙案")])
    a, b = earlier.items[0].item_id, earlier.items[1].item_id
    assert a is not None and b is not None
    resolutions.update_status(con, a, "執行中", "已發函", SECRETARY, at(1))
    resolutions.update_status(con, b, "已完成", "辦畢", SECRETARY, at(2))
    assert meetings.blank_draft(con, YEAR, SEM, HELD).follow_ups == [FollowUp(a, "執行中", "已發函")]


def test_an_earlier_meeting_stays_editable_after_a_later_one_closes_its_follow_up(con: Con) -> None:
    """Meeting 2 reported resolution R 執行中; meeting 3 then reported it 已完成. Correcting a typo in
    meeting 2 (still a draft) must not be refused because R is closed *now*: R was open when
    meeting 2 was held, and meeting 2's own report is what the form shows."""
    first = save_on(con, date(2025, 8, 20), at(0))
    r = first.items[1].item_id
    assert r is not None
    second = save_on(con, HELD, at(1), follow_ups=[FollowUp(r, "執行中", "進行中")])
    save_on(con, date(2025, 11, 5), at(2), follow_ups=[FollowUp(r, "已完成", "辦畢")])
    edit = replace(meetings.as_draft(second), place="更正後的地點")
    assert meetings.validate(con, edit, second.meeting_id) == {}
    saved = meetings.save(con, edit, SECRETARY, second.meeting_id, second.version, now=at(3))
    assert saved.follow_ups == [FollowUp(r, "執行中", "進行中")]
