"""作業期程 (Art. 5): each semester's phases per 部別 with start, end, self-check date and the
responsible unit; validated before it is saved, copied forward from last year, published as a
web page, a calendar and a workbook; and the self-checks recorded on their dates.
Links: ?semester=115-1&scope=進修部."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from dashboard import auth
from dashboard.documents import schedule_publish
from dashboard.formatting import roc_date
from dashboard.measures import metrics
from dashboard.records import schedule, selfchecks
from dashboard.school_calendar import school_now, semester_of
from ui import schedule_form, schedule_panels, state
from ui.common import as_of_caption, excel_download, file_download, url_select

SCOPES: tuple[str, ...] = ("全校", "日間部", "進修部")
COLUMNS = ["項目", "開始日期", "結束日期", "自我檢核日期", "負責單位"]
SS = st.session_state


def _semesters() -> list[tuple[int, int]]:
    """The semesters in the database and the next one, to plan ahead, newest first; the page
    opens on the second (the current semester), not on the one still being planned."""
    known = sorted(state.semesters())
    if not known:
        known = [semester_of(date.today())]
    year, semester = known[-1]
    upcoming = (year, 2) if semester == 1 else (year + 1, 1)
    return sorted({*known, upcoming}, reverse=True)


def _frame(entries: list[schedule.PhaseEntry]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "項目": e.phase,
                "開始日期": roc_date(e.start_date),
                "結束日期": roc_date(e.end_date),
                "自我檢核日期": roc_date(e.self_check_date),
                "負責單位": e.unit,
            }
            for e in entries
        ],
        columns=COLUMNS,
    )


def _publish(year: int, semester: int) -> None:
    con = state.connection()
    formats = (
        ("網頁（HTML，可公告於學校網站）", ".html", "text/html", ":material/language:",
         lambda: schedule_publish.to_html(con, year, semester, school_now()).encode("utf-8")),
        ("行事曆（.ics）", ".ics", "text/calendar", ":material/event:",
         lambda: schedule_publish.to_ics(con, year, semester)),
        ("Excel", ".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         ":material/download:", lambda: schedule_publish.to_xlsx(con, year, semester)),
    )  # fmt: skip
    for column, (label, ext, mime, icon, build) in zip(st.columns(3), formats, strict=True):
        file_download(
            label,
            build,
            schedule_publish.file_name(year, semester, ext),
            mime,
            key=f"schedule_{ext[1:]}",
            icon=icon,
            where=column,
        )


def _self_checks(user: auth.User, year: int, semester: int, today: date) -> None:
    con = state.connection()
    rows = selfchecks.statuses(con, year, semester, today)
    if not rows:
        st.caption("本學期的作業期程沒有自我檢核日期。")
        return
    frame = pd.DataFrame(
        [
            {
                "項目": s.phase,
                "部別": s.division or "全校",
                "負責單位": s.unit,
                "檢核日期": roc_date(s.self_check_date),
                "狀態": s.state,
                "結果": "" if s.latest is None else s.latest.result,
                "說明": "" if s.latest is None else s.latest.note or "",
                "紀錄者": "" if s.latest is None else s.latest.recorded_by,
            }
            for s in rows
        ]
    )
    st.caption(
        f"狀態以今天（{roc_date(today)}）判斷；登錄時一併保存當下的指標數字"
        f"（{as_of_caption(metrics.semester_label(year, semester))}）。"
    )
    st.dataframe(frame, hide_index=True, key="selfcheck_table")
    excel_download({"自我檢核": frame}, f"{year}-{semester}_自我檢核.xlsx", key="selfcheck_export")
    if not user.can("edit_records"):
        return
    labels = {
        i: f"{s.phase}（{s.division or '全校'}，{roc_date(s.self_check_date)}，{s.state}）"
        for i, s in enumerate(rows)
    }
    with st.form("selfcheck_form"):
        st.markdown("**記錄自我檢核**（當下的指標數字會一併保存）")
        picked = st.selectbox("項目", list(labels), key="selfcheck_item", format_func=labels.get)
        result = st.radio("結果", ["達成", "未達成"], key="selfcheck_result", horizontal=True)
        note = st.text_area("說明（未達成時請寫改善作法）", key="selfcheck_note")
        submitted = st.form_submit_button("記錄", key="selfcheck_submit", icon=":material/task_alt:")
    if submitted:
        s = rows[int(picked)]
        try:
            selfchecks.record(con, year, semester, s.division, s.phase, result, note, user)
        except selfchecks.SelfCheckError as refused:
            st.error(" ".join(refused.problems.values()), icon=":material/error:")
            return
        state.data_changed()
        SS["schedule_flash"] = f"已記錄「{s.phase}」的自我檢核：{result}。"
        st.rerun()


def render() -> None:
    user = state.require("view_dashboard")
    st.title("作業期程")
    today = date.today()
    choices = _semesters()
    year, semester = url_select(
        "學期",
        choices,
        key="schedule_semester",
        param="semester",
        to_url=lambda ys: f"{ys[0]}-{ys[1]}",
        format_func=lambda ys: metrics.semester_label(*ys),
        default=choices[1],
    )
    st.caption(
        f"{metrics.semester_label(year, semester)} · 依補充規定第五點由教務處規劃並公告；部別留空的列兩部共用"
    )
    flash = SS.pop("schedule_flash", None)
    if flash:
        st.success(flash, icon=":material/check_circle:")
    schedule_panels.timeline_chart(year, semester, today, key="schedule_timeline")
    st.subheader("期程")
    scope = url_select("範圍", SCOPES, key="schedule_scope", param="scope")
    division = None if scope == "全校" else scope
    if user.can("edit_records"):
        schedule_form.render(user, year, semester, division)
    else:
        frame = _frame(schedule.load(state.connection(), year, semester, division))
        st.dataframe(frame, hide_index=True, key="schedule_table")
    st.subheader("自我檢核")
    _self_checks(user, year, semester, today)
    st.subheader("公告")
    _publish(year, semester)


if __name__ == "__main__":  # only on a deep link before app.py ever ran: see ui/gate.py
    from ui import gate

    gate.page_run_directly()
