"""教師認證: per 任課教師, what was sent to them, what is still waiting and for how long, and who
must certify in place of a teacher who is gone.

The counts a teacher shares with the rest of the dashboard (submitted, passed, failed, pending,
on time, proxy certified) are taken from `metrics.semester_breakdown(..., "teacher")`, so this
page can never disagree with the command line or the meeting pack; `queries/teacher_board.sql`
adds the staff row and the pending items by age, 部別 and deadline over the same rows, and
`queries/teacher_fail_reasons.sql` the 未通過原因 distribution. Ages and days left are counted
against 資料截至 (db.as_of), never the clock, so the figures read the same on any day.

A teacher whose 在職狀態 is 離職 / 退休 / 留職停薪, or whose code is not in 教職員名冊, and who
still has pending items is flagged with the unit that certifies in their place (補充規定
第十一點(三)2(1)): 教務處註冊組 for 日間部 students' items, 進修部教務組 for 進修部 students'.
This module must not import streamlit or format for display.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

import duckdb

from dashboard import db
from dashboard.ingest.kinds import ACTIVE_STATUSES, ENUMS
from dashboard.measures import metrics

Connection = duckdb.DuckDBPyConnection
AccountState = Literal["closed", "closing"]

# Art. 11(3)2(1): the units that certify for a teacher who can no longer do it, per 部別. The
# same units are the ones a teacher asks about certification (Art. 6, 7).
UNIT_FOR_DIVISION: dict[str, str] = {"日間部": "教務處註冊組", "進修部": "進修部教務組"}
DEPARTED_STATUSES: tuple[str, ...] = ("離職", "退休", "留職停薪")
ACCOUNT_WARNING_DAYS = 14  # an account closing within this many days after 資料截至 is flagged
AGE_BUCKETS: tuple[tuple[str, str], ...] = (
    ("pending_within_7", "≤ 7 天"),
    ("pending_8_to_14", "8–14 天"),
    ("pending_over_14", "> 14 天"),
)
# 01 非本課程相關主題成果 … : the code is the part before the space of the canonical value.
FAIL_REASONS: dict[str, str] = {v.split(" ", 1)[0]: v.split(" ", 1)[1] for v in ENUMS["fail_reason"]}
NO_REASON = "未填"


@dataclass(frozen=True)
class TeacherStatus:
    """One 任課教師's figures for a semester (and division)."""

    code: str
    name: str | None
    unit: str | None
    employment_status: str | None  # None: the code is not in 教職員名冊
    in_staff: bool
    submitted: int
    passed: int
    failed: int
    pending: int
    certification_rate: float | None
    on_time: int | None
    on_time_rate: float | None
    proxy_certified: int
    pending_within_7: int
    pending_8_to_14: int
    pending_over_14: int
    pending_unknown_age: int  # 認證中 rows without 送出認證時間
    oldest_pending_days: int | None
    pending_by_division: dict[str, int]
    deadline_date: date | None  # the earliest 教師認證 deadline among the pending items
    days_left: int | None  # deadline_date − the day of 資料截至; negative when overdue
    account_disabled_on: date | None
    account_days_left: int | None  # account_disabled_on − the day of 資料截至
    account_state: AccountState | None  # closed on/before 資料截至, or closing within 14 days
    fail_reasons: dict[str, int]  # "01"–"04" (+ 未填 when a reason is missing); sum = failed

    @property
    def departed(self) -> bool:
        return not self.in_staff or self.employment_status in DEPARTED_STATUSES

    @property
    def flagged(self) -> bool:
        """Gone (or unknown) and still holding pending items: someone else must certify them."""
        return self.departed and self.pending > 0

    @property
    def units(self) -> tuple[str, ...]:
        """The unit(s) for this teacher's pending items, from each item's student's 部別."""
        return tuple(
            UNIT_FOR_DIVISION[d] for d in metrics.DIVISIONS if self.pending_by_division.get(d, 0) > 0
        )

    @property
    def proxy_units(self) -> tuple[str, ...]:
        """Who certifies in this teacher's place (Art. 11(3)2(1)); empty when not flagged."""
        return self.units if self.flagged else ()


@dataclass(frozen=True)
class PendingItem:
    """One 認證中 課程學習成果 by an active student (the student's name in clear: mask to show)."""

    outcome_id: str
    teacher_code: str
    teacher_name: str | None
    student_no: str
    student_name: str
    division: str
    class_name: str
    seat_no: int | None
    course_code: str
    subject_name: str | None
    submitted_at: datetime | None
    waiting_days: int | None
    deadline_date: date | None


