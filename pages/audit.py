"""稽核紀錄: who did what, when, from where — the audit log, for 管理者 and 校長 (issue [8/11]).

Filters by period, account and action; the table shows the newest entries, the Excel export
every matching one (up to audit.EXPORT_ROWS). Read only: the log cannot be changed here or
anywhere else."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import streamlit as st

from dashboard import audit, exports
from dashboard.formatting import EMPTY, roc_date, roc_datetime
from dashboard.school_calendar import school_now
from ui import state
from ui.common import XLSX, count, file_download

ALL_ACCOUNTS = "全部帳號"
COLUMNS = ("時間", "帳號", "動作", "內容", "頁面", "來源位址")
DEFAULT_DAYS = 30


def _frame(rows: list[audit.Entry]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            (
                roc_datetime(e.happened_at, seconds=True),
                e.username or EMPTY,
                e.action,
                e.detail or EMPTY,
                e.page or EMPTY,
                e.address or EMPTY,
            )
            for e in rows
        ],
        columns=list(COLUMNS),
    )


def _period() -> tuple[date, date] | None:
    today = school_now().date()
    c1, c2 = st.columns(2)
    first = c1.date_input(
        "起日", value=today - timedelta(days=DEFAULT_DAYS - 1), key="audit_first", format="YYYY/MM/DD"
    )
    last = c2.date_input("迄日", value=today, key="audit_last", format="YYYY/MM/DD")
    if not isinstance(first, date) or not isinstance(last, date):
        st.warning("請選擇起日與迄日。", icon=":material/event:")
        return None
    if first > last:
        st.error(
            f"起日（{roc_date(first)}）晚於迄日（{roc_date(last)}），請重新選擇。",
            icon=":material/event_busy:",
        )
        return None
    return first, last


def render() -> None:
    state.require("view_audit")
    st.title("稽核紀錄")
    st.caption(
        "登入（成功、失敗、鎖定）、匯入與復原、表單儲存、會議紀錄確認、匯出與下載、備份、還原、"
        "資料銷毀、帳號變更，每一筆都記下帳號、時間、頁面與來源位址。紀錄只能新增，不能修改或刪除。"
    )
    con = state.connection()
    period = _period()
    if period is None:
        return
    first, last = period
    c1, c2 = st.columns([1, 2])
    account = c1.selectbox("帳號", [ALL_ACCOUNTS, *audit.accounts_seen(con)], key="audit_account")
    actions = c2.multiselect("動作", audit.actions_offered(con), key="audit_actions", placeholder="全部動作")
    who = None if account == ALL_ACCOUNTS else account
    found = audit.entries(con, first, last, account=who, actions=actions)
    label = f"{roc_date(first)} 至 {roc_date(last)}"
    if not found.rows:
        st.info(f"{label} 沒有符合條件的紀錄。", icon=":material/info:")
        return
    shown = f"共 {count(found.matching)} 筆"
    if found.matching > len(found.rows):
        limit = count(audit.EXPORT_ROWS)
        shown += f"，表格顯示最新 {count(len(found.rows))} 筆（匯出 Excel 含全部，最多 {limit} 筆）"
    st.caption(f"{label}（{account}{'、' + '、'.join(actions) if actions else ''}）：{shown}")
    st.dataframe(_frame(found.rows), hide_index=True, width="stretch", key="audit_table")

    def build() -> bytes:
        every = audit.entries(con, first, last, account=who, actions=actions, max_rows=audit.EXPORT_ROWS)
        return exports.to_xlsx({"稽核紀錄": _frame(every.rows)}, title=f"稽核紀錄 {label}")

    file_download(
        "匯出 Excel",
        build,
        f"稽核紀錄_{roc_date(first).replace('/', '')}-{roc_date(last).replace('/', '')}.xlsx",
        XLSX,
        key="audit_export",
    )


if __name__ == "__main__":  # only on a deep link before app.py ever ran: see ui/gate.py
    from ui import gate

    gate.page_run_directly()
