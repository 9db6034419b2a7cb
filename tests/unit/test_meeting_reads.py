"""Working-group meeting records (Art. 4), reading: the list of meetings with their counts, and
the blank draft of a new meeting (the roster's holders, the next 會次, the open resolutions of
earlier meetings it reports on)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from dashboard.records import committee, meetings, resolutions
from dashboard.records.meetings import FollowUp
from tests.meeting_helpers import (
    HELD,
    SECRETARY,
    SEM,
    YEAR,
    Con,
    at,
    attendance,
    motion,
    report,
    save_on,
)

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
