"""Read-only pieces of the meetings module: the Art. 4 compliance panel (also on 總覽), the
confirmed minutes as text, and the resolution tracker."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from dashboard.formatting import roc_date
from dashboard.measures import metrics, targets
from dashboard.records import meetings, resolutions
from ui import state
from ui.common import excel_download, percent

LIGHT_ICONS = {"green": "🟢", "amber": "🟡", "red": "🔴", "grey": "⚪"}
LIGHT_WORDS = {"green": "達標", "amber": "接近", "red": "未達", "grey": "—"}


@st.cache_data(ttl=600, show_spinner=False)
def compliance(year: int, semester: int, today: date) -> resolutions.Compliance:
    return resolutions.compliance(state.connection(), year, semester, today)


@st.cache_data(ttl=600, show_spinner=False)
def all_resolutions() -> list[resolutions.Resolution]:
    return resolutions.all_resolutions(state.connection())


def compliance_panel(year: int, semester: int, today: date, key: str, compact: bool = False) -> None:
    """Meetings held against the rule, topics decided, open and overdue resolutions; on a
    phone (compact) the same figures as four short lines."""
    c = compliance(year, semester, today)
    label = metrics.semester_label(year, semester)
    if compact:
        with st.container(border=True, key=f"{key}_panel"):
            rule = "符合" if c.met else "尚未召開"
            st.markdown(
                f"**工作小組會議** · {label}\n\n"
                f"- 已開 {c.meeting_count} 次（規定至少 {c.required} 次：{rule}）\n"
                f"- 已議決工作事項 {len(c.topics_decided)} / {len(meetings.TOPICS)} 項\n"
                f"- 未完成決議 {c.open_count} 項，逾期 {c.overdue_count} 項"
                f"（以 {roc_date(today)} 計）"
            )
        return
    with st.container(border=True, key=f"{key}_panel"):
        st.markdown(f"**工作小組會議（補充規定第四點）** · {label}")
        cols = st.columns(4)
        cols[0].metric(
            "已開會議",
            f"{c.meeting_count} 次",
            f"規定每學期至少 {c.required} 次：{'符合' if c.met else '尚未召開'}",
            delta_color="normal" if c.met else "inverse",
            delta_arrow="off",
        )
        cols[1].metric("已議決工作事項", f"{len(c.topics_decided)} / {len(meetings.TOPICS)} 項")
        cols[2].metric(
            "未完成決議", f"{c.open_count} 項", f"共 {c.resolution_count} 項決議", delta_arrow="off"
        )
        cols[3].metric(
            "逾期未完成",
            f"{c.overdue_count} 項",
            f"以 {roc_date(today)} 計",
            delta_color="inverse" if c.overdue_count else "off",
            delta_arrow="off",
        )
        if c.topics_missing:
            st.caption("本學期尚未議決：" + "、".join(c.topics_missing))
        else:
            st.caption("第四點六項工作事項本學期均已議決。")
        if c.sessions:
            st.caption("會議：" + "、".join(c.sessions))


def minutes_text(m: meetings.Meeting) -> None:
    """The stored minutes as the page shows them when they are locked."""
    present = [a for a in m.attendance if a.attendance in meetings.PRESENT]
    st.markdown(
        f"**時間**：{m.held_on} {m.start_time}　**地點**：{m.place}　"
        f"**主席**：{m.chair}　**紀錄**：{m.recorder}"
    )
    st.markdown(
        "**出席**（{} 人）：{}".format(
            len(present),
            "、".join(
                a.person_name + (f"（{a.deputy_name} 代理）" if a.attendance == "代理" else "")
                for a in present
            ),
        )
    )
    for kind in ("請假", "缺席"):
        names = [a.person_name for a in m.attendance if a.attendance == kind]
        if names:
            st.markdown(f"**{kind}**：" + "、".join(names))
    if m.guests:
        st.markdown(
            "**列席**：" + "、".join(g.name + (f"（{g.title}）" if g.title else "") for g in m.guests)
        )
    for section in meetings.SECTIONS:
        items = [i for i in m.items if i.section == section]
        st.markdown(f"#### {section}")
        if not items:
            st.markdown("無。")
        for n, item in enumerate(items, start=1):
            word = "決議" if section in meetings.DECIDING_SECTIONS else "決定"
            st.markdown(f"**{n}. {item.title}**　`{'、'.join(item.topics)}`")
            if item.explanation:
                st.markdown(f"說明：{item.explanation}")
            st.markdown(f"{word}：{item.decision or '（未填）'}")
    st.markdown(f"**散會**：{m.end_time or '（未填）'}")


def _progress_text(r: resolutions.Resolution) -> str:
    found = resolutions.progress(r, state.semester_metrics_all, state.year_metrics_all)
    if found is None:
        return ""
    return (
        f"{LIGHT_ICONS[found.light]} {targets.METRICS[r.metric_key]} {found.period}："
        f"{percent(found.value)}／目標 {percent(found.target)}（{LIGHT_WORDS[found.light]}）"
    )


def tracker_frame(rows: list[resolutions.Resolution], today: date) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "會次": r.session_label.replace("工作小組會議", ""),
                "類別": r.section,
                "案由": r.title,
                "決議": r.decision,
                "負責單位": r.owner_unit,
                "執行期限": roc_date(r.due_date),
                "執行情形": r.status,
                "逾期": "逾期" if r.overdue(today) else "",
                "說明": r.note,
                "追蹤指標": _progress_text(r),
                "工作事項": "、".join(r.topics),
            }
            for r in rows
        ],
        columns=[
            "會次",
            "類別",
            "案由",
            "決議",
            "負責單位",
            "執行期限",
            "執行情形",
            "逾期",
            "說明",
            "追蹤指標",
            "工作事項",
        ],
    )


def tracker(today: date, can_edit: bool) -> None:
    """Every resolution with its status and linked figure; 執行秘書 update statuses here."""
    rows = all_resolutions()
    choice = st.segmented_control(
        "顯示", ["未完成", "逾期", "全部"], default="未完成", key="tracker_filter", selection_mode="single"
    )
    if choice == "未完成":
        rows = [r for r in rows if r.open]
    elif choice == "逾期":
        rows = [r for r in rows if r.overdue(today)]
    frame = tracker_frame(rows, today)
    st.caption(f"{len(rows)} 項決議；逾期以今天（{roc_date(today)}）計，指標數值{state_as_of()}")
    st.dataframe(frame, hide_index=True, key="tracker_table")
    excel_download({"決議追蹤": frame}, "工作小組決議追蹤.xlsx", key="tracker_export")
    if not can_edit or not rows:
        return
    with st.form("tracker_form", border=True):
        st.markdown("**更新執行情形**（會議之間的進度；下次會議會帶入）")
        picked = st.selectbox(
            "決議",
            [r.item_id for r in rows],
            key="tracker_item",
            format_func=lambda i: next(
                f"{r.session_label.replace('工作小組會議', '')}：{r.title}" for r in rows if r.item_id == i
            ),
        )
        status = st.selectbox("執行情形", meetings.STATUSES, key="tracker_status")
        note = st.text_input("說明", key="tracker_note", placeholder="已完成時請簡述執行結果")
        submitted = st.form_submit_button("更新", key="tracker_submit", icon=":material/update:")
    if submitted:
        try:
            resolutions.update_status(
                state.connection(), int(picked), status, note, state.require("edit_meetings")
            )
        except meetings.MeetingError as refused:
            st.error(" ".join(refused.problems.values()), icon=":material/error:")
            return
        state.data_changed()
        st.success("已更新執行情形。", icon=":material/check_circle:")


def state_as_of() -> str:
    from ui.common import roc_datetime

    return f"為資料截至 {roc_datetime(state.as_of())} 的數字"
