"""教師認證: per 任課教師, what was sent, what is waiting and for how long, who must certify for a
teacher who is gone, and the reminders a clerk sends round."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import exports
from dashboard.documents import reminders
from dashboard.formatting import roc_date, roc_datetime
from dashboard.measures import metrics
from dashboard.measures.teachers import AGE_BUCKETS, FAIL_REASONS, NO_REASON, UNIT_FOR_DIVISION, TeacherStatus
from ui import state
from ui.common import (
    XLSX,
    as_of_caption,
    count,
    excel_download,
    file_download,
    percent,
    scope_pickers,
    show_names,
    table_or_info,
    url_select,
    whole_number_frame,
)

ALL_UNITS = "全部單位"


def _unit(t: TeacherStatus) -> str:
    return t.unit or reminders.NOT_IN_STAFF


def _rate_percent(value: float | None) -> float | None:
    return None if value is None else round(value * 100, 1)


def _table(board: Sequence[TeacherStatus]) -> pd.DataFrame:
    """The teacher list as shown and downloaded: Chinese labels, rates in percent."""
    reasons = [*FAIL_REASONS, *([NO_REASON] if any(NO_REASON in t.fail_reasons for t in board) else [])]
    rows = []
    for t in board:
        row: dict[str, object] = {
            "教師代碼": t.code,
            "教師姓名": t.name,
            "單位": _unit(t),
            "在職狀態": reminders.status_label(t),
            "送出認證": t.submitted,
            "通過": t.passed,
            "未通過": t.failed,
            "待認證": t.pending,
            **{f"待認證 {label}": getattr(t, key) for key, label in AGE_BUCKETS},
            "最久等待（天）": t.oldest_pending_days,
            "準時認證": t.on_time,
            "準時認證率（%）": _rate_percent(t.on_time_rate),
            "認證完成率（%）": _rate_percent(t.certification_rate),
            "代理認證": t.proxy_certified,
            **{f"未通過原因 {code}": t.fail_reasons.get(code, 0) for code in reasons},
            "代理認證單位": "、".join(t.proxy_units),
        }
        rows.append(row)
    return whole_number_frame(rows, ("最久等待（天）", "準時認證"))


def _flag_text(t: TeacherStatus) -> str:
    who = f"{t.name or '（姓名不詳）'}（{t.code}，{_unit(t)}，{reminders.status_label(t)}）"
    by_unit = "、".join(
        f"{division} {t.pending_by_division[division]} 件由**{unit}**"
        for division, unit in UNIT_FOR_DIVISION.items()
        if t.pending_by_division.get(division, 0) > 0
    )
    text = (
        f"**{who}** 尚有 {t.pending} 件待認證"
        f"（最久 {count(t.oldest_pending_days)} 天）：依補充規定第十一點(三)2(1)，{by_unit}代理認證。"
    )
    if t.account_disabled_on is not None and t.account_state is not None:
        when = roc_date(t.account_disabled_on)
        text += (
            f" 平臺帳號已於 {when} 停用。"
            if t.account_state == "closed"
            else f" 平臺帳號將於 {when} 停用（資料截至後 {t.account_days_left} 天）。"
        )
    return text


def _fail_chart(t: TeacherStatus) -> go.Figure:
    codes = [c for c in (*FAIL_REASONS, NO_REASON) if c in t.fail_reasons]
    labels = [f"{c} {FAIL_REASONS[c]}" if c in FAIL_REASONS else "未填原因" for c in codes]
    fig = go.Figure(
        go.Bar(
            x=[t.fail_reasons[c] for c in codes],
            y=labels,
            orientation="h",
            text=[t.fail_reasons[c] for c in codes],
            textposition="auto",
            hovertemplate="%{y}：%{x} 件<extra></extra>",
        )
    )
    most = max(t.fail_reasons.values(), default=0)
    fig.update_layout(
        height=260,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        xaxis={"title": "件數", "dtick": max(1, -(-most // 5)), "rangemode": "tozero"},
        yaxis={"autorange": "reversed"},
    )
    return fig


def _pending_table(t: TeacherStatus, year: int, semester: int, division: str | None, names: bool) -> None:
    items = [i for i in state.pending_items(year, semester, division) if i.teacher_code == t.code]
    if not items:
        return
    items.sort(key=lambda i: -1 if i.waiting_days is None else i.waiting_days, reverse=True)
    st.markdown("**待認證明細**（等待最久的在前）")
    frame = reminders.item_sheet(items, show_names=names).drop(columns=["課程代碼", "任課教師", "教師代碼"])
    frame["送出認證時間"] = [roc_datetime(i.submitted_at) for i in items]
    st.dataframe(frame, hide_index=True, width="stretch", key="teachers_pending_items", placeholder="—")


def _detail(t: TeacherStatus, year: int, semester: int, division: str | None, names: bool) -> None:
    cols = st.columns(6)
    cols[0].metric("送出認證（件）", count(t.submitted))
    cols[1].metric("通過（件）", count(t.passed))
    cols[2].metric("未通過（件）", count(t.failed))
    cols[3].metric("待認證（件）", count(t.pending))
    cols[4].metric("準時認證率", percent(t.on_time_rate))
    cols[5].metric("代理認證（件）", count(t.proxy_certified))
    left, right = st.columns(2)
    with left:
        st.markdown("**未通過原因**")
        if t.failed:
            st.plotly_chart(_fail_chart(t), key="teachers_fail_chart", config={"displayModeBar": False})
        else:
            st.caption("本學期沒有未通過的成果。")
    with right:
        st.markdown("**待認證件數（依等待天數）**")
        ages = st.columns(len(AGE_BUCKETS))
        for cell, (key, label) in zip(ages, AGE_BUCKETS, strict=True):
            cell.metric(label, count(getattr(t, key)))
        if t.pending_unknown_age:
            st.caption(f"另有 {t.pending_unknown_age} 件沒有送出認證時間，無法計算等待天數。")
        if t.pending:
            st.caption(reminders.deadline_text(t) + "（以資料截至日計）")
    _pending_table(t, year, semester, division, names)
    text = reminders.message(t, year, semester)
    if text is None:
        st.success("這位教師沒有待認證的成果，不需要提醒。", icon=":material/check_circle:")
    else:
        st.markdown("**提醒訊息**（可複製貼到電子郵件或 LINE）" if not t.flagged else "**代理認證通知**")
        st.code(text, language=None, wrap_lines=True)


def render() -> None:
    user = state.require("view_dashboard")
    st.title("教師認證")
    scope = scope_pickers("teachers", 3)
    if scope is None:
        return
    year, semester, division, (c3,) = scope
    board = state.teacher_board(year, semester, division)
    units = sorted({_unit(t) for t in board})
    with c3:
        unit = url_select("單位", [ALL_UNITS, *units], key="teachers_department", param="department")
    st.caption(as_of_caption(metrics.semester_label(year, semester), metrics.division_label(division)))
    pending_only = st.toggle("只看有待認證", key="teachers_pending_only")
    shown = [
        t for t in board if (unit == ALL_UNITS or _unit(t) == unit) and (t.pending > 0 or not pending_only)
    ]
    for t in (t for t in shown if t.flagged):
        st.warning(_flag_text(t), icon=":material/person_off:")
    table = _table(shown)
    st.caption(
        f"{len(shown):,} 位教師 · 送出認證 {sum(t.submitted for t in shown):,} 件 · "
        f"待認證 {sum(t.pending for t in shown):,} 件（認證中）"
    )
    table_or_info(
        table,
        "沒有符合條件的教師。",
        key="teachers_table",
        placeholder="—",
        column_config={
            "準時認證率（%）": st.column_config.NumberColumn(format="%.1f%%"),
            "認證完成率（%）": st.column_config.NumberColumn(format="%.1f%%"),
            **{
                f"未通過原因 {code}": st.column_config.NumberColumn(help=f"{code} {label}")
                for code, label in FAIL_REASONS.items()
            },
        },
    )
    names = show_names(user)
    d1, d2 = st.columns(2)
    with d1:
        excel_download(
            {"教師認證": table},
            exports.export_file_name(metrics.semester_code(year, semester), "教師認證", division),
            key="teachers_export",
            label="下載教師列表（Excel）",
        )
    with d2:
        con = state.connection()
        file_download(
            "下載待認證提醒（Excel）",
            lambda: reminders.workbook(con, year, semester, division, show_names=names),
            reminders.file_name(year, semester, division),
            XLSX,
            key="teachers_reminders_export",
            help=None if names else "明細中的學生姓名已遮蔽（王○明）。",
        )
    if not shown:
        return
    st.subheader("教師明細")
    # Who needs attention first: flagged teachers, then the longest backlog.
    codes = [t.code for t in sorted(shown, key=lambda t: (not t.flagged, -t.pending, t.code))]
    by_code = {t.code: t for t in shown}
    chosen = url_select(
        "教師",
        codes,
        key="teachers_teacher",
        param="teacher",
        format_func=lambda c: f"{c} {by_code[c].name or ''}（待認證 {by_code[c].pending} 件）",
    )
    _detail(by_code[chosen], year, semester, division, names)


if __name__ == "__main__":  # only on a deep link before app.py ever ran: see ui/gate.py
    from ui import gate

    gate.page_run_directly()
