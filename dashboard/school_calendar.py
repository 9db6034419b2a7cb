"""The school's calendar: a 學年度 runs from 1 August to 31 July; its first semester ends on
31 January, its second starts on 1 February. The one place this rule is written; how a date is
shown is dashboard.formatting's."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

FIRST_MONTH = 8  # August starts a 學年度
TAIPEI = timezone(timedelta(hours=8))  # Taiwan has kept no daylight-saving time since 1979


def school_now() -> datetime:
    """The school's wall clock (Taipei), naive like every stamp the database keeps: a server
    whose own clock is UTC still stamps entries as the school reads them."""
    return datetime.now(TAIPEI).replace(tzinfo=None)


def school_year_of(day: date) -> int:
    """The 學年度 a day falls in: 2026-08-01 -> 115, 2026-07-31 -> 114."""
    return day.year - 1911 - (0 if day.month >= FIRST_MONTH else 1)


def school_year_bounds(year: int) -> tuple[date, date]:
    """A 學年度's first and last day: 113 -> 2024-08-01, 2025-07-31."""
    return date(year + 1911, FIRST_MONTH, 1), date(year + 1912, 7, 31)


def semester_of(day: date) -> tuple[int, int]:
    """The (學年度, 學期) a day falls in: 2026-01-31 -> (114, 1), 2026-02-01 -> (114, 2)."""
    return school_year_of(day), 1 if day.month >= FIRST_MONTH or day.month == 1 else 2


def semester_bounds(year: int, semester: int) -> tuple[date, date]:
    """A semester's first and last day: semester 1 = 1 Aug – 31 Jan, semester 2 = 1 Feb – 31 Jul."""
    first, last = school_year_bounds(year)
    if semester == 1:
        return first, date(last.year, 1, 31)
    return date(last.year, 2, 1), last
