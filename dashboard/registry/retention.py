"""資料保存 (補充規定第八點): graduated cohorts are sealed for retention_years_after_graduation
years after the end of their 畢業學年度, and only then may their personal rows be deleted.

A cohort is every 學號 with a roster row whose 學籍狀態 is 畢業 or whose 畢業學年度 is set,
grouped by 畢業學年度 (queries/retention_cohort_students.sql). It is sealed until July 31 of the
year its 畢業學年度 ends (graduation_year + 1912) plus the number of years of the rule in force
for that 畢業學年度, and may be purged only on a later day. `today` is always passed in (the
page passes the day of 資料截至), so the decision never depends on the machine's clock.

A purge is one transaction: the anonymous per-部別 counts are read, the cohort's rows are
deleted from every personal table, the counts are stored in archived_aggregates and an audit
row in purge_log; any failure rolls all of it back. This module must not import streamlit.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import duckdb

from dashboard import audit, db
from dashboard.auth import User
from dashboard.formatting import roc_date
from dashboard.school_calendar import school_now

RULE_KEY = "retention_years_after_graduation"
PERMISSION = "purge_records"

# The tables holding a student's personal rows (or, for data_warnings, their 學號), children
# first and the roster last (the cohort is defined from the roster). Table names come only
# from this fixed tuple, so composing them into the DELETE text cannot inject anything; the
# values are still bound parameters.
PERSONAL_TABLES: tuple[str, ...] = (
    "outcomes",
    "diverse",
    "cadres",
    "counselling",
    "receipts",
    "data_warnings",  # a warning names the 學號 it is about
    "students",
)

_AGGREGATE_COLUMNS: tuple[str, ...] = (
    "division",
    "students_count",
    "outcomes_uploaded",
    "outcomes_passed",
    "outcomes_selected",
    "diverse_uploaded",
    "diverse_selected",
    "cadres_count",
    "counselling_count",
    "receipts_count",
)

SEALED = "封存中"
ELIGIBLE = "可刪除"
PURGED = "已刪除"


class RetentionError(ValueError):
    """A purge request that may not go ahead (message in Traditional Chinese)."""


@dataclass(frozen=True)
class Cohort:
    graduation_year: int
    students_count: int  # students still in the database
    purged_students_count: int  # students removed by earlier purges (from the kept counts)
    retention_years: int
    sealed_until: date
    last_purged_at: datetime | None

    @property
    def label(self) -> str:
        """The text a user types to confirm a purge, e.g. 108學年度畢業."""
        return cohort_label(self.graduation_year)

    def status(self, today: date) -> str:
        if self.students_count == 0 and self.last_purged_at is not None:
            return PURGED
        return ELIGIBLE if eligible(self, today) else SEALED


@dataclass(frozen=True)
class PurgeResult:
    purge_id: int
    graduation_year: int
    rows_removed: dict[str, int]
    aggregates: list[dict[str, Any]]


def cohort_label(graduation_year: int) -> str:
    return f"{graduation_year}學年度畢業"


def retention_years(con: duckdb.DuckDBPyConnection, graduation_year: int) -> int:
    value = db.rule_value(con, RULE_KEY, graduation_year)
    if value is None:
        raise RetentionError(f"規則表中沒有 {graduation_year} 學年度適用的保存年限（{RULE_KEY}）；請先設定。")
    return int(value)


def sealed_until(graduation_year: int, years: int) -> date:
    """The end of the 畢業學年度 (July 31 of graduation_year + 1912) plus `years` years."""
    return date(graduation_year + 1912 + years, 7, 31)


def eligible(cohort: Cohort, today: date) -> bool:
    """True only on a day after the seal date: the seal date itself is still sealed."""
    return today > cohort.sealed_until


def cohorts(con: duckdb.DuckDBPyConnection) -> list[Cohort]:
    """Every cohort in the database or in the purge log, oldest first."""
    result = []
    for r in db.query_rows(con, "retention_cohorts"):
        year = int(r["graduation_year"])
        years = retention_years(con, year)
        result.append(
            Cohort(
                graduation_year=year,
                students_count=int(r["students_count"]),
                purged_students_count=int(r["purged_students_count"]),
                retention_years=years,
                sealed_until=sealed_until(year, years),
                last_purged_at=r["last_purged_at"],
            )
        )
    return result


def cohort(con: duckdb.DuckDBPyConnection, graduation_year: int) -> Cohort | None:
    return next((c for c in cohorts(con) if c.graduation_year == graduation_year), None)


def purge_log(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    return db.query_rows(con, "retention_purge_log")


def check_purge(
    con: duckdb.DuckDBPyConnection, graduation_year: int, *, user: User, confirmation: str, today: date
) -> Cohort:
    """The cohort when the purge may go ahead; else RetentionError saying why, in Chinese."""
    if not user.can(PERMISSION):
        raise RetentionError("只有管理者可以刪除已畢業學生的資料。")
    found = cohort(con, graduation_year)
    if found is None or found.students_count == 0:
        raise RetentionError(f"資料庫中沒有{cohort_label(graduation_year)}生的個人資料可刪除。")
    if confirmation != found.label:
        raise RetentionError(f"確認文字不符：請輸入「{found.label}」（完全相同，不含空白）。")
    if not eligible(found, today):
        raise RetentionError(f"{found.label}生的資料封存至 {roc_date(found.sealed_until)}，期滿前不得刪除。")
    return found


def _delete_personal_rows(cur: duckdb.DuckDBPyConnection, student_nos: list[str]) -> dict[str, int]:
    removed: dict[str, int] = {}
    for table in PERSONAL_TABLES:
        # table is from the fixed PERSONAL_TABLES allow-list above; the 學號 list is bound.
        row = cur.execute(
            f"delete from {table} where list_contains($student_nos, student_no)",
            {"student_nos": student_nos},
        ).fetchone()
        removed[table] = int(row[0]) if row else 0
    return removed


def _store_aggregates(
    cur: duckdb.DuckDBPyConnection, purge_id: int, graduation_year: int, aggregates: list[dict[str, Any]]
) -> None:
    for agg in aggregates:
        cur.execute(
            "insert into archived_aggregates (purge_id, graduation_year, division, students_count,"
            " outcomes_uploaded, outcomes_passed, outcomes_selected, diverse_uploaded, diverse_selected,"
            " cadres_count, counselling_count, receipts_count) values ($purge_id, $graduation_year,"
            " $division, $students_count, $outcomes_uploaded, $outcomes_passed, $outcomes_selected,"
            " $diverse_uploaded, $diverse_selected, $cadres_count, $counselling_count, $receipts_count)",
            {"purge_id": purge_id, "graduation_year": graduation_year, **agg},
        )


def purge(
    con: duckdb.DuckDBPyConnection,
    cohort_year: int,
    *,
    user: User,
    confirmation: str,
    today: date,
    purged_at: datetime | None = None,
) -> PurgeResult:
    """Delete one cohort's personal rows after its seal date, keeping anonymous counts and a log.

    `today` decides eligibility (the page passes 資料截至); `purged_at` is only the audit stamp
    (default: the wall clock, which is what an audit trail should record).
    """
    found = check_purge(con, cohort_year, user=user, confirmation=confirmation, today=today)
    with db.transaction(con) as cur:
        students = cur.execute(db.load_query("retention_cohort_students"), {"year": cohort_year}).fetchall()
        student_nos = [str(r[0]) for r in students]
        rel = cur.execute(db.load_query("retention_cohort_aggregates"), {"year": cohort_year})
        aggregates = [dict(zip(_AGGREGATE_COLUMNS, row, strict=True)) for row in rel.fetchall()]
        id_row = cur.execute("select nextval('purge_id_seq')").fetchone()
        purge_id = int(id_row[0]) if id_row else 0
        removed = _delete_personal_rows(cur, student_nos)
        _store_aggregates(cur, purge_id, cohort_year, aggregates)
        cur.execute(
            "insert into purge_log (purge_id, graduation_year, sealed_until, decided_on, purged_at,"
            " purged_by, confirmation, rows_removed, aggregates) values ($purge_id, $year, $sealed,"
            " $today, $at, $by, $confirmation, $removed, $aggregates)",
            {
                "purge_id": purge_id,
                "year": cohort_year,
                "sealed": found.sealed_until,
                "today": today,
                "at": purged_at or school_now(),
                "by": user.username,
                "confirmation": confirmation,
                "removed": json.dumps(removed, ensure_ascii=False),
                "aggregates": json.dumps(aggregates, ensure_ascii=False),
            },
        )
        audit.record(
            cur,
            audit.PURGED,
            user.username,
            detail=f"{cohort_year} 學年度畢業生個人資料銷毀，共刪除 {sum(removed.values()):,} 筆",
        )
    return PurgeResult(purge_id, cohort_year, removed, aggregates)
