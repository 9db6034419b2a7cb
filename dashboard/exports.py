"""Excel exports of any table the dashboard shows.

A cell that starts with = + - @ (or a tab / carriage return) would run as a formula when a
clerk opens the file, so such text is written with a leading apostrophe-like guard. Dates are
written as dates.

A file built for a signed-in user carries a `Stamp`: 「機密」, who exported it and when (民國,
school time) and 資料截至, in the first row of every sheet, in the printed page's header and
footer, and in the workbook's document properties. The UI sets the stamp around a build
(`stamped`), so the core builders (reminders, notices, the schedule) need not pass it through.
This module must not import streamlit.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime

import pandas as pd

from dashboard.formatting import roc_datetime
from dashboard.school_calendar import TAIPEI

SCHOOL = "國立新竹高級工業職業學校"
CONFIDENTIAL = "機密"


@dataclass(frozen=True)
class Stamp:
    """Who a file was built for, when, and how fresh its data are."""

    exported_by: str  # 王小明（註冊組）
    exported_at: datetime  # school time
    as_of: datetime | None = None  # 資料截至

    def line(self) -> str:
        """機密｜王小明（註冊組）於 115/12/04 10:32 匯出｜資料截至 115/11/16 08:00"""
        parts = [CONFIDENTIAL, f"{self.exported_by}於 {roc_datetime(self.exported_at)} 匯出"]
        if self.as_of is not None:
            parts.append(f"資料截至 {roc_datetime(self.as_of)}")
        return "｜".join(parts)


_current: ContextVar[Stamp | None] = ContextVar("export_stamp", default=None)


@contextmanager
def stamped(stamp: Stamp) -> Iterator[None]:
    """Every workbook built in this block carries `stamp` (unless it is given another)."""
    token = _current.set(stamp)
    try:
        yield
    finally:
        _current.reset(token)


def current_stamp() -> Stamp | None:
    """The stamp of the build in progress (None outside `stamped`): for PDF and Word builders."""
    return _current.get()


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def neutralise(value: object) -> object:
    """Text that a spreadsheet would read as a formula gets a leading single quote."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def safe_sheet_name(name: str) -> str:
    cleaned = _BAD_SHEET_CHARS.sub("_", name).strip("'") or "工作表"
    return cleaned[:31]


def to_xlsx(
    sheets: Mapping[str, pd.DataFrame], stamp: Stamp | None = None, title: str | None = None
) -> bytes:
    """One workbook, one sheet per frame, header row frozen, columns sized to their content.

    With a stamp (given, or set by `stamped`) row 1 of each sheet is the stamp's line and the
    table starts on row 2; without one the table starts on row 1."""
    stamp = stamp or _current.get()
    top = 0 if stamp is None else 1
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="xlsxwriter") as writer:
        if stamp is not None:
            writer.book.set_properties(
                {
                    "title": title or "、".join(sheets),
                    "subject": CONFIDENTIAL,
                    "author": stamp.exported_by,
                    "company": SCHOOL,
                    "keywords": CONFIDENTIAL,
                    "comments": stamp.line(),
                    "created": _utc(stamp.exported_at),
                }
            )
        for name, frame in sheets.items():
            out = frame.copy()
            for col in out.columns:
                if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
                    out[col] = out[col].map(neutralise)
            sheet = safe_sheet_name(name)
            out.to_excel(writer, sheet_name=sheet, index=False, startrow=top)
            ws = writer.sheets[sheet]
            ws.freeze_panes(top + 1, 0)
            if stamp is not None:
                ws.write_string(
                    0, 0, stamp.line(), writer.book.add_format({"bold": True, "font_color": "#B00020"})
                )
                ws.set_header(f'&L&"-,Bold"{CONFIDENTIAL}&R{SCHOOL}')
                ws.set_footer(f"&L{_footer_text(stamp)}&R第 &P 頁，共 &N 頁")
                ws.repeat_rows(top)
            for i, col in enumerate(out.columns):
                sample = [str(col), *(str(v) for v in out[col].head(200).tolist())]
                width = max(len(s.encode("utf-8")) * 0.7 for s in sample) + 2
                ws.set_column(i, i, min(max(width, 6), 60))
    return buf.getvalue()


def _utc(school_time: datetime) -> datetime:
    """Document properties hold UTC (the file says Z): school time is Taipei's."""
    return school_time.replace(tzinfo=TAIPEI).astimezone(UTC).replace(tzinfo=None)


def _footer_text(stamp: Stamp) -> str:
    # & starts a code in a header or footer: a literal one is doubled
    return stamp.line().replace("&", "&&")


def export_file_name(semester_label: str, title: str, division: str | None = None) -> str:
    """Names like 113-1_教師認證_日間部.xlsx, so a downloaded file says what it holds."""
    parts = [semester_label, title, division or "全校"]
    return "_".join(_BAD_SHEET_CHARS.sub("_", p) for p in parts) + ".xlsx"
