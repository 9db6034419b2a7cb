"""學期進度: the semester pipeline 上傳 → 送出認證 → 認證完成 → 勾選 → 提交 → 收訖確認.

Every figure metrics.py already defines is read from metrics.semester_metrics, year_metrics or
semester_breakdown, so the page can never disagree with the command line. This module adds only
what metrics has no key for: the 作業期程 phase each stage belongs to and its state as of
資料截至 (db.as_of, the dashboard's "now"; never the wall clock), the rosters expected for
學校提交, |A(S)| per group of the drill-down, and the headline counts behind its lists.
It must not import streamlit, cache, or format for display (pipeline_tables does that).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

import duckdb

from dashboard.db import as_of as data_as_of
from dashboard.db import query_rows
from dashboard.ingest.kinds import ACTIVE_STATUSES, ENUMS
from dashboard.measures import metrics

Connection = duckdb.DuckDBPyConnection
PhaseState = Literal["未開始", "進行中", "已結束"]

UPLOAD_PHASE = "學生上傳課程學習成果"
CERTIFY_PHASE = "教師認證"
SELECT_PHASE = "學生勾選"
DELIVER_PHASE = "學校提交"
RECEIPT_PHASE = "收訖確認"
SEMESTER_ROSTERS: tuple[str, ...] = ("學籍資料", "學業成績", "校內幹部經歷")
YEAR_ROSTERS: tuple[str, ...] = ("課程學習成果", "多元表現")  # 學期 0, due with semester 2


@dataclass(frozen=True)
class PhaseRow:
    """One 作業期程 row: division None applies to both divisions; end_date is inclusive."""

    semester: int
    division: str | None
    phase: str
    start_date: date
    end_date: date


@dataclass(frozen=True)
class PhaseStatus:
    """A phase as it stands at 資料截至. division is None when one row serves the whole scope."""

    phase: str
    year: int
    semester: int
    division: str | None
    start_date: date
    end_date: date
    state: PhaseState | None  # None when 資料截至 is unknown (nothing imported yet)
    days_to_start: int | None  # 未開始: days until the first day
    days_left: int | None  # 進行中: days left, the end day counted (1 on the end day)
    days_since_end: int | None  # 已結束: days since the end day


@dataclass(frozen=True)
class Stage:
    key: str
    label: str
    count: int
    base: int
    rate: float | None
    unit: str  # what count and base count: 人, 件, 份
    base_label: str
    phase: str  # the 作業期程 項目 it belongs to
    phase_year: int
    phase_semester: int
    phases: tuple[PhaseStatus, ...]  # empty when the schedule has no such row

    @property
    def complete(self) -> bool:
        return self.base > 0 and self.count >= self.base

    @property
    def remaining(self) -> int:
        return max(self.base - self.count, 0)


@dataclass(frozen=True)
class RosterStatus:
    """One roster expected from the school for the semester (per division)."""

    division: str
    roster: str
    semester: int  # 0 = per-year roster
    submitted_at: datetime | None  # first successful submission
    on_time: bool | None
    failed_attempts: int

    @property
    def done(self) -> bool:
        return self.submitted_at is not None


@dataclass(frozen=True)
class Pipeline:
    year: int
    semester: int
    division: str | None
    as_of: datetime | None
    stages: tuple[Stage, ...]
    rosters: tuple[RosterStatus, ...]
    timeline: tuple[PhaseStatus, ...]


# --- phases -----------------------------------------------------------------------------


def phase_rows(con: Connection, year: int) -> list[PhaseRow]:
    return [
        PhaseRow(r["semester"], r["division"], r["phase"], r["start_date"], r["end_date"])
        for r in query_rows(con, "pipeline_phases", year=year)
    ]


def resolve_phase(rows: Sequence[PhaseRow], semester: int, phase: str, division: str) -> PhaseRow | None:
    """The row for the division, else the row with empty 部別 (metrics.md)."""
    candidates = [r for r in rows if r.semester == semester and r.phase == phase]
    own = next((r for r in candidates if r.division == division), None)
    return own or next((r for r in candidates if r.division is None), None)


def status_of(
    year: int, semester: int, row: PhaseRow, as_of: datetime | None, division: str | None
) -> PhaseStatus:
    """未開始 before the first day, 進行中 until the end of the end day, then 已結束."""
    state: PhaseState | None = None
    to_start = left = since = None
    if as_of is not None:
        today = as_of.date()
        if today < row.start_date:
            state, to_start = "未開始", (row.start_date - today).days
        elif today <= row.end_date:
            state, left = "進行中", (row.end_date - today).days + 1
        else:
            state, since = "已結束", (today - row.end_date).days
    return PhaseStatus(
        row.phase, year, semester, division, row.start_date, row.end_date, state, to_start, left, since
    )


def scoped_phase(
    rows: Sequence[PhaseRow],
    year: int,
    semester: int,
    phase: str,
    divisions: Sequence[str],
    as_of: datetime | None,
) -> tuple[PhaseStatus, ...]:
    """The phase for the divisions in scope: one status when they share dates, else one each."""
    resolved = [(d, resolve_phase(rows, semester, phase, d)) for d in divisions]
    found = [(d, r) for d, r in resolved if r is not None]
    if not found:
        return ()
    dates = {(r.start_date, r.end_date) for _, r in found}
    if len(dates) == 1 and len(found) == len(divisions):
        return (status_of(year, semester, found[0][1], as_of, None),)
    return tuple(status_of(year, semester, r, as_of, d) for d, r in found)


def timeline(
    rows: Sequence[PhaseRow], year: int, semester: int, divisions: Sequence[str], as_of: datetime | None
) -> tuple[PhaseStatus, ...]:
    """Every phase of the semester's 作業期程 for the scope, in order of its start."""
    names = list(dict.fromkeys(r.phase for r in rows if r.semester == semester))
    bars = [b for name in names for b in scoped_phase(rows, year, semester, name, divisions, as_of)]
    order = {name: i for i, name in enumerate(ENUMS["phase"])}
    return tuple(
        sorted(
            bars, key=lambda b: (b.start_date, order.get(b.phase, len(order)), b.end_date, b.division or "")
        )
    )