def _params(year: int, semester: int, division: str | None, as_of: datetime | None = None) -> dict[str, Any]:
    # db.bind passes each query only the parameters it uses.
    return {
        "year": year,
        "semester": semester,
        "division": division,
        "active_statuses": list(ACTIVE_STATUSES),
        "as_of": as_of,
    }


def _check(year: int, semester: int, division: str | None) -> str | None:
    metrics.semester_code(year, semester)  # raises a clerk-readable error for a bad semester
    return metrics.normalize_division(division)


def resolve_as_of(con: Connection, as_of: datetime | None) -> datetime | None:
    return as_of if as_of is not None else db.as_of(con)


def account_state(days_left: int | None) -> AccountState | None:
    """closed: the account closes on or before the day of 資料截至; closing: within 14 days after."""
    if days_left is None:
        return None
    if days_left <= 0:
        return "closed"
    if days_left <= ACCOUNT_WARNING_DAYS:
        return "closing"
    return None


def _days(until: date | None, today: date | None) -> int | None:
    return (until - today).days if until is not None and today is not None else None


def fail_reasons(
    con: Connection, year: int, semester: int, division: str | None = None
) -> dict[str, dict[str, int]]:
    """teacher code -> {"01": n, "02": n, "03": n, "04": n, and 未填 when a reason is missing}."""
    division = _check(year, semester, division)
    out: dict[str, dict[str, int]] = {}
    for row in db.query_rows(con, "teacher_fail_reasons", **_params(year, semester, division)):
        reasons = out.setdefault(row["teacher_code"], dict.fromkeys(FAIL_REASONS, 0))
        code = row["reason_code"] if row["reason_code"] in FAIL_REASONS else NO_REASON
        reasons[code] = reasons.get(code, 0) + int(row["failed_count"])
    return out


def board(
    con: Connection,
    year: int,
    semester: int,
    division: str | None = None,
    *,
    as_of: datetime | None = None,
) -> list[TeacherStatus]:
    """Every teacher with at least one row by an active student in S, ordered by code."""
    division = _check(year, semester, division)
    as_of = resolve_as_of(con, as_of)
    shared = {r["教師代碼"]: r for r in metrics.semester_breakdown(con, year, semester, "teacher", division)}
    extra = {
        r["teacher_code"]: r
        for r in db.query_rows(con, "teacher_board", **_params(year, semester, division, as_of))
    }
    if set(shared) != set(extra):
        raise RuntimeError("teacher_board and metrics_outcomes_by_group disagree on the teachers")
    reasons = fail_reasons(con, year, semester, division)
    today = as_of.date() if as_of else None
    result: list[TeacherStatus] = []
    for code in sorted(shared):
        m, x = shared[code], extra[code]
        deadline: date | None = x["deadline_date"]
        disabled_on: date | None = x["account_disabled_on"]
        account_days_left = _days(disabled_on, today)
        result.append(
            db.record(
                TeacherStatus,
                m,  # submitted, passed, failed, pending, the rates, on_time, proxy_certified
                code=code,
                name=x["teacher_name"],
                unit=x["unit"],
                employment_status=x["employment_status"],
                in_staff=bool(x["in_staff"]),
                pending_within_7=x["pending_within_7_count"],
                pending_8_to_14=x["pending_8_to_14_count"],
                pending_over_14=x["pending_over_14_count"],
                pending_unknown_age=x["pending_unknown_age_count"],
                oldest_pending_days=x["oldest_pending_days"],
                pending_by_division={
                    "日間部": x["pending_day_count"],
                    "進修部": x["pending_continuing_count"],
                },
                deadline_date=deadline,
                days_left=_days(deadline, today),
                account_disabled_on=disabled_on,
                account_days_left=account_days_left,
                account_state=account_state(account_days_left),
                fail_reasons=reasons.get(code, dict.fromkeys(FAIL_REASONS, 0)),
            )
        )
    return result


def pending_items(
    con: Connection,
    year: int,
    semester: int,
    division: str | None = None,
    *,
    as_of: datetime | None = None,
    teacher: str | None = None,
) -> list[PendingItem]:
    """The 認證中 items of S by active students, in class order then 學號 (one teacher's if given)."""
    division = _check(year, semester, division)
    rows = db.query_rows(
        con, "teacher_pending_items", **_params(year, semester, division, resolve_as_of(con, as_of))
    )
    return [db.record(PendingItem, r) for r in rows if teacher is None or r["teacher_code"] == teacher]
