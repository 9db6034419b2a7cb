"""多元表現與諮詢: a 學年度's 多元表現 by category and the students over its caps; a semester's
課程諮詢 coverage by 科別 and 年級. The 學年度 is the one of the semester picked."""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import auth, exports
from dashboard.measures import diverse, metrics
from dashboard.privacy import mask_name
from ui import state
from ui.common import as_of_caption, count, excel_download, percent, scope_pickers, show_names

GRADE_LABELS = {1: "一年級", 2: "二年級", 3: "三年級", 4: "四年級"}
CAP_LISTS = (
    ("upload", "超過上傳上限", "diverse_upload_cap_per_year", "上傳件數", "上傳上限"),
    ("selection", "超過勾選上限", "diverse_selection_cap_per_year", "勾選件數", "勾選上限"),
)


@st.cache_data(ttl=600, show_spinner=False)
def _by_category(year: int, division: str | None) -> list[dict[str, Any]]:
    return diverse.by_category(state.connection(), year, division)


@st.cache_data(ttl=600, show_spinner=False)
def _over_caps(year: int, division: str | None) -> dict[str, list[dict[str, Any]]]:
    return diverse.students_over_caps(state.connection(), year, division)


@st.cache_data(ttl=600, show_spinner=False)
def _counselling_cells(year: int, semester: int, division: str | None) -> list[dict[str, Any]]:
    return diverse.counselling_cells(state.connection(), year, semester, division)


def _grade_label(grade: int) -> str:
    return GRADE_LABELS.get(grade, f"{grade}年級")


def _category_section(year: int, division: str | None, div_label: str) -> None:
    figures = state.year_metrics(year, division)
    uploads, selection = figures["diverse"], figures["selection"]
    st.caption(f"{year}學年度兩學期在籍學生的多元表現（含未標學期者）；一位學生可同時出現在多個類別。")
    cells = st.columns(4)
    cells[0].metric("上傳件數", f"{count(uploads['uploaded'])} 件")
    cells[1].metric("上傳率", percent(uploads["upload_rate"]))
    cells[1].caption(f"{count(uploads['students_with_upload'])} / {count(figures['students_active'])} 人")
    cells[2].metric("勾選件數", f"{count(selection['diverse_selected'])} 件")
    cells[3].metric("超過上傳上限", f"{count(uploads['students_over_cap'])} 人")
    table = pd.DataFrame(_by_category(year, division)).rename(
        columns={
            "category": "類別",
            "item_count": "件數",
            "students_with_item": "上傳學生數",
            "selected_count": "勾選件數",
        }
    )
    fig = go.Figure(
        [
            go.Bar(name="上傳件數", y=table["類別"], x=table["件數"], orientation="h"),
            go.Bar(name="勾選件數", y=table["類別"], x=table["勾選件數"], orientation="h"),
        ]
    )
    fig.update_layout(
        barmode="group",
        height=420,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        yaxis={"autorange": "reversed"},
        xaxis_title="件數",
        legend={"orientation": "h", "y": 1.08},
    )
    st.plotly_chart(fig, key="diverse_category_chart")
    st.dataframe(table, hide_index=True, key="diverse_category_table")
    st.caption(f"合計 {count(int(table['件數'].sum()))} 件，勾選 {count(int(table['勾選件數'].sum()))} 件。")
    excel_download(
        {"多元表現類別": table},
        exports.export_file_name(str(year), "多元表現類別", div_label),
        key="diverse_category_export",
    )


def _cap_lists(year: int, division: str | None, div_label: str, user: auth.User) -> None:
    lists = _over_caps(year, division)
    columns = st.columns(2)
    for column, (kind, title, rule_key, count_label, cap_label) in zip(columns, CAP_LISTS, strict=True):
        with column:
            rule = state.query("rule_value", key=rule_key, year=year)
            cap = int(rule["value"].iloc[0]) if len(rule) else None
            st.markdown(f"**{title}**（{cap_label} {count(cap)} 件）")
            rows = lists[kind]
            if not rows:
                st.success(f"{year}學年度沒有學生{title}。", icon=":material/check_circle:")
                continue
            table = pd.DataFrame(
                {
                    "學號": [r["student_no"] for r in rows],
                    "姓名": [
                        r["student_name"] if show_names(user) else mask_name(r["student_name"]) for r in rows
                    ],
                    "班級": [r["class_name"] for r in rows],
                    count_label: [r["count"] for r in rows],
                }
            )
            st.caption(f"共 {len(table)} 人")
            st.dataframe(table, hide_index=True, key=f"diverse_over_{kind}_table")
            excel_download(
                {title: table},
                exports.export_file_name(str(year), f"多元表現{title}", div_label),
                key=f"diverse_over_{kind}_export",
            )


