"""學期進度: the semester's pipeline 上傳 → 送出認證 → 認證完成 → 勾選 → 提交 → 收訖確認 with each
stage's 作業期程, the timeline, the lists behind the headline counts, and the drill-down
全校 → 部別 → 科別 → 班級 → students.

Every figure comes from dashboard.measures.pipeline, which reads dashboard.measures.metrics, so
the page agrees with the command line. The scope lives in the URL (?semester=115-1&division=日間部&department=
機械科&class=機一甲), so a link opens the same level.
"""

from __future__ import annotations

import hashlib
from datetime import date
from functools import partial
from typing import Any

import pandas as pd
import streamlit as st

from dashboard import exports
from dashboard.ingest.kinds import ACTIVE_STATUSES
from dashboard.measures import metrics, pipeline
from dashboard.measures import pipeline_tables as tables
from ui import schedule_panels, state
from ui.common import as_of_caption, count, excel_download, percent, scope_pickers, show_names, url_select

DIVISION_KEY = "pipeline_division"  # the division picker of scope_pickers("pipeline")
DEPARTMENT_KEY = "pipeline_department"
CLASS_KEY = "pipeline_class"
ALL_DEPARTMENTS = "全部科別"
ALL_CLASSES = "全部班級"
BADGE_COLOURS: dict[str, Any] = {
    "done": "green",
    "running": "blue",
    "waiting": "gray",
    "late": "red",
    "unknown": "orange",
}
RATE_CONFIG = {name: st.column_config.NumberColumn(name, format="percent") for name in tables.RATE_COLUMNS}


@st.cache_data(ttl=600, show_spinner=False)
def _pipeline(year: int, semester: int, division: str | None) -> pipeline.Pipeline:
    return pipeline.build(state.connection(), year, semester, division)


@st.cache_data(ttl=600, show_spinner=False)
def _groups(year: int, semester: int, division: str | None, department: str | None) -> list[dict[str, Any]]:
    return pipeline.group_figures(state.connection(), year, semester, division, department)


@st.cache_data(ttl=600, show_spinner=False)
def _headline(
    year: int, semester: int, division: str | None, department: str | None, class_name: str | None
) -> pipeline.Headline:
    return pipeline.headline(state.connection(), year, semester, division, department, class_name)


def _drop_params(*names: str) -> None:
    for name in names:
        if name in st.query_params:
            del st.query_params[name]


def _scope_select(label: str, options: list[str], key: str, param: str, everything: str) -> str | None:
    """A drill level in the URL; the 全部 choice leaves the parameter out of the address."""
    value = url_select(label, [everything, *options], key=key, param=param)
    if value == everything:
        _drop_params(param)
        return None
    return value


def _pickers() -> tuple[int, int, str | None, str | None, str | None] | None:
    scope = scope_pickers("pipeline", 4)
    if scope is None:
        return None
    year, semester, division, (c3, c4) = scope
    department = class_name = None
    if division is None:
        _drop_params("department", "class")
        return year, semester, None, None, None
    groups = state.query(
        "pipeline_group_students",
        year=year,
        semester=semester,
        division=division,
        active_statuses=list(ACTIVE_STATUSES),
    )
    with c3:
        departments = sorted(groups["department"].unique())
        department = _scope_select("科別", departments, DEPARTMENT_KEY, "department", ALL_DEPARTMENTS)
    if department is None:
        _drop_params("class")
        return year, semester, division, None, None
    with c4:
        classes = sorted(
            groups.loc[groups["department"] == department, "class_name"], key=tables.class_sort_key
        )
        class_name = _scope_select("班級", classes, CLASS_KEY, "class", ALL_CLASSES)
    return year, semester, division, department, class_name


def _go_to(level: str) -> None:
    """Breadcrumb and 返回 callbacks: set the pickers before they are drawn again."""
    if level == "school":
        st.session_state[DIVISION_KEY] = "全校"
        st.session_state.pop(DEPARTMENT_KEY, None)
        st.session_state.pop(CLASS_KEY, None)
    elif level == "division":
        st.session_state[DEPARTMENT_KEY] = ALL_DEPARTMENTS
        st.session_state.pop(CLASS_KEY, None)
    elif level == "department":
        st.session_state[CLASS_KEY] = ALL_CLASSES


