"""收訖確認: per 名冊別 and 班級, how many receipt details students confirmed, reported or left
unconfirmed (the platform's {名冊}_確認人數 / {名冊}_回報人數), and the dispute list with each
report's age against the 3-day answer limit and the unit that must help (regulation Art. 7(3)).

Figures come from dashboard.registry.receipts, whose per-class counts add up to metrics.year_metrics.
Filters live in the URL (?roster=…&class=…&dispute=overdue), so a link opens the same view.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
import streamlit as st

from dashboard import exports
from dashboard.formatting import roc_datetime
from dashboard.measures import metrics
from dashboard.privacy import mask_name
from dashboard.registry import receipts
from ui import state
from ui.common import (
    as_of_caption,
    count,
    excel_download,
    percent,
    scope_pickers,
    show_names,
    table_or_info,
    url_select,
)

ALL_ROSTERS = "全部名冊"
ALL_CLASSES = "全部班級"
# The dispute filter: option label -> its value in the URL (?dispute=…).
DISPUTE_FILTERS: dict[str, str] = {
    "全部": "all",
    "只看逾期": "overdue",
    **{s: s for s in receipts.DISPUTE_STATUSES},
}
STATUS_COLOURS: dict[str, str] = {
    receipts.OPEN_OVERDUE: "background-color: #f8d7da",
    receipts.ANSWERED_LATE: "background-color: #fff3cd",
    receipts.OPEN_IN_TIME: "background-color: #cfe2ff",
}
RATE_COLUMNS = ("確認率", "回應率", "回報率")


@st.cache_data(ttl=600, show_spinner=False)
def _by_class(year: int, division: str | None) -> list[dict[str, Any]]:
    return receipts.by_class(state.connection(), year, division)


@st.cache_data(ttl=600, show_spinner=False)
def _disputes(year: int, division: str | None) -> list[receipts.Dispute]:
    return receipts.disputes(state.connection(), year, division)


def figures_table(rows: Sequence[dict[str, Any]], by_class: bool) -> pd.DataFrame:
    out = []
    for r in rows:
        row: dict[str, Any] = {"名冊別": r["roster"]}
        if by_class:
            row |= {"部別": r["division"], "班級": r["class_name"]}
        row |= {
            "名冊人數": r["listed"],
            "確認人數": r["confirmed"],
            "回報人數": r["reported"],
            "未確認人數": r["unconfirmed"],
            "紙本郵寄人數": r["paper_mail"],
            "確認率": r["confirmed_rate"],
            "回應率": r["responded_rate"],
            "回報率": r["reported_rate"],
        }
        out.append(row)
    return pd.DataFrame(out)


def dispute_table(items: Sequence[receipts.Dispute], names: bool) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "狀態": d.status,
                "學號": d.student_no,
                "姓名": d.student_name if names else mask_name(d.student_name),
                "部別": d.division,
                "班級": d.class_name,
                "學期": d.semester,
                "名冊別": d.roster,
                "錯誤別": d.error_type,
                "問題描述": d.question,
                "協助確認單位": d.helping_unit,
                "確認時間（回報）": roc_datetime(d.reported_at),
                "答覆期限": roc_datetime(d.due_at),
                "答覆時間": roc_datetime(d.answered_at),
                "經過時數": d.elapsed_hours,
                "經過天數": d.elapsed_days,
                "答覆": d.answer,
            }
            for d in items
        ],
        columns=[
            "狀態", "學號", "姓名", "部別", "班級", "學期", "名冊別", "錯誤別", "問題描述", "協助確認單位",
            "確認時間（回報）", "答覆期限", "答覆時間", "經過時數", "經過天數", "答覆",
        ],
    )  # fmt: skip


def _rate_config() -> dict[str, Any]:
    return {c: st.column_config.NumberColumn(c, format="percent") for c in RATE_COLUMNS}


def _styled(frame: pd.DataFrame) -> Any:
    def colour(row: pd.Series) -> list[str]:
        return [STATUS_COLOURS.get(str(row["狀態"]), "")] * len(row)

    return frame.style.apply(colour, axis=1).format(na_rep="—")


def _disputes_section(
    items: Sequence[receipts.Dispute],
    roster: str,
    class_name: str,
    names: bool,
    year: int,
    division: str | None,
) -> None:
    st.subheader("回報錯誤處理")
    limit = next((d.limit_days for d in items if d.limit_days is not None), None)
    limit_text = "—" if limit is None else f"{limit:g}"
    st.caption(
        f"學生回報錯誤後，應由該名冊的提交單位協助確認並於 {limit_text} 天（{limit_text} × 24 小時）內答覆；"
        "未答覆者以資料截至時間計算經過時數。"
    )
    choice = url_select(
        "處理狀態",
        list(DISPUTE_FILTERS),
        key="receipts_dispute",
        param="dispute",
        to_url=lambda o: DISPUTE_FILTERS[o],
    )
    shown = [
        d
        for d in items
        if (roster == ALL_ROSTERS or d.roster == roster)
        and (class_name == ALL_CLASSES or d.class_name == class_name)
        and (choice == "全部" or (choice == "只看逾期" and d.overdue) or d.status == choice)
    ]
    summary = receipts.dispute_summary(shown)
    cols = st.columns(5)
    cols[0].metric("回報錯誤（件）", count(summary["total"]))
    cols[1].metric(receipts.ANSWERED_IN_TIME, count(summary[receipts.ANSWERED_IN_TIME]))
    cols[2].metric(receipts.ANSWERED_LATE, count(summary[receipts.ANSWERED_LATE]))
    cols[3].metric(receipts.OPEN_OVERDUE, count(summary[receipts.OPEN_OVERDUE]))
    cols[4].metric(receipts.OPEN_IN_TIME, count(summary[receipts.OPEN_IN_TIME]))
    table = dispute_table(shown, names)
    table_or_info(
        table,
        "沒有符合條件的回報錯誤。",
        key="receipts_disputes",
        style=_styled,
        column_config={
            "經過時數": st.column_config.NumberColumn(format="%.1f"),
            "經過天數": st.column_config.NumberColumn(format="%.1f"),
        },
    )
    excel_download(
        {"回報錯誤": table},
        exports.export_file_name(str(year), "收訖回報錯誤", division),
        key="receipts_disputes_export",
        label="下載回報錯誤清單（Excel）",
    )
    if not names:
        st.caption("學生姓名已遮蔽（王○明）。")


def render() -> None:
    user = state.require("view_dashboard")
    st.title("收訖確認")
    scope = scope_pickers("receipts", 4)
    if scope is None:
        return
    year, _, division, (c3, c4) = scope
    rows = _by_class(year, division)
    with c3:
        roster = url_select("名冊別", [ALL_ROSTERS, *receipts.ROSTERS], key="receipts_roster", param="roster")
    classes = sorted(
        {r["class_name"] for r in rows if r["class_name"] and roster in (ALL_ROSTERS, r["roster"])}
    )
    with c4:
        class_name = url_select("班級", [ALL_CLASSES, *classes], key="receipts_class", param="class")
    st.caption(as_of_caption(f"{year}學年度", metrics.division_label(division)))
    st.caption(
        "依補充規定第七點(三)：學校提交後，由教務處註冊組及進修部教務組完成收訖明細之確認；"
        "收訖明細有疑義時，由該名冊的提交單位協助確認。人數以學年在籍學生計。"
    )
    scoped = [
        r
        for r in rows
        if (roster == ALL_ROSTERS or r["roster"] == roster)
        and (class_name == ALL_CLASSES or r["class_name"] == class_name)
    ]
    totals = receipts.by_roster(scoped)
    if roster != ALL_ROSTERS:
        totals = [t for t in totals if t["roster"] == roster]
    listed = sum(t["listed"] for t in totals)
    cols = st.columns(4)
    cols[0].metric("名冊人數", count(listed))
    cols[1].metric("確認人數", count(sum(t["confirmed"] for t in totals)))
    cols[2].metric("回報人數", count(sum(t["reported"] for t in totals)))
    cols[3].metric("確認率", percent(metrics.rate(sum(t["confirmed"] for t in totals), listed)))
    st.subheader("各名冊確認情形")
    roster_frame = figures_table(totals, by_class=False)
    st.dataframe(
        roster_frame, hide_index=True, width="stretch", key="receipts_rosters", column_config=_rate_config()
    )
    excel_download(
        {"各名冊": roster_frame},
        exports.export_file_name(str(year), "收訖確認", division),
        key="receipts_rosters_export",
        label="下載各名冊統計（Excel）",
    )
    st.subheader("各班確認情形")
    class_frame = figures_table(scoped, by_class=True)
    table_or_info(
        class_frame, "本學年度尚無收訖確認資料。", key="receipts_classes", column_config=_rate_config()
    )
    excel_download(
        {"各班": class_frame},
        exports.export_file_name(str(year), "收訖確認各班", division),
        key="receipts_classes_export",
        label="下載各班統計（Excel）",
    )
    _disputes_section(_disputes(year, division), roster, class_name, show_names(user), year, division)


if __name__ == "__main__":  # only on a deep link before app.py ever ran: see ui/gate.py
    from ui import gate

    gate.page_run_directly()
