"""總覽: the current semester's headline figures for 全校, 日間部 and 進修部."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from dashboard import exports, metrics
from ui import state
from ui.common import (
    DIVISION_OPTIONS,
    as_of_caption,
    count,
    division_param,
    excel_download,
    percent,
    semester_picker,
)

# Widget keys become CSS classes, which keep ASCII only.
CARD_KEYS = {"全校": "school", "日間部": "day", "進修部": "continuing"}


def _figures(sem: dict[str, Any], year: dict[str, Any]) -> list[tuple[str, str, str]]:
    out = sem["outcomes"]
    sel = year["selection"]
    return [
        ("在籍學生", count(sem["students_active"]), "人"),
        (
            "成果上傳率",
            percent(out["upload_rate"]),
            f"課程學習成果，{count(out['students_with_upload'])} 人已上傳",
        ),
        ("認證完成率", percent(out["certification_rate"]), f"已送出 {count(out['submitted'])} 件"),
        ("準時認證率", percent(out["on_time_rate"]), f"準時 {count(out['on_time'])} 件"),
        ("待認證件數", count(out["pending"]), "件（認證中）"),
        (
            "勾選率",
            percent(sel["selection_rate"]),
            f"{year['year']}學年度，{count(sel['students_with_selection'])} 人",
        ),
    ]


def render() -> None:
    state.require("view_dashboard")
    st.title("總覽")
    picked = semester_picker("overview_semester")
    if picked is None:
        return
    year, semester = picked
    st.caption(as_of_caption(metrics.semester_label(year, semester)))
    table_rows: dict[str, dict[str, str]] = {}
    for col, choice in zip(st.columns(len(DIVISION_OPTIONS)), DIVISION_OPTIONS, strict=True):
        div = division_param(choice)
        figures = _figures(state.semester_metrics(year, semester, div), state.year_metrics(year, div))
        with col.container(border=True, key=f"overview_cards_{CARD_KEYS[choice]}"):
            st.subheader(choice)
            for pair in (figures[i : i + 2] for i in range(0, len(figures), 2)):
                for cell, (name, value, detail) in zip(st.columns(2), pair, strict=False):
                    cell.metric(name, value)
                    cell.caption(detail)
                    table_rows.setdefault(name, {"指標": name})[choice] = value
    excel_download(
        {"總覽": pd.DataFrame(list(table_rows.values()))},
        exports.export_file_name(f"{year}-{semester}", "總覽"),
        key="overview_export",
    )


if __name__ == "__main__":
    import app

    app.main()
