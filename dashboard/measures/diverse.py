"""多元表現 by category, the students over the 多元表現 caps, and 課程諮詢 coverage by 科別 × 年級.

The breakdowns behind the 多元表現與諮詢 page. They count over the same active students as
metrics.py (A(Y) for 多元表現, A(S) for 課程諮詢, through the table macros), so the categories add
up to year_metrics' diverse.uploaded, the over-cap lists are as long as its students_over_cap
figures, and the coverage cells add up to semester_metrics' counselling.students_with_record.
Plain dicts out; this module must not import streamlit, cache, or format for display.
"""

from __future__ import annotations

from typing import Any, Literal

import duckdb

from dashboard.db import query_rows
from dashboard.ingest.kinds import ACTIVE_STATUSES, ENUMS
from dashboard.measures.metrics import _check_semester, _check_year, normalize_division, rate

Connection = duckdb.DuckDBPyConnection
CoverageKey = Literal["department", "grade"]

# The central database's ten lists, in the order the platform shows them.
CATEGORIES: tuple[str, ...] = tuple(ENUMS["diverse_category"])


def _params(year: int, division: str | None, **more: Any) -> dict[str, Any]:
    return {"year": year, "division": division, "active_statuses": list(ACTIVE_STATUSES), **more}


def by_category(con: Connection, year: int, division: str | None = None) -> list[dict[str, Any]]:
    """One dict per category (all ten, zeros included, in the platform's order): category,
    item_count, students_with_item, selected_count. A category outside the ten (not expected:
    the importer refuses it) is appended, so the item counts still add up."""
    _check_year(year)
    rows = {
        row["category"]: row
        for row in query_rows(con, "diverse_by_category", **_params(year, normalize_division(division)))
    }
    names = list(CATEGORIES) + sorted(set(rows) - set(CATEGORIES))
    return [
        {
            "category": name,
            "item_count": int(rows[name]["item_count"]) if name in rows else 0,
            "students_with_item": int(rows[name]["students_with_item"]) if name in rows else 0,
            "selected_count": int(rows[name]["selected_count"]) if name in rows else 0,
        }
        for name in names
    ]


def students_over_caps(
    con: Connection, year: int, division: str | None = None
) -> dict[str, list[dict[str, Any]]]:
    """The active students of `year` over the 多元表現 caps in force that year.

    "upload": more items than diverse_upload_cap_per_year; "selection": more selected items
    than diverse_selection_cap_per_year. Each entry: student_no, student_name, class_name,
    count (the figure over the cap) and cap.
    """
    _check_year(year)
    rows = query_rows(con, "diverse_students_over_cap", **_params(year, normalize_division(division)))
    out: dict[str, list[dict[str, Any]]] = {"upload": [], "selection": []}
    for row in rows:
        person = {
            "student_no": row["student_no"],
            "student_name": row["student_name"],
            "class_name": row["class_name"],
        }
        if row["uploaded_count"] > row["upload_cap"]:
            out["upload"].append({**person, "count": row["uploaded_count"], "cap": int(row["upload_cap"])})
        if row["selected_count"] > row["selection_cap"]:
            out["selection"].append(
                {**person, "count": row["selected_count"], "cap": int(row["selection_cap"])}
            )
    return out


def counselling_cells(
    con: Connection, year: int, semester: int, division: str | None = None
) -> list[dict[str, Any]]:
    """課程諮詢 coverage of semester (year, semester) per 部別, 科別 and 年級: division, department,
    grade, students_active, students_with_record, rate."""
    _check_semester(year, semester)
    rows = query_rows(
        con, "counselling_coverage", **_params(year, normalize_division(division), semester=semester)
    )
    return [
        {
            "division": row["division"],
            "department": row["department"],
            "grade": int(row["grade"]),
            "students_active": int(row["students_active"]),
            "students_with_record": int(row["students_with_record"]),
            "rate": rate(row["students_with_record"], row["students_active"]),
        }
        for row in rows
    ]


def counselling_by(cells: list[dict[str, Any]], key: CoverageKey) -> list[dict[str, Any]]:
    """The coverage cells summed by 科別 (within 部別, since both divisions have a 機械科) or by
    年級 (across 部別): the key columns, students_active, students_with_record, rate."""
    if key not in ("department", "grade"):
        raise ValueError(f"分組方式「{key}」不正確：只能是 department（科別）或 grade（年級）。")
    columns: tuple[str, ...] = ("division", "department") if key == "department" else ("grade",)
    sums: dict[tuple[Any, ...], list[int]] = {}
    for cell in cells:
        group = sums.setdefault(tuple(cell[c] for c in columns), [0, 0])
        group[0] += cell["students_active"]
        group[1] += cell["students_with_record"]
    return [
        {
            **dict(zip(columns, group_key, strict=True)),
            "students_active": active,
            "students_with_record": counselled,
            "rate": rate(counselled, active),
        }
        for group_key, (active, counselled) in sorted(sums.items())
    ]
