"""Reading meetings back: one stored meeting as a Meeting (load) and its editable copy
(as_draft), the list of meetings with their counts, a meeting's event log, and the blank draft
of a new meeting (the roster's holders, the next 會次, the open resolutions it reports on).
meetings.py re-exports these; it is the module callers use. This module only reads, and
it is headless (no Streamlit).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import duckdb

from dashboard import db
from dashboard.records import committee, resolutions
from dashboard.records.meeting_model import (
    Attendance,
    FollowUp,
    Guest,
    Item,
    Meeting,
    MeetingDraft,
    MeetingError,
    next_sequence_no,
    semester_bounds,
)

Connection = duckdb.DuckDBPyConnection


def blank_draft(con: Connection, year: int, semester: int, held_on: date | None = None) -> MeetingDraft:
    """A new meeting: the next 會次, the roster's holders all 出席, the 召集人 as chair, and the
    open resolutions of earlier meetings as 上次會議決議執行情形."""
    day = held_on or semester_bounds(year, semester)[0]
    holders = committee.holders_on(con, year, day)
    attendance = [
        Attendance(seat.seat_no, holders[seat.seat_no].person_name if seat.seat_no in holders else "", "出席")
        for seat in committee.SEATS
    ]
    chair = holders.get(committee.CHAIR_SEAT)
    return MeetingDraft(
        school_year=year,
        semester=semester,
        sequence_no=next_sequence_no(con, year, semester),
        held_on=held_on,
        start_time="14:00",
        end_time="",
        place="",
        chair=chair.person_name if chair else "",
        recorder="",
        attendance=attendance,
        follow_ups=[
            FollowUp(r.item_id, r.status, r.note)
            for r in resolutions.open_before(con, day, exclude_meeting=None)
        ],
    )


def load(con: Connection, meeting_id: int) -> Meeting:
    rows = db.query_rows(con, "meeting_record", meeting_id=meeting_id)
    if not rows:
        raise MeetingError({"meeting": "找不到這場會議；可能已被刪除，請回到會議列表。"})
    m = rows[0]
    attendance = [
        Attendance(int(r["seat_no"]), r["person_name"], r["attendance"], r["deputy_name"] or "")
        for r in db.query_rows(con, "meeting_attendance_list", meeting_id=meeting_id)
    ]
    guests = [
        Guest(r["guest_name"], r["guest_title"] or "")
        for r in db.query_rows(con, "meeting_guest_list", meeting_id=meeting_id)
    ]
    items = [
        db.record(Item, r, topics=list(r["topics"] or []))
        for r in db.query_rows(con, "meeting_item_list", meeting_id=meeting_id)
    ]
    follow_ups = [
        FollowUp(int(r["item_id"]), r["status"], r["note"] or "")
        for r in db.query_rows(con, "meeting_follow_ups", meeting_id=meeting_id)
    ]
    return db.record(
        Meeting,
        m,
        sequence_no=int(m["sequence_no"] or 0),
        attendance=attendance,
        guests=guests,
        items=items,
        follow_ups=follow_ups,
    )


def as_draft(meeting: Meeting) -> MeetingDraft:
    """The editable part of a stored meeting (copies, so a form never changes the original)."""
    return MeetingDraft(
        school_year=meeting.school_year,
        semester=meeting.semester,
        sequence_no=meeting.sequence_no,
        held_on=meeting.held_on,
        start_time=meeting.start_time,
        end_time=meeting.end_time,
        place=meeting.place,
        chair=meeting.chair,
        recorder=meeting.recorder,
        attendance=[replace(a) for a in meeting.attendance],
        guests=[replace(g) for g in meeting.guests],
        items=[replace(i, topics=list(i.topics)) for i in meeting.items],
        follow_ups=[replace(f) for f in meeting.follow_ups],
    )


def list_meetings(con: Connection, year: int | None = None) -> list[dict[str, Any]]:
    """Every meeting (of `year`, or all), newest first, with counts for the list."""
    return db.query_rows(con, "meetings_list", year=year)


def events(con: Connection, meeting_id: int) -> list[dict[str, Any]]:
    return db.query_rows(con, "meeting_event_log", meeting_id=meeting_id)
