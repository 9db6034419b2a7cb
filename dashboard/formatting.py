"""Values as people at the school read them: 民國 dates, counts with separators, — for empty.

The one place these forms are written; pages, tables, exports and messages call it. Headless:
no Streamlit here.
"""

from __future__ import annotations

from datetime import date, datetime

EMPTY = "—"


def roc_date(value: date | None) -> str:
    """2027-02-09 -> 116/02/09; None -> —."""
    if value is None:
        return EMPTY
    return f"{value.year - 1911}/{value:%m/%d}"


def roc_datetime(value: datetime | None) -> str:
    """2026-11-16 08:00 -> 115/11/16 08:00; None -> —."""
    if value is None:
        return EMPTY
    return f"{roc_date(value)} {value:%H:%M}"


def count(value: int | None) -> str:
    """12345 -> 12,345; None -> —."""
    return EMPTY if value is None else f"{value:,}"