def _coverage_frame(rows: list[dict[str, Any]], keys: dict[str, str]) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    out = pd.DataFrame({label: frame[key] for key, label in keys.items()})
    out["在籍學生"] = frame["students_active"]
    out["有諮詢紀錄"] = frame["students_with_record"]
    out["涵蓋率"] = [percent(v) for v in frame["rate"]]
    return out


def _rate_cell(value: object) -> str:
    return percent(value) if isinstance(value, float) and not pd.isna(value) else ""


def _heat_colour(value: object) -> str:
    """Pale to deep blue with the rate; white text on the deep end. Empty cells stay plain."""
    if not isinstance(value, float) or pd.isna(value):
        return ""
    share = min(max(value, 0.0), 1.0)
    red, green = round(239 - 206 * share), round(246 - 144 * share)
    text = "#ffffff" if share > 0.6 else "#1a1a1a"
    return f"background-color: rgb({red}, {green}, 255); color: {text}"


def _counselling_section(year: int, semester: int, division: str | None, div_label: str) -> None:
    figures = state.semester_metrics(year, semester, division)
    code = metrics.semester_code(year, semester)
    cells = st.columns(3)
    cells[0].metric("在籍學生", f"{count(figures['students_active'])} 人")
    cells[1].metric("有諮詢紀錄", f"{count(figures['counselling']['students_with_record'])} 人")
    cells[2].metric("涵蓋率", percent(figures["counselling"]["rate"]))
    st.caption("學期內至少有一筆課程諮詢紀錄的在籍學生；年級、科別依該學期學生名冊。")
    grid = _counselling_cells(year, semester, division)
    if not grid:
        st.info("這個學期沒有在籍學生。", icon=":material/info:")
        return
    whole_school = division is None
    dept_keys = {"division": "部別", "department": "科別"} if whole_school else {"department": "科別"}
    left, right = st.columns([3, 2])
    with left:
        st.markdown("**依科別**")
        by_dept = _coverage_frame(diverse.counselling_by(grid, "department"), dept_keys)
        st.dataframe(by_dept, hide_index=True, height="content", key="counselling_department_table")
        excel_download(
            {"依科別": by_dept},
            exports.export_file_name(code, "課程諮詢_科別", div_label),
            key="counselling_department_export",
        )
    with right:
        st.markdown("**依年級**")
        by_grade = diverse.counselling_by(grid, "grade")
        for row in by_grade:
            row["grade"] = _grade_label(row["grade"])
        grade_table = _coverage_frame(by_grade, {"grade": "年級"})
        st.dataframe(grade_table, hide_index=True, key="counselling_grade_table")
        excel_download(
            {"依年級": grade_table},
            exports.export_file_name(code, "課程諮詢_年級", div_label),
            key="counselling_grade_export",
        )
    st.markdown("**科別 × 年級 涵蓋率**")
    frame = pd.DataFrame(grid)
    frame["row"] = (frame["division"] + " " if whole_school else "") + frame["department"]
    frame["column"] = frame["grade"].map(_grade_label)
    order = [_grade_label(g) for g in sorted(frame["grade"].unique())]
    rates = frame.pivot(index="row", columns="column", values="rate").reindex(columns=order)
    rates = rates.astype(float).rename_axis(index="科別", columns=None)
    # Shown as text (an empty cell where no student is, not "None"), coloured by the rate.
    heat = rates.map(_rate_cell)
    styled = heat.style.apply(lambda _: rates.map(_heat_colour), axis=None)
    st.dataframe(styled, height="content", key="counselling_heat_table")
    st.caption("空白 = 該科該年級沒有在籍學生。")
    excel_download(
        {"科別×年級涵蓋率": heat.reset_index()},
        exports.export_file_name(code, "課程諮詢_科別年級", div_label),
        key="counselling_heat_export",
    )


def render() -> None:
    user = state.require("view_dashboard")
    st.title("多元表現與諮詢")
    scope = scope_pickers("diverse")
    if scope is None:
        return
    year, semester, division, _ = scope
    div_label = metrics.division_label(division)
    st.caption(as_of_caption(metrics.semester_label(year, semester), div_label))
    tab_diverse, tab_counselling = st.tabs(["多元表現", "課程諮詢"], key="diverse_tabs")
    with tab_diverse:
        _category_section(year, division, div_label)
        _cap_lists(year, division, div_label, user)
    with tab_counselling:
        _counselling_section(year, semester, division, div_label)


if __name__ == "__main__":  # only on a deep link before app.py ever ran: see ui/gate.py
    from ui import gate

    gate.page_run_directly()
