"""研習場次 (Art. 10): each 學年度's 宣導說明, 系統操作訓練 and 專業研習 against the rule of at
least one of each, per 部別 (the counts are the command line's `metrics --year` figures);
attendance over the years; the sessions, with a form to add one. Links: ?year=114."""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import auth
from dashboard.formatting import EMPTY, roc_date, roc_datetime
from dashboard.records import trainings
from ui import state
from ui.common import as_of_caption, excel_download, school_years, url_select

SS = st.session_state
# session columns shown as — rather than "None" when the row has no value
BLANK_AS_EMPTY = ("名稱", "對象", "主辦單位", "匯入檔案", "登錄者", "登錄時間")


def _compliance(year: int) -> None:
    c = trainings.compliance(state.connection(), year)
    rows = []
    for scope in c.scopes:
        row: dict[str, object] = {"部別": scope.label}
        for kind in trainings.TYPES:
            n = scope.counts[kind]
            mark = "" if c.minimum is None else ("✓ " if n >= c.minimum else "✗ ")
            row[kind] = f"{mark}{n} 場"
        if c.minimum is None:
            row["符合規定"] = "（無規定）"
        else:
            row["符合規定"] = "是" if not scope.missing else "缺：" + "、".join(scope.missing)
        rows.append(row)
    frame = pd.DataFrame(rows)
    if c.minimum is None:
        st.info(f"{year} 學年度沒有生效的研習場次規定；下表只列場次。", icon=":material/info:")
    elif not c.complete:  # a 部別 short of a type counts even when the school as a whole is not
        short = "；".join(f"{s.label}缺{'、'.join(s.missing)}" for s in c.scopes if s.missing)
        st.warning(
            f"{year} 學年度尚未符合第十點（每類每學年至少 {c.minimum} 場）：{short}。",
            icon=":material/event_busy:",
        )
    else:
        st.success(
            f"{year} 學年度三類研習全校與兩部別均已至少辦理 {c.minimum} 場（第十點）。",
            icon=":material/event_available:",
        )
    st.dataframe(frame, hide_index=True, key="trainings_compliance")
    st.caption("各部別的場次含兩部共同辦理（部別空白）的場次，與命令列 metrics --year 的 trainings 相同。")


def _attendance_chart() -> None:
    rows = trainings.attendance_by_year(state.connection())
    if not rows:
        return
    frame = pd.DataFrame(rows)
    fig = go.Figure()
    for kind in trainings.TYPES:
        part = frame[frame["類型"] == kind]
        fig.add_trace(
            go.Bar(
                name=kind,
                x=[f"{y} 學年度" for y in part["學年度"]],
                y=part["參加人數"],
                customdata=part["場次"],
                hovertemplate="%{x} " + kind + "：%{y:,} 人次（%{customdata} 場）<extra></extra>",
            )
        )
    fig.update_layout(
        barmode="group",
        height=320,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        title="歷年參加人數",
        legend={"orientation": "h", "y": -0.2},
    )
    st.plotly_chart(fig, key="trainings_chart", config={"displayModeBar": False})
    excel_download({"歷年參加人數": frame}, "研習歷年參加人數.xlsx", key="trainings_years_export")