# --- the funnel -------------------------------------------------------------------------


def group_students(con: Connection, year: int, semester: int, division: str | None) -> list[dict[str, Any]]:
    """|A(S)| per (部別, 科別, 班級)."""
    return query_rows(
        con,
        "pipeline_group_students",
        year=year,
        semester=semester,
        division=division,
        active_statuses=list(ACTIVE_STATUSES),
    )


def divisions_in_scope(groups: Sequence[dict[str, Any]], division: str | None) -> tuple[str, ...]:
    """The chosen division; for 全校 the divisions with active students (both when none has)."""
    if division is not None:
        return (division,)
    present = tuple(d for d in metrics.DIVISIONS if any(g["division"] == d for g in groups))
    return present or metrics.DIVISIONS


def expected_rosters(
    year_submissions: Sequence[dict[str, Any]], semester: int, divisions: Sequence[str]
) -> tuple[RosterStatus, ...]:
    """學籍資料, 學業成績, 校內幹部經歷 of the semester per division, plus 課程學習成果 and 多元表現
    (學期 0) for semester 2; done when a submission of it succeeded (metrics.year_metrics rows)."""
    wanted = [(r, semester) for r in SEMESTER_ROSTERS]
    if semester == 2:
        wanted += [(r, 0) for r in YEAR_ROSTERS]
    out = []
    for division in divisions:
        for roster, sem in wanted:
            rows = [
                s
                for s in year_submissions
                if s["部別"] == division and s["名冊別"] == roster and s["學期"] == sem
            ]
            ok = sorted((s for s in rows if s["結果"] == "成功"), key=lambda s: str(s["提交時間"]))
            first = ok[0] if ok else None
            out.append(
                RosterStatus(
                    division,
                    roster,
                    sem,
                    datetime.fromisoformat(first["提交時間"]) if first else None,
                    first["on_time"] if first else None,
                    sum(1 for s in rows if s["結果"] != "成功"),
                )
            )
    return tuple(out)


def build(con: Connection, year: int, semester: int, division: str | None = None) -> Pipeline:
    """The six stages of semester (year, semester), optionally one 部別, as of 資料截至."""
    division = metrics.normalize_division(division)
    sem = metrics.semester_metrics(con, year, semester, division)
    yr = metrics.year_metrics(con, year, division)
    now = data_as_of(con)
    rows = phase_rows(con, year)
    divisions = divisions_in_scope(group_students(con, year, semester, division), division)
    rosters = expected_rosters(yr["submissions"], semester, divisions)
    out = sem["outcomes"]
    sel = yr["selection"]
    listed = sum(r["listed"] for r in yr["receipts"].values())
    confirmed = sum(r["confirmed"] for r in yr["receipts"].values())
    done = sum(1 for r in rosters if r.done)

    def stage(spec: tuple[str, str, int, int, float | None, str, str, str, int]) -> Stage:
        key, label, count, base, rate, unit, base_label, phase, phase_semester = spec
        phases = scoped_phase(rows, year, phase_semester, phase, divisions, now)
        return Stage(key, label, count, base, rate, unit, base_label, phase, year, phase_semester, phases)

    decided = out["passed"] + out["failed"]
    specs: list[tuple[str, str, int, int, float | None, str, str, str, int]] = [
        ("upload", "上傳", out["students_with_upload"], sem["students_active"], out["upload_rate"],
         "人", "在籍學生", UPLOAD_PHASE, semester),
        ("submit", "送出認證", out["submitted"], out["uploaded"],
         metrics.rate(out["submitted"], out["uploaded"]), "件", "上傳件數", UPLOAD_PHASE, semester),
        ("certify", "認證完成", decided, out["submitted"], out["certification_rate"],
         "件", "送出認證件數", CERTIFY_PHASE, semester),
        # 勾選 happens once a year, after semester 2: the year's figures and semester 2's phase.
        ("select", "勾選", sel["students_with_selection"], yr["students_active"], sel["selection_rate"],
         "人", "學年在籍學生", SELECT_PHASE, 2),
        ("deliver", "提交", done, len(rosters), metrics.rate(done, len(rosters)),
         "份", "應提交名冊", DELIVER_PHASE, semester),
        ("receipt", "收訖確認", confirmed, listed, metrics.rate(confirmed, listed),
         "筆", "學年收訖明細", RECEIPT_PHASE, semester),
    ]  # fmt: skip
    stages = tuple(stage(spec) for spec in specs)
    return Pipeline(
        year, semester, division, now, stages, rosters, timeline(rows, year, semester, divisions, now)
    )


