"""資料品質: what the imports flagged but did not block (orphans, caps, selected-but-not-passed)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.ingest.kinds import KINDS_BY_KEY
from ui import state
from ui.common import as_of_caption, excel_download

CATEGORY_LABELS = {
    "orphan_student": "學號不在該學期學生名冊",
    "orphan_teacher": "教師代碼不在教職員名冊",
    "over_cap": "超過件數上限",
    "selected_not_passed": "勾選了未通過認證的成果",
}
COLUMNS = {
    "category_label": "類別",
    "kind_label": "資料類型",
    "period": "學年度-學期",
    "student_no": "學號",
    "staff_code": "教職員代碼",
    "record_key": "紀錄",
    "file_name": "來源檔案",
    "source_row": "列",
    "message": "說明",
}


def _period(year: object, semester: object) -> str:
    if pd.isna(year):
        return ""
    return f"{int(year)}" if pd.isna(semester) or int(semester) == 0 else f"{int(year)}-{int(semester)}"  # type: ignore[call-overload]


def _frame() -> pd.DataFrame:
    df = state.query("data_warnings_list")
    df["category_label"] = df["category"].map(lambda c: CATEGORY_LABELS.get(c, c))
    df["kind_label"] = df["kind"].map(lambda k: KINDS_BY_KEY[k].label if k in KINDS_BY_KEY else k)
    df["period"] = [_period(y, s) for y, s in zip(df["school_year"], df["semester"], strict=True)]
    return df


def render() -> None:
    state.require("view_data_quality")
    st.title("資料品質")
    st.caption(as_of_caption())
    st.markdown("匯入時發現、但不阻擋匯入的情形。這些紀錄不計入任何比率（名冊外學生）或需要承辦人確認。")
    df = _frame()
    if df.empty:
        st.success("目前沒有資料品質提醒。", icon=":material/check_circle:")
        return
    summary = (
        df.groupby("category_label")
        .size()
        .rename("件數")
        .reset_index()
        .rename(columns={"category_label": "類別"})
    )
    st.dataframe(summary, hide_index=True, key="quality_summary")
    c1, c2, c3 = st.columns(3)
    categories = c1.multiselect(
        "類別", sorted(df["category_label"].unique()), key="quality_category", placeholder="全部"
    )
    periods = c2.multiselect(
        "學年度-學期", sorted(df["period"].unique(), reverse=True), key="quality_period", placeholder="全部"
    )
    search = c3.text_input(
        "學號或教職員代碼", key="quality_search", placeholder="例如 1130123 或 T0412"
    ).strip()
    shown = df
    if categories:
        shown = shown[shown["category_label"].isin(categories)]
    if periods:
        shown = shown[shown["period"].isin(periods)]
    if search:
        shown = shown[(shown["student_no"] == search) | (shown["staff_code"] == search)]
    table = shown[list(COLUMNS)].rename(columns=COLUMNS)
    text_columns = [c for c in table.columns if c != "列"]
    table[text_columns] = table[text_columns].fillna("")
    st.caption(f"共 {len(table):,} 項（全部 {len(df):,} 項）")
    st.dataframe(table, hide_index=True, width="stretch", key="quality_table")
    excel_download({"資料品質": table}, "資料品質提醒.xlsx", key="quality_export")


if __name__ == "__main__":  # only on a deep link before app.py ever ran: see ui/gate.py
    from ui import gate

    gate.page_run_directly()