def _breadcrumbs(division: str | None, department: str | None, class_name: str | None) -> None:
    trail = [("全校", "school"), (division, "division"), (department, "department"), (class_name, "class")]
    shown = [(label, level) for label, level in trail if label]
    with st.container(horizontal=True, key="pipeline_breadcrumbs", vertical_alignment="center"):
        for i, (label, level) in enumerate(shown):
            st.button(
                label,
                key=f"pipeline_crumb_{level}",
                type="tertiary",
                icon=":material/chevron_right:" if i else ":material/home:",
                disabled=i == len(shown) - 1,
                on_click=_go_to,
                args=(level,),
            )
        if len(shown) > 1:
            st.button(
                "返回上一層",
                key="pipeline_up",
                icon=":material/arrow_upward:",
                on_click=_go_to,
                args=(shown[-2][1],),
            )


def _funnel(p: pipeline.Pipeline, code: str) -> None:
    st.subheader(f"進度（{metrics.division_label(p.division)}）")
    for row in (p.stages[:3], p.stages[3:]):
        for col, s in zip(st.columns(3), row, strict=True):
            with col.container(border=True, key=f"pipeline_stage_{s.key}"):
                st.metric(s.label, percent(s.rate))
                st.progress(min(max(s.rate or 0.0, 0.0), 1.0))
                st.caption(f"{count(s.count)} / {count(s.base)} {s.unit}（{s.base_label}）")
                st.caption(tables.phase_sentence(s, p.semester))
                label, tone = tables.stage_state(s)
                st.badge(label, color=BADGE_COLOURS[tone])
    funnel = tables.funnel_frame(p)
    rosters = tables.rosters_frame(p)
    deliver = next(s for s in p.stages if s.key == "deliver")
    with st.expander(f"應提交名冊 {deliver.count} / {deliver.base} 份", icon=":material/outbox:"):
        st.dataframe(rosters, hide_index=True, key="pipeline_rosters_table")
        excel_download(
            {"提交名冊": rosters},
            exports.export_file_name(code, "學校提交名冊", p.division),
            key="pipeline_rosters_export",
        )
    excel_download(
        {"學期進度": funnel, "提交名冊": rosters},
        exports.export_file_name(code, "學期進度", p.division),
        key="pipeline_funnel_export",
    )


def _timeline(p: pipeline.Pipeline, code: str) -> None:
    st.subheader("作業期程")
    if not p.timeline:
        st.info(
            "這個學期尚未設定作業期程；請到「作業期程」頁建立，或在「資料匯入」匯入作業期程檔。",
            icon=":material/event_busy:",
        )
        return
    fig = tables.timeline_figure(p)
    schedule_panels.mark_today(fig, p.as_of, date.today())
    st.plotly_chart(
        fig,
        key="pipeline_timeline",
        config={"displayModeBar": False, "displaylogo": False},
    )
    frame = tables.timeline_frame(p)
    with st.expander("期程明細", icon=":material/calendar_month:"):
        st.dataframe(frame, hide_index=True, key="pipeline_timeline_table")
        excel_download(
            {"作業期程": frame},
            exports.export_file_name(code, "作業期程", p.division),
            key="pipeline_timeline_export",
        )


def _list_block(
    title: str, n: int, frame: pd.DataFrame, key: str, file_name: str, icon: str, empty: str
) -> None:
    """A headline list behind one click; built only while open (a list can run to 1,000 rows)."""
    block = st.expander(f"{title} {n:,}", icon=icon, key=f"pipeline_{key}_open", on_change="rerun")
    if not block.open:
        return
    with block:
        if frame.empty:
            st.success(empty, icon=":material/check_circle:")
        st.dataframe(frame, hide_index=True, key=f"pipeline_{key}_table")
        excel_download({title: frame}, file_name, key=f"pipeline_{key}_export")


