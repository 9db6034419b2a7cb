"""提交 (regulation Art. 7(2)): the rosters a school owes the central database in a 學年度, per 部別,
and where each stands as of 資料截至.

Owed per 部別: 學籍資料, 學業成績 and 校內幹部經歷 of each semester; 課程學習成果 and 多元表現 per year
(學期 0) in two 梯次 (高三 is sent in two batches; grades 1–2 travel with 梯次 1). Every attempt
and its on-time flag come from metrics.year_metrics (so this page equals the command line); the
deadline is the 學校提交 phase resolved as pipeline.resolve_phase does (學期 0 → semester 2's
phase). "Now" is db.as_of (資料截至), never the wall clock. This module must not import
streamlit, cache, or format for display.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

import duckdb

from dashboard.db import as_of as data_as_of
from dashboard.db import query_rows
from dashboard.measures import metrics, pipeline

Connection = duckdb.DuckDBPyConnection
Status = Literal["未提交", "已提交", "逾期提交", "失敗待重送"]

SEMESTER_ROSTERS: tuple[str, ...] = pipeline.SEMESTER_ROSTERS  # 學籍資料, 學業成績, 校內幹部經歷
YEAR_ROSTERS: tuple[str, ...] = pipeline.YEAR_ROSTERS  # 課程學習成果, 多元表現 (學期 0)
YEAR_BATCHES: tuple[int, ...] = (1, 2)
STUDENT_AFFAIRS_ROSTERS: frozenset[str] = frozenset({"校內幹部經歷"})
# Art. 7(2): (教務 unit, 學務 unit) per 部別.
UNITS: dict[str, tuple[str, str]] = {
    "日間部": ("教務處註冊組", "學務處訓育組"),
    "進修部": ("進修部教務組", "進修部學務組"),
}
STATUS_ORDER: dict[str, int] = {"失敗待重送": 0, "未提交": 1, "逾期提交": 2, "已提交": 3}


def responsible_unit(roster: str, division: str) -> str:
    """The unit Art. 7(2) makes responsible for submitting `roster` of `division`."""
    academic, student_affairs = UNITS[division]
    return student_affairs if roster in STUDENT_AFFAIRS_ROSTERS else academic


@dataclass(frozen=True)
class Attempt:
    """One 提交紀錄 row: metrics.year_metrics' fields plus 提交單位, 提交人代碼, 筆數."""

    roster: str
    division: str
    semester: int
    batch: int
    submitted_at: datetime
    result: str
    on_time: bool | None
    unit: str | None
    submitted_by: str | None
    row_count: int | None

    @property
    def ok(self) -> bool:
        return self.result == "成功"


@dataclass(frozen=True)
class RosterDue:
    """One roster owed by one 部別; batch is None for a per-semester roster."""

    division: str
    roster: str
    semester: int  # 0 = per-year roster
    batch: int | None
    unit: str
    status: Status
    deadline: date | None  # last day of the 學校提交 phase (inclusive); None = not scheduled
    submitted_at: datetime | None  # first successful submission
    on_time: bool | None  # of that first success; None when unsubmitted or no phase
    last_attempt_at: datetime | None
    row_count: int | None  # 筆數 summed over the successful submissions
    successes: int
    failures: int
    days_left: int | None  # still owed, phase not over: days left, the end day counted as 1
    days_overdue: int | None  # still owed, phase over: days since the end day

    @property
    def outstanding(self) -> bool:
        return self.status in ("未提交", "失敗待重送")


@dataclass(frozen=True)
class Board:
    year: int
    division: str | None
    as_of: datetime | None
    rosters: tuple[RosterDue, ...]  # most urgent first
    attempts: tuple[Attempt, ...]  # in order of 提交時間, as metrics.year_metrics lists them


def attempts(con: Connection, year: int, division: str | None = None) -> list[Attempt]:
    """metrics.year_metrics(...)["submissions"], with 提交單位, 提交人代碼 and 筆數 added."""
    division = metrics.normalize_division(division)
    extra = {
        (r["roster"], r["division"], r["semester"], r["batch"], r["submitted_at"]): r
        for r in query_rows(con, "submission_attempts", year=year, division=division)
    }
    out = []
    for s in metrics.year_metrics(con, year, division)["submissions"]:
        at = datetime.fromisoformat(s["提交時間"])
        more = extra.get((s["名冊別"], s["部別"], s["學期"], s["梯次"], at), {})
        out.append(
            Attempt(
                s["名冊別"],
                s["部別"],
                s["學期"],
                s["梯次"],
                at,
                s["結果"],
                s["on_time"],
                more.get("unit"),
                more.get("submitted_by"),
                more.get("row_count"),
            )
        )
    return out


