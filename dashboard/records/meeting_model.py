"""The data of a working-group meeting record (Art. 4): its constants, dataclasses, errors,
labels, semester bounds and the quorum rule. meetings.py is the module callers use; it
re-exports these names. This module must not import streamlit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime

import duckdb

from dashboard import db
from dashboard.records import committee
from dashboard.school_calendar import semester_bounds as semester_bounds  # re-exported for meetings
from dashboard.school_calendar import semester_of as semester_of  # re-exported for meetings

Connection = duckdb.DuckDBPyConnection

SECTIONS: tuple[str, ...] = ("報告事項", "討論事項", "臨時動議")
DECIDING_SECTIONS: frozenset[str] = frozenset({"討論事項", "臨時動議"})  # these carry a 決議
TOPICS: tuple[str, ...] = (
    "作業期程及分工權責",
    "資料建置方式",
    "平臺運作及管理",
    "學生訓練教師研習及親師說明會",
    "成效評核及獎勵",
    "其他推動及宣導事項",
)
ATTENDANCE: tuple[str, ...] = ("出席", "請假", "缺席", "代理")
PRESENT: frozenset[str] = frozenset({"出席", "代理"})
STATUSES: tuple[str, ...] = ("未執行", "執行中", "已完成")
DRAFT, CONFIRMED = "草稿", "已確認"
DEFAULT_QUORUM_SHARE = 0.5


@dataclass
class Attendance:
    seat_no: int
    person_name: str
    attendance: str  # one of ATTENDANCE
    deputy_name: str = ""


@dataclass
class Guest:
    name: str
    title: str = ""


@dataclass
class Item:
    section: str
    title: str  # 報告主題 / 案由
    explanation: str = ""  # 說明
    decision: str = ""  # 決定 / 決議
    topics: list[str] = field(default_factory=list)
    votes_for: int | None = None
    votes_against: int | None = None
    votes_abstain: int | None = None
    owner_unit: str = ""
    due_date: date | None = None
    metric_key: str = ""  # a targets.METRICS key, or ""
    metric_year: int | None = None
    metric_semester: int | None = None  # None for a per-year metric (selection_rate)
    metric_target: float | None = None  # a share, 0.95
    item_id: int | None = None  # None until stored; kept across edits


@dataclass
class FollowUp:
    """One open 決議 of an earlier meeting as this meeting's 上次會議決議執行情形 reports it."""

    item_id: int
    status: str
    note: str = ""


@dataclass
class MeetingDraft:
    """What the form holds: every field of a 會議紀錄."""

    school_year: int
    semester: int
    sequence_no: int
    held_on: date | None
    start_time: str  # HH:MM
    end_time: str  # 散會 HH:MM; may stay empty until the minutes are confirmed
    place: str
    chair: str
    recorder: str
    attendance: list[Attendance]
    guests: list[Guest] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    follow_ups: list[FollowUp] = field(default_factory=list)


@dataclass
class Meeting(MeetingDraft):
    meeting_id: int = 0
    session_label: str = ""
    status: str = DRAFT
    version: int = 1
    created_by: str = ""
    updated_by: str = ""
    updated_by_name: str = ""  # the account's display name, for messages
    updated_at: datetime | None = None
    confirmed_by: str | None = None
    confirmed_at: datetime | None = None
    confirmed_by_name: str | None = None

    @property
    def locked(self) -> bool:
        return self.status == CONFIRMED


@dataclass(frozen=True)
class Quorum:
    seats: int
    present: int
    required: int  # the smallest count that is more than `share` of the seats

    @property
    def met(self) -> bool:
        return self.present >= self.required


class MeetingError(ValueError):
    """A refused save: `problems` maps a form field (held_on, items.2.title, …) to a message."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__(" ".join(problems.values()))
        self.problems = problems


class StaleMeetingError(MeetingError):
    """Someone saved the meeting after this form was opened; nothing was written."""


class LockedMeetingError(MeetingError):
    """The minutes are confirmed; unlock them first."""


def session_label(year: int, semester: int, sequence_no: int) -> str:
    return f"{year}學年度第{semester}學期第{sequence_no}次工作小組會議"


def quorum(con: Connection, year: int, attendance: list[Attendance]) -> Quorum:
    """More than half of the seats present (出席 or 代理); the share is the stored rule."""
    stored = db.rule_value(con, "meeting_quorum_share", year)
    share = DEFAULT_QUORUM_SHARE if stored is None else stored
    seats = committee.SEAT_COUNT
    present = sum(1 for a in attendance if a.attendance in PRESENT)
    return Quorum(seats=seats, present=present, required=math.floor(seats * share) + 1)


def next_sequence_no(con: Connection, year: int, semester: int) -> int:
    cur = con.cursor()
    try:
        row = cur.execute(
            "select coalesce(max(sequence_no), 0) from meetings where school_year = $y and semester = $s",
            {"y": year, "s": semester},
        ).fetchone()
    finally:
        cur.close()
    return int(row[0] if row else 0) + 1
