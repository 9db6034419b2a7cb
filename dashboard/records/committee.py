"""The working group's 21 seats (Art. 3) per 學年度, who holds them, and the check that all are
filled.

A seat is fixed by the regulation; its holder is a person from 教職員名冊 (staff seats) or a
typed-in name (家長代表, 學生代表), with the dates the holder serves. Saving a roster is
validated here (Chinese messages per seat and field) and written in one transaction. This
module must not import streamlit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

import duckdb

from dashboard import audit, auth, db
from dashboard.school_calendar import school_now, school_year_bounds

Connection = duckdb.DuckDBPyConnection


@dataclass(frozen=True)
class Seat:
    seat_no: int
    name: str  # the seat as Art. 3 names it
    role: Literal["召集人", "執行秘書", "委員"]
    staff: bool  # held by someone on 教職員名冊 (False: 家長代表, 學生代表 are typed in)
    title: str | None  # the 職稱 in 教職員名冊 that suggests the holder


SEATS: tuple[Seat, ...] = (
    Seat(1, "校長", "召集人", True, "校長"),
    Seat(2, "教務主任", "執行秘書", True, "教務主任"),
    Seat(3, "學務主任", "委員", True, "學務主任"),
    Seat(4, "實習主任", "委員", True, "實習主任"),
    Seat(5, "進修部主任", "委員", True, "進修部主任"),
    Seat(6, "輔導主任", "委員", True, "輔導主任"),
    Seat(7, "圖書館主任", "委員", True, "圖書館主任"),
    Seat(8, "課程諮詢教師代表", "委員", True, None),
    Seat(9, "註冊組長", "委員", True, "註冊組長"),
    Seat(10, "教學組長", "委員", True, "教學組長"),
    Seat(11, "設備組長", "委員", True, "設備組長"),
    Seat(12, "生輔組長", "委員", True, "生輔組長"),
    Seat(13, "訓育組長", "委員", True, "訓育組長"),
    Seat(14, "活動組長", "委員", True, "活動組長"),
    Seat(15, "實習組長", "委員", True, "實習組長"),
    Seat(16, "就業組長", "委員", True, "就業組長"),
    Seat(17, "進修部教務組長", "委員", True, "進修部教務組長"),
    Seat(18, "導師代表", "委員", True, None),
    Seat(19, "教師代表", "委員", True, None),
    Seat(20, "家長代表", "委員", False, None),
    Seat(21, "學生代表", "委員", False, None),
)
SEAT_COUNT = 21  # Art. 3: 合計21人
SEAT_BY_NO: dict[int, Seat] = {s.seat_no: s for s in SEATS}
CHAIR_SEAT = 1  # 校長, the 召集人, chairs by default
SECRETARY_SEAT = 2


@dataclass(frozen=True)
class Member:
    seat_no: int
    person_name: str
    staff_code: str | None
    start_date: date | None
    end_date: date | None


@dataclass(frozen=True)
class RosterCheck:
    year: int
    filled: int
    missing: tuple[str, ...]  # seat names without a holder
    seat_count: int

    @property
    def complete(self) -> bool:
        return not self.missing and self.filled == SEAT_COUNT


class RosterError(ValueError):
    """A refused roster: `problems` maps `seat.N.field` (or `user`) to a Chinese message."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__(" ".join(problems.values()))
        self.problems = problems


def year_bounds(year: int) -> tuple[date, date]:
    """A 學年度 runs from 1 August to 31 July (113 → 2024-08-01 … 2025-07-31)."""
    return school_year_bounds(year)


def load(con: Connection, year: int) -> list[Member]:
    """The stored holders of `year`, one per seat that has one, in seat order."""
    return [
        Member(
            seat_no=int(r["seat_no"]),
            person_name=r["person_name"],
            staff_code=r["staff_code"],
            start_date=r["start_date"],
            end_date=r["end_date"],
        )
        for r in db.query_rows(con, "committee_roster", year=year)
    ]


def suggest(con: Connection, year: int) -> list[Member]:
    """A starting roster for `year`: last year's holders who are still 在職 (or typed in), then
    the one person in 教職員名冊 whose 職稱 is the seat's title; blank otherwise."""
    start, end = year_bounds(year)
    previous = {m.seat_no: m for m in load(con, year - 1)}
    staff = db.query_rows(con, "staff_in_service")
    active_codes = {r["staff_code"] for r in staff}
    by_title: dict[str, list[dict[str, object]]] = {}
    for r in staff:
        by_title.setdefault(str(r["title"] or ""), []).append(r)
    members: list[Member] = []
    for seat in SEATS:
        last = previous.get(seat.seat_no)
        if last is not None and (last.staff_code is None or last.staff_code in active_codes):
            members.append(Member(seat.seat_no, last.person_name, last.staff_code, start, end))
            continue
        found = by_title.get(seat.title or "", []) if seat.title else []
        if len(found) == 1:
            person = found[0]
            members.append(Member(seat.seat_no, str(person["name"]), str(person["staff_code"]), start, end))
        else:
            members.append(Member(seat.seat_no, "", None, start, end))
    return members


