"""Pieces every page repeats: the semester and division pickers, the 資料截至 stamp, Excel download."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import streamlit as st

from dashboard import exports, metrics
from ui import state

DIVISION_OPTIONS: tuple[str, ...] = ("全校", "日間部", "進修部")


def roc_datetime(value: datetime | None) -> str:
    if value is None:
        return "（尚無匯入資料）"
    return f"{value.year - 1911}/{value:%m/%d %H:%M}"


def as_of_caption(semester_label: str | None = None, division: str | None = None) -> str:
    parts = [p for p in (semester_label, division) if p]
    parts.append(f"資料截至 {roc_datetime(state.as_of())}")
    return " · ".join(parts)


def division_param(choice: str) -> str | None:
    return None if choice == "全校" else choice


def semester_picker(key: str) -> tuple[int, int] | None:
    """A select box of the semesters in the database, newest first, default the current one."""
    options = sorted(state.semesters(), reverse=True)
    if not options:
        st.info("資料庫尚無學期資料；請先到「資料匯入」匯入平臺匯出檔。", icon=":material/info:")
        return None
    chosen: tuple[int, int] = st.selectbox(
        "學期",
        options,
        format_func=lambda ys: metrics.semester_label(*ys),
        key=key,
    )
    return chosen


def excel_download(
    frames: dict[str, pd.DataFrame], file_name: str, key: str, label: str = "匯出 Excel"
) -> None:
    st.download_button(
        label,
        data=exports.to_xlsx(frames),
        file_name=file_name,
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=key,
        icon=":material/download:",
    )


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def count(value: int | None) -> str:
    return "—" if value is None else f"{value:,}"
