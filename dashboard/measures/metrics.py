"""The dashboard's numbers: every metric of spec/metrics.md, computed once for every reader.

The command line, the Streamlit pages and the meeting pack all call these functions, so a
figure can never differ between them. The counting lives in `queries/metrics_*.sql` (bound
with `$name` parameters; rules read from the `rules` table for the year); this module only
validates input, picks the fixed query for a grouping, turns counts into rates and shapes
plain JSON-serialisable dicts. It must not import streamlit, cache, or format for display.

Rates are `numerator / denominator` rounded to 4 decimals half away from zero (exact decimal
arithmetic, so 1/8 = 0.125 and 0.00005 round the way a clerk expects), and None when the
denominator is 0 or the numerator is unknown.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

import duckdb

from dashboard.db import query_rows
from dashboard.ingest.kinds import ACTIVE_STATUSES

Connection = duckdb.DuckDBPyConnection
Grouping = Literal["teacher", "department", "class"]

DIVISIONS: tuple[str, ...] = ("日間部", "進修部")
WHOLE_SCHOOL = "全校"
RECEIPT_ROSTERS: tuple[str, ...] = ("修課紀錄", "課程學習成果", "多元表現", "校內幹部經歷")
TRAINING_KINDS: tuple[str, ...] = ("宣導說明", "系統操作訓練", "專業研習")

# The allow-list between a user's choice of grouping and the fixed values the query knows.
GROUPINGS: dict[str, str] = {"teacher": "teacher", "department": "department", "class": "class"}

# Query column -> the outcomes key of the contract (metrics.md, per-semester table).
_OUTCOME_COLUMNS: dict[str, str] = {
    "uploaded_count": "uploaded",
    "students_with_upload": "students_with_upload",
    "submitted_count": "submitted",
    "passed_count": "passed",
    "failed_count": "failed",
    "pending_count": "pending",
    "on_time_count": "on_time",
    "proxy_certified_count": "proxy_certified",
    "students_over_cap": "students_over_cap",
}

_RATE_STEP = Decimal("0.0001")
_SEMESTER_FORMS = (
    re.compile(r"(?P<year>\d{2,3})\s*-\s*(?P<semester>\d)"),
    re.compile(r"(?P<year>\d{2,3})(?P<semester>\d)"),
    re.compile(r"(?P<year>\d{2,3})\s*學年度?\s*第?\s*(?P<semester>[12一二上下])\s*學期"),
)
_SEMESTER_WORDS = {"1": 1, "2": 2, "一": 1, "二": 2, "上": 1, "下": 2}


# --- labels and input -------------------------------------------------------------------


def parse_semester(text: str) -> tuple[int, int]:
    """`113-1`, `1131` or `113學年度第1學期` (full-width digits too) -> (113, 1)."""
    cleaned = unicodedata.normalize("NFKC", str(text)).strip()
    for form in _SEMESTER_FORMS:
        match = form.fullmatch(cleaned)
        if match:
            year = int(match["year"])
            semester = _SEMESTER_WORDS.get(match["semester"])
            if semester is not None and year > 0:
                return year, semester
    raise ValueError(f"學期「{text}」看不懂：請寫成 113-1、1131 或 113學年度第1學期（學期只能是 1 或 2）。")


def semester_label(year: int, semester: int) -> str:
    """(113, 1) -> 113學年度第1學期, the form the pages show."""
    _check_semester(year, semester)
    return f"{year}學年度第{semester}學期"


def semester_code(year: int, semester: int) -> str:
    """(113, 1) -> 113-1, the short form of the command line and its JSON."""
    _check_semester(year, semester)
    return f"{year}-{semester}"


def division_label(division: str | None) -> str:
    return WHOLE_SCHOOL if division is None else division


def normalize_division(division: str | None) -> str | None:
    """None or 全校 -> None (whole school); 日間部 / 進修部 kept; anything else is an error."""
    if division is None:
        return None
    cleaned = division.strip()
    if cleaned in ("", WHOLE_SCHOOL):
        return None
    if cleaned not in DIVISIONS:
        raise ValueError(f"部別「{division}」不正確：只能是 日間部、進修部 或 全校。")
    return cleaned


def rate(numerator: int | None, denominator: int | None) -> float | None:
    """numerator / denominator to 4 decimals, half away from zero; None when undefined."""
    if numerator is None or not denominator:
        return None
    exact = Decimal(numerator) / Decimal(denominator)
    return float(exact.quantize(_RATE_STEP, rounding=ROUND_HALF_UP))


def _check_year(year: int) -> None:
    if isinstance(year, bool) or not isinstance(year, int) or not 1 <= year <= 999:
        raise ValueError(f"學年度「{year}」不正確：請寫民國年，例如 113。")


def _check_semester(year: int, semester: int) -> None:
    _check_year(year)
    if semester not in (1, 2) or isinstance(semester, bool):
        raise ValueError(f"學期「{semester}」不正確：只能是 1 或 2。")


def _params(year: int, division: str | None, **more: Any) -> dict[str, Any]:
    return {"year": year, "division": division, "active_statuses": list(ACTIVE_STATUSES), **more}


def _one(con: Connection, name: str, params: dict[str, Any]) -> dict[str, Any]:
    rows = query_rows(con, name, **params)
    if len(rows) != 1:
        raise RuntimeError(f"query {name} returned {len(rows)} rows, expected one")
    return rows[0]


# --- per semester ---------------------------------------------------------------------


def _outcome_figures(row: dict[str, Any] | None, students_active: int | None = None) -> dict[str, Any]:
    """One row of metrics_outcomes_by_group as the contract's outcomes keys.

    upload_rate is included only with `students_active` (the per-semester object has it; the
    grouped rows have no denominator for it).
    """
    c = {key: (row[column] if row else 0) for column, key in _OUTCOME_COLUMNS.items()}
    figures: dict[str, Any] = {"uploaded": c["uploaded"], "students_with_upload": c["students_with_upload"]}
    if students_active is not None:
        figures["upload_rate"] = rate(c["students_with_upload"], students_active)
    figures.update(
        submitted=c["submitted"],
        passed=c["passed"],
        failed=c["failed"],
        pending=c["pending"],
        certification_rate=rate(c["passed"] + c["failed"], c["submitted"]),
        on_time=c["on_time"],
        on_time_rate=rate(c["on_time"], c["submitted"]),
        proxy_certified=c["proxy_certified"],
        students_over_cap=c["students_over_cap"],
    )
    return figures


def semester_metrics(
    con: Connection, year: int, semester: int, division: str | None = None
) -> dict[str, Any]:
    """The per-semester figures of metrics.md for S = (year, semester), optionally one 部別."""
    _check_semester(year, semester)
    division = normalize_division(division)
    params = _params(year, division, semester=semester, group_by="school")
    students_active = _one(con, "metrics_semester_students", params)["students_active"]
    school_rows = query_rows(con, "metrics_outcomes_by_group", **params)
    outcomes = _outcome_figures(school_rows[0] if school_rows else None, students_active)
    counselled = _one(con, "metrics_semester_counselling", params)["students_with_record"]
    meetings = _one(con, "metrics_semester_meetings", params)["meeting_count"]
    return {
        "semester": semester_code(year, semester),
        "division": division_label(division),
        "students_active": students_active,
        "outcomes": outcomes,
        "counselling": {"students_with_record": counselled, "rate": rate(counselled, students_active)},
        "meetings": {"count": meetings},
    }


def semester_breakdown(
    con: Connection,
    year: int,
    semester: int,
    by: Grouping,
    division: str | None = None,
) -> list[dict[str, Any]]:
    """The outcomes figures per 任課教師, 科別 or 班級: one flat dict per group with ≥ 1 row."""
    _check_semester(year, semester)
    division = normalize_division(division)
    group_by = GROUPINGS.get(by)
    if group_by is None:
        raise ValueError(
            f"分組方式「{by}」不正確：只能是 teacher（教師）、department（科別）或 class（班級）。"
        )
    rows = query_rows(
        con, "metrics_outcomes_by_group", **_params(year, division, semester=semester, group_by=group_by)
    )
    result: list[dict[str, Any]] = []
    for row in rows:
        if group_by == "teacher":
            key: dict[str, Any] = {"教師代碼": row["group_key"], "教師姓名": row["group_label"]}
        elif group_by == "department":
            key = {"科別": row["group_key"]}
        else:
            key = {"班級": row["group_key"]}
        result.append({**key, **_outcome_figures(row)})
    return result


# --- per year ---------------------------------------------------------------------------


def year_metrics(con: Connection, year: int, division: str | None = None) -> dict[str, Any]:
    """The per-year figures of metrics.md for 學年度 `year`, optionally one 部別."""
    _check_year(year)
    division = normalize_division(division)
    params = _params(year, division)
    students_active = _one(con, "metrics_year_students", params)["students_active"]
    diverse = _one(con, "metrics_year_diverse", params)
    selection = _one(con, "metrics_year_selection", params)
    receipts = {
        row["roster"]: {
            "listed": row["listed_count"],
            "confirmed": row["confirmed_count"],
            "reported": row["reported_count"],
            "unconfirmed": row["unconfirmed_count"],
            "answered_within_limit": row["answered_within_limit_count"],
            "paper_mail": row["paper_mail_count"],
        }
        for row in query_rows(con, "metrics_year_receipts", **params)
    }
    trainings = {
        row["training_kind"]: row["session_count"]
        for row in query_rows(con, "metrics_year_trainings", **params)
    }
    submissions = [
        {
            "名冊別": row["roster"],
            "部別": row["division"],
            "學期": row["semester"],
            "梯次": row["batch"],
            "提交時間": row["submitted_at"].isoformat(),
            "結果": row["result"],
            "on_time": row["on_time"],
        }
        for row in query_rows(con, "metrics_year_submissions", **params)
    ]
    return {
        "year": year,
        "division": division_label(division),
        "students_active": students_active,
        "diverse": {
            "uploaded": diverse["uploaded_count"],
            "students_with_upload": diverse["students_with_upload"],
            "upload_rate": rate(diverse["students_with_upload"], students_active),
            "students_over_cap": diverse["students_over_cap"],
        },
        "selection": {
            "outcomes_selected": selection["outcomes_selected_count"],
            "diverse_selected": selection["diverse_selected_count"],
            "students_with_selection": selection["students_with_selection"],
            "selection_rate": rate(selection["students_with_selection"], students_active),
            "students_over_outcome_cap": selection["students_over_outcome_cap"],
            "students_over_diverse_cap": selection["students_over_diverse_cap"],
            "selected_not_passed": selection["selected_not_passed_count"],
        },
        "receipts": {roster: receipts[roster] for roster in RECEIPT_ROSTERS},
        "trainings": {kind: trainings[kind] for kind in TRAINING_KINDS},
        "submissions": submissions,
    }


def eligibility(con: Connection, year: int) -> list[dict[str, Any]]:
    """Teacher commendation check over both semesters of `year`, one dict per teacher."""
    _check_year(year)
    rows = query_rows(con, "eligibility_teachers", year=year, active_statuses=list(ACTIVE_STATUSES))
    return [
        {
            "教師代碼": row["teacher_code"],
            "教師姓名": row["teacher_name"],
            "submitted": row["submitted_count"],
            "on_time": row["on_time_count"],
            "on_time_rate": rate(row["on_time_count"], row["submitted_count"]),
            "eligible": bool(row["eligible"]),
        }
        for row in rows
    ]


def semesters_available(con: Connection) -> list[tuple[int, int]]:
    """(學年度, 學期) pairs the database holds data for, oldest first."""
    return [(int(r["school_year"]), int(r["semester"])) for r in query_rows(con, "semesters_available")]
