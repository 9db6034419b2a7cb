"""會議紀錄: the working group's meetings (Art. 4). The list with the semester's compliance,
one meeting's record (edited by 執行秘書 and 管理者, confirmed and locked by the 執行秘書, exported
as .docx and PDF), and the resolution tracker. Links: ?year=114, ?meeting=12, ?meeting=new,
?tab=決議追蹤."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial

import pandas as pd
import streamlit as st

from dashboard import auth
from dashboard.formatting import roc_datetime
from dashboard.records import meetings
from ui import meeting_form, meeting_panels, meeting_state, state
from ui.common import excel_download, file_download, url_select

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"
TABS = ("會議紀錄", "決議追蹤")
SS = st.session_state


def _years() -> list[int]:
    years = {y for y, _ in state.semesters()}
    today = meeting_form.today()
    current = meetings.semester_of(today)[0]
    years.update({current, *(int(m["school_year"]) for m in meetings.list_meetings(state.connection()))})
    return sorted(years, reverse=True)


def _list(user: auth.User, year: int, today: date) -> None:
    for semester in (1, 2):
        meeting_panels.compliance_panel(year, semester, today, key=f"meetings_compliance_{semester}")
    rows = meetings.list_meetings(state.connection(), year)
    frame = pd.DataFrame(
        [
            {
                "會次": r["session_label"],
                "日期": f"{r['held_on']}",
                "地點": r["place"],
                "狀態": r["status"],
                "版本": r["version"],
                "出席": r["present_count"],
                "議案": r["item_count"],
                "決議": r["resolution_count"],
            }
            for r in rows
        ],
        columns=["會次", "日期", "地點", "狀態", "版本", "出席", "議案", "決議"],
    )
    st.subheader(f"{year} 學年度會議")
    if rows:
        st.dataframe(frame, hide_index=True, key="meetings_table")
        excel_download({"會議列表": frame}, f"{year}學年度_工作小組會議.xlsx", key="meetings_export")
        labels = {
            int(r["meeting_id"]): f"{r['session_label']}（{r['held_on']}，{r['status']}）" for r in rows
        }
        cols = st.columns([4, 1])
        picked = cols[0].selectbox("開啟會議紀錄", list(labels), key="meetings_pick", format_func=labels.get)
        if cols[1].button("開啟", key="meetings_open", icon=":material/open_in_new:"):
            st.query_params["meeting"] = str(picked)
            st.rerun()
    else:
        st.info(f"{year} 學年度尚無會議紀錄。", icon=":material/event_busy:")
    if user.can("edit_meetings") and st.button(
        "新增會議紀錄", key="meetings_new", icon=":material/add:", type="primary"
    ):
        st.query_params["meeting"] = "new"
        st.rerun()


def _exports(m: meetings.Meeting) -> None:
    from dashboard.documents import minutes

    con = state.connection()
    formats = (
        ("Word", minutes.minutes_docx, ".docx", DOCX, "meeting_docx", ":material/description:"),
        ("PDF", minutes.minutes_pdf, ".pdf", PDF, "meeting_pdf", ":material/picture_as_pdf:"),
    )
    for col, (label, build, suffix, mime, key, icon) in zip(st.columns(2), formats, strict=True):
        file_download(
            f"下載會議紀錄（{label}）",
            partial(build, con, m.meeting_id),  # built only when clicked
            minutes.file_name(m, suffix),
            mime,
            key=key,
            icon=icon,
            where=col,
        )


def _reload_button() -> None:
    if st.button("捨棄我的修改，載入最新版本", key="mtb_reload", icon=":material/refresh:"):
        loaded = SS.get("mt_loaded")
        meeting_state.forget(loaded[0] if loaded else None)
        SS.pop("mt_problems", None)
        SS.pop("mt_stale", None)
        st.rerun()


def _show_problems(with_reload: bool = True) -> None:
    problems = SS.get("mt_problems") or {}
    if not problems:
        return
    if SS.get("mt_stale"):
        st.error(problems.get("version", "這份紀錄已被他人更新。"), icon=":material/sync_problem:")
        if with_reload:
            _reload_button()
        return
    st.error(
        f"尚未儲存：有 {len(problems)} 個問題，已標示在各欄位下方。\n\n"
        + "\n".join(f"- {message}" for message in problems.values()),
        icon=":material/error:",
    )


def _lock_change(change: Callable[[], object], done: str) -> None:
    """Confirm or unlock through `change`: refused, its problems in red; else the meeting is
    loaded again and the page says `done`."""
    try:
        change()
    except meetings.MeetingError as refused:
        st.error(" ".join(refused.problems.values()), icon=":material/error:")
        return
    state.data_changed()
    SS["mt_loaded"] = None
    SS["mt_flash"] = done
    st.rerun()


def _confirm_and_unlock(user: auth.User, m: meetings.Meeting) -> None:
    con = state.connection()
    if not user.can("confirm_minutes"):
        return
    if m.locked:
        with st.expander("解除鎖定（更正已確認的紀錄）", icon=":material/lock_open:"):
            reason = st.text_input("解除原因（會記錄下來）", key="meeting_unlock_reason")
            if st.button("解除鎖定", key="meeting_unlock", icon=":material/lock_open:"):
                _lock_change(
                    partial(meetings.unlock, con, m.meeting_id, user, reason, m.version),
                    "已解除鎖定，可以修改；修改後請再確認。",
                )
        return
    blocking = meetings.confirm_problems(con, m)
    if blocking:
        st.caption("確認前須處理：" + "；".join(blocking.values()))
    if st.button(
        "確認會議紀錄（鎖定）", key="meeting_confirm", icon=":material/verified:", disabled=bool(blocking)
    ):
        _lock_change(partial(meetings.confirm, con, m.meeting_id, user, m.version), "會議紀錄已確認並鎖定。")


def _history(m: meetings.Meeting) -> None:
    """Who created, changed, confirmed and unlocked these minutes, and why."""
    log = meetings.events(state.connection(), m.meeting_id)
    with st.expander(f"修改與確認紀錄（{len(log)} 筆）", icon=":material/history:"):
        frame = pd.DataFrame(
            [
                {
                    "時間": roc_datetime(e["done_at"]),
                    "動作": e["action"],
                    "版本": e["version"],
                    "帳號": e["done_by"],
                    "原因": e["reason"] or "",
                }
                for e in log
            ],
            columns=["時間", "動作", "版本", "帳號", "原因"],
        )
        st.dataframe(frame, hide_index=True, key="meeting_history_table")


def _editor(user: auth.User, year: int, meeting_param: str) -> None:
    con = state.connection()
    if st.button("返回會議列表", key="mtb_back", icon=":material/arrow_back:"):
        st.query_params.pop("meeting", None)
        st.rerun()
    stored: meetings.Meeting | None = None
    if meeting_param != "new":
        try:
            stored = meetings.load(con, int(meeting_param))
        except (ValueError, meetings.MeetingError):
            st.error("找不到這場會議；請回到會議列表。", icon=":material/error:")
            return
    flash = SS.pop("mt_flash", None)
    if flash:
        st.success(flash, icon=":material/check_circle:")
    if stored is not None:
        st.subheader(stored.session_label)
        when = (
            ""
            if stored.updated_at is None
            else f"，最後由 {stored.updated_by_name} 於 {roc_datetime(stored.updated_at)} 修改"
        )
        st.caption(f"狀態：{stored.status} · 第 {stored.version} 版{when}")
        _exports(stored)
        if stored.locked:
            st.info(
                f"已由 {stored.confirmed_by_name} 於 {roc_datetime(stored.confirmed_at)} 確認並鎖定。",
                icon=":material/lock:",
            )
        _confirm_and_unlock(user, stored)
        _history(stored)
        if stored.locked or not user.can("edit_meetings"):
            meeting_panels.minutes_text(stored)
            return
    elif not user.can("edit_meetings"):
        st.error("只有執行秘書與管理者可以新增會議紀錄。", icon=":material/block:")
        return
    else:
        st.subheader("新增會議紀錄")
    if stored is None:
        marker: tuple[object, int] = ("new", year)
        today = meeting_form.today()
        semester = meetings.semester_of(today)[1] if meetings.semester_of(today)[0] == year else 1
        day = today if meetings.semester_of(today) == (year, semester) else None
        meeting_state.ensure_loaded(marker, lambda: meetings.blank_draft(con, year, semester, day))
    else:
        meeting_state.ensure_loaded((stored.meeting_id, stored.version), lambda: meetings.as_draft(stored))
        loaded_version = int(SS["mt_loaded"][1])
        if loaded_version != stored.version and not SS.get("mt_stale"):
            st.warning(
                f"您開啟的是第 {loaded_version} 版；{stored.updated_by_name} 已更新為第 {stored.version} 版。"
                "現在儲存會被拒絕，以免覆蓋對方的修改。",
                icon=":material/sync_problem:",
            )
            _reload_button()
    restored = meeting_state.restored_notice()
    if restored:
        st.info(restored, icon=":material/restore:")
        if not SS.get("mt_stale") and not SS.get("mt_problems"):
            _reload_button()
    _show_problems()
    meeting_form.render_form(SS.get("mt_problems") or {})
    _show_problems(with_reload=False)
    version = None if stored is None else int(SS["mt_loaded"][1])
    if st.button("儲存會議紀錄", key="mtb_save", icon=":material/save:", type="primary"):
        saved = meeting_state.save(user, None if stored is None else stored.meeting_id, version)
        if saved is not None:
            meeting_state.forget("new" if stored is None else stored.meeting_id)
            SS["mt_flash"] = f"已儲存{saved.session_label}（第 {saved.version} 版）。"
            st.query_params["meeting"] = str(saved.meeting_id)
        st.rerun()


def render() -> None:
    user = state.require("view_dashboard")
    st.title("工作小組會議")
    today = meeting_form.today()
    meeting_param = st.query_params.get("meeting")
    if meeting_param:
        year_text = st.query_params.get("year")
        year = int(year_text) if year_text and year_text.isdigit() else meetings.semester_of(today)[0]
        _editor(user, year, meeting_param)
        return
    tab = url_select("檢視", TABS, key="meetings_tab", param="tab")
    if tab == "決議追蹤":
        meeting_panels.tracker(today, user.can("edit_meetings"))
        return
    year = url_select(
        "學年度", _years(), key="meetings_year", param="year", format_func=lambda y: f"{y} 學年度"
    )
    st.caption(f"{year} 學年度 · 會議次數依開會日期計入學期（第 1 學期 8/1–1/31，第 2 學期 2/1–7/31）")
    _list(user, year, today)


if __name__ == "__main__":  # only on a deep link before app.py ever ran: see ui/gate.py
    from ui import gate

    gate.page_run_directly()
