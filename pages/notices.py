"""紙本通知: students who have left with 未確認 receipts (補充規定第十一點(四)), their mailing
list and, for the roles that send them, the printable letters."""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from dashboard.documents import letters
from dashboard.measures import metrics
from dashboard.registry import notices
from ui import state
from ui.common import (
    as_of_caption,
    division_picker,
    excel_download,
    file_download,
    roc_datetime,
    show_names,
    url_select,
)

ALL = "全部"
PDF = "application/pdf"
WHO_HAS_LEFT = (
    "**誰算已離校**：學生在資料庫中最新一筆學籍資料的學籍狀態為轉出、退學、休學或畢業"
    "（畢業後匯出的名冊會把畢業生記為畢業並填畢業學年度）；"
    "或最新一筆是資料截至所在學年度之前某學年度第2學期的最高年級（日間部三年級；進修部當年有四年級時為"
    "四年級，否則三年級），之後再無學籍資料（已畢業，名冊仍記為在學）。"
    "**截止日**：該學年度／學期的收訖確認期程截止日（學年名冊用第2學期的期程；部別自己的期程優先）；"
    "沒有期程、或期程已過或距資料截至不足規定天數時，以資料截至後規定天數（收訖確認至少天數）計。"
)


def _scopes() -> list[str]:
    """全部, then each 學年度 and its semesters, newest first (the URL value, e.g. 114-2)."""
    years = sorted({y for y, _ in state.semesters()}, reverse=True)
    return [ALL, *(v for y in years for v in (str(y), f"{y}-2", f"{y}-1"))]


def _scope_label(code: str) -> str:
    if code == ALL:
        return "全部學年度"
    if "-" not in code:
        return f"{code}學年度（全學年）"
    year, semester = metrics.parse_semester(code)
    suffix = "（含學年名冊）" if semester == 2 else ""
    return metrics.semester_label(year, semester) + suffix


def _parse_scope(code: str) -> tuple[int | None, int | None]:
    if code == ALL:
        return None, None
    if "-" not in code:
        return int(code), None
    year, semester = metrics.parse_semester(code)
    return year, semester


@st.cache_data(ttl=600, show_spinner=False)
def _recipients(
    year: int | None, semester: int | None, division: str | None, may_see_addresses: bool
) -> list[notices.Recipient]:
    return notices.recipients(
        state.connection(),
        year=year,
        semester=semester,
        division=division,
        may_see_addresses=may_see_addresses,
    )


def _letters_button(rows: list[notices.Recipient], as_of: datetime, name: str) -> None:
    try:
        letters.find_font()
    except letters.FontMissingError as exc:
        st.error(str(exc), icon=":material/font_download_off:")
        return
    file_download(
        "下載通知信函（PDF）",
        lambda: letters.build_letters(rows, may_see_addresses=True, issued_on=as_of.date()),
        name,
        PDF,
        key="notices_letters_export",
        icon=":material/picture_as_pdf:",
        help=f"A4，一位學生一頁（共 {len(rows):,} 頁），地址欄對齊開窗信封；產生約需數秒。",
    )


def render() -> None:
    user = state.require("view_dashboard")
    st.title("紙本通知")
    st.caption(
        "依補充規定第十一點(四)：學生離校後無法使用學校平臺確認收訖明細時，以紙本郵寄通知。"
        "本頁列出已離校且仍有「未確認」收訖明細的學生。"
    )
    c1, c2 = st.columns(2)
    with c1:
        scope = url_select(
            "收訖名冊學年度／學期", _scopes(), key="notices_scope", param="receipts", format_func=_scope_label
        )
    with c2:
        division = division_picker("notices_division")
    year, semester = _parse_scope(scope)
    st.caption(as_of_caption(_scope_label(scope), metrics.division_label(division)))
    with st.expander("判定方式", icon=":material/help:"):
        st.markdown(WHO_HAS_LEFT)
    as_of = state.as_of()
    if as_of is None:
        st.info("資料庫尚無匯入資料，無法判定離校學生與截止日；請先匯入平臺匯出檔。", icon=":material/info:")
        return
    may_see_addresses = user.can("view_addresses")
    names = show_names(user)
    rows = _recipients(year, semester, division, may_see_addresses)
    if not rows:
        st.success("沒有需要寄送紙本通知的離校學生。", icon=":material/check_circle:")
        return
    cols = st.columns(1 + len(notices.LEAVE_REASONS))
    cols[0].metric("通知人數", f"{len(rows):,}")
    for cell, reason in zip(cols[1:], notices.LEAVE_REASONS, strict=True):
        cell.metric(reason, f"{sum(r.reason == reason for r in rows):,}")
    receipts = sum(len(r.receipts) for r in rows)
    noted = sum(1 for r in rows for p in r.receipts if p.deadline_note)
    st.caption(
        f"待確認收訖明細 {receipts:,} 筆；其中 {noted:,} 筆沒有可用的收訖確認期程"
        "（未訂、已過或不足規定天數），"
        f"截止日以資料截至（{roc_datetime(as_of)}）後規定天數計。"
        if noted
        else f"待確認收訖明細 {receipts:,} 筆；截止日皆取自收訖確認期程。"
    )
    table = notices.mailing_sheet(rows, show_names=names, may_see_addresses=may_see_addresses)
    st.dataframe(table, hide_index=True, width="stretch", key="notices_table", placeholder="—")
    d1, d2 = st.columns(2)
    with d1:
        excel_download(
            {notices.SHEET: table},
            notices.file_name(year, semester, division),
            key="notices_mailing_export",
            label="下載郵寄名單（Excel）",
        )
    with d2:
        if may_see_addresses:
            missing = sum(1 for r in rows if not r.address)
            if missing:
                st.warning(
                    f"{missing:,} 位學生沒有通訊地址，信函地址欄會留白待補。", icon=":material/warning:"
                )
            _letters_button(rows, as_of, notices.file_name(year, semester, division, ".pdf"))
        else:
            st.caption(
                "通知信函含學生通訊地址，只有管理者與註冊組可以產生與寄送；"
                "本名單也不含地址欄。需要寄送時請洽註冊組。"
            )


if __name__ == "__main__":  # only on a deep link before app.py ever ran: see ui/gate.py
    from ui import gate

    gate.page_run_directly()
