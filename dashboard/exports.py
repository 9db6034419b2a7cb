"""Excel exports of any table the dashboard shows.

A cell that starts with = + - @ (or a tab / carriage return) would run as a formula when a
clerk opens the file, so such text is written with a leading apostrophe-like guard. Dates are
written as dates. This module must not import streamlit.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping

import pandas as pd

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


def to_xlsx(sheets: Mapping[str, pd.DataFrame]) -> bytes:
    """One workbook, one sheet per frame, header row frozen, columns sized to their content."""
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="xlsxwriter") as writer:
        for name, frame in sheets.items():
            out = frame.copy()
            for col in out.columns:
                if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
                    out[col] = out[col].map(neutralise)
            sheet = safe_sheet_name(name)
            out.to_excel(writer, sheet_name=sheet, index=False)
            ws = writer.sheets[sheet]
            ws.freeze_panes(1, 0)
            for i, col in enumerate(out.columns):
                sample = [str(col), *(str(v) for v in out[col].head(200).tolist())]
                width = max(len(s.encode("utf-8")) * 0.7 for s in sample) + 2
                ws.set_column(i, i, min(max(width, 6), 60))
    return buf.getvalue()


def export_file_name(semester_label: str, title: str, division: str | None = None) -> str:
    """Names like 113-1_教師認證_日間部.xlsx, so a downloaded file says what it holds."""
    parts = [semester_label, title, division or "全校"]
    return "_".join(_BAD_SHEET_CHARS.sub("_", p) for p in parts) + ".xlsx"
