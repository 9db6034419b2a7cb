"""收訖確認 (regulation Art. 7(3)): per 名冊別 and 班級, how many of the receipt details returned by
the central database students confirmed, reported or left unconfirmed, and the dispute list —
each 回報錯誤 with its age against dispute_answer_max_days and the unit that must help.

Counts are over A(Y) exactly as metrics_year_receipts counts them (a student's 班級 is the one of
their latest semester row in the year, like their 部別), so the classes add up to
metrics.year_metrics(...)["receipts"]. "Now" is db.as_of (資料截至), never the wall clock.
This module must not import streamlit, cache, or format for display.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import duckdb

from dashboard.db import as_of as data_as_of
from dashboard.db import query_rows
from dashboard.ingest.kinds import ACTIVE_STATUSES
from dashboard.measures import metrics
from dashboard.registry.submissions import responsible_unit

Connection = duckdb.DuckDBPyConnection

ROSTERS: tuple[str, ...] = metrics.RECEIPT_ROSTERS
# The receipt roster -> the submitted roster it comes from (Art. 7(3): that roster's unit helps).
SOURCE_ROSTER: dict[str, str] = {
    "修課紀錄": "學業成績",
    "課程學習成果": "課程學習成果",
    "多元表現": "多元表現",
    "校內幹部經歷": "校內幹部經歷",
}
ANSWERED_IN_TIME = "已於期限內答覆"
ANSWERED_LATE = "逾期答覆"
OPEN_OVERDUE = "未答覆（逾期）"
OPEN_IN_TIME = "未答覆（期限內）"
UNKNOWN = "無法判定"  # 回報錯誤 without 確認時間: its age cannot be measured
DISPUTE_STATUSES: tuple[str, ...] = (OPEN_OVERDUE, OPEN_IN_TIME, ANSWERED_LATE, ANSWERED_IN_TIME, UNKNOWN)
OVERDUE_STATUSES: frozenset[str] = frozenset({OPEN_OVERDUE, ANSWERED_LATE})


def helping_unit(roster: str, division: str | None) -> str | None:
    """The submitting unit of the roster behind a receipt, for the student's 部別 (Art. 7(3))."""
    if division not in metrics.DIVISIONS:
        return None
    return responsible_unit(SOURCE_ROSTER.get(roster, roster), division)


def _params(year: int, division: str | None) -> dict[str, Any]:
    return {
        "year": year,
        "division": metrics.normalize_division(division),
        "active_statuses": list(ACTIVE_STATUSES),
    }


def _with_rates(row: dict[str, Any]) -> dict[str, Any]:
    listed = row["listed"]
    return {
        **row,
        "confirmed_rate": metrics.rate(row["confirmed"], listed),
        "responded_rate": metrics.rate(row["confirmed"] + row["reported"], listed),
        "reported_rate": metrics.rate(row["reported"], listed),
    }


def by_class(con: Connection, year: int, division: str | None = None) -> list[dict[str, Any]]:
    """One row per (名冊別, 部別, 班級): listed, confirmed, reported, unconfirmed, notified by
    paper mail (紙本郵寄, Art. 11(4)) and rates."""
    return [
        _with_rates(
            {
                "roster": r["roster"],
                "division": r["division"],
                "class_name": r["class_name"],
                "listed": r["listed_count"],
                "confirmed": r["confirmed_count"],
                "reported": r["reported_count"],
                "unconfirmed": r["unconfirmed_count"],
                "paper_mail": r["paper_mail_count"],
            }
        )
        for r in query_rows(con, "receipts_by_class", **_params(year, division))
    ]


def by_roster(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The class rows summed per 名冊別, all four rosters always, in the platform's order."""
    out = []
    for roster in ROSTERS:
        mine = [r for r in rows if r["roster"] == roster]
        sums = {
            k: sum(r[k] for r in mine)
            for k in ("listed", "confirmed", "reported", "unconfirmed", "paper_mail")
        }
        out.append(_with_rates({"roster": roster, **sums}))
    return out


@dataclass(frozen=True)
class Dispute:
    semester: int
    roster: str
    student_no: str
    student_name: str | None
    division: str | None
    class_name: str | None
    error_type: str | None
    question: str | None
    answer: str | None
    reported_at: datetime | None  # 確認時間 of the 回報錯誤
    answered_at: datetime | None
    limit_days: float | None
    due_at: datetime | None
    elapsed_hours: float | None  # until 答覆時間, or until 資料截至 while unanswered
    status: str
    helping_unit: str | None

    @property
    def elapsed_days(self) -> float | None:
        return None if self.elapsed_hours is None else round(self.elapsed_hours / 24, 1)

    @property
    def overdue(self) -> bool:
        return self.status in OVERDUE_STATUSES


def disputes(
    con: Connection, year: int, division: str | None = None, as_of: datetime | None = None
) -> list[Dispute]:
    """Every 回報錯誤 of the year by A(Y); the open and overdue first, then the oldest report."""
    now = as_of if as_of is not None else data_as_of(con)
    rows = query_rows(con, "receipt_disputes", **_params(year, division), as_of=now)
    out = [
        Dispute(
            r["semester"],
            r["roster"],
            r["student_no"],
            r["student_name"],
            r["division"],
            r["class_name"],
            r["error_type"],
            r["question"],
            r["answer"],
            r["confirmed_at"],
            r["answered_at"],
            r["answer_limit_days"],
            r["answer_due_at"],
            None if r["elapsed_hours"] is None else float(r["elapsed_hours"]),
            r["dispute_status"],
            helping_unit(r["roster"], r["division"]),
        )
        for r in rows
    ]
    order = {s: i for i, s in enumerate(DISPUTE_STATUSES)}
    return sorted(out, key=lambda d: (order.get(d.status, len(order)), d.reported_at or datetime.min))


def dispute_summary(items: Sequence[Dispute]) -> dict[str, int]:
    out = {s: sum(1 for d in items if d.status == s) for s in DISPUTE_STATUSES}
    out["total"] = len(items)
    return out