def roster_or_suggestion(con: Connection, year: int) -> tuple[list[Member], bool]:
    """(members for every seat, stored?): the stored roster completed with blanks, or a
    suggestion when nothing is stored for `year`."""
    stored = {m.seat_no: m for m in load(con, year)}
    if not stored:
        return suggest(con, year), False
    start, end = year_bounds(year)
    return [stored.get(s.seat_no, Member(s.seat_no, "", None, start, end)) for s in SEATS], True


def check(con: Connection, year: int) -> RosterCheck:
    stored = {m.seat_no for m in load(con, year) if m.person_name.strip()}
    missing = tuple(s.name for s in SEATS if s.seat_no not in stored)
    return RosterCheck(year=year, filled=len(stored), missing=missing, seat_count=len(SEATS))


def holders_on(con: Connection, year: int, day: date) -> dict[int, Member]:
    """Seat → its holder serving on `day` (for a meeting's attendance list)."""
    return {
        m.seat_no: m
        for m in load(con, year)
        if (m.start_date is None or m.start_date <= day) and (m.end_date is None or day <= m.end_date)
    }


def validate(con: Connection, year: int, members: list[Member]) -> dict[str, str]:
    """Every problem as {`seat.N.field`: message}; empty when the roster may be saved. Blank
    seats are allowed (the roster check reports them); a filled seat must be right."""
    problems: dict[str, str] = {}
    first, last = year_bounds(year)
    staff = {r["staff_code"]: r for r in db.query_rows(con, "staff_all")}
    codes_seen: dict[str, int] = {}
    for m in members:
        seat = SEAT_BY_NO.get(m.seat_no)
        key = f"seat.{m.seat_no}"
        if seat is None:
            problems[f"{key}.seat"] = f"席次 {m.seat_no} 不存在；工作小組共 {SEAT_COUNT} 席。"
            continue
        name = m.person_name.strip()
        code = (m.staff_code or "").strip() or None
        if not name:
            if code:
                problems[f"{key}.person_name"] = f"{seat.name}：已填教職員代碼 {code}，請一併填寫姓名。"
            continue
        if seat.staff and code is None:
            problems[f"{key}.staff_code"] = f"{seat.name}：請從教職員名冊選擇人員（填教職員代碼）。"
        if code is not None:
            person = staff.get(code)
            if person is None:
                problems[f"{key}.staff_code"] = f"{seat.name}：教職員代碼 {code} 不在教職員名冊中。"
            elif person["name"] != name:
                problems[f"{key}.person_name"] = (
                    f"{seat.name}：教職員代碼 {code} 在名冊上是「{person['name']}」，與填寫的「{name}」不符。"
                )
            if code in codes_seen:
                other = SEAT_BY_NO[codes_seen[code]].name
                problems[f"{key}.staff_code"] = f"{seat.name}：{name} 已擔任{other}；一人只能占一個席次。"
            codes_seen.setdefault(code, m.seat_no)
        if m.start_date is None or m.end_date is None:
            problems[f"{key}.dates"] = f"{seat.name}：請填寫任期起訖日期。"
        elif m.end_date < m.start_date:
            problems[f"{key}.dates"] = f"{seat.name}：任期迄日 {m.end_date} 早於起日 {m.start_date}。"
        elif m.start_date < first or m.end_date > last:
            problems[f"{key}.dates"] = (
                f"{seat.name}：任期 {m.start_date}～{m.end_date} 不在 {year} 學年度（{first}～{last}）內。"
            )
    return problems


def save(
    con: Connection, year: int, members: list[Member], user: auth.User, now: datetime | None = None
) -> RosterCheck:
    """Replace `year`'s roster with the filled seats of `members` in one transaction."""
    if not user.can("edit_meetings"):
        raise RosterError({"user": "您的角色不能修改工作小組名冊（需執行秘書或管理者）。"})
    problems = validate(con, year, members)
    if problems:
        raise RosterError(problems)
    at = now or school_now()
    with db.transaction(con) as cur:
        cur.execute("delete from committee_members where school_year = $year", {"year": year})
        for m in members:
            if not m.person_name.strip():
                continue
            cur.execute(
                "insert into committee_members values ($year, $seat, $name, $code, $start, $end, $by, $at)",
                {
                    "year": year,
                    "seat": m.seat_no,
                    "name": m.person_name.strip(),
                    "code": (m.staff_code or "").strip() or None,
                    "start": m.start_date,
                    "end": m.end_date,
                    "by": user.username,
                    "at": at,
                },
            )
        seated = sum(1 for m in members if m.person_name.strip())
        audit.record(cur, audit.FORM_SAVED, user.username, detail=f"工作小組名冊：{year} 學年度 {seated} 席")
    return check(con, year)
