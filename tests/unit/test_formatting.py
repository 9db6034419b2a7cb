"""The school's forms of a value (dashboard.formatting) and its calendar (dashboard.school_calendar),
on real days: the expectations are written out as people at the school read them."""

from __future__ import annotations

from datetime import date, datetime

from dashboard import formatting as f
from dashboard import school_calendar as cal


def test_short_roc_date_and_datetime() -> None:
    assert f.roc_date(date(2027, 2, 9)) == "116/02/09"
    assert f.roc_date(date(2025, 9, 1)) == "114/09/01"
    assert f.roc_datetime(datetime(2026, 11, 16, 8, 0)) == "115/11/16 08:00"
    assert f.roc_date(datetime(2026, 11, 16, 23, 59)) == "115/11/16"
    assert f.roc_year(date(2026, 11, 16)) == 115


def test_empty_is_a_dash_never_none_or_blank() -> None:
    assert f.EMPTY == "—"
    assert f.roc_date(None) == "—"
    assert f.roc_datetime(None) == "—"
    assert f.count(None) == "—"
    assert f.percent(None) == "—"


def test_month_long_date_and_weekday() -> None:
    assert f.roc_month(date(2026, 11, 1)) == "115/11"
    assert f.roc_month(date(2027, 1, 1)) == "116/01"
    assert f.roc_long_date(date(2026, 11, 16)) == "115年11月16日"
    assert f.roc_long_date(date(2025, 9, 1)) == "114年9月1日"
    assert f.weekday_name(date(2025, 9, 1)) == "一"
    assert f.weekday_name(date(2025, 9, 10)) == "三"
    assert f.weekday_name(date(2025, 9, 14)) == "日"


def test_counts_and_rates() -> None:
    assert f.count(0) == "0"
    assert f.count(12345) == "12,345"
    assert f.count(1234567) == "1,234,567"
    assert f.percent(0.8766) == "87.7%"
    assert f.percent(1.0) == "100.0%"
    assert f.percent(0.0) == "0.0%"


def test_school_year_starts_on_the_first_of_august() -> None:
    assert cal.school_year_of(date(2026, 8, 1)) == 115
    assert cal.school_year_of(date(2026, 7, 31)) == 114
    assert cal.school_year_of(date(2027, 1, 31)) == 115
    assert cal.school_year_of(datetime(2026, 11, 16, 8, 0)) == 115


def test_school_year_bounds() -> None:
    assert cal.school_year_bounds(113) == (date(2024, 8, 1), date(2025, 7, 31))
    assert cal.school_year_bounds(115) == (date(2026, 8, 1), date(2027, 7, 31))
    first, last = cal.school_year_bounds(114)
    assert cal.school_year_of(first) == cal.school_year_of(last) == 114


def test_semester_of_and_its_bounds() -> None:
    assert cal.semester_of(date(2025, 8, 1)) == (114, 1)
    assert cal.semester_of(date(2026, 1, 31)) == (114, 1)
    assert cal.semester_of(date(2026, 2, 1)) == (114, 2)
    assert cal.semester_of(date(2026, 7, 31)) == (114, 2)
    assert cal.semester_bounds(114, 1) == (date(2025, 8, 1), date(2026, 1, 31))
    assert cal.semester_bounds(114, 2) == (date(2026, 2, 1), date(2026, 7, 31))
