"""The builders the meeting record tests share (tests/unit/test_meeting_*.py, and the drafts of
test_resolutions and of the 會議紀錄 page test): the users, a valid 114-1 draft and its
attendance, report and motion items, saving a draft on a given day, and read-backs of every
table a save writes."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

import duckdb

from dashboard import auth
from dashboard.records import committee, meetings
from dashboard.records.meetings import Attendance, Guest, Item, MeetingDraft
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
