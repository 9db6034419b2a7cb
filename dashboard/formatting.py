"""Values as people at the school read them: 民國 dates, counts with separators, — for empty.

The one place these forms are written; pages, tables, exports and messages call it. Headless:
no Streamlit here. The 學年度 a day falls in is a rule of the school's calendar, not a form of
writing, and lives in dashboard.school_calendar.
"""

from __future__ import annotations

from datetime import date, datetime

EMPTY = "—"
_WEEKDAYS = "一二三四五六日"


def roc_year(value: date) -> int:
    """The 民國 year of a day: 2026-11-16 -> 115."""
    return value.year - 1911


def roc_date(value: date | None) -> str:
    """2027-02-09 -> 116/02/09; None -> —."""
    if value is None:
        return EMPTY
    return f"{roc_year(value)}/{value:%m/%d}"


def roc_datetime(value: datetime | None, seconds: bool = False) -> str:
    """2026-11-16 08:00 -> 115/11/16 08:00 (with seconds: 115/11/16 08:00:05); None -> —."""
    if value is None:
        return EMPTY
    return f"{roc_date(value)} {value:%H:%M:%S}" if seconds else f"{roc_date(value)} {value:%H:%M}"


def roc_month(value: date) -> str:
    """2026-11-01 -> 115/11 (a month axis's first label)."""
    return f"{roc_year(value)}/{value:%m}"


def roc_long_date(value: date) -> str:
    """2026-11-16 -> 115年11月16日, the form of a letter or minutes (no leading zeros)."""
    return f"{roc_year(value)}年{value.month}月{value.day}日"


def weekday_name(value: date) -> str:
    """The day of the week as the school writes it after a date: 2025-09-10 (a Wednesday) -> 三,
    2025-09-14 (a Sunday) -> 日."""
    return _WEEKDAYS[value.weekday()]


def count(value: int | None) -> str:
    """12345 -> 12,345; None -> —."""
    return EMPTY if value is None else f"{value:,}"


def percent(value: float | None) -> str:
    """A rate as a share of one: 0.8765 -> 87.7%; None -> —."""
    return EMPTY if value is None else f"{value * 100:.1f}%"
