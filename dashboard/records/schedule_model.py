"""The 作業期程 (Art. 5) as data, and reading it back: the phases and the constants the checks
use, PhaseEntry (one phase of one scope), Check and ScheduleError, the ROC date every message
uses, and the stored rows of a semester (rows), of one scope (load, with its version token), of
what applies to a division (effective), which scopes have rows (scopes) and last year's dates
moved 52 weeks (copy_forward). schedule.py, the module callers use, re-exports these and adds
the checks and the save. This module only reads and must not import streamlit.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, timedelta

import duckdb

from dashboard import db
from dashboard.ingest.kinds import ENUMS
from dashboard.measures import metrics

Connection = duckdb.DuckDBPyConnection

PHASES: tuple[str, ...] = tuple(ENUMS["phase"])
UPLOAD_PHASE = "學生上傳課程學習成果"
RECEIPT_PHASE = "收訖確認"
CLOSING_PHASE = "休業式"
# Art. 5 asks for a self-check time per phase; a check a few days after the end still looks at
# the finished phase (late certifications, last uploads), a week is the longest that stays useful.
SELF_CHECK_GRACE_DAYS = 7
# Every phase of a 學年度 falls within it or close to it (勾選 in August, 收訖確認 in September or
# October after the second semester); a date further out is almost surely a mistyped year.
YEAR_MARGIN_MONTHS = 3
# 52 weeks, not 365 days: the school calendar repeats by weekday (classes start on a Monday, 休業式
# falls on a weekday), so a copied schedule should land on the same weekdays, and 364 days is the
# whole number of weeks nearest to one year. The clerk then adjusts the odd date by hand.
COPY_FORWARD_DAYS = 364
FIELD_LABELS: dict[str, str] = {
    "start_date": "開始日期",
    "end_date": "結束日期",
    "self_check_date": "自我檢核日期",
}


@dataclass
class PhaseEntry:
    """One phase of one scope as the editor shows it; all dates None = not stored."""

    phase: str
    start_date: date | None
    end_date: date | None
    self_check_date: date | None
    unit: str = ""

    @property
    def is_empty(self) -> bool:
        return (
            self.start_date is None
            and self.end_date is None
            and self.self_check_date is None
            and not self.unit.strip()
        )


@dataclass(frozen=True)
class Check:
    """The outcome of `check`: refusals block saving, warnings are shown but allow it."""

    problems: dict[str, str] = field(default_factory=dict)
    warnings: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


class ScheduleError(ValueError):
    """A refused save: `problems` maps a field ("教師認證.end_date", "user", "division", …) to
    what is wrong, in Traditional Chinese."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__(" ".join(problems.values()))
        self.problems = problems


def scope_label(division: str | None) -> str:
    return metrics.division_label(division)


# --- reading ----------------------------------------------------------------------------


def rows(con: Connection, year: int, semester: int) -> list[tuple[str | None, PhaseEntry]]:
    """Every stored row of the semester as (division, entry): general rows first, then 日間部,
    進修部; phases in PHASES order within a scope."""
    found = [
        (
            r["division"],
            PhaseEntry(r["phase"], r["start_date"], r["end_date"], r["self_check_date"], r["unit"] or ""),
        )
        for r in db.query_rows(con, "schedule_rows", year=year, semester=semester)
    ]
    return sorted(found, key=lambda pair: (division_rank(pair[0]), phase_rank(pair[1].phase)))


def division_rank(division: str | None) -> int:
    if division is None:
        return 0
    return 1 + metrics.DIVISIONS.index(division) if division in metrics.DIVISIONS else 9


def phase_rank(phase: str) -> int:
    return PHASES.index(phase) if phase in PHASES else len(PHASES)


def load(con: Connection, year: int, semester: int, division: str | None) -> list[PhaseEntry]:
    """The stored rows of exactly this scope, one entry per phase in PHASES order (a phase
    without a row: None dates, unit "")."""
    division = metrics.normalize_division(division)
    stored: dict[str, PhaseEntry] = {}
    for div, entry in rows(con, year, semester):
        if div == division:
            stored.setdefault(entry.phase, entry)  # the importer keeps the key unique
    return [stored.get(p) or PhaseEntry(p, None, None, None) for p in PHASES]


def version(con: Connection, year: int, semester: int, division: str | None) -> str:
    """A token of exactly this scope's stored rows (dates, units, who entered them and when, the
    import they came from): an editor keeps the token it loaded, and `save` refuses when the
    rows changed since (another clerk's save or an import), instead of overwriting them."""
    division = metrics.normalize_division(division)
    stored = sorted(
        repr(tuple(r[k] for k in ("phase", "start_date", "end_date", "self_check_date", "unit",
                                  "entered_by", "entered_at", "import_id")))
        for r in db.query_rows(con, "schedule_rows", year=year, semester=semester)
        if r["division"] == division
    )  # fmt: skip
    return hashlib.sha256("\n".join(stored).encode("utf-8")).hexdigest()[:16]


def effective(con: Connection, year: int, semester: int, division: str) -> list[PhaseEntry]:
    """What applies to one division: per phase its own row, else the general row."""
    own_division = metrics.normalize_division(division)
    general = load(con, year, semester, None)
    if own_division is None:
        return general
    own = load(con, year, semester, own_division)
    return [o if not o.is_empty else g for o, g in zip(own, general, strict=True)]


def scopes(con: Connection, year: int, semester: int) -> list[str | None]:
    """The division scopes that have stored rows, None (general) first."""
    found = {div for div, _ in rows(con, year, semester)}
    return sorted(found, key=division_rank)


def copy_forward(con: Connection, year: int, semester: int, division: str | None) -> list[PhaseEntry]:
    """Last year's entries of the same semester and scope, every date moved 52 weeks later
    (COPY_FORWARD_DAYS), so each keeps its weekday; [] when last year has nothing stored."""
    previous = load(con, year - 1, semester, division)
    if all(e.is_empty for e in previous):
        return []
    step = timedelta(days=COPY_FORWARD_DAYS)

    def moved(d: date | None) -> date | None:
        return None if d is None else d + step

    return [
        PhaseEntry(e.phase, moved(e.start_date), moved(e.end_date), moved(e.self_check_date), e.unit)
        for e in previous
    ]