def _headline_lists(
    scope: tuple[int, int, str | None, str | None, str | None], names: bool, scope_label: str
) -> None:
    year, semester, division, department, class_name = scope
    code = f"{year}-{semester}"
    suffix = "".join(f"_{p}" for p in (department, class_name) if p)
    params = {"division": division, "department": department, "class_name": class_name}
    students = state.query(
        "pipeline_students",
        year=year,
        semester=semester,
        active_statuses=list(ACTIVE_STATUSES),
        **params,
    )
    not_passed = state.query(
        "pipeline_selected_not_passed", year=year, active_statuses=list(ACTIVE_STATUSES), **params
    )
    head = _headline(year, semester, division, department, class_name)
    snp = head.selected_not_passed if head.selected_not_passed is not None else len(not_passed)
    st.subheader(f"待處理名單（{scope_label}）")
    c1, c2, c3 = st.columns(3)
    c1.metric("未上傳課程學習成果", f"{head.no_upload:,} 人")
    c2.metric("超過上傳上限", f"{head.over_cap:,} 人")
    c3.metric(f"勾選未通過（{year}學年度）", f"{snp:,} 件")
    no_upload = tables.student_list_frame(students[students["uploaded_count"] == 0], names)
    over_cap = tables.student_list_frame(students[students["over_cap"]], names, with_uploads=True)
    _list_block(
        "未上傳課程學習成果的學生", head.no_upload, no_upload, "no_upload",
        exports.export_file_name(code, f"未上傳學生{suffix}", division),
        ":material/person_off:", "每位在籍學生都已上傳。",
    )  # fmt: skip
    _list_block(
        "上傳件數超過上限的學生", head.over_cap, over_cap, "over_cap",
        exports.export_file_name(code, f"超過上傳上限{suffix}", division),
        ":material/warning:", "沒有學生超過上傳件數上限。",
    )  # fmt: skip
    _list_block(
        "勾選了未通過認證的成果", snp, tables.selected_not_passed_frame(not_passed, names),
        "selected_not_passed", exports.export_file_name(code, f"勾選未通過{suffix}", division),
        ":material/rule:", "沒有勾選未通過認證的成果。",
    )  # fmt: skip


def _drill_from_table(table_key: str, target_key: str, labels: list[str]) -> None:
    rows = st.session_state[table_key].selection.rows
    if rows:
        st.session_state[target_key] = labels[rows[0]]


def _drill(scope: tuple[int, int, str | None, str | None, str | None], names: bool) -> None:
    year, semester, division, department, class_name = scope
    code = f"{year}-{semester}"
    st.subheader("分層檢視")
    _breadcrumbs(division, department, class_name)
    if class_name is not None:
        students = state.query(
            "pipeline_students",
            year=year,
            semester=semester,
            division=division,
            department=department,
            class_name=class_name,
            active_statuses=list(ACTIVE_STATUSES),
        )
        frame = tables.students_frame(students, names)
        st.caption(f"{class_name} 在籍學生 {len(frame):,} 人（本學年勾選件數含課程學習成果與多元表現）")
        st.dataframe(frame, hide_index=True, key="pipeline_students_table")
        excel_download(
            {class_name: frame},
            exports.export_file_name(code, f"學生名單_{department}_{class_name}", division),
            key="pipeline_students_export",
        )
        return
    level, target = ("部別", DIVISION_KEY) if division is None else ("科別", DEPARTMENT_KEY)
    if department is not None:
        level, target = "班級", CLASS_KEY
    frame = tables.groups_frame(_groups(year, semester, division, department), level)
    parent = hashlib.sha1(f"{division}|{department}".encode()).hexdigest()[:8]
    table_key = f"pipeline_groups_{parent}"
    st.caption(f"點選一列或用上方的選單進入下一層（{level}）。")
    st.dataframe(
        frame,
        hide_index=True,
        key=table_key,
        column_config=RATE_CONFIG,
        on_select=partial(_drill_from_table, table_key, target, list(frame[level])),
        selection_mode="single-row",
    )
    excel_download(
        {level: frame},
        exports.export_file_name(
            code, f"學期進度_各{level}{f'_{department}' if department else ''}", division
        ),
        key="pipeline_groups_export",
    )


def render() -> None:
    user = state.require("view_dashboard")
    st.title("學期進度")
    scope = _pickers()
    if scope is None:
        return
    year, semester, division, department, class_name = scope
    scope_label = " › ".join(p for p in (metrics.division_label(division), department, class_name) if p)
    st.caption(as_of_caption(metrics.semester_label(year, semester), scope_label))
    code = f"{year}-{semester}"
    p = _pipeline(year, semester, division)
    _funnel(p, code)
    _timeline(p, code)
    names = show_names(user)
    _headline_lists(scope, names, scope_label)
    _drill(scope, names)


if __name__ == "__main__":  # only on a deep link before app.py ever ran: see ui/gate.py
    from ui import gate

    gate.page_run_directly()
