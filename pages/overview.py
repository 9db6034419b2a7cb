"""總覽: the chosen semester's headline figures for 全校, 日間部 and 進修部, with traffic lights
against the working group's targets; a compact table (?view=compact) for the principal's phone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from dashboard import exports
from dashboard.measures import metrics, targets
from ui import meeting_panels, schedule_panels, state
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
# A filled dot from the text font (U+25CF, in every CJK font; not an emoji, which would need an
# emoji font the school's PCs may lack); Material's "circle" icon is an outline.
LIGHT_MARK = {
    "green": ":green[●]",
    "amber": ":orange[●]",
    "red": ":red[●]",
    "grey": ":gray[○]",
}
# Row labels short enough for a 390 px screen.
SHORT_NAMES = {
    "在籍學生": "在籍",
    "成果上傳率": "上傳率",
    "認證完成率": "認證率",
    "準時認證率": "準時率",
    "待認證件數": "待認證",
    "勾選率": "勾選率",
}
LIGHT_WORD = {"green": "達標", "amber": "接近目標", "red": "未達標", "grey": "無資料"}


@dataclass(frozen=True)
class Figure:
    name: str
    value: str
    detail: str
    light: str | None = None  # None: a count, judged against no target
    target: float | None = None


def _figures(sem: dict[str, Any], year: dict[str, Any], year_no: int, division: str | None) -> list[Figure]:
    out = sem["outcomes"]
    sel = year["selection"]
    rows = state.targets_table()

    def rate(name: str, metric: str, value: float | None, detail: str) -> Figure:
        found = targets.in_force(rows, metric, year_no, division)
        goal = None if found is None else found.target
        return Figure(name, percent(value), detail, targets.light(value, goal), goal)

    return [
        Figure("在籍學生", count(sem["students_active"]), "人"),
        rate(
            "成果上傳率", "upload_rate", out["upload_rate"], f"{count(out['students_with_upload'])} 人已上傳"
        ),
        rate(
            "認證完成率",
            "certification_rate",
            out["certification_rate"],
            f"已送出 {count(out['submitted'])} 件",
        ),
        rate("準時認證率", "on_time_rate", out["on_time_rate"], f"準時 {count(out['on_time'])} 件"),
        Figure("待認證件數", count(out["pending"]), "件（認證中）"),
        rate(
            "勾選率",
            "selection_rate",
            sel["selection_rate"],
            f"{year['year']}學年度，{count(sel['students_with_selection'])} 人",
        ),
    ]


def _light_text(f: Figure) -> str:
    if f.light is None:
        return ""
    goal = "未設目標" if f.target is None else f"目標 {percent(f.target)}"
    return f"{LIGHT_MARK[f.light]} {LIGHT_WORD[f.light]}（{goal}）"


def _cards(all_figures: dict[str, list[Figure]]) -> None:
    for col, choice in zip(st.columns(len(DIVISION_OPTIONS)), DIVISION_OPTIONS, strict=True):
        with col.container(border=True, key=f"overview_cards_{CARD_KEYS[choice]}"):
            st.subheader(choice)
            figures = all_figures[choice]
            for pair in (figures[i : i + 2] for i in range(0, len(figures), 2)):
                for cell, f in zip(st.columns(2), pair, strict=False):
                    cell.metric(f.name, f.value)
                    cell.caption(f.detail)
                    if f.light is not None:
                        cell.markdown(_light_text(f))


def _compact(all_figures: dict[str, list[Figure]]) -> None:
    """One narrow table: a figure per row, a division per column, the light beside each rate."""
    lines = ["| 指標 | 全校 | 日間部 | 進修部 |", "|---|--:|--:|--:|"]
    for i, first in enumerate(all_figures["全校"]):
        cells = []
        for choice in DIVISION_OPTIONS:
            f = all_figures[choice][i]
            cells.append(f"{LIGHT_MARK[f.light]} {f.value}" if f.light else f.value)
        lines.append(f"| {SHORT_NAMES[first.name]} | " + " | ".join(cells) + " |")
    with st.container(key="overview_compact_table"):
        st.markdown("\n".join(lines))
    st.caption(
        "燈號："
        + "、".join(f"{LIGHT_MARK[k]} {v}" for k, v in LIGHT_WORD.items())
        + f"；接近目標＝低於目標 {int(targets.AMBER_POINTS * 100)} 個百分點以內。"
    )


def render() -> None:
    state.require("view_dashboard")
    st.title("總覽")
    picked = semester_picker("overview_semester")
    if picked is None:
        return
    year, semester = picked
    compact = st.toggle(
        "精簡檢視（手機）", value=st.query_params.get("view") == "compact", key="overview_compact"
    )
    if compact:
        st.query_params["view"] = "compact"
    else:
        st.query_params.pop("view", None)
    st.caption(as_of_caption(metrics.semester_label(year, semester)))
    all_figures = {
        choice: _figures(
            state.semester_metrics(year, semester, division_param(choice)),
            state.year_metrics(year, division_param(choice)),
            year,
            division_param(choice),
        )
        for choice in DIVISION_OPTIONS
    }
    if compact:
        _compact(all_figures)
    else:
        _cards(all_figures)
    if not compact:
        st.subheader("作業期程")
        schedule_panels.timeline_chart(year, semester, date.today(), key="overview_timeline")
    schedule_panels.selfcheck_notice(year, semester, date.today(), key="overview_selfchecks")
    meeting_panels.compliance_panel(year, semester, date.today(), key="overview_meetings", compact=compact)
    table = pd.DataFrame(
        [
            {"指標": f.name, **{c: all_figures[c][i].value for c in DIVISION_OPTIONS}}
            for i, f in enumerate(all_figures["全校"])
        ]
    )
    excel_download(
        {"總覽": table},
        exports.export_file_name(f"{year}-{semester}", "總覽"),
        key="overview_export",
    )


if __name__ == "__main__":  # only on a deep link before app.py ever ran: see ui/gate.py
    from ui import gate

    gate.page_run_directly()