# --- drill-down ---------------------------------------------------------------------------

GROUP_FIGURES: tuple[str, ...] = (
    "students_active",
    "students_with_upload",
    "upload_rate",
    "uploaded",
    "submitted",
    "passed",
    "failed",
    "pending",
    "certification_rate",
    "students_over_cap",
)


def _group_row(key: str, students_active: int, outcomes: dict[str, Any] | None) -> dict[str, Any]:
    o = outcomes or {}
    with_upload = o.get("students_with_upload", 0)
    passed, failed, submitted = o.get("passed", 0), o.get("failed", 0), o.get("submitted", 0)
    return {
        "group": key,
        "students_active": students_active,
        "students_with_upload": with_upload,
        "upload_rate": metrics.rate(with_upload, students_active),
        "uploaded": o.get("uploaded", 0),
        "submitted": submitted,
        "passed": passed,
        "failed": failed,
        "pending": o.get("pending", 0),
        "certification_rate": metrics.rate(passed + failed, submitted),
        "students_over_cap": o.get("students_over_cap", 0),
    }


def group_figures(
    con: Connection, year: int, semester: int, division: str | None = None, department: str | None = None
) -> list[dict[str, Any]]:
    """One row per group of the level below the scope: 部別 under 全校, 科別 under a 部別,
    班級 under a 科別; outcomes figures from metrics, |A(S)| per group from the roster."""
    division = metrics.normalize_division(division)
    groups = group_students(con, year, semester, division)
    if division is None and department is None:
        out = []
        for d in metrics.DIVISIONS:
            m = metrics.semester_metrics(con, year, semester, d)
            if m["students_active"]:
                out.append(_group_row(d, m["students_active"], m["outcomes"]))
        return out
    by: metrics.Grouping
    if department is None:
        by, column = "department", "department"
        scope = groups
    else:
        by, column = "class", "class_name"
        scope = [g for g in groups if g["department"] == department]
    active: dict[str, int] = {}
    for g in scope:
        active[g[column]] = active.get(g[column], 0) + g["students_active"]
    label = "科別" if by == "department" else "班級"
    figures = {row[label]: row for row in metrics.semester_breakdown(con, year, semester, by, division)}
    return [_group_row(key, n, figures.get(key)) for key, n in sorted(active.items())]


@dataclass(frozen=True)
class Headline:
    students_active: int
    no_upload: int  # students in A(S) of the scope with no 課程學習成果 of S
    over_cap: int  # students over outcome_upload_cap_per_semester
    selected_not_passed: int | None  # the year's; None below 部別 (metrics has no such key)


def headline(
    con: Connection,
    year: int,
    semester: int,
    division: str | None = None,
    department: str | None = None,
    class_name: str | None = None,
) -> Headline:
    """The three headline counts of the scope, from metrics (semester_breakdown below 部別)."""
    division = metrics.normalize_division(division)
    if department is None and class_name is None:
        sem = metrics.semester_metrics(con, year, semester, division)
        yr = metrics.year_metrics(con, year, division)
        o = sem["outcomes"]
        return Headline(
            sem["students_active"],
            sem["students_active"] - o["students_with_upload"],
            o["students_over_cap"],
            yr["selection"]["selected_not_passed"],
        )
    groups = group_students(con, year, semester, division)
    by: metrics.Grouping
    key: str | None
    if class_name is not None:
        active = sum(g["students_active"] for g in groups if g["class_name"] == class_name)
        by, label, key = "class", "班級", class_name
    else:
        active = sum(g["students_active"] for g in groups if g["department"] == department)
        by, label, key = "department", "科別", department
    rows = metrics.semester_breakdown(con, year, semester, by, division)
    row = next((r for r in rows if r[label] == key), None)
    with_upload = row["students_with_upload"] if row else 0
    return Headline(active, active - with_upload, row["students_over_cap"] if row else 0, None)
