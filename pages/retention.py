"""資料保存 (補充規定第八點): graduated cohorts, how long each stays sealed, and — for the
管理者 only — deleting a cohort's personal data once its seal has run out."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from dashboard.auth import User
from dashboard.formatting import roc_date, roc_datetime
from dashboard.registry import retention
from ui import state
from ui.common import as_of_caption

AGGREGATE_LABELS: dict[str, str] = {
    "division": "部別",
    "students_count": "學生",
    "outcomes_uploaded": "課程學習成果",
    "outcomes_passed": "成果通過",
    "outcomes_selected": "成果勾選",
    "diverse_uploaded": "多元表現",
    "diverse_selected": "多元表現勾選",
    "cadres_count": "幹部經歷",
    "counselling_count": "課程諮詢",
    "receipts_count": "收訖確認",
}
TABLE_LABELS: dict[str, str] = {
    "students": "學生名冊",
    "outcomes": "課程學習成果",
    "diverse": "多元表現",
    "cadres": "幹部經歷",
    "counselling": "課程諮詢紀錄",
    "receipts": "收訖確認",
    "data_warnings": "資料品質警示",
}
DONE_KEY = "retention_done"


def _cohort_table(cohorts: list[retention.Cohort], today: date | None) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "畢業學年度": c.graduation_year,
                "人數": c.students_count if c.students_count else c.purged_students_count,
                "保存年限（年）": c.retention_years,
                "封存至": roc_date(c.sealed_until),
                "狀態": c.status(today) if today else retention.SEALED,
            }
            for c in cohorts
        ],
        columns=["畢業學年度", "人數", "保存年限（年）", "封存至", "狀態"],
    )


def _log_table(rows: list[dict[str, Any]]) -> pd.DataFrame:
    out = []
    for r in rows:
        removed = json.loads(str(r["rows_removed"]))
        kept = json.loads(str(r["aggregates"]))
        out.append(
            {
                "刪除時間": roc_datetime(r["purged_at"]),
                "畢業學年度": r["graduation_year"],
                "封存至": roc_date(r["sealed_until"]),
                "執行者": r["purged_by"],
                "確認文字": r["confirmation"],
                "刪除筆數": "、".join(f"{TABLE_LABELS.get(t, t)} {n}" for t, n in removed.items()),
                "保留統計": "；".join(
                    " ".join(f"{AGGREGATE_LABELS[k]} {v}" for k, v in agg.items() if k in AGGREGATE_LABELS)
                    for agg in kept
                ),
            }
        )
    return pd.DataFrame(
        out, columns=["刪除時間", "畢業學年度", "封存至", "執行者", "確認文字", "刪除筆數", "保留統計"]
    )


def _purge_form(cohorts: list[retention.Cohort], today: date, user: User) -> None:
    st.subheader("刪除已期滿的畢業生資料")
    eligible = [c for c in cohorts if c.status(today) == retention.ELIGIBLE]
    if not eligible:
        st.info("目前沒有封存期滿、可刪除的畢業生資料。", icon=":material/info:")
        return
    st.markdown(
        "封存期滿、可刪除：" + "、".join(f"**{c.label}**（{c.students_count:,} 人）" for c in eligible)
    )
    st.warning(
        "刪除後無法復原：該屆學生的名冊、課程學習成果、多元表現、幹部經歷、課程諮詢與收訖確認紀錄都會移除，"
        "只保留不含個人資料的統計數字與刪除紀錄。請先備份資料庫。",
        icon=":material/warning:",
    )
    by_year = {c.graduation_year: c for c in eligible}
    with st.form("retention_purge_form", clear_on_submit=False):
        year = st.selectbox(
            "畢業學年度",
            list(by_year),
            key="retention_cohort",
            format_func=lambda y: by_year[y].label,
        )
        typed = st.text_input(
            "確認文字",
            key="retention_confirmation",
            placeholder="請輸入「○○○學年度畢業」",
            help="輸入所選屆別的名稱，例如「108學年度畢業」，完全相同才會刪除。",
        )
        submitted = st.form_submit_button(
            "刪除這一屆的個人資料", type="primary", icon=":material/delete_forever:", key="retention_submit"
        )
    if submitted:
        st.session_state.pop(DONE_KEY, None)
        try:
            result = retention.purge(
                state.connection(), int(year), user=user, confirmation=typed, today=today
            )
        except retention.RetentionError as exc:
            st.error(str(exc), icon=":material/error:")
        else:
            st.session_state[DONE_KEY] = (
                f"已刪除{retention.cohort_label(result.graduation_year)}生的個人資料"
                f"（名冊 {result.rows_removed.get('students', 0):,} 筆），統計數字與刪除紀錄已保留。"
            )
            state.data_changed()
            st.rerun()


def render() -> None:
    user = state.require("view_dashboard")
    st.title("資料保存")
    st.caption(as_of_caption())
    st.markdown(
        "依補充規定第八點，已畢業學生的學習歷程檔案資料封存 5 年（保存年限依規則表中該畢業學年度適用的值），"
        "自畢業學年度結束（7 月 31 日）起算；達保存年限後始得刪除。期滿與否以資料截至日判斷。"
    )
    con = state.connection()
    as_of = state.as_of()
    today = as_of.date() if as_of else None
    if DONE_KEY in st.session_state:
        st.success(st.session_state[DONE_KEY], icon=":material/check_circle:")
    cohorts = retention.cohorts(con)
    st.subheader("畢業生屆別")
    if not cohorts:
        st.info("資料庫中沒有畢業生（學籍狀態「畢業」或填有畢業學年度）的資料。", icon=":material/info:")
    else:
        st.dataframe(_cohort_table(cohorts, today), hide_index=True, width="stretch", key="retention_cohorts")
        if today is None:
            st.caption("尚無匯入資料，無法判斷封存是否期滿。")
    if user.can("purge_records") and cohorts and today is not None:
        _purge_form(cohorts, today, user)
    st.subheader("刪除紀錄")
    log = retention.purge_log(con)
    if not log:
        st.caption("尚無刪除紀錄。")
    else:
        st.dataframe(_log_table(log), hide_index=True, width="stretch", key="retention_log")


if __name__ == "__main__":  # only on a deep link before app.py ever ran: see ui/gate.py
    from ui import gate

    gate.page_run_directly()