def _form(user: auth.User, year: int) -> None:
    with st.form("training_form", border=True):
        st.markdown("**新增研習場次**")
        cols = st.columns(3)
        held_on = cols[0].date_input("日期", value=None, key="training_date", format="YYYY/MM/DD")
        kind = cols[1].selectbox("類型", trainings.TYPES, key="training_kind")
        division = cols[2].selectbox("部別", ["兩部共同", "日間部", "進修部"], key="training_division")
        title = st.text_input(
            "名稱", key="training_title", placeholder="例如 114學年度學習歷程檔案系統操作說明"
        )
        audiences = st.multiselect("對象", trainings.AUDIENCES, key="training_audiences")
        cols = st.columns(2)
        organiser = cols[0].text_input("主辦單位", key="training_organiser", placeholder="教務處註冊組")
        attendance = cols[1].number_input(
            "參加人數", min_value=0, step=1, value=None, key="training_attendance"
        )
        submitted = st.form_submit_button("新增", key="training_submit", icon=":material/add:")
    if not submitted:
        return
    session = trainings.Session(
        school_year=year,
        held_on=held_on,
        kind=kind,
        title=title,
        audiences=list(audiences),
        division=None if division == "兩部共同" else division,
        organiser=organiser,
        attendance=None if attendance is None else int(attendance),
    )
    try:
        trainings.add(state.connection(), session, user)
    except trainings.TrainingError as refused:
        st.error(
            "尚未新增，請修正：\n\n" + "\n".join(f"- {m}" for m in refused.problems.values()),
            icon=":material/error:",
        )
        return
    state.data_changed()
    SS["trainings_flash"] = f"已新增「{title.strip()}」。"
    for key in ("training_title", "training_audiences", "training_attendance", "training_date"):
        SS.pop(key, None)
    st.rerun()


def _remove(user: auth.User, year: int, rows: list[dict[str, Any]]) -> None:
    """Only rows entered here can be removed; an imported row is corrected in its file."""
    mine = [r for r in rows if r["來源"] == trainings.SOURCE_FORM]
    if not mine:
        return
    with st.expander(f"刪除表單登錄的場次（{len(mine)} 場可刪）"):
        labels = {
            i: f"{roc_date(r['日期'])} {r['類型']}「{r['名稱'] or '（未命名）'}」" for i, r in enumerate(mine)
        }
        picked = st.selectbox("場次", list(labels), key="training_remove_pick", format_func=labels.get)
        sure = st.checkbox("確定刪除這一場（無法復原）", key="training_remove_sure")
        if st.button("刪除", key="training_remove", icon=":material/delete:", disabled=not sure):
            r = mine[int(picked)]
            try:
                trainings.remove(state.connection(), year, r["日期"], r["類型"], r["名稱"], user)
            except trainings.TrainingError as refused:
                st.error(" ".join(refused.problems.values()), icon=":material/error:")
                return
            state.data_changed()
            SS["trainings_flash"] = f"已刪除 {labels[int(picked)]}。"
            SS.pop("training_remove_sure", None)
            st.rerun()


def render() -> None:
    user = state.require("view_dashboard")
    st.title("研習場次")
    year = url_select(
        "學年度", school_years(), key="trainings_year", param="year", format_func=lambda y: f"{y} 學年度"
    )
    st.caption(as_of_caption(f"{year} 學年度", "全校／日間部／進修部"))
    flash = SS.pop("trainings_flash", None)
    if flash:
        st.success(flash, icon=":material/check_circle:")
    _compliance(year)
    rows = trainings.sessions(state.connection(), year)
    frame = pd.DataFrame(rows)
    if rows:  # blanks read as words, not "None": a session without a 部別 is held for both
        frame["部別"] = frame["部別"].fillna("兩部共同")
        frame["日期"] = [roc_date(r["日期"]) for r in rows]
        frame["登錄時間"] = [roc_datetime(r["登錄時間"]) for r in rows]
        frame = frame.astype(dict.fromkeys(BLANK_AS_EMPTY, object)).fillna(
            dict.fromkeys(BLANK_AS_EMPTY, EMPTY)
        )
    st.subheader(f"{year} 學年度場次（{len(rows)} 場）")
    if rows:
        st.dataframe(frame, hide_index=True, key="trainings_table")
        excel_download({"研習場次": frame}, f"{year}學年度_研習場次.xlsx", key="trainings_export")
    if user.can("edit_records"):
        _form(user, year)
        _remove(user, year, rows)
    _attendance_chart()


if __name__ == "__main__":  # only on a deep link before app.py ever ran: see ui/gate.py
    from ui import gate

    gate.page_run_directly()
