"""提交: the rosters the school owes the central database in a 學年度 (regulation Art. 7(2)), per
部別, with the unit responsible, where each stands as of 資料截至, and every 提交紀錄 attempt.

Figures come from dashboard.registry.submissions, which reads metrics.year_metrics, so the page agrees
with the command line. A roster still owed is listed first and coloured like a late one.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from dashboard import exports
from dashboard.formatting import roc_date, roc_datetime
from dashboard.measures import metrics
from dashboard.registry import submissions
from ui import state
from ui.common import as_of_caption, count, excel_download, scope_pickers, table_or_info, whole_number_frame

# Red: failed, or owed and past its deadline; amber: sent late; blue: still owed but not yet
# due (visible, without crying wolf months before the deadline).
OVERDUE_RED = "background-color: #f8d7da"
STATUS_COLOURS: dict[str, str] = {
    "失敗待重送": OVERDUE_RED,
    "未提交": "background-color: #e3ecf8",
    "逾期提交": "background-color: #fff3cd",
    "已提交": "",
}
WHOLE_NUMBERS = ("筆數", "梯次", "剩餘天數", "逾期天數")  # the count columns of both tables


@st.cache_data(ttl=600, show_spinner=False)
def _board(year: int, division: str | None) -> submissions.Board:
    return submissions.build(state.connection(), year, division)


def _semester_text(semester: int) -> str:
    return "學年（學期 0）" if semester == 0 else f"第{semester}學期"


def _on_time_text(value: bool | None) -> str:
    return "—" if value is None else ("準時" if value else "逾期")


def _deadline_text(r: submissions.RosterDue) -> str:
    if not r.outstanding:
        return ""
    if r.deadline is None:
        return "尚未排定學校提交期程"
    if r.days_overdue is not None:
        return f"已逾期 {r.days_overdue} 天"
    return f"尚餘 {r.days_left} 天"


def roster_table(rosters: Sequence[submissions.RosterDue]) -> pd.DataFrame:
    return whole_number_frame(
        [
            {
                "狀態": r.status,
                "部別": r.division,
                "學期": _semester_text(r.semester),
                "名冊別": r.roster,
                "梯次": r.batch,
                "負責單位": r.unit,
                "截止日期": roc_date(r.deadline),
                "期限": _deadline_text(r),
                "剩餘天數": r.days_left,
                "逾期天數": r.days_overdue,
                "首次成功提交時間": roc_datetime(r.submitted_at),
                "準時": _on_time_text(r.on_time) if r.submitted_at else "",
                "筆數": r.row_count,
                "成功次數": r.successes,
                "失敗次數": r.failures,
                "最後提交時間": roc_datetime(r.last_attempt_at),
            }
            for r in rosters
        ],
        WHOLE_NUMBERS,
    )


def attempt_table(attempts: Sequence[submissions.Attempt]) -> pd.DataFrame:
    return whole_number_frame(
        [
            {
                "提交時間": roc_datetime(a.submitted_at),
                "部別": a.division,
                "學期": a.semester,
                "名冊別": a.roster,
                "梯次": a.batch,
                "提交單位": a.unit,
                "提交人代碼": a.submitted_by,
                "筆數": a.row_count,
                "結果": a.result,
                "準時": _on_time_text(a.on_time),
            }
            for a in attempts
        ],
        WHOLE_NUMBERS,
    )


def _styled(frame: pd.DataFrame) -> pd.io.formats.style.Styler:
    def colour(row: pd.Series) -> list[str]:
        overdue = "逾期天數" in row and pd.notna(row["逾期天數"])
        style = OVERDUE_RED if overdue else STATUS_COLOURS.get(str(row["狀態"]), "")
        return [style] * len(row)

    return frame.style.apply(colour, axis=1).format(na_rep="—")


def render() -> None:
    state.require("view_dashboard")
    st.title("提交")
    scope = scope_pickers("submissions")
    if scope is None:
        return
    year, _, division, _ = scope
    st.caption(as_of_caption(f"{year}學年度", metrics.division_label(division)))
    st.caption(
        "依補充規定第七點(二)：學籍資料、學業成績、課程學習成果、多元表現由教務處註冊組／進修部教務組，"
        "校內幹部經歷由學務處訓育組／進修部學務組提交。課程學習成果與多元表現每學年提交（學期 0，"
        "高三分兩梯次），以第2學期的「學校提交」期程判定準時。"
    )
    board = _board(year, division)
    totals = submissions.summary(board.rosters)
    cols = st.columns(5)
    cols[0].metric("應提交名冊（份）", count(totals["owed"]))
    cols[1].metric("已提交", count(totals["已提交"]))
    cols[2].metric("逾期提交", count(totals["逾期提交"]))
    cols[3].metric("未提交", count(totals["未提交"]))
    cols[4].metric("失敗待重送", count(totals["失敗待重送"]))
    if totals["overdue"]:
        st.error(
            f"有 {totals['overdue']} 份名冊已過學校提交期限仍未成功提交，請負責單位儘速提交。",
            icon=":material/error:",
        )
    elif totals["未提交"] + totals["失敗待重送"]:
        st.warning(
            f"尚有 {totals['未提交'] + totals['失敗待重送']} 份名冊未成功提交（尚未逾期或期程未排定）。",
            icon=":material/schedule:",
        )
    else:
        st.success("本學年度應提交的名冊都已成功提交。", icon=":material/check_circle:")
    label = f"{year}"
    st.subheader("應提交名冊")
    table = roster_table(board.rosters)
    st.dataframe(_styled(table), hide_index=True, width="stretch", key="submissions_rosters")
    excel_download(
        {"應提交名冊": table},
        exports.export_file_name(label, "提交", division),
        key="submissions_rosters_export",
        label="下載應提交名冊（Excel）",
    )
    st.subheader("提交紀錄")
    attempts = attempt_table(board.attempts)
    table_or_info(attempts, "本學年度尚無提交紀錄。", key="submissions_attempts")
    excel_download(
        {"提交紀錄": attempts},
        exports.export_file_name(label, "提交紀錄", division),
        key="submissions_attempts_export",
        label="下載提交紀錄（Excel）",
    )


if __name__ == "__main__":  # only on a deep link before app.py ever ran: see ui/gate.py
    from ui import gate

    gate.page_run_directly()