def owed(divisions: Sequence[str]) -> list[tuple[str, str, int, int | None]]:
    """(部別, 名冊別, 學期, 梯次) of every roster owed in a year, in the order of the calendar."""
    out: list[tuple[str, str, int, int | None]] = []
    for division in divisions:
        for semester in (1, 2):
            out += [(division, roster, semester, None) for roster in SEMESTER_ROSTERS]
        out += [(division, roster, 0, batch) for roster in YEAR_ROSTERS for batch in YEAR_BATCHES]
    return out


def judge(
    division: str,
    roster: str,
    semester: int,
    batch: int | None,
    tried: Sequence[Attempt],
    deadline: date | None,
    as_of: datetime | None,
) -> RosterDue:
    """The status of one owed roster from its attempts (any order).

    失敗待重送: the latest attempt failed (a failure with no later success); otherwise 已提交 or
    逾期提交 by the first success's on-time flag (unknown = 已提交); no attempt = 未提交.
    """
    ordered = sorted(tried, key=lambda a: a.submitted_at)
    ok = [a for a in ordered if a.ok]
    first = ok[0] if ok else None
    status: Status
    if ordered and not ordered[-1].ok:
        status = "失敗待重送"
    elif first is None:
        status = "未提交"
    else:
        status = "逾期提交" if first.on_time is False else "已提交"
    left = overdue = None
    if status in ("未提交", "失敗待重送") and deadline is not None and as_of is not None:
        today = as_of.date()
        if today <= deadline:
            left = (deadline - today).days + 1
        else:
            overdue = (today - deadline).days
    counts = [a.row_count for a in ok if a.row_count is not None]
    return RosterDue(
        division,
        roster,
        semester,
        batch,
        responsible_unit(roster, division),
        status,
        deadline,
        first.submitted_at if first else None,
        first.on_time if first else None,
        ordered[-1].submitted_at if ordered else None,
        sum(counts) if counts else None,
        len(ok),
        len(ordered) - len(ok),
        left,
        overdue,
    )


def urgency(r: RosterDue) -> tuple[int, int, date, str, int, int, int]:
    """Still owed first (most overdue, nearest deadline, then unscheduled), then late, then done."""
    group = 0 if r.outstanding else (1 if r.status == "逾期提交" else 2)
    if r.days_overdue is not None:
        by_days = -r.days_overdue
    else:
        by_days = r.days_left if r.days_left is not None else 10**6
    order = (*SEMESTER_ROSTERS, *YEAR_ROSTERS)
    return (
        group,
        by_days,
        r.deadline or date.max,
        r.division,
        r.semester or 3,
        order.index(r.roster) if r.roster in order else len(order),
        r.batch or 0,
    )


def divisions_of_year(
    con: Connection, year: int, division: str | None, tried: Sequence[Attempt]
) -> tuple[str, ...]:
    """The chosen division; for 全校 those with active students or submissions in the year."""
    if division is not None:
        return (division,)
    present = tuple(
        d
        for d in metrics.DIVISIONS
        if metrics.year_metrics(con, year, d)["students_active"] or any(a.division == d for a in tried)
    )
    return present or metrics.DIVISIONS


def build(con: Connection, year: int, division: str | None = None, as_of: datetime | None = None) -> Board:
    """The rosters owed in 學年度 `year` (optionally one 部別) as of 資料截至 (or `as_of`)."""
    division = metrics.normalize_division(division)
    now = as_of if as_of is not None else data_as_of(con)
    tried = attempts(con, year, division)
    phases = pipeline.phase_rows(con, year)
    rosters = []
    for div, roster, semester, batch in owed(divisions_of_year(con, year, division, tried)):
        mine = [
            a
            for a in tried
            if a.division == div
            and a.roster == roster
            and a.semester == semester
            and (batch is None or a.batch == batch)
        ]
        phase = pipeline.resolve_phase(phases, semester or 2, pipeline.DELIVER_PHASE, div)
        rosters.append(judge(div, roster, semester, batch, mine, phase.end_date if phase else None, now))
    return Board(year, division, now, tuple(sorted(rosters, key=urgency)), tuple(tried))


def summary(rosters: Sequence[RosterDue]) -> dict[str, Any]:
    """Counts per status and how many still owed are past their deadline."""
    out: dict[str, Any] = {s: sum(1 for r in rosters if r.status == s) for s in STATUS_ORDER}
    out["owed"] = len(rosters)
    out["overdue"] = sum(1 for r in rosters if r.days_overdue is not None)
    return out
