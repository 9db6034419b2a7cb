"""學籍異動 (補充規定第九點): who is not 在學 or changed status in a semester, and how the 在籍
rule counts them and their rows in every rate."""

from __future__ import annotations

import streamlit as st

from dashboard import exports
from dashboard.measures import enrolment, metrics
from ui import state
from ui.common import as_of_caption, excel_download, scope_pickers, show_names


def render() -> None:
    user = state.require("view_dashboard")
    st.title("學籍異動")
    scope = scope_pickers("enrolment")
    if scope is None:
        return
    year, semester, division, _ = scope
    st.caption(as_of_caption(metrics.semester_label(year, semester), metrics.division_label(division)))
    st.markdown(
        "依補充規定第九點，重讀、復學、轉學及借讀學生依國教署處理原則辦理。儀表板的每個比率只計"
        "**在籍學生**（學籍狀態為在學、復學、轉入、重讀、借讀）：轉入、復學、重讀、借讀「計入比率」；"
        "畢業當學年度的畢業生（名冊的畢業學年度為該學年度，例如畢業後匯出的第2學期名冊）也「計入比率」；"
        "轉出、休學、退學，以及較早學年度的畢業生「不計入」，這些學生的紀錄也不算進任何比率。"
        "課程學習成果依本學期的學籍狀態判斷；多元表現與收訖確認以學年度計，學年度內任一學期在籍即計入。"
    )
    items = enrolment.changes(state.connection(), year, semester, division)
    if not items:
        st.info("本學期沒有學籍異動的學生。", icon=":material/info:")
        return
    counted = sum(1 for c in items if c.counted)
    left_out = {
        "課程學習成果": sum(c.outcomes_left_out for c in items),
        "多元表現": sum(c.diverse_left_out for c in items),
        "收訖確認": sum(c.receipts_left_out for c in items),
    }
    m = st.columns(5)
    m[0].metric("異動學生（人）", f"{len(items):,}")
    m[1].metric("計入比率（人）", f"{counted:,}")
    m[2].metric("不計入（人）", f"{len(items) - counted:,}")
    m[3].metric("不計入的課程學習成果（件）", f"{left_out['課程學習成果']:,}")
    m[4].metric("不計入的多元表現（件）", f"{left_out['多元表現']:,}")
    if any(left_out.values()):
        st.caption(
            "「不計入」的紀錄仍保存在資料庫中，只是不算進任何比率（與資料品質頁的名冊外紀錄相同處理）。"
        )

    st.subheader("依學籍狀態統計")
    summary = enrolment.summary_table(items)
    st.dataframe(summary, hide_index=True, width="stretch", key="enrolment_summary")

    st.subheader("異動學生明細")
    names = show_names(user)
    status_options = [s for s in enrolment.STATUS_ORDER if any(c.status == s for c in items)]
    chosen = st.multiselect(
        "學籍狀態", status_options, default=status_options, key="enrolment_statuses", placeholder="全部"
    )
    shown = [c for c in items if not chosen or c.status in chosen]
    detail = enrolment.detail_table(shown, show_names=names)
    st.dataframe(
        detail,
        hide_index=True,
        width="stretch",
        key="enrolment_detail",
        column_config={"說明": st.column_config.TextColumn(width="large")},
    )
    if not names:
        st.caption("學生姓名已遮蔽（王○明）。")
    excel_download(
        {"依學籍狀態統計": summary, "異動學生明細": enrolment.detail_table(items, show_names=names)},
        exports.export_file_name(metrics.semester_code(year, semester), "學籍異動", division),
        key="enrolment_export",
        label="下載學籍異動（Excel）",
    )


if __name__ == "__main__":  # only on a deep link before app.py ever ran: see ui/gate.py
    from ui import gate

    gate.page_run_directly()
